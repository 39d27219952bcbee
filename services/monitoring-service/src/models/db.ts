import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface RulesTable {
  id: string;
  name: string;
  spec: Json<unknown>;
  builtin: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AlertsTable {
  fingerprint: string;
  rule_id: string | null;
  source: 'rules' | 'alertmanager';
  state: 'pending' | 'firing' | 'resolved';
  labels: Json<Record<string, string>>;
  annotations: Json<Record<string, string>>;
  value: number | null;
  active_at: Timestamp;
  fired_at: Timestamp | null;
  resolved_at: Timestamp | null;
  last_eval_at: Timestamp;
  acknowledged_by: string | null;
  acknowledged_at: Timestamp | null;
  keep_firing_since: ColumnType<Date | null, string | null | undefined, string | null>;
}

export interface AlertHistoryTable {
  id: string;
  fingerprint: string;
  alertname: string;
  event: string;
  at: Timestamp;
  value: number | null;
  actor: string | null;
  labels: Json<Record<string, string>>;
}

export interface SilencesTable {
  id: string;
  matchers: Json<unknown>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  created_by: string;
  comment: string;
  created_at: Timestamp;
}

export interface NotificationGroupsTable {
  group_key: string;
  state: Json<unknown>;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: string;
  receiver: string;
  url: string;
  payload: Json<unknown>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Generated<Date>;
  delivered_at: Timestamp | null;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface ReplicasTable {
  instance: string;
  started_at: Timestamp;
  seen_at: Timestamp;
}

export interface TargetsTable {
  url: string;
  service: string;
  instance: string;
  first_seen_at: Timestamp;
  ready_at: Timestamp | null;
}

export interface ReceiverStatusTable {
  receiver: string;
  last_attempt_at: Timestamp;
  last_success_at: Timestamp | null;
  last_error: string | null;
  last_error_at: Timestamp | null;
}

export interface TracesTable {
  trace_id: string;
  root_service: string | null;
  root_name: string | null;
  first_service: string;
  first_name: string;
  start_ms: number;
  end_ms: number;
  span_count: number;
  error: boolean;
  bytes: number;
  services: string[];
  request_id: string | null;
  priority: Generated<number>;
  received_at: Generated<Date>;
}

export interface TraceSpansTable {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  service: string;
  name: string;
  kind: number;
  start_ms: number;
  duration_ms: number;
  status: string;
  status_message: string | null;
  attributes: Json<unknown>;
  events: Json<unknown>;
}

export interface MonitoringDB {
  monitoring_traces: TracesTable;
  monitoring_trace_spans: TraceSpansTable;
  monitoring_rules: RulesTable;
  monitoring_alerts: AlertsTable;
  monitoring_alert_history: AlertHistoryTable;
  monitoring_silences: SilencesTable;
  monitoring_notification_groups: NotificationGroupsTable;
  monitoring_outbox: OutboxTable;
  monitoring_meta: MetaTable;
  monitoring_replicas: ReplicasTable;
  monitoring_targets: TargetsTable;
  monitoring_receiver_status: ReceiverStatusTable;
}

/** jsonb comes back parsed from both drivers; guard against a driver returning text. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
