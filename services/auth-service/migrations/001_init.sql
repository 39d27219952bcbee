-- Users: people who log in. Email is unique regardless of case.
create table users (
  id text primary key,
  email text not null,
  email_normalized text not null unique,
  display_name text not null,
  password_hash text not null,
  roles text[] not null,
  status text not null default 'active' check (status in ('active', 'disabled', 'locked')),
  failed_logins integer not null default 0,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login_at timestamptz,
  password_changed_at timestamptz not null default now()
);

-- A session is one login; its refresh tokens form one rotation family.
create table sessions (
  id text primary key,
  user_id text not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id);

-- Refresh tokens are stored as SHA-256 hashes; a used one stays, marked, to detect reuse.
create table refresh_tokens (
  token_hash text primary key,
  session_id text not null references sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- Ed25519 signing keys; a retired key stays published until tokens it signed have expired.
create table signing_keys (
  kid text primary key,
  private_key text not null,
  public_jwk jsonb not null,
  created_at timestamptz not null default now(),
  retired_at timestamptz
);

create table service_accounts (
  id text primary key,
  name text not null unique,
  client_id text not null unique,
  secret_hash text not null,
  permissions text[] not null,
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);

create table api_keys (
  id text primary key,
  owner_id text not null,
  name text not null,
  prefix text not null,
  key_hash text not null unique,
  permissions text[] not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_keys_owner_idx on api_keys (owner_id);

create table audit_events (
  id bigserial primary key,
  at timestamptz not null default now(),
  action text not null,
  outcome text not null check (outcome in ('success', 'failure')),
  actor text,
  target text,
  ip text,
  detail jsonb not null default '{}'::jsonb
);
create index audit_events_at_idx on audit_events (at desc);
create index audit_events_target_idx on audit_events (target);
