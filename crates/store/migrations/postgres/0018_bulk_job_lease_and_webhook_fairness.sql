-- Issue #14, finding 8: a bulk job whose server stopped stayed `running`
-- forever. The server running a job writes `heartbeat_at` with its
-- progress; a running job whose heartbeat is older than the lease
-- (`ServerConfig::bulk_job_lease`) lost its server and is failed, at start
-- and while serving, by whichever server notices. `failure_code` says why a
-- job failed (`BULK_INTERRUPTED`: its server stopped; `BULK_FAILED`: an
-- error ended it); the message is composed from it and the rows processed.
ALTER TABLE bulk_jobs ADD COLUMN heartbeat_at TEXT;
ALTER TABLE bulk_jobs ADD COLUMN failure_code TEXT;
UPDATE bulk_jobs SET heartbeat_at = created_at WHERE status = 'running';
UPDATE bulk_jobs SET failure_code = 'BULK_FAILED' WHERE status = 'failed';

-- Issue #14, finding 9: per-subscriber back-off. A subscription whose
-- endpoint fails is not claimed again before `backoff_until` (doubling with
-- `consecutive_failures`, reset by a success or a replay), so one failing
-- or slow endpoint does not hold the others' deliveries.
ALTER TABLE webhook_subscriptions ADD COLUMN consecutive_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_subscriptions ADD COLUMN backoff_until TEXT;
