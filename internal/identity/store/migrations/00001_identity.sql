-- +goose Up
CREATE TABLE users (
    id            uuid PRIMARY KEY,
    -- Normalized (trimmed, lowercase) by the service; the CHECK keeps a
    -- manual insert from creating a second account that differs in case.
    email         text NOT NULL CHECK (email = lower(email)),
    name          text NOT NULL,
    -- argon2id in PHC string form, parameters included.
    password_hash text NOT NULL,
    roles         text[] NOT NULL DEFAULT '{customer}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

-- One row per refresh token ever issued; only the SHA-256 of the secret is
-- stored. Tokens rotated from one sign-in form a family, revoked together on
-- sign-out or when a rotated token is presented again (theft).
CREATE TABLE refresh_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid NOT NULL,
    token_hash  bytea NOT NULL CHECK (length(token_hash) = 32),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz,
    replaced_by uuid REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
-- The sweeper deletes long-expired rows.
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- +goose Down
DROP TABLE refresh_tokens;
DROP TABLE users;
