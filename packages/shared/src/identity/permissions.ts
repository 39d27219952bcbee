/** Every named permission, in one place. Never rename one; retire and add instead. */
export const PERMISSIONS = [
  'users:read',
  'users:write',
  'audit:read',
  'keys:rotate',
  'apikeys:write',
  'service-accounts:write',
  'tokens:exchange',
  'tokens:introspect',
  'models:read',
  'models:write',
  'models:admin',
  'monitoring:read',
  'alerts:ack',
  'alerts:silence',
  'alerts:write',
  'chatops:use',
  'chatops:admin',
  'gateway:admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['admin', 'operator', 'viewer', 'service'] as const;
export type Role = (typeof ROLES)[number];
/** The roles a person can hold; `service` belongs to service accounts alone. */
export const USER_ROLES = ['admin', 'operator', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

const VIEWER: readonly Permission[] = ['models:read', 'monitoring:read', 'chatops:use', 'apikeys:write'];
const OPERATOR: readonly Permission[] = [
  ...VIEWER,
  'models:write',
  'alerts:ack',
  'alerts:silence',
  'alerts:write',
];

/**
 * The one role → permission table, used by the gateway, the services and the ChatOps executor.
 *
 * @example
 * ROLE_PERMISSIONS.operator.includes('alerts:silence') // true
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  admin: PERMISSIONS,
  service: ['tokens:exchange', 'tokens:introspect', 'models:read', 'monitoring:read'],
};

const memo = new Map<string, ReadonlySet<Permission>>();

/**
 * The union of the permissions of `roles`; unknown role names grant nothing. Memoised per role
 * list: token verification asks this for every token, with a handful of distinct role lists.
 */
export function permissionsFor(roles: readonly string[]): ReadonlySet<Permission> {
  const key = roles.join(',');
  const known = memo.get(key);
  if (known) return known;
  const out = computePermissions(roles);
  if (memo.size < 1000) memo.set(key, out);
  return out;
}

function computePermissions(roles: readonly string[]): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) {
    const granted = ROLE_PERMISSIONS[role as Role];
    if (granted) for (const p of granted) out.add(p);
  }
  return out;
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
