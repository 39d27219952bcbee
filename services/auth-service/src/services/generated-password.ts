import { randomBase62 } from '@opsmesh/shared/ids/new-id';

/**
 * A password a person can type and that passes the policy: three groups of six base62 characters.
 * In a module of its own (exported as `auth-service/password`) so that the CLI's `users create`
 * and `users reset-password` generate one without loading the service.
 */
export function generatePassword(): string {
  return `${randomBase62(6)}-${randomBase62(6)}-${randomBase62(6)}`;
}
