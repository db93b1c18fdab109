-- The rest of the bonded e-account book (issue #6; policy-rules.md §5,
-- §7.1): returned goods held in quarantine until inspected, the purpose of
-- goods entering and leaving (for the monthly report's transfers), the
-- daily exit verification lists (核注清单) and gate release lists (核放单),
-- warehouse stock counts and the reconciliation findings officers work
-- through, the monthly reports sent to customs, and the site operator's
-- warehouse-entry detail lists (CEB711 入库明细单) matched to waybills.

-- Quarantine (待检): returned goods are in stock but not sellable until
-- inspection says so. Like `reserved`, `quarantined` is a hold on stock;
-- together they never exceed it (every change is a conditional UPDATE that
-- says so; PostgreSQL also CHECKs it). Its ledger is `ems_quarantine`.
ALTER TABLE ems_lines ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0 CHECK (quarantined >= 0);

CREATE TABLE ems_quarantine (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    ems_no       TEXT NOT NULL,
    item_no      TEXT NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity <> 0),
    decision     TEXT NOT NULL CHECK (decision IN ('held', 'sellable', 'unsellable')),
    reference    TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    FOREIGN KEY (ems_no, item_no) REFERENCES ems_lines (ems_no, item_no)
);
CREATE INDEX ems_quarantine_by_line ON ems_quarantine (ems_no, item_no, seq);

-- What an entry or a goods-out was for: entry (一线入区) or transfer-in;
-- general-trade, transfer-out or re-export. Null for the other kinds.
ALTER TABLE ems_movements ADD COLUMN purpose TEXT CHECK (purpose IN ('entry', 'transfer-in', 'general-trade', 'transfer-out', 're-export'));
CREATE INDEX ems_movements_by_time ON ems_movements (ems_no, created_at);

-- Exit verification lists (出区核注清单): the released 1210 lists of one
-- book and one China day, summed per item.
CREATE TABLE ems_verifications (
    number        TEXT PRIMARY KEY,
    ems_no        TEXT NOT NULL REFERENCES ems_books (ems_no),
    business_day  TEXT NOT NULL,
    lists         INTEGER NOT NULL CHECK (lists > 0),
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX ems_verifications_by_day ON ems_verifications (ems_no, business_day);

CREATE TABLE ems_verification_lines (
    number    TEXT NOT NULL REFERENCES ems_verifications (number),
    item_no   TEXT NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (number, item_no)
);

-- Each released list (its invtNo, the retail-out's reference) is on one
-- verification list at most: the key makes a second claim fail.
CREATE TABLE ems_verified_lists (
    ems_no     TEXT NOT NULL,
    reference  TEXT NOT NULL,
    number     TEXT NOT NULL REFERENCES ems_verifications (number),
    PRIMARY KEY (ems_no, reference)
);

-- Gate release lists (核放单): one per verification list; the vehicle
-- leaves when customs at the gate records it passed.
CREATE TABLE ems_gate_releases (
    number        TEXT PRIMARY KEY,
    verification  TEXT NOT NULL UNIQUE REFERENCES ems_verifications (number),
    ems_no        TEXT NOT NULL REFERENCES ems_books (ems_no),
    vehicle_no    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    passed_by     TEXT,
    passed_at     TEXT
);

-- A warehouse's stock count for a month (盘点), one per book and month.
CREATE TABLE ems_stock_counts (
    id           TEXT PRIMARY KEY,
    ems_no       TEXT NOT NULL REFERENCES ems_books (ems_no),
    period       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    lines        INTEGER NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    UNIQUE (ems_no, period)
);

-- Reconciliation findings (对碰差异): a difference found between the book
-- and what it is checked against, with its reason, for officers to close.
CREATE TABLE ems_findings (
    id            TEXT PRIMARY KEY,
    ems_no        TEXT NOT NULL REFERENCES ems_books (ems_no),
    source        TEXT NOT NULL CHECK (source IN ('daily', 'monthly')),
    period        TEXT NOT NULL,
    item_no       TEXT NOT NULL,
    expected      INTEGER NOT NULL,
    found         INTEGER NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('short', 'long', 'unverified', 'over-verified')),
    detail        TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_at    TEXT NOT NULL,
    closed_by     TEXT,
    closing_note  TEXT,
    closed_at     TEXT,
    UNIQUE (ems_no, source, period, item_no)
);
CREATE INDEX ems_findings_by_state ON ems_findings (state, created_at);

-- Monthly reports sent to customs (one per book and month).
CREATE TABLE ems_reports (
    ems_no      TEXT NOT NULL REFERENCES ems_books (ems_no),
    period      TEXT NOT NULL,
    sent_by     TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (ems_no, period)
);

-- Warehouse-entry detail lists (CEB711 入库明细单) of the supervision-site
-- operator, and the waybills each lists, matched to the filed waybills.
CREATE TABLE entry_lists (
    guid           TEXT PRIMARY KEY,
    operator_code  TEXT NOT NULL,
    doc_no         TEXT NOT NULL,
    customs_code   TEXT NOT NULL,
    ie_flag        TEXT NOT NULL,
    bill_no        TEXT NOT NULL,
    logistics_code TEXT NOT NULL,
    declared       INTEGER NOT NULL CHECK (declared IN (0, 1)),
    message_id     TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    UNIQUE (operator_code, doc_no)
);

CREATE TABLE entry_list_waybills (
    guid          TEXT NOT NULL REFERENCES entry_lists (guid),
    gnum          INTEGER NOT NULL,
    logistics_no  TEXT NOT NULL,
    waybill_id    TEXT NOT NULL,
    PRIMARY KEY (guid, gnum)
);
CREATE INDEX entry_list_waybills_by_waybill ON entry_list_waybills (waybill_id);
