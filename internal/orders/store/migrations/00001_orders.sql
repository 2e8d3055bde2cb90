-- +goose Up
-- One row per (user, Idempotency-Key): the durable record of a checkout
-- attempt, written before any stock is reserved or money moves, so a crash
-- at any point leaves something for recovery to finish or undo.
CREATE TABLE checkouts (
    id              uuid PRIMARY KEY,
    user_id         text NOT NULL,
    idempotency_key text NOT NULL,
    request_hash    text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'aborted')),
    attempt         integer NOT NULL DEFAULT 1,
    reservation_id  uuid NOT NULL,
    cart_version    bigint NOT NULL,
    items           jsonb NOT NULL,
    order_id        uuid,
    error_code      integer,
    error_message   text,
    error_field     text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT checkouts_user_key UNIQUE (user_id, idempotency_key)
);
CREATE INDEX checkouts_pending ON checkouts (updated_at) WHERE status = 'pending';

CREATE TABLE orders (
    id                    uuid PRIMARY KEY,
    user_id               text NOT NULL,
    checkout_id           uuid NOT NULL UNIQUE REFERENCES checkouts (id),
    status                text NOT NULL CHECK (status IN ('paid', 'shipped', 'delivered', 'cancelled')),
    total_minor           bigint NOT NULL CHECK (total_minor >= 0),
    currency              char(3) NOT NULL,
    card_last4            text NOT NULL,
    payment_id            text NOT NULL,
    -- The provider idempotency key of the charge, used to refund it.
    payment_key           text NOT NULL,
    reservation_id        uuid NOT NULL,
    -- False until catalog confirmed the reservation; recovery finishes it.
    reservation_confirmed boolean NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_created ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_unconfirmed ON orders (created_at) WHERE NOT reservation_confirmed;

CREATE TABLE order_lines (
    order_id         uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       uuid NOT NULL,
    slug             text NOT NULL,
    name             text NOT NULL,
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    quantity         integer NOT NULL CHECK (quantity > 0),
    line_total_minor bigint NOT NULL CHECK (line_total_minor >= 0),
    PRIMARY KEY (order_id, product_id)
);

-- The simulated payment provider's own ledger. It stands in for an external
-- provider (see docs/adr/0009-checkout.md) and is reached only through
-- payment.Simulated, with its own connection pool.
CREATE TABLE simulated_payments (
    id              text PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    amount_minor    bigint NOT NULL,
    currency        char(3) NOT NULL,
    card_last4      text NOT NULL,
    status          text NOT NULL CHECK (status IN ('captured', 'refunded')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    refunded_at     timestamptz
);

-- +goose Down
DROP TABLE simulated_payments;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE checkouts;
