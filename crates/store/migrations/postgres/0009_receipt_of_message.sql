-- The synchronous receipt of a message is kept once, in the receipts feed
-- (ceb_receipts, the one row with the message's id), instead of a second
-- time in ceb_messages: a resend finds its first receipt there. Messages
-- answered before this migration keep theirs in ceb_messages.receipt_xml,
-- which is read first.
CREATE INDEX ceb_receipts_by_message ON ceb_receipts (message_id);
