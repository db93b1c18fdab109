-- Annual quotas of retail import buyers (issue #5), PostgreSQL. Keep in step with ../sqlite/0004_quota.sql.
--
-- Each buyer (订购人, by resident ID number, upper-case X) may clear up to the
-- annual limit a calendar year (财关税〔2018〕49号: CNY 26,000). A list's value is
-- reserved when it passes its checks, committed on release, given back on
-- refusal or cancellation, and reduced by an accepted return
-- (policy-rules.md §4). Amounts are integer fen (分), never NUMERIC.

-- One row per buyer and year: the sum of the live entries (reserved and
-- committed, less what returns gave back). A reservation is one conditional
-- UPDATE of this row ("used + amount <= limit"), so two lists racing for the
-- last of a quota can never both pass: PostgreSQL re-checks the condition on
-- the locked row, SQLite has one writer. The consumer is the partition key.
CREATE TABLE quota_years (
    buyer_id   TEXT NOT NULL,
    year       BIGINT NOT NULL CHECK (year BETWEEN 2016 AND 9999),
    used_fen   BIGINT NOT NULL DEFAULT 0 CHECK (used_fen >= 0),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (buyer_id, year)
);

-- One row per list that ever reserved: its business key (the declaring
-- enterprise's code and the list's copNo), whose quota and how much.
CREATE TABLE quota_entries (
    list_key     TEXT PRIMARY KEY,
    buyer_id     TEXT NOT NULL,
    year         BIGINT NOT NULL,
    amount_fen   BIGINT NOT NULL CHECK (amount_fen >= 0),
    returned_fen BIGINT NOT NULL DEFAULT 0 CHECK (returned_fen >= 0 AND returned_fen <= amount_fen),
    state        TEXT NOT NULL CHECK (state IN ('reserved', 'committed', 'released')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    FOREIGN KEY (buyer_id, year) REFERENCES quota_years (buyer_id, year)
);
CREATE INDEX quota_entries_by_buyer ON quota_entries (buyer_id, year);
