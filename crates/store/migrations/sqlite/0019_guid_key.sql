-- Guids compared without regard to letter case (issue #14, finding 13).
-- The specification writes a guid upper case ("36位系统唯一序号（英文字母大写）");
-- clients and the official samples also send lower case, and a resend must
-- find its message whatever the case. From this version on the store keeps
-- a message's guid upper case (ceb_documents::guid_key) and looks it up so;
-- this brings the messages kept before into line. Where a sender's guid
-- was kept in two cases for one type (two messages then), the upper-case
-- row, or else the earliest (ids are UUID v7, in time order), takes the
-- guid; the other rows keep theirs as they were.
-- Keep in step with ../postgres/0019_guid_key.sql. SQLite's UPPER changes
-- a to z only, as guid_key does.
UPDATE ceb_messages
SET guid = UPPER(guid)
WHERE guid <> UPPER(guid)
  AND NOT EXISTS (
    SELECT 1 FROM ceb_messages t
    WHERE t.sender_code = ceb_messages.sender_code
      AND t.message_type = ceb_messages.message_type
      AND t.guid = UPPER(ceb_messages.guid))
  AND id = (
    SELECT MIN(t.id) FROM ceb_messages t
    WHERE t.sender_code = ceb_messages.sender_code
      AND t.message_type = ceb_messages.message_type
      AND UPPER(t.guid) = UPPER(ceb_messages.guid));
