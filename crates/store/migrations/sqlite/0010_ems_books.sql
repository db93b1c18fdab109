-- Bonded e-account books (电子账册, issue #6; policy-rules.md §5): a book per
-- zone warehouse enterprise, stock lines per item number (料号) with the
-- filed goods' HS code, unit and declared unit value, and an append-only
-- ledger of movements. Quantities are integers of 1/100000 of the line's
-- unit (CEB quantities carry at most five decimals), so stock is exact and
-- compared in SQL. `stock` is the sum of the line's movements (checked by
-- kuajing_store::ems_books::ledger_differences); `reserved` is what 1210
-- lists that passed their checks hold until release or refusal. Neither
-- can go below zero, nor reserved above stock: the CHECKs say so, and every
-- change is one conditional UPDATE of the line.

CREATE TABLE ems_books (
    ems_no      TEXT PRIMARY KEY,
    owner_code  TEXT NOT NULL,
    zone_code   TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ems_books_by_owner ON ems_books (owner_code);

CREATE TABLE ems_lines (
    ems_no      TEXT NOT NULL REFERENCES ems_books (ems_no),
    item_no     TEXT NOT NULL,
    hs_code     TEXT NOT NULL,
    goods_name  TEXT NOT NULL,
    unit        TEXT NOT NULL,
    currency    TEXT NOT NULL,
    unit_value  TEXT NOT NULL,
    stock       INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    reserved    INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= stock),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (ems_no, item_no)
);

-- The ledger: one row per movement, never changed or deleted. `quantity`
-- is signed (in: positive, out: negative).
CREATE TABLE ems_movements (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    ems_no       TEXT NOT NULL,
    item_no      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('first-line-in', 'retail-out', 'goods-out', 'return-in', 'adjustment')),
    quantity     INTEGER NOT NULL CHECK (quantity <> 0),
    reference    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    approved_by  TEXT,
    recorded_by  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    FOREIGN KEY (ems_no, item_no) REFERENCES ems_lines (ems_no, item_no)
);
CREATE INDEX ems_movements_by_line ON ems_movements (ems_no, item_no, seq);

-- What a 1210 list holds of a line between passing its checks and its
-- release (deducted: a retail-out movement) or refusal or cancellation
-- (released).
CREATE TABLE ems_reservations (
    list_key    TEXT NOT NULL,
    ems_no      TEXT NOT NULL,
    item_no     TEXT NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity > 0),
    state       TEXT NOT NULL CHECK (state IN ('reserved', 'deducted', 'released')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (list_key, ems_no, item_no),
    FOREIGN KEY (ems_no, item_no) REFERENCES ems_lines (ems_no, item_no)
);
