-- Waybill statuses (CEB513 物流运单状态, issue #5): the logistics company
-- reports that a parcel was signed for ("S"). One row per waybill and
-- status: a second report of the same status is refused (-505012).
CREATE TABLE ceb_waybill_statuses (
    id               TEXT PRIMARY KEY,
    waybill_id       TEXT NOT NULL REFERENCES ceb_documents (id),
    logistics_status TEXT NOT NULL,
    logistics_time   TEXT NOT NULL,
    message_id       TEXT NOT NULL REFERENCES ceb_messages (id),
    created_at       TEXT NOT NULL,
    UNIQUE (waybill_id, logistics_status)
);
