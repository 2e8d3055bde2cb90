-- +goose Up
-- When a paid order's reservation is found gone (it expired, or was
-- released, before anyone confirmed it) its stock may be sold again: a
-- person has to look at it. Recording when that was found keeps recovery
-- from trying to confirm it on every pass, and out of the way of the orders
-- behind it.
ALTER TABLE orders ADD COLUMN reservation_lost_at timestamptz;

-- Recovery's work list: paid orders still waiting for their confirmation.
DROP INDEX orders_unconfirmed;
CREATE INDEX orders_unconfirmed ON orders (created_at, id)
    WHERE NOT reservation_confirmed AND reservation_lost_at IS NULL AND status <> 'cancelled';

-- +goose Down
DROP INDEX orders_unconfirmed;
CREATE INDEX orders_unconfirmed ON orders (created_at) WHERE NOT reservation_confirmed;
ALTER TABLE orders DROP COLUMN reservation_lost_at;
