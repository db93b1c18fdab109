-- Signing certificates of enterprises (issue #5), PostgreSQL.
-- Keep in step with ../sqlite/0006_enterprise_certificates.sql.
--
-- The lists, cancellations, returns and entry lists (CEB621/623/625/711)
-- must be signed (ceb-messages.md §4.4); a signature counts only if its
-- certificate is one the operator registered for the sending enterprise
-- (`kuajing enterprise cert add`). der is compared byte for byte with the
-- certificate in the signature's KeyInfo.
CREATE TABLE enterprise_certificates (
    id              TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    serial          TEXT NOT NULL,
    subject         TEXT NOT NULL,
    issuer          TEXT NOT NULL,
    algorithm       TEXT NOT NULL,
    not_after       TEXT NOT NULL,
    der             BYTEA NOT NULL,
    added_by        TEXT NOT NULL,
    added_at        TEXT NOT NULL,
    revoked_at      TEXT,
    UNIQUE (organisation_id, serial, issuer)
);
