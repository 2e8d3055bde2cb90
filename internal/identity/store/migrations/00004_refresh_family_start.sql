-- +goose Up
-- When a family's sign-in happened, copied to every token rotated from it:
-- sessions end SESSION_MAX_LIFETIME after it however often they refresh.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at timestamptz;
UPDATE refresh_tokens t SET family_started_at = f.started
    FROM (SELECT family_id, min(created_at) AS started FROM refresh_tokens GROUP BY family_id) f
    WHERE f.family_id = t.family_id;
ALTER TABLE refresh_tokens ALTER COLUMN family_started_at SET NOT NULL;

-- +goose Down
ALTER TABLE refresh_tokens DROP COLUMN family_started_at;
