-- A login revokes the user's oldest live session past SESSIONS_MAX, reading the live ones newest
-- first. Revoked sessions are kept (they are listed with include_revoked), so without this index
-- that read walks every session the user ever had.
create index sessions_live_user_idx on sessions (user_id, created_at desc, id desc) where revoked_at is null;
