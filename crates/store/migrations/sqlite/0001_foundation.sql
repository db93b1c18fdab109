-- Foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the same tables, columns and meanings; only the dialect differs.
-- Times are RFC 3339 UTC text with microseconds ("2026-11-27T10:11:45.123456Z"),
-- which sorts correctly and travels unchanged through the sqlx Any driver.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Organisations (enterprises and agencies), keyed by their customs code.
CREATE TABLE organisations (
    id            TEXT PRIMARY KEY,
    customs_code  TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    name_en       TEXT,
    uscc          TEXT UNIQUE,
    status        TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
    park          TEXT,
    address       TEXT,
    contact_name  TEXT,
    contact_phone TEXT,
    is_demo       INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE organisation_roles (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    PRIMARY KEY (organisation_id, role)
);
CREATE INDEX organisation_roles_by_role ON organisation_roles (role);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    login           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX users_by_organisation ON users (organisation_id);

-- Web sessions. Only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens for system-to-system calls. Only the SHA-256 is stored.
CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    token_hash      TEXT NOT NULL UNIQUE,
    prefix          TEXT NOT NULL,
    label           TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    revoked_at      TEXT,
    revoked_by      TEXT
);
CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id);

-- The audit trail: append-only. No code path updates or deletes it, and the
-- triggers below make the database refuse to.
CREATE TABLE audit_log (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    at                TEXT NOT NULL,
    actor_kind        TEXT NOT NULL,
    actor_id          TEXT,
    actor_name        TEXT,
    organisation_code TEXT,
    action            TEXT NOT NULL,
    target            TEXT,
    outcome           TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
    ip                TEXT,
    detail            TEXT
);
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_organisation ON audit_log (organisation_code, seq);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
