-- no-transaction
-- Retail and B2B exports (issue #7; policy-rules.md §2.3, ceb-messages.md
-- §1.2, §2.6), SQLite. Keep in step with ../postgres/0013_exports.sql.
--
-- SQLite cannot change a CHECK in place: ceb_documents is rebuilt with the
-- export kinds allowed, by the procedure of the SQLite manual ("Making
-- other kinds of table schema changes", ALTER TABLE §7): foreign keys off
-- on this connection, one transaction, copy, drop, rename, indexes again,
-- foreign keys checked, foreign keys on. Hence `no-transaction` above: the
-- pragma does nothing inside a transaction. Every statement can run again
-- after a crash between the commit and the migration's bookkeeping.
PRAGMA foreign_keys = OFF;
BEGIN;

DROP TABLE IF EXISTS ceb_documents_next;
-- The kinds: the import documents (order CEB311, payment CEB411, waybill
-- CEB511, list CEB621) and the export ones (export-order CEB303 with
-- orderType E, B or W; collection CEB403 收款单; export-waybill CEB505;
-- export-list CEB603).
CREATE TABLE ceb_documents_next (
    id                 TEXT PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('order', 'payment', 'waybill', 'list',
                           'export-order', 'collection', 'export-waybill', 'export-list')),
    business_key       TEXT NOT NULL,
    owner_code         TEXT NOT NULL,
    ebp_code           TEXT,
    order_no           TEXT NOT NULL,
    waybill_key        TEXT,
    message_id         TEXT NOT NULL REFERENCES ceb_messages (id),
    position           INTEGER NOT NULL CHECK (position >= 1),
    status             TEXT NOT NULL,
    awaiting           INTEGER NOT NULL DEFAULT 0 CHECK (awaiting IN (0, 1)),
    body               TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    pre_no             TEXT,
    invt_no            TEXT,
    buyer_id           TEXT,
    consignee_address  TEXT,
    buyer_telephone    TEXT,
    released_at        TEXT,
    UNIQUE (kind, business_key)
);
INSERT INTO ceb_documents_next (id, kind, business_key, owner_code, ebp_code, order_no,
    waybill_key, message_id, position, status, awaiting, body, created_at, updated_at, pre_no,
    invt_no, buyer_id, consignee_address, buyer_telephone, released_at)
SELECT id, kind, business_key, owner_code, ebp_code, order_no, waybill_key, message_id,
    position, status, awaiting, body, created_at, updated_at, pre_no, invt_no, buyer_id,
    consignee_address, buyer_telephone, released_at
FROM ceb_documents;
DROP TABLE ceb_documents;
ALTER TABLE ceb_documents_next RENAME TO ceb_documents;
CREATE INDEX ceb_documents_by_order ON ceb_documents (kind, ebp_code, order_no);
CREATE INDEX ceb_documents_by_waybill ON ceb_documents (kind, waybill_key);
CREATE INDEX ceb_documents_awaiting ON ceb_documents (awaiting, created_at);
CREATE UNIQUE INDEX ceb_documents_by_invt_no ON ceb_documents (invt_no);
CREATE INDEX ceb_documents_by_buyer ON ceb_documents (buyer_id, created_at);
CREATE INDEX ceb_documents_by_address ON ceb_documents (consignee_address);
CREATE INDEX ceb_documents_by_telephone ON ceb_documents (buyer_telephone);
CREATE INDEX ceb_documents_by_status ON ceb_documents (kind, status, updated_at);
-- Released export lists by exporter and release time: the summary
-- declaration's month (汇总申报) and the exporter's pages.
CREATE INDEX ceb_documents_by_release ON ceb_documents (kind, owner_code, released_at);

-- The manifests that move export parcels out: arrival at the supervised
-- site (CEB507 运抵单, sent by the site operator), departure (CEB509 离境单,
-- by the logistics enterprise) and the master/sub-waybill list (CEB607
-- 清单总分单, by the declarer). Each keyed by its sender's copNo; the
-- platform gives it a pre-entry number (preNo) its receipt carries.
CREATE TABLE IF NOT EXISTS export_manifests (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('arrival', 'departure', 'bill')),
    sender_code   TEXT NOT NULL,
    cop_no        TEXT NOT NULL,
    pre_no        TEXT NOT NULL,
    customs_code  TEXT NOT NULL,
    logistics_code TEXT NOT NULL,
    bill_no       TEXT,
    traf_mode     TEXT NOT NULL,
    traf_name     TEXT,
    voyage_no     TEXT,
    leave_time    TEXT,
    message_id    TEXT NOT NULL REFERENCES ceb_messages (id),
    created_at    TEXT NOT NULL,
    UNIQUE (kind, sender_code, cop_no)
);

-- The waybills a manifest names (logisticsCode/logisticsNo), once each; a
-- master/sub-waybill list may also name the list number.
CREATE TABLE IF NOT EXISTS export_manifest_waybills (
    manifest_id   TEXT NOT NULL REFERENCES export_manifests (id),
    waybill_key   TEXT NOT NULL,
    gnum          INTEGER NOT NULL CHECK (gnum >= 1),
    invt_no       TEXT,
    PRIMARY KEY (manifest_id, waybill_key)
);
CREATE INDEX IF NOT EXISTS export_manifest_waybills_by_waybill ON export_manifest_waybills (waybill_key);

COMMIT;
PRAGMA foreign_keys = ON;
