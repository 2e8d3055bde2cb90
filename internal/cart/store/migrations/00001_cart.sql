-- +goose Up
CREATE TABLE carts (
    -- The access token's subject: identity's user id.
    user_id    text PRIMARY KEY,
    -- Increases with every change, so orders can clear exactly the cart it
    -- checked out. The row outlives its items: a version never repeats.
    version    bigint NOT NULL CHECK (version >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
    user_id    text NOT NULL REFERENCES carts (user_id) ON DELETE CASCADE,
    -- A catalog product; catalog's database is not ours, so no foreign key.
    product_id uuid NOT NULL,
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

-- +goose Down
DROP TABLE cart_items;
DROP TABLE carts;
