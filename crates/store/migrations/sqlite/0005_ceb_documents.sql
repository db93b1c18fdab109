-- Customs messages received and the documents they carry (issue #5), SQLite.
-- Keep in step with ../postgres/0005_ceb_documents.sql.

-- Every business message as received (exact bytes, SHA-256, time), with
-- the receipt it was answered with. A resend (same sender, type and guid)
-- finds its row and gets the same receipt. The sender is the partition key.
CREATE TABLE ceb_messages (
    id            TEXT PRIMARY KEY,
    sender_code   TEXT NOT NULL,
    message_type  TEXT NOT NULL,
    guid          TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
    body          BLOB NOT NULL,
    received_at   TEXT NOT NULL,
    receipt_type  TEXT,
    receipt_xml   TEXT,
    UNIQUE (sender_code, message_type, guid)
);

-- One row per document (order, payment, waybill, list) of a message, keyed
-- as ceb-messages.md §3.1 keys it; the links the three-document match
-- follows: ebp_code + order_no (order, payment, list; a waybill names only
-- its order_no) and waybill_key (logisticsCode/logisticsNo: waybill, list).
-- body is the document's JSON form (kuajing-ceb), so matching never decodes
-- a whole message again. status is the receipt status code it stands at.
CREATE TABLE ceb_documents (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('order', 'payment', 'waybill', 'list')),
    business_key  TEXT NOT NULL,
    owner_code    TEXT NOT NULL,
    ebp_code      TEXT,
    order_no      TEXT NOT NULL,
    waybill_key   TEXT,
    message_id    TEXT NOT NULL REFERENCES ceb_messages (id),
    position      INTEGER NOT NULL CHECK (position >= 1),
    status        TEXT NOT NULL,
    awaiting      INTEGER NOT NULL DEFAULT 0 CHECK (awaiting IN (0, 1)),
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (kind, business_key)
);
CREATE INDEX ceb_documents_by_order ON ceb_documents (kind, ebp_code, order_no);
CREATE INDEX ceb_documents_by_waybill ON ceb_documents (kind, waybill_key);
CREATE INDEX ceb_documents_awaiting ON ceb_documents (awaiting, created_at);
