-- Summary declarations of retail exports (汇总申报, issue #7;
-- policy-rules.md §2.3 "清单核放、汇总申报"; CEB701/702/792,
-- ceb-messages.md §2.6): an exporter's declarer asks for last month's
-- released export lists to be merged into export declarations (CEB701
-- 汇总申请单); the platform numbers the application (preNo, sumNo), groups
-- the lists by the head and line rules, and answers one result per
-- declaration (CEB792 汇总结果单).

-- An accepted application. Its copNo is the sender's own number, unique
-- per sender; preNo and sumNo are the platform's. The period is
-- [period_start, period_end), RFC 3339 UTC. Only accepted applications
-- are kept (a refused one changes nothing: CEB702 with a negative code).
CREATE TABLE export_summaries (
    id              TEXT PRIMARY KEY,
    sender_code     TEXT NOT NULL,
    cop_no          TEXT NOT NULL,
    pre_no          TEXT NOT NULL UNIQUE,
    sum_no          TEXT NOT NULL UNIQUE,
    customs_code    TEXT NOT NULL,
    ebc_code        TEXT NOT NULL,
    ebc_name        TEXT NOT NULL,
    decl_agent_code TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('accepted')),
    message_id      TEXT NOT NULL REFERENCES ceb_messages (id),
    created_at      TEXT NOT NULL,
    UNIQUE (sender_code, cop_no)
);
CREATE INDEX export_summaries_by_sender ON export_summaries (sender_code, created_at);
CREATE INDEX export_summaries_by_time ON export_summaries (created_at);

-- One export declaration of an application (one CEB792): the lists of one
-- head (consignor, transport mode, producer/seller, country of arrival,
-- exit customs), numbered declSeqNo, with the weights summed.
CREATE TABLE export_summary_declarations (
    decl_seq_no     TEXT PRIMARY KEY,
    summary_id      TEXT NOT NULL REFERENCES export_summaries (id),
    seq             BIGINT NOT NULL CHECK (seq > 0),
    consignor       TEXT NOT NULL,
    transport_mode  TEXT NOT NULL,
    producer        TEXT NOT NULL,
    arrival_country TEXT NOT NULL,
    exit_customs    TEXT NOT NULL,
    dec_state       TEXT NOT NULL,
    gross_weight    TEXT NOT NULL,
    net_weight      TEXT NOT NULL,
    lines           BIGINT NOT NULL CHECK (lines >= 0),
    UNIQUE (summary_id, seq)
);

-- The lists summarised: each list in one accepted summary at most (the
-- primary key makes a second claim fail). statisticsFlag A lists
-- (清单核放、汇总统计) are never summarised: the application is refused.
CREATE TABLE export_summary_lists (
    document_id  TEXT PRIMARY KEY REFERENCES ceb_documents (id),
    summary_id   TEXT NOT NULL REFERENCES export_summaries (id),
    decl_seq_no  TEXT NOT NULL REFERENCES export_summary_declarations (decl_seq_no),
    invt_no      TEXT NOT NULL
);
CREATE INDEX export_summary_lists_by_summary ON export_summary_lists (summary_id);
