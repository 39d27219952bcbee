-- Alert rules: the spec as JSON (validated by the service before it is stored).
CREATE TABLE monitoring_rules (
  id text PRIMARY KEY,
  name text NOT NULL,
  spec jsonb NOT NULL,
  builtin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Alerts not yet forgotten (pending, firing, recently resolved), so a restart keeps them.
CREATE TABLE monitoring_alerts (
  fingerprint text PRIMARY KEY,
  rule_id text,
  source text NOT NULL CHECK (source IN ('rules', 'alertmanager')),
  state text NOT NULL CHECK (state IN ('pending', 'firing', 'resolved')),
  labels jsonb NOT NULL,
  annotations jsonb NOT NULL,
  value double precision,
  active_at timestamptz NOT NULL,
  fired_at timestamptz,
  resolved_at timestamptz,
  last_eval_at timestamptz NOT NULL,
  acknowledged_by text,
  acknowledged_at timestamptz
);

-- Every state change, acknowledgement and notification of an alert.
CREATE TABLE monitoring_alert_history (
  id text PRIMARY KEY,
  fingerprint text NOT NULL,
  alertname text NOT NULL,
  event text NOT NULL,
  at timestamptz NOT NULL,
  value double precision,
  actor text,
  labels jsonb NOT NULL
);
CREATE INDEX monitoring_alert_history_at_idx ON monitoring_alert_history (at DESC);
CREATE INDEX monitoring_alert_history_fp_idx ON monitoring_alert_history (fingerprint, at DESC);

CREATE TABLE monitoring_silences (
  id text PRIMARY KEY,
  matchers jsonb NOT NULL,
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  created_by text NOT NULL,
  comment text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_silences_ends_idx ON monitoring_silences (ends_at);

-- Notification grouping state (what was last notified per group), saved with the outbox rows
-- it produced in one transaction: a restart neither forgets nor repeats a notification.
CREATE TABLE monitoring_notification_groups (
  group_key text PRIMARY KEY,
  state jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Webhook deliveries waiting, retried with backoff until they succeed.
CREATE TABLE monitoring_outbox (
  id text PRIMARY KEY,
  receiver text NOT NULL,
  url text NOT NULL,
  payload jsonb NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz
);
CREATE INDEX monitoring_outbox_due_idx ON monitoring_outbox (next_attempt_at) WHERE delivered_at IS NULL;

-- One-off facts about this database, e.g. that the default rule pack was installed.
CREATE TABLE monitoring_meta (
  key text PRIMARY KEY,
  value text NOT NULL
);
