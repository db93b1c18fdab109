-- Exports (issue #7), SQLite. Keep in step with
-- ../postgres/0014_overseas_warehouses_and_purchase_records.sql.

-- The overseas-warehouse registry (海外仓备案, policy-rules.md §2.3): an
-- exporting enterprise registers each overseas warehouse it ships 9810
-- stock to (跨境电商出口海外仓) and files it with customs, which approves
-- or returns it (with the reason, who and when). Only approved warehouses
-- count for a 9810 list. A returned registration is changed and sent again
-- (status back to 'filed', the decision fields cleared). The warehouse code
-- is the enterprise's own, unique per enterprise; the country is a customs
-- country code checked against the reference table when registered;
-- capacity is a positive integer in its unit (m2, m3, pallet). The owner's
-- customs code is the partition key.
CREATE TABLE overseas_warehouses (
    warehouse_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_code      TEXT NOT NULL,
    warehouse_code  TEXT NOT NULL,
    name            TEXT NOT NULL,
    operator_name   TEXT NOT NULL,
    country         TEXT NOT NULL,
    address         TEXT NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity > 0),
    capacity_unit   TEXT NOT NULL CHECK (capacity_unit IN ('m2', 'm3', 'pallet')),
    status          TEXT NOT NULL CHECK (status IN ('filed', 'approved', 'returned')),
    decision_reason TEXT,
    decided_by      TEXT,
    decided_at      TEXT,
    registered_by   TEXT NOT NULL,
    registered_at   TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (owner_code, warehouse_code),
    CHECK (status = 'filed' OR (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    CHECK (status <> 'returned' OR decision_reason IS NOT NULL)
);
CREATE INDEX overseas_warehouses_by_country ON overseas_warehouses (owner_code, country, status, warehouse_id);
CREATE INDEX overseas_warehouses_by_status ON overseas_warehouses (status, warehouse_id);

-- The 无票免税 purchase record (policy-rules.md §2.4, 财税〔2018〕103号): a
-- pilot-zone retail exporter without purchase invoices records the goods it
-- bought on the platform — date, name, unit, quantity, unit price, amount,
-- seller — linked to the released export lists (invtNo) they left on.
-- Quantities are integers of 1/100000 of the unit (kuajing_core::quantity);
-- money is integer fen of CNY; amount = quantity × unit price rounded to
-- the fen half up (the CHECK cannot say it: the server computes it, the
-- store refuses amounts that are not positive). Append-only: a record is
-- never changed. The exporter's customs code is the partition key.
CREATE TABLE purchase_records (
    record_id       INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_code      TEXT NOT NULL,
    purchase_date   TEXT NOT NULL,
    goods_name      TEXT NOT NULL,
    unit            TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_fen  INTEGER NOT NULL CHECK (unit_price_fen > 0),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
    seller_name     TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX purchase_records_by_month ON purchase_records (owner_code, purchase_date, record_id);

-- The released export lists a purchase record is linked to (at least one).
CREATE TABLE purchase_record_lists (
    record_id   INTEGER NOT NULL REFERENCES purchase_records (record_id),
    owner_code  TEXT NOT NULL,
    invt_no     TEXT NOT NULL,
    PRIMARY KEY (record_id, invt_no)
);
CREATE INDEX purchase_record_lists_by_list ON purchase_record_lists (owner_code, invt_no);
