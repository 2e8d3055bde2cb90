-- +goose Up
-- The refresh grace (ADR 16): who rotated a token, and its successor sealed
-- under a key only the rotated token yields. The seal is cleared when the
-- grace is used and swept soon after the grace ends.
ALTER TABLE refresh_tokens
    ADD COLUMN rotated_by       text,
    ADD COLUMN successor_sealed bytea;
CREATE INDEX refresh_tokens_sealed ON refresh_tokens (revoked_at) WHERE successor_sealed IS NOT NULL;

-- +goose Down
DROP INDEX refresh_tokens_sealed;
ALTER TABLE refresh_tokens DROP COLUMN successor_sealed, DROP COLUMN rotated_by;
