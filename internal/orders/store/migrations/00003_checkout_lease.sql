-- +goose Up
-- A checkout no longer holds its row lock while it calls catalog and the
-- payment provider. It claims the row with a lease instead: lease_owner is
-- the claim (a fresh id per claim), lease_until how long it holds unless
-- renewed. Every write of an attempt checks it still holds the lease, and
-- recovery (or a later request with the key) takes over a pending checkout
-- only once its lease ran out. The default covers rows written by the
-- previous version during a rolling update: one minute, that version's
-- RECOVERY_GRACE.
ALTER TABLE checkouts
    ADD COLUMN lease_owner uuid,
    ADD COLUMN lease_until timestamptz NOT NULL DEFAULT now() + interval '1 minute';

DROP INDEX checkouts_pending;
CREATE INDEX checkouts_pending ON checkouts (lease_until) WHERE status = 'pending';

-- +goose Down
DROP INDEX checkouts_pending;
CREATE INDEX checkouts_pending ON checkouts (updated_at) WHERE status = 'pending';
ALTER TABLE checkouts DROP COLUMN lease_owner, DROP COLUMN lease_until;
