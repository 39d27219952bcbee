-- Every chat command run: who, where, the text, how it was read, and how it ended.
CREATE TABLE chatops_runs (
  id text PRIMARY KEY,
  actor text NOT NULL,
  chat_user text,
  source text NOT NULL CHECK (source IN ('api', 'slack')),
  channel text,
  text text NOT NULL,
  intent text NOT NULL,
  parameters jsonb NOT NULL DEFAULT '{}'::jsonb,
  outcome text NOT NULL,
  reply text NOT NULL,
  duration_ms integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chatops_runs_actor_created_idx ON chatops_runs (actor, created_at DESC);
CREATE INDEX chatops_runs_created_idx ON chatops_runs (created_at DESC);

-- Changes waiting for `confirm <code>` or a button; taken once, useless after expires_at.
CREATE TABLE chatops_confirmations (
  code text PRIMARY KEY,
  actor text NOT NULL,
  chat_user text,
  source text NOT NULL,
  channel text,
  intent text NOT NULL,
  parameters jsonb NOT NULL,
  text text NOT NULL,
  response_url text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chatops_confirmations_expires_idx ON chatops_confirmations (expires_at);

-- Chat users acting as platform users.
CREATE TABLE chatops_links (
  platform text NOT NULL,
  team_id text NOT NULL,
  chat_user_id text NOT NULL,
  subject text NOT NULL,
  linked_by text NOT NULL,
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, team_id, chat_user_id)
);

-- One-time link codes, stored as SHA-256 because a code is a credential until used.
CREATE TABLE chatops_link_codes (
  code_hash text PRIMARY KEY,
  subject text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Slack event ids already handled, so Slack's retries do not run a command twice.
CREATE TABLE chatops_slack_events (
  event_id text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- The Slack message of each alert group per channel, so updates go to its thread.
CREATE TABLE chatops_notification_threads (
  group_key text NOT NULL,
  channel text NOT NULL,
  channel_id text NOT NULL,
  ts text NOT NULL,
  status text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (group_key, channel)
);
