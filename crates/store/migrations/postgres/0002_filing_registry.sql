-- Filing registry (issue #3), PostgreSQL. Keep in step with ../sqlite/0002_filing_registry.sql.

-- Reference data: every import is a version with an effective date; a row is
-- stored again only when it changes, so "the row in force at T" is the newest
-- row whose effective_from <= T.
CREATE TABLE reference_versions (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    version_no      BIGINT NOT NULL,
    effective_from  TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    imported_by     TEXT NOT NULL,
    file_name       TEXT,
    file_sha256     TEXT,
    rows_added      BIGINT NOT NULL,
    rows_updated    BIGINT NOT NULL,
    rows_unchanged  BIGINT NOT NULL,
    UNIQUE (kind, version_no)
);

CREATE TABLE tariff_lines (
    hs_code              TEXT NOT NULL,
    version_id           TEXT NOT NULL REFERENCES reference_versions (id),
    effective_from       TEXT NOT NULL,
    version_no           BIGINT NOT NULL,
    name_zh              TEXT NOT NULL,
    unit1                TEXT NOT NULL,
    unit2                TEXT,
    vat_rate             TEXT NOT NULL,
    ct_kind              TEXT NOT NULL CHECK (ct_kind IN ('none', 'ad_valorem', 'specific', 'compound')),
    ct_ad_valorem_rate   TEXT,
    ct_specific_amount   TEXT,
    ct_specific_unit     TEXT,
    mfn_duty_rate        TEXT NOT NULL,
    positive_list        BIGINT CHECK (positive_list IN (0, 1)),
    positive_list_remark TEXT,
    source               TEXT,
    PRIMARY KEY (hs_code, version_id)
);
CREATE INDEX tariff_lines_in_force ON tariff_lines (hs_code, effective_from, version_no);

CREATE TABLE reference_codes (
    kind           TEXT NOT NULL,
    code           TEXT NOT NULL,
    version_id     TEXT NOT NULL REFERENCES reference_versions (id),
    effective_from TEXT NOT NULL,
    version_no     BIGINT NOT NULL,
    name_zh        TEXT NOT NULL,
    iso_code       TEXT,
    source         TEXT,
    PRIMARY KEY (kind, code, version_id)
);
CREATE INDEX reference_codes_in_force ON reference_codes (kind, code, effective_from, version_no);

-- What an enterprise filing adds to an organisation's record once approved.
ALTER TABLE organisations ADD COLUMN business_address TEXT;
ALTER TABLE organisations ADD COLUMN legal_representative TEXT;
ALTER TABLE organisations ADD COLUMN email TEXT;
ALTER TABLE organisations ADD COLUMN agent_organisation_id TEXT REFERENCES organisations (id);
ALTER TABLE organisations ADD COLUMN filing_status TEXT NOT NULL DEFAULT 'active';

-- Filings (备案) of enterprises and commodities, with their workflow.
CREATE TABLE filings (
    id                TEXT PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('enterprise', 'commodity')),
    organisation_id   TEXT NOT NULL REFERENCES organisations (id),
    subject_key       TEXT NOT NULL,
    title             TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'active', 'suspended', 'revoked')),
    version_no        BIGINT NOT NULL,
    active_version_no BIGINT,
    data              TEXT NOT NULL,
    hs_code           TEXT,
    search_text       TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    UNIQUE (kind, organisation_id, subject_key)
);
CREATE INDEX filings_by_kind_status ON filings (kind, status, updated_at);
CREATE INDEX filings_by_organisation ON filings (organisation_id, kind);
CREATE INDEX filings_by_hs_code ON filings (hs_code);

-- Every version's data, kept for the history (immutable once submitted).
CREATE TABLE filing_versions (
    filing_id  TEXT NOT NULL REFERENCES filings (id),
    version_no BIGINT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (filing_id, version_no)
);

-- Every step of the workflow: who, for which organisation, when, why.
CREATE TABLE filing_events (
    seq               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    filing_id         TEXT NOT NULL REFERENCES filings (id),
    version_no        BIGINT NOT NULL,
    event             TEXT NOT NULL,
    agency_role       TEXT,
    actor_kind        TEXT NOT NULL,
    actor_name        TEXT NOT NULL,
    actor_organisation TEXT,
    at                TEXT NOT NULL,
    reason            TEXT
);
CREATE INDEX filing_events_by_filing ON filing_events (filing_id, seq);

CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    filing_id   TEXT NOT NULL REFERENCES filings (id),
    purpose     TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    size_bytes  BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    content     BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX attachments_by_filing ON attachments (filing_id);

-- The outbox: every change to a shared record, written in the same
-- transaction as the change; delivered to pull feeds and webhooks.
CREATE TABLE outbox (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id   TEXT NOT NULL UNIQUE,
    topic      TEXT NOT NULL,
    event      TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    record_key TEXT NOT NULL,
    owner_code TEXT NOT NULL,
    version_no BIGINT NOT NULL,
    payload    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_by_owner ON outbox (owner_code, seq);

CREATE TABLE webhook_subscriptions (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    topics          TEXT NOT NULL,
    active          BIGINT NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    cursor_seq      BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    disabled_at     TEXT
);
CREATE INDEX webhook_subscriptions_by_organisation ON webhook_subscriptions (organisation_id);

CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    outbox_seq      BIGINT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'dead')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    last_status     BIGINT,
    last_error      TEXT,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (subscription_id, outbox_seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- Bulk commodity filings from CSV/XLSX: progress and the per-row report.
CREATE TABLE bulk_jobs (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    total_rows      BIGINT NOT NULL,
    processed_rows  BIGINT NOT NULL,
    succeeded_rows  BIGINT NOT NULL,
    failed_rows     BIGINT NOT NULL,
    report          TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX bulk_jobs_by_organisation ON bulk_jobs (organisation_id, created_at);
