import { type Static, Type } from '@sinclair/typebox';
import { PageQuerySchema, pageQueryProperties, prefixedId, TimestampSchema } from './common.js';

/** The auth service's public API: request, response and error shapes. */

export const UserRoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')],
  {
    description: 'admin, operator or viewer',
  },
);
export const UserStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('disabled'),
  Type.Literal('locked'),
]);

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254, description: 'an email address' });
/** 12 to 128 characters, taken whole; common passwords are refused by the service. */
const Password = Type.String({ minLength: 12, maxLength: 128, description: '12 to 128 characters' });
const LoginPassword = Type.String({ minLength: 1, maxLength: 128 });
const DisplayName = Type.String({ minLength: 1, maxLength: 100 });
const PermissionName = Type.String({ pattern: '^[a-z-]+:[a-z-]+$', maxLength: 64 });

export const UserIdSchema = prefixedId('usr');
export const UserSchema = Type.Object(
  {
    id: UserIdSchema,
    email: Type.String(),
    display_name: Type.String(),
    roles: Type.Array(UserRoleSchema),
    status: UserStatusSchema,
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    last_login_at: Type.Union([TimestampSchema, Type.Null()]),
  },
  { $id: 'User' },
);
export type User = Static<typeof UserSchema>;

export const MeSchema = Type.Object({
  ...UserSchema.properties,
  permissions: Type.Array(Type.String()),
  session_id: Type.Union([Type.String(), Type.Null()]),
});

export const LoginRequestSchema = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: LoginPassword },
  { additionalProperties: false },
);
export const RefreshRequestSchema = Type.Object(
  { refresh_token: Type.String({ minLength: 1, maxLength: 512 }) },
  { additionalProperties: false },
);
export const LogoutRequestSchema = Type.Object(
  { refresh_token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })) },
  { additionalProperties: false },
);

/** OAuth 2 token response field names (RFC 6749 §5.1). */
export const TokenResponseSchema = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer(),
    refresh_token: Type.Optional(Type.String()),
    issued_token_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
  },
  { $id: 'TokenResponse' },
);
export type TokenResponse = Static<typeof TokenResponseSchema>;

export const RegisterRequestSchema = Type.Object(
  { email: Email, password: Password, display_name: DisplayName },
  { additionalProperties: false },
);
export const CreateUserRequestSchema = Type.Object(
  {
    email: Email,
    password: Password,
    display_name: DisplayName,
    roles: Type.Array(UserRoleSchema, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export const UpdateUserRequestSchema = Type.Object(
  {
    display_name: Type.Optional(DisplayName),
    roles: Type.Optional(Type.Array(UserRoleSchema, { minItems: 1, maxItems: 3, uniqueItems: true })),
    status: Type.Optional(UserStatusSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const SetRolesRequestSchema = Type.Object(
  { roles: Type.Array(UserRoleSchema, { minItems: 1, maxItems: 3, uniqueItems: true }) },
  { additionalProperties: false },
);
export const ChangePasswordRequestSchema = Type.Object(
  { current_password: LoginPassword, new_password: Password },
  { additionalProperties: false },
);
/** An admin setting a user's password (a reset): every session of that user is revoked. */
export const SetPasswordRequestSchema = Type.Object(
  { new_password: Password },
  { additionalProperties: false },
);
export const UserListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  q: Type.Optional(Type.String({ maxLength: 254 })),
  status: Type.Optional(UserStatusSchema),
});
export const UserListSchema = Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() });

/** Who a user id is, for showing people by email wherever an id was recorded (`?id=usr_a&id=usr_b`). */
export const UserDirectoryQuerySchema = Type.Object(
  { id: Type.Array(UserIdSchema, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false },
);
export const UserDirectoryEntrySchema = Type.Object({
  id: UserIdSchema,
  email: Type.String(),
  display_name: Type.String(),
});
/** The ids that name a user, in the order asked; unknown ids are left out. */
export const UserDirectorySchema = Type.Object({ items: Type.Array(UserDirectoryEntrySchema) });
export type UserDirectoryEntry = Static<typeof UserDirectoryEntrySchema>;

export const SessionSchema = Type.Object(
  {
    id: prefixedId('ses'),
    user_id: UserIdSchema,
    created_at: TimestampSchema,
    last_used_at: TimestampSchema,
    expires_at: TimestampSchema,
    revoked_at: Type.Union([TimestampSchema, Type.Null()]),
    revoked_reason: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean(),
  },
  { $id: 'Session' },
);
export const SessionListSchema = Type.Object({ items: Type.Array(SessionSchema) });

export const CreateApiKeyRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    permissions: Type.Optional(Type.Array(PermissionName, { maxItems: 50, uniqueItems: true })),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 90 })),
  },
  { additionalProperties: false },
);
export const ApiKeySchema = Type.Object(
  {
    id: prefixedId('key'),
    name: Type.String(),
    prefix: Type.String({ description: 'the first characters of the key, to recognise it' }),
    owner_id: Type.String(),
    permissions: Type.Array(Type.String()),
    created_at: TimestampSchema,
    expires_at: TimestampSchema,
    revoked_at: Type.Union([TimestampSchema, Type.Null()]),
    last_used_at: Type.Union([TimestampSchema, Type.Null()]),
  },
  { $id: 'ApiKey' },
);
export const CreatedApiKeySchema = Type.Object({
  ...ApiKeySchema.properties,
  key: Type.String({ description: 'the secret key, shown this once' }),
});
export const ApiKeyListSchema = Type.Object({ items: Type.Array(ApiKeySchema) });
export type ApiKey = Static<typeof ApiKeySchema>;
export type CreatedApiKey = Static<typeof CreatedApiKeySchema>;

export const CreateServiceAccountRequestSchema = Type.Object(
  {
    name: Type.String({
      pattern: '^[a-z][a-z0-9-]{1,62}$',
      description: 'lower-case letters, digits and dashes',
    }),
  },
  { additionalProperties: false },
);
export const ServiceAccountSchema = Type.Object(
  {
    id: prefixedId('svc'),
    name: Type.String(),
    client_id: Type.String(),
    permissions: Type.Array(Type.String()),
    created_at: TimestampSchema,
    disabled_at: Type.Union([TimestampSchema, Type.Null()]),
  },
  { $id: 'ServiceAccount' },
);
export const CreatedServiceAccountSchema = Type.Object({
  ...ServiceAccountSchema.properties,
  client_secret: Type.String({ description: 'shown this once' }),
});
export const ServiceAccountListSchema = Type.Object({ items: Type.Array(ServiceAccountSchema) });
export const ServiceAccountListQuerySchema = Type.Object(pageQueryProperties(100, 500), {
  additionalProperties: false,
});

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const USER_ID_TOKEN_TYPE = 'urn:opsmesh:params:oauth:token-type:user-id';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** `POST /token`: client credentials, refresh, or token exchange (RFC 8693) for delegation. */
export const TokenRequestSchema = Type.Object({
  grant_type: Type.Union([
    Type.Literal('client_credentials'),
    Type.Literal('refresh_token'),
    Type.Literal(TOKEN_EXCHANGE_GRANT),
  ]),
  client_id: Type.Optional(Type.String({ maxLength: 128 })),
  client_secret: Type.Optional(Type.String({ maxLength: 256 })),
  refresh_token: Type.Optional(Type.String({ maxLength: 512 })),
  subject_token: Type.Optional(
    Type.String({ maxLength: 4096, description: 'the user id or email to act for' }),
  ),
  subject_token_type: Type.Optional(Type.String({ maxLength: 128 })),
  requested_token_type: Type.Optional(Type.String({ maxLength: 128 })),
  scope: Type.Optional(Type.String({ maxLength: 1024 })),
});
export type TokenRequest = Static<typeof TokenRequestSchema>;

export const IntrospectRequestSchema = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 4096 }),
  token_type_hint: Type.Optional(Type.String({ maxLength: 64 })),
});
/** RFC 7662 §2.2 fields, plus `roles` and `permissions`. */
export const IntrospectResponseSchema = Type.Object(
  {
    active: Type.Boolean(),
    sub: Type.Optional(Type.String()),
    username: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    token_type: Type.Optional(Type.String()),
    exp: Type.Optional(Type.Integer()),
    iat: Type.Optional(Type.Integer()),
    iss: Type.Optional(Type.String()),
    aud: Type.Optional(Type.String()),
    sid: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    roles: Type.Optional(Type.Array(Type.String())),
    permissions: Type.Optional(Type.Array(Type.String())),
    act: Type.Optional(Type.Object({ sub: Type.String() })),
  },
  { $id: 'Introspection' },
);
export type Introspection = Static<typeof IntrospectResponseSchema>;

export const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});
export const RotateKeyResponseSchema = Type.Object({
  kid: Type.String(),
  retired: Type.Array(Type.String()),
});

/** `GET /revocations`: credentials revoked recently, for verifiers in other services. */
export const RevocationQuerySchema = Type.Object({
  after: Type.Optional(
    Type.Integer({ minimum: 0, description: 'the cursor of the previous page; omit for the recent window' }),
  ),
  wait: Type.Integer({
    minimum: 0,
    maximum: 30,
    default: 0,
    description: 'seconds to wait for something new when nothing follows `after` (a long poll)',
  }),
});
export const RevocationEventSchema = Type.Object({
  seq: Type.Integer(),
  kind: Type.Union([
    Type.Literal('subject'),
    Type.Literal('session'),
    Type.Literal('api-key'),
    Type.Literal('keys'),
  ]),
  id: Type.String(),
  at: TimestampSchema,
});
export const RevocationPageSchema = Type.Object(
  {
    cursor: Type.Integer(),
    reset: Type.Boolean(),
    events: Type.Array(RevocationEventSchema),
  },
  { $id: 'RevocationPage' },
);

export const AuditEventSchema = Type.Object(
  {
    id: Type.Integer(),
    at: TimestampSchema,
    action: Type.String(),
    outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
    actor: Type.Union([Type.String(), Type.Null()]),
    target: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    detail: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: 'AuditEvent' },
);
export const AuditQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  action: Type.Optional(Type.String({ maxLength: 64 })),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  target: Type.Optional(Type.String({ maxLength: 64 })),
});
export const AuditListSchema = Type.Object({ items: Type.Array(AuditEventSchema) });

export const IdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Stable error codes of the auth service; never reuse a retired one. */
export const AUTH_ERROR_CODES = [
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_TOO_MANY_ATTEMPTS',
  'AUTH_ACCOUNT_DISABLED',
  'AUTH_INVALID_TOKEN',
  'AUTH_INVALID_REFRESH_TOKEN',
  'AUTH_REFRESH_TOKEN_REUSED',
  'AUTH_EMAIL_TAKEN',
  'AUTH_WEAK_PASSWORD',
  'AUTH_WRONG_PASSWORD',
  'AUTH_USER_NOT_FOUND',
  'AUTH_SESSION_NOT_FOUND',
  'AUTH_API_KEY_NOT_FOUND',
  'AUTH_PERMISSION_NOT_HELD',
  'AUTH_SERVICE_ACCOUNT_EXISTS',
  'AUTH_SERVICE_ACCOUNT_NOT_FOUND',
  'AUTH_INVALID_CLIENT',
  'AUTH_UNSUPPORTED_GRANT',
  'AUTH_INVALID_GRANT',
  'AUTH_REGISTRATION_CLOSED',
  'AUTH_LAST_ADMIN',
] as const;

/** A page of one owner's sessions or API keys: 100 unless asked otherwise, at most 500. */
export const OWNED_PAGE_DEFAULT = 100;
export const OWNED_PAGE_MAX = 500;
export const OwnedListQuerySchema = Type.Object(pageQueryProperties(OWNED_PAGE_DEFAULT, OWNED_PAGE_MAX), {
  additionalProperties: false,
});
