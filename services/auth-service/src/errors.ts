import { defineErrors } from '@opsmesh/shared/errors/define-errors';

/** The auth service's one error catalogue; codes are stable and never reused. */
export const authErrors = defineErrors({
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    title: 'Invalid credentials',
    detail: (_: Record<string, never>) => 'The email or password is incorrect.',
  },
  AUTH_TOO_MANY_ATTEMPTS: {
    status: 429,
    title: 'Too many failed attempts',
    detail: (p: { retryAfter: number }) =>
      `Too many failed logins for this account; try again in ${p.retryAfter} s or ask an admin to reset the password.`,
  },
  AUTH_ACCOUNT_DISABLED: {
    status: 403,
    title: 'Account disabled',
    detail: (_: Record<string, never>) => 'This account is disabled or locked; ask an admin to re-enable it.',
  },
  AUTH_INVALID_REFRESH_TOKEN: {
    status: 401,
    title: 'Invalid refresh token',
    detail: (_: Record<string, never>) => 'The refresh token is unknown, expired or revoked; log in again.',
  },
  AUTH_REFRESH_TOKEN_REUSED: {
    status: 401,
    title: 'Refresh token reused',
    detail: (_: Record<string, never>) =>
      'This refresh token was already used; the whole session was revoked as a precaution. Log in again.',
  },
  AUTH_EMAIL_TAKEN: {
    status: 409,
    title: 'Email already registered',
    detail: (p: { email: string }) => `A user with the email ${p.email} already exists.`,
  },
  AUTH_WEAK_PASSWORD: {
    status: 400,
    title: 'Password too weak',
    detail: (p: { reason: string }) => p.reason,
  },
  AUTH_WRONG_PASSWORD: {
    status: 400,
    title: 'Current password is wrong',
    detail: (_: Record<string, never>) => 'The current password does not match; type it again.',
  },
  AUTH_USER_NOT_FOUND: {
    status: 404,
    title: 'User not found',
    detail: (p: { id: string }) => `No user with id ${p.id}.`,
  },
  AUTH_SESSION_NOT_FOUND: {
    status: 404,
    title: 'Session not found',
    detail: (p: { id: string }) => `No session with id ${p.id} that you may see.`,
  },
  AUTH_API_KEY_NOT_FOUND: {
    status: 404,
    title: 'API key not found',
    detail: (p: { id: string }) => `No API key with id ${p.id} that you may see.`,
  },
  AUTH_API_KEY_LIMIT: {
    status: 409,
    title: 'Too many API keys',
    detail: (p: { max: number }) =>
      `You hold ${p.max} live API keys, the most one owner may hold (API_KEYS_MAX); revoke one you no longer use (DELETE /api-keys/{id}) and create this one again.`,
  },
  AUTH_PERMISSION_NOT_HELD: {
    status: 403,
    title: 'Permission not held',
    detail: (p: { permissions: string[] }) =>
      `A key cannot carry permissions its owner lacks: ${p.permissions.join(', ')}.`,
  },
  AUTH_UNKNOWN_PERMISSION: {
    status: 400,
    title: 'Unknown permission',
    detail: (p: { permissions: string[] }) => `Unknown permission names: ${p.permissions.join(', ')}.`,
  },
  AUTH_SERVICE_ACCOUNT_EXISTS: {
    status: 409,
    title: 'Service account exists',
    detail: (p: { name: string }) => `A service account named ${p.name} already exists.`,
  },
  AUTH_SERVICE_ACCOUNT_NOT_FOUND: {
    status: 404,
    title: 'Service account not found',
    detail: (p: { id: string }) => `No service account with id ${p.id}.`,
  },
  AUTH_INVALID_CLIENT: {
    status: 401,
    title: 'Invalid client',
    detail: (_: Record<string, never>) =>
      'The client id or secret is wrong, or the service account is disabled.',
  },
  AUTH_MALFORMED_CLIENT_AUTH: {
    status: 401,
    title: 'Malformed client authentication',
    detail: (p: { reason: string }) => p.reason,
  },
  AUTH_INVALID_GRANT: {
    status: 400,
    title: 'Invalid grant',
    detail: (p: { reason: string }) => p.reason,
  },
  AUTH_REGISTRATION_CLOSED: {
    status: 403,
    title: 'Registration closed',
    detail: (_: Record<string, never>) =>
      'Self-registration is turned off here; ask an admin to create your account.',
  },
  AUTH_LAST_ADMIN: {
    status: 409,
    title: 'Last admin',
    detail: (_: Record<string, never>) => 'This would leave no active admin; make another user admin first.',
  },
});
