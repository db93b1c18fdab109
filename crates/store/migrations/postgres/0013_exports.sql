-- Retail and B2B exports (issue #7; policy-rules.md §2.3, ceb-messages.md
-- §1.2, §2.6), PostgreSQL. Keep in step with ../sqlite/0013_exports.sql
-- (which rebuilds ceb_documents: SQLite cannot change a CHECK in place).

-- The kinds: the import documents (order CEB311, payment CEB411, waybill
-- CEB511, list CEB621) and the export ones (export-order CEB303 with
-- orderType E, B or W; collection CEB403 收款单; export-waybill CEB505;
-- export-list CEB603).
ALTER TABLE ceb_documents DROP CONSTRAINT ceb_documents_kind_check;
ALTER TABLE ceb_documents ADD CONSTRAINT ceb_documents_kind_check CHECK (kind IN ('order',
    'payment', 'waybill', 'list', 'export-order', 'collection', 'export-waybill', 'export-list'));
-- Released export lists by exporter and release time: the summary
-- declaration's month (汇总申报) and the exporter's pages.
CREATE INDEX ceb_documents_by_release ON ceb_documents (kind, owner_code, released_at);

-- The manifests that move export parcels out: arrival at the supervised
-- site (CEB507 运抵单, sent by the site operator), departure (CEB509 离境单,
-- by the logistics enterprise) and the master/sub-waybill list (CEB607
-- 清单总分单, by the declarer). Each keyed by its sender's copNo; the
-- platform gives it a pre-entry number (preNo) its receipt carries.
CREATE TABLE export_manifests (
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
CREATE TABLE export_manifest_waybills (
    manifest_id   TEXT NOT NULL REFERENCES export_manifests (id),
    waybill_key   TEXT NOT NULL,
    gnum          BIGINT NOT NULL CHECK (gnum >= 1),
    invt_no       TEXT,
    PRIMARY KEY (manifest_id, waybill_key)
);
CREATE INDEX export_manifest_waybills_by_waybill ON export_manifest_waybills (waybill_key);
