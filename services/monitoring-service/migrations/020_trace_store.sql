-- The built-in trace store: recent traces from every service's OTLP export, bounded by count and
-- bytes. Kept in the database, not in one replica's memory, so any replica answers for any trace.
CREATE TABLE monitoring_traces (
  trace_id text PRIMARY KEY,
  root_service text,
  root_name text,
  first_service text NOT NULL,
  first_name text NOT NULL,
  start_ms double precision NOT NULL,
  end_ms double precision NOT NULL,
  span_count integer NOT NULL,
  error boolean NOT NULL,
  bytes integer NOT NULL,
  services text[] NOT NULL,
  request_id text,
  -- 2 has an error, 1 slow, 0 neither: eviction takes the lowest first, oldest first within it.
  priority smallint NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX monitoring_traces_start ON monitoring_traces (start_ms DESC);
CREATE INDEX monitoring_traces_evict ON monitoring_traces (priority, start_ms);
CREATE INDEX monitoring_traces_request ON monitoring_traces (request_id);

CREATE TABLE monitoring_trace_spans (
  trace_id text NOT NULL,
  span_id text NOT NULL,
  parent_span_id text,
  service text NOT NULL,
  name text NOT NULL,
  kind smallint NOT NULL,
  start_ms double precision NOT NULL,
  duration_ms double precision NOT NULL,
  status text NOT NULL,
  status_message text,
  attributes jsonb NOT NULL,
  events jsonb NOT NULL,
  PRIMARY KEY (trace_id, span_id)
);
CREATE INDEX monitoring_trace_spans_name ON monitoring_trace_spans (name);
CREATE INDEX monitoring_trace_spans_request ON monitoring_trace_spans ((attributes->>'opsmesh.request_id'));
