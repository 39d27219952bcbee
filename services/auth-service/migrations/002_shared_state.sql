-- What every replica and every verifier must learn within seconds: credentials that stopped
-- being valid. Rows are written by triggers in the same transaction as the change, whatever code
-- path made it, and announced with NOTIFY auth_revocations; GET /revocations serves them.
--   subject  a user disabled, locked or deleted, or a service account disabled: tokens and API
--            keys of that subject issued before `at` are refused
--   session  a session revoked (logout, password change, refresh reuse): its access tokens
--   api-key  an API key revoked
--   keys     the signing keys changed (rotation): verifiers fetch the JWKS again
create table revocation_events (
  seq bigserial primary key,
  kind text not null check (kind in ('subject', 'session', 'api-key', 'keys')),
  id text not null,
  at timestamptz not null default now()
);
create index revocation_events_at_idx on revocation_events (at);

create function record_revocation() returns trigger language plpgsql as $$
declare
  k text;
  v text;
begin
  if tg_table_name = 'users' then
    if tg_op = 'DELETE' then
      k := 'subject'; v := old.id;
    elsif new.status <> 'active' and new.status is distinct from old.status then
      k := 'subject'; v := new.id;
    end if;
  elsif tg_table_name = 'service_accounts' then
    if new.disabled_at is not null and old.disabled_at is null then
      k := 'subject'; v := new.id;
    end if;
  elsif tg_table_name = 'sessions' then
    if new.revoked_at is not null and old.revoked_at is null then
      k := 'session'; v := new.id;
    end if;
  elsif tg_table_name = 'api_keys' then
    if new.revoked_at is not null and old.revoked_at is null then
      k := 'api-key'; v := new.id;
    end if;
  elsif tg_table_name = 'signing_keys' then
    k := 'keys'; v := coalesce(new.kid, old.kid);
  end if;
  if k is not null then
    insert into revocation_events (kind, id) values (k, v);
    perform pg_notify('auth_revocations', k);
  end if;
  return null;
end;
$$;

create trigger users_revocation after update of status or delete on users
  for each row execute function record_revocation();
create trigger service_accounts_revocation after update of disabled_at on service_accounts
  for each row execute function record_revocation();
create trigger sessions_revocation after update of revoked_at on sessions
  for each row execute function record_revocation();
create trigger api_keys_revocation after update of revoked_at on api_keys
  for each row execute function record_revocation();
create trigger signing_keys_revocation after insert or update of retired_at on signing_keys
  for each row execute function record_revocation();

-- Failed logins for emails that match no account, shared by every replica so a lockout answer
-- looks the same for known and unknown emails wherever it lands. Keyed by the SHA-256 of the
-- normalised email; rows go once their lock has long expired.
create table login_throttle (
  email_hash text primary key,
  failures integer not null,
  locked_until timestamptz,
  updated_at timestamptz not null default now()
);
create index login_throttle_updated_idx on login_throttle (updated_at);
