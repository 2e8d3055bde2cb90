-- +goose Up
-- Sign-in failure counters shared by every replica (see domain.ThrottlePolicy).
-- kind 'account' is keyed by the normalized e-mail, whether or not an account
-- has it; kind 'address' by the client address (IPv6 by /64).
CREATE TABLE signin_failures (
    kind          text NOT NULL CHECK (kind IN ('account', 'address')),
    key           text NOT NULL CHECK (length(key) BETWEEN 1 AND 320),
    failures      integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_at       timestamptz,
    blocked_until timestamptz,
    PRIMARY KEY (kind, key)
);
-- The sweeper deletes counters nobody has touched for a window.
CREATE INDEX signin_failures_last_at ON signin_failures (last_at);

-- +goose Down
DROP TABLE signin_failures;
