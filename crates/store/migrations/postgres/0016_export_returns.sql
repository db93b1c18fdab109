-- Export returns (出口退货, issue #7; policy-rules.md §7.2; CEB213/214
-- return request and CEB215/216 return tally detail, ceb-messages.md §2.6):
-- goods exported under 1210/9610/9710/9810 that come back unsold or
-- returned by the buyer, within 6 months of export. The declarer of the
-- released export list asks for the return (CEB213 退货申请单); the
-- supervised site's operator reports the goods back (CEB215 理货明细单), and
-- the return is then tallied.

-- An accepted return request. Its coElNo is the sender's own number,
-- unique per sender; preNo is the platform's. Only accepted requests are
-- kept (a refused one changes nothing: CEB214 with a negative code). The
-- tax consequence is decided when the request is accepted: `exempt`
-- (import duty, VAT and CT exempt, export duty refunded) or `taxable`,
-- with the basis in `tax_basis`.
CREATE TABLE export_returns (
    id                TEXT PRIMARY KEY,
    sender_code       TEXT NOT NULL,
    co_el_no          TEXT NOT NULL,
    pre_no            TEXT NOT NULL UNIQUE,
    document_id       TEXT NOT NULL REFERENCES ceb_documents (id),
    invt_no           TEXT NOT NULL,
    ebc_code          TEXT NOT NULL,
    trade_mode        TEXT NOT NULL,
    logistics_no      TEXT NOT NULL,
    released_at       TEXT NOT NULL,
    reason            TEXT NOT NULL,
    tax               TEXT NOT NULL CHECK (tax IN ('exempt', 'taxable')),
    tax_basis         TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('requested', 'tallied')),
    message_id        TEXT NOT NULL REFERENCES ceb_messages (id),
    created_at        TEXT NOT NULL,
    tallied_at        TEXT,
    tally_sender_code TEXT,
    tally_location    TEXT,
    tally_message_id  TEXT REFERENCES ceb_messages (id),
    UNIQUE (sender_code, co_el_no)
);
CREATE INDEX export_returns_by_document ON export_returns (document_id);
CREATE INDEX export_returns_by_co_el_no ON export_returns (co_el_no);
CREATE INDEX export_returns_by_time ON export_returns (created_at);

-- The lines returned: each a line (gnum) of the original export list, its
-- quantity exact decimal text in the list's declared unit.
CREATE TABLE export_return_lines (
    return_id TEXT NOT NULL REFERENCES export_returns (id),
    gnum      BIGINT NOT NULL CHECK (gnum > 0),
    gcode     TEXT NOT NULL,
    gname     TEXT NOT NULL,
    qty       TEXT NOT NULL,
    unit      TEXT NOT NULL,
    PRIMARY KEY (return_id, gnum)
);
