-- +goose Up
-- Cancelling an order is recorded (status 'cancelling') before the charge
-- is refunded and the stock released, and the order becomes 'cancelled'
-- after both: a failure in between leaves a cancelling order, which can no
-- longer be shipped and which recovery finishes.
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check
    CHECK (status IN ('paid', 'shipped', 'delivered', 'cancelling', 'cancelled'));

DROP INDEX orders_unconfirmed;
CREATE INDEX orders_unconfirmed ON orders (created_at, id)
    WHERE NOT reservation_confirmed AND reservation_lost_at IS NULL AND status NOT IN ('cancelling', 'cancelled');
-- Recovery's other work list: cancels that did not finish.
CREATE INDEX orders_cancelling ON orders (created_at, id) WHERE status = 'cancelling';

-- +goose Down
-- The previous version knows no cancelling orders: they are paid again, and
-- cancelling them again finishes the job (refund and release are
-- idempotent).
UPDATE orders SET status = 'paid' WHERE status = 'cancelling';
DROP INDEX orders_cancelling;
DROP INDEX orders_unconfirmed;
CREATE INDEX orders_unconfirmed ON orders (created_at, id)
    WHERE NOT reservation_confirmed AND reservation_lost_at IS NULL AND status <> 'cancelled';
ALTER TABLE orders DROP CONSTRAINT orders_status_check;
ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('paid', 'shipped', 'delivered', 'cancelled'));
