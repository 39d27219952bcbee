-- Settings of one model version: batching mode (on, off, auto) and its answer and run-time limits.
alter table ml_model_versions add column settings jsonb not null default '{}'::jsonb;
