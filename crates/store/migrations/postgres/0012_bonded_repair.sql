-- Bonded after-sales repair (保税维修, issue #6; policy-rules.md §7.3,
-- GACC 2015 No. 59; MOFCOM / MEE / GACC 2020 No. 16): a zone warehouse
-- enterprise repairs faulty goods from abroad (repaired, then re-exported
-- 复运出境) and from the domestic market (repaired, then returned 复运回境内),
-- and keeps a repair account book (维修账册) of goods awaiting repair,
-- repaired, unrepairable and the repair materials used (料件), with bad parts
-- and scrap leaving as domestic solid waste (固体废物) recorded.
--
-- The book is the orders of one owner. Quantities are integers of 1/100000
-- of the order's unit (kuajing_core::quantity), weights of 1/100000 kg. An
-- order's counters move only by one conditional UPDATE each, written in the
-- same transaction as its movement in the append-only ledger, so the book
-- balances at every moment (the CHECKs say so):
--   received = awaiting + repaired + unrepairable,
--   shipped_repaired <= repaired, shipped_unrepairable <= unrepairable;
-- and each counter is the sum of the order's movements of its kind
-- (kuajing_store::repair::ledger_differences checks it). The order number
-- (维修单号) is `WX`, the opening date (UTC+8) and the order id, so it is
-- unique without a counter to race for.

CREATE TABLE repair_orders (
    order_id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_code            TEXT NOT NULL,
    origin                TEXT NOT NULL CHECK (origin IN ('abroad', 'domestic')),
    customer_name         TEXT NOT NULL,
    goods_name            TEXT NOT NULL,
    hs_code               TEXT NOT NULL,
    unit                  TEXT NOT NULL,
    currency              TEXT NOT NULL,
    declared_value        TEXT NOT NULL,
    received_on           TEXT NOT NULL,
    received              BIGINT NOT NULL CHECK (received > 0),
    awaiting              BIGINT NOT NULL CHECK (awaiting >= 0),
    repaired              BIGINT NOT NULL DEFAULT 0 CHECK (repaired >= 0),
    unrepairable          BIGINT NOT NULL DEFAULT 0 CHECK (unrepairable >= 0),
    shipped_repaired      BIGINT NOT NULL DEFAULT 0 CHECK (shipped_repaired >= 0 AND shipped_repaired <= repaired),
    shipped_unrepairable  BIGINT NOT NULL DEFAULT 0 CHECK (shipped_unrepairable >= 0 AND shipped_unrepairable <= unrepairable),
    recorded_by           TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (received = awaiting + repaired + unrepairable)
);
CREATE INDEX repair_orders_by_owner ON repair_orders (owner_code, order_id);

-- The ledger: one row per movement, never changed or deleted; quantities
-- are positive, the kind says which counters moved.
CREATE TABLE repair_movements (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES repair_orders (order_id),
    kind         TEXT NOT NULL CHECK (kind IN ('received', 'repaired', 'unrepairable', 'shipped-repaired', 'shipped-unrepairable')),
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    reference    TEXT NOT NULL,
    note         TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX repair_movements_by_order ON repair_movements (order_id, seq);

-- Repair materials (料件) used on an order.
CREATE TABLE repair_materials (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES repair_orders (order_id),
    name         TEXT NOT NULL,
    hs_code      TEXT NOT NULL,
    unit         TEXT NOT NULL,
    quantity     BIGINT NOT NULL CHECK (quantity > 0),
    recorded_by  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX repair_materials_by_order ON repair_materials (order_id, seq);

-- Bad parts and scrap (坏件、边角料) of an order that left the zone as
-- domestic solid waste, with the disposal enterprise and its record.
CREATE TABLE repair_scrap (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id            BIGINT NOT NULL REFERENCES repair_orders (order_id),
    description         TEXT NOT NULL,
    weight              BIGINT NOT NULL CHECK (weight > 0),
    disposal_enterprise TEXT NOT NULL,
    disposal_record_no  TEXT NOT NULL,
    recorded_by         TEXT NOT NULL,
    created_at          TEXT NOT NULL
);
CREATE INDEX repair_scrap_by_order ON repair_scrap (order_id, seq);
