import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface RunsTable {
  id: string;
  actor: string;
  chat_user: string | null;
  source: 'api' | 'slack';
  channel: string | null;
  text: string;
  intent: string;
  parameters: Json<Record<string, unknown>>;
  outcome: string;
  reply: string;
  duration_ms: number;
  created_at: Timestamp;
}

export interface ConfirmationsTable {
  code: string;
  actor: string;
  chat_user: string | null;
  source: 'api' | 'slack';
  channel: string | null;
  intent: string;
  parameters: Json<Record<string, unknown>>;
  text: string;
  response_url: string | null;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

export interface LinksTable {
  platform: string;
  team_id: string;
  chat_user_id: string;
  subject: string;
  linked_by: string;
  linked_at: Timestamp;
}

export interface LinkCodesTable {
  code_hash: string;
  subject: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}

export interface SlackEventsTable {
  event_id: string;
  received_at: Generated<Date>;
}

export interface ThreadsTable {
  group_key: string;
  channel: string;
  channel_id: string;
  ts: string;
  status: 'firing' | 'resolved';
  updated_at: Timestamp;
}

export interface NotificationKeysTable {
  key: string;
  deliveries: ColumnType<unknown, string, string>;
  received_at: Generated<Date>;
}

export interface ChatopsDatabase {
  chatops_notification_keys: NotificationKeysTable;
  chatops_runs: RunsTable;
  chatops_confirmations: ConfirmationsTable;
  chatops_links: LinksTable;
  chatops_link_codes: LinkCodesTable;
  chatops_slack_events: SlackEventsTable;
  chatops_notification_threads: ThreadsTable;
}
