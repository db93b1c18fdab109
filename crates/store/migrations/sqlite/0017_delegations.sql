-- Delegated declaration (委托申报, issue #14), SQLite. Keep in step with
-- ../postgres/0017_delegations.sql.

-- A customs document may be declared only by an enterprise it names in the
-- sender's role, or by an enterprise that party delegated to: the party
-- (principal_code, 委托方) grants the agent (agent_code, 受托方) one scope
-- of documents (kuajing_core::delegation::Scope), optionally until a time,
-- and revokes it (who and when are kept: a row is never deleted). At most
-- one delegation of a scope between two enterprises is in force at a time.
-- The intake asks, per message, which principals delegated to its sender
-- (delegations_by_agent). Times are RFC 3339 UTC text.
CREATE TABLE delegations (
    delegation_id   INTEGER PRIMARY KEY AUTOINCREMENT,
    principal_code  TEXT NOT NULL,
    agent_code      TEXT NOT NULL,
    scope           TEXT NOT NULL CHECK (scope IN ('orders', 'payments', 'waybills', 'lists', 'site')),
    valid_until     TEXT,
    note            TEXT NOT NULL DEFAULT '',
    granted_by      TEXT NOT NULL,
    granted_at      TEXT NOT NULL,
    revoked_by      TEXT,
    revoked_at      TEXT,
    CHECK (principal_code <> agent_code),
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL))
);
CREATE UNIQUE INDEX delegations_in_force ON delegations (principal_code, agent_code, scope)
    WHERE revoked_at IS NULL;
CREATE INDEX delegations_by_agent ON delegations (agent_code, revoked_at);
