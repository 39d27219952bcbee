-- Model registry: models, their versions (ONNX artifacts addressed by SHA-256 on disk),
-- aliases pointing at versions, and every alias move for audit and rollback.
create table ml_models (
  id text primary key,
  name text not null unique,
  description text not null default '',
  owner text not null,
  batch_config jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table ml_model_versions (
  id text primary key,
  model_id text not null references ml_models (id) on delete cascade,
  version integer not null check (version > 0),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint not null check (size_bytes > 0),
  inputs jsonb not null,
  outputs jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  description text not null default '',
  created_by text not null,
  created_at timestamptz not null default now(),
  unique (model_id, version)
);
create index ml_model_versions_sha256_idx on ml_model_versions (sha256);

create table ml_aliases (
  model_id text not null references ml_models (id) on delete cascade,
  alias text not null,
  version_id text not null references ml_model_versions (id),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (model_id, alias)
);
create index ml_aliases_version_idx on ml_aliases (version_id);

create table ml_alias_history (
  id text primary key,
  model_id text not null references ml_models (id) on delete cascade,
  alias text not null,
  from_version integer,
  to_version integer,
  action text not null check (action in ('move', 'rollback', 'delete')),
  changed_by text not null,
  changed_at timestamptz not null default now(),
  seq bigserial not null
);
create index ml_alias_history_alias_idx on ml_alias_history (model_id, alias, seq desc);

create table ml_prediction_log (
  id text primary key,
  model_id text not null references ml_models (id) on delete cascade,
  model_name text not null,
  version integer not null,
  endpoint text not null,
  caller text not null,
  request_id text not null,
  latency_ms double precision not null,
  rows integer not null,
  input_summary jsonb not null,
  outputs jsonb not null,
  created_at timestamptz not null default now(),
  seq bigserial not null
);
create index ml_prediction_log_model_idx on ml_prediction_log (model_id, seq desc);
