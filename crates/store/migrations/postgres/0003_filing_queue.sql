-- Review queue and list order of filings (issue #3), PostgreSQL. Keep in step with ../sqlite/0003_filing_queue.sql.

-- Agency roles whose approval a submitted filing still awaits, written as
-- ",customs,commerce," (empty when it awaits none): an officer's queue is one
-- query, paged and counted by the database, not filtered after the page.
-- Filings submitted before this column existed are marked by the server at
-- start-up (kuajing_server::prepare), which knows who approves what.
ALTER TABLE filings ADD COLUMN awaiting TEXT NOT NULL DEFAULT '';

-- Lists are newest first; these let the database walk the order instead of
-- sorting every filing for each page.
CREATE INDEX filings_by_update ON filings (updated_at, id);
CREATE INDEX filings_by_organisation_update ON filings (organisation_id, updated_at, id);
