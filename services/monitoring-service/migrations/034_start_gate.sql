-- The monitoring replicas running now, each refreshing seen_at as it scrapes. A replica that
-- starts while none of the others is alive begins a new watch (monitoring_meta 'watch_started_at'):
-- readiness seen before it counts for nothing, so a restart of the whole platform pages no one.
CREATE TABLE monitoring_replicas (
  instance text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  seen_at timestamptz NOT NULL
);

-- Every scrape target as any replica last saw it: when it was first seen in the current watch
-- and when a scrape of it last succeeded. A target is alerted on once it has been ready in the
-- current watch or its start-up grace has passed; every replica reads the same rows.
CREATE TABLE monitoring_targets (
  url text PRIMARY KEY,
  service text NOT NULL,
  instance text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  ready_at timestamptz
);

-- Where notifications went last, per receiver (webhooks and Alertmanager), for
-- GET /notifications/receivers.
CREATE TABLE monitoring_receiver_status (
  receiver text PRIMARY KEY,
  last_attempt_at timestamptz NOT NULL,
  last_success_at timestamptz,
  last_error text,
  last_error_at timestamptz
);
