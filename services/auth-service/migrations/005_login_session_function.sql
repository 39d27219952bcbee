-- A login opens its session in one round trip to the database instead of four (begin, the
-- per-user lock, the statement, commit): the function takes the lock and then runs the statement,
-- which, being a separate statement of the function, reads with a snapshot taken after the lock,
-- so it sees every session a login of the same user committed before it. The lock is released
-- when the calling statement's transaction ends.
create function open_login_session(
  p_session_id text,
  p_user_id text,
  p_expires_at timestamptz,
  p_ip text,
  p_user_agent text,
  p_token_hash text,
  p_keep integer,
  p_detail jsonb
) returns void language plpgsql as $$
begin
  -- Logins of one user take turns: two at once must not both count the same live sessions.
  perform pg_advisory_xact_lock(hashtext('sessions'), hashtext(p_user_id));
  with evicted as (
    update sessions set revoked_at = now(), revoked_reason = 'session limit: oldest revoked at a new login'
    where id in (
      select s.id from sessions s
      where s.user_id = p_user_id and s.revoked_at is null and s.expires_at > now()
      order by s.created_at desc, s.id desc
      offset p_keep - 1
    )
  ), cleared as (
    update users set failed_logins = 0, locked_until = null, last_login_at = now() where id = p_user_id
  ), opened as (
    insert into sessions (id, user_id, expires_at, ip, user_agent)
    values (p_session_id, p_user_id, p_expires_at, p_ip, p_user_agent)
  ), token as (
    insert into refresh_tokens (token_hash, session_id) select p_token_hash, o.id from (select p_session_id as id) o
  )
  insert into audit_events (action, outcome, actor, target, ip, detail)
  values ('login', 'success', p_user_id, p_user_id, p_ip, p_detail);
end;
$$;
