-- A receipt is stored once (issue #16, item 4). Until now each receipt owed
-- was written twice: to the pull feed (ceb_receipts.xml) and, as a JSON
-- payload holding the same XML, to the outbox its webhooks push from. From
-- this version a receipt's outbox event names its feed row instead and
-- keeps an empty payload; readers compose the same payload
-- ({"type": …, "xml": …}) from that row. Events written before keep theirs.
ALTER TABLE outbox ADD COLUMN receipt_seq BIGINT REFERENCES ceb_receipts (seq);
