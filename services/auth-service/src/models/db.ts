import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  display_name: string;
  password_hash: string;
  roles: string[];
  status: ColumnType<
    'active' | 'disabled' | 'locked',
    'active' | 'disabled' | 'locked' | undefined,
    'active' | 'disabled' | 'locked'
  >;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
  password_changed_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  created_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface SigningKeysTable {
  kid: string;
  private_key: string;
  public_jwk: ColumnType<Record<string, string>, string, string>;
  created_at: Timestamp;
  retired_at: NullableTimestamp;
}

export interface ServiceAccountsTable {
  id: string;
  name: string;
  client_id: string;
  secret_hash: string;
  permissions: string[];
  created_at: Timestamp;
  disabled_at: NullableTimestamp;
}

export interface ApiKeysTable {
  id: string;
  owner_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  permissions: string[];
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: Timestamp;
  action: string;
  outcome: 'success' | 'failure';
  actor: string | null;
  target: string | null;
  ip: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface RevocationEventsTable {
  seq: Generated<number>;
  kind: 'subject' | 'session' | 'api-key' | 'keys';
  id: string;
  at: Generated<Date>;
}

export interface LoginThrottleTable {
  email_hash: string;
  failures: number;
  locked_until: Date | null;
  updated_at: Generated<Date>;
}

export interface AuthDB {
  revocation_events: RevocationEventsTable;
  login_throttle: LoginThrottleTable;
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  service_accounts: ServiceAccountsTable;
  api_keys: ApiKeysTable;
  audit_events: AuditEventsTable;
}
