-- The clearance of declaration lists (issue #5), PostgreSQL.
-- Keep in step with ../sqlite/0007_clearance.sql.

-- What the engine needs of a list besides its JSON form: the numbers the
-- platform gives it (preNo on acceptance, invtNo on numbering: the e-port
-- and customs generate them, ceb-messages.md §2.5), who buys and where it
-- goes (the risk rules count lists per buyer, buyers per address and per
-- telephone), and when it was released (returns within 30 days).
ALTER TABLE ceb_documents ADD COLUMN pre_no TEXT;
ALTER TABLE ceb_documents ADD COLUMN invt_no TEXT;
ALTER TABLE ceb_documents ADD COLUMN buyer_id TEXT;
ALTER TABLE ceb_documents ADD COLUMN consignee_address TEXT;
ALTER TABLE ceb_documents ADD COLUMN buyer_telephone TEXT;
ALTER TABLE ceb_documents ADD COLUMN released_at TEXT;
CREATE UNIQUE INDEX ceb_documents_by_invt_no ON ceb_documents (invt_no);
CREATE INDEX ceb_documents_by_buyer ON ceb_documents (buyer_id, created_at);
CREATE INDEX ceb_documents_by_address ON ceb_documents (consignee_address);
CREATE INDEX ceb_documents_by_telephone ON ceb_documents (buyer_telephone);
CREATE INDEX ceb_documents_by_status ON ceb_documents (kind, status, updated_at);

-- Every receipt an enterprise is owed, in the order it is owed: the
-- synchronous answer to each message and every later one (status changes,
-- the CEB816 tax bill). The pull feed reads it by seq per recipient; seq
-- values become visible in order (SQLite has one writer; PostgreSQL takes
-- an advisory lock before appending, as the outbox does).
CREATE TABLE ceb_receipts (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_code TEXT NOT NULL,
    receipt_type   TEXT NOT NULL,
    message_id     TEXT REFERENCES ceb_messages (id),
    document_id    TEXT REFERENCES ceb_documents (id),
    xml            TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX ceb_receipts_by_recipient ON ceb_receipts (recipient_code, seq);

-- Every decision on a list, the engine's and the officers': the status it
-- set, the rule set and tariff version it used, its reasons (JSON, each
-- with its official code), every risk rule that fired (monitored ones
-- too), an explanation a person can read and the tax bill (JSON).
CREATE TABLE clearance_decisions (
    id             TEXT PRIMARY KEY,
    list_id        TEXT NOT NULL REFERENCES ceb_documents (id),
    owner_code     TEXT NOT NULL,
    status         TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    rule_set       TEXT NOT NULL,
    tariff_version TEXT NOT NULL,
    reasons        TEXT NOT NULL,
    risk_hits      TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    tax_bill       TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX clearance_decisions_by_list ON clearance_decisions (list_id, created_at);

-- Buyer ID numbers customs watches (布控): a list for one goes to an officer.
CREATE TABLE watch_list (
    buyer_id TEXT PRIMARY KEY,
    reason   TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);

-- Named counters for the numbers the platform gives (preNo, invtNo, taxNo):
-- one conditional upsert each, so two lists can never get one number.
-- (SQLite only uses it; see below.)
CREATE TABLE number_sequences (
    name TEXT PRIMARY KEY,
    last BIGINT NOT NULL CHECK (last >= 1)
);

-- On PostgreSQL the numbers come from one sequence instead: nextval takes
-- no row lock, so concurrent lists do not queue on a counter row until
-- their transactions commit. Numbers are unique across names, with gaps.
CREATE SEQUENCE ceb_number_seq;

-- Requests about a list after it was declared: cancellations (CEB623) and
-- returns (CEB625), each with the message it came in, the status it got and
-- (a return) the value it gave back to the buyer's quota, fen.
CREATE TABLE ceb_requests (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('cancel', 'return')),
    list_id     TEXT REFERENCES ceb_documents (id),
    owner_code  TEXT NOT NULL,
    message_id  TEXT NOT NULL REFERENCES ceb_messages (id),
    position    BIGINT NOT NULL CHECK (position >= 1),
    status      TEXT NOT NULL,
    refund_fen  BIGINT NOT NULL DEFAULT 0 CHECK (refund_fen >= 0),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ceb_requests_by_list ON ceb_requests (list_id, created_at);
