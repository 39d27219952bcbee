import { isAppError } from '@opsmesh/shared/errors/app-error';
import { newId } from '@opsmesh/shared/ids/new-id';
import { authErrors } from '../errors.js';
import type { ApiKeyRepository } from '../models/api-key.js';
import type { AuditRepository } from '../models/audit.js';
import type { SessionRepository } from '../models/session.js';
import { toUser, type UserRepository, type UserRow } from '../models/user.js';
import { generatePassword } from './generated-password.js';
import type { PasswordService } from './password-service.js';

type Role = 'admin' | 'operator' | 'viewer';
type Status = 'active' | 'disabled' | 'locked';

export interface Actor {
  id: string;
  ip: string | null;
}

/** People: registration, admin CRUD and roles, password changes, and the bootstrap admin. */
export function createUserService(deps: {
  users: UserRepository;
  sessions: SessionRepository;
  apiKeys: ApiKeyRepository;
  audit: AuditRepository;
  passwords: PasswordService;
}) {
  async function create(
    input: { email: string; password: string; display_name: string; roles: Role[] },
    actor: Actor | null,
    ip: string | null = actor?.ip ?? null,
  ) {
    const violation = deps.passwords.policyViolation(input.password, {
      email: input.email,
      displayName: input.display_name,
    });
    if (violation) throw authErrors.AUTH_WEAK_PASSWORD({ reason: violation });
    const row = await deps.users.insert({
      id: newId('usr'),
      email: input.email.trim(),
      display_name: input.display_name.trim(),
      password_hash: await deps.passwords.hash(input.password),
      roles: input.roles,
    });
    if (!row) throw authErrors.AUTH_EMAIL_TAKEN({ email: input.email.trim() });
    await deps.audit.record({
      action: 'user_created',
      outcome: 'success',
      actor: actor?.id ?? row.id,
      target: row.id,
      ip,
      detail: { roles: input.roles },
    });
    return toUser(row);
  }

  async function mustFind(id: string): Promise<UserRow> {
    const row = await deps.users.findById(id);
    if (!row) throw authErrors.AUTH_USER_NOT_FOUND({ id });
    return row;
  }

  async function guardLastAdmin(row: UserRow, next: { roles?: Role[]; status?: Status }): Promise<void> {
    const isAdminNow = row.roles.includes('admin') && row.status === 'active';
    const staysAdmin =
      (next.roles ?? (row.roles as Role[])).includes('admin') && (next.status ?? row.status) === 'active';
    if (isAdminNow && !staysAdmin && (await deps.users.countActiveAdmins(row.id)) === 0) {
      throw authErrors.AUTH_LAST_ADMIN({});
    }
  }

  return {
    register: (input: { email: string; password: string; display_name: string }, ip: string | null) =>
      create({ ...input, roles: ['viewer'] }, null, ip),

    create,

    get: async (id: string) => toUser(await mustFind(id)),

    findRow: (id: string) => deps.users.findById(id),

    /** Email and display name for each id that names a user, in the order asked. */
    directory: async (ids: readonly string[]) => {
      const rows = await deps.users.findNames([...new Set(ids)]);
      const byId = new Map(rows.map((r) => [r.id, r]));
      return [...new Set(ids)].flatMap((id) => {
        const row = byId.get(id);
        return row ? [{ id: row.id, email: row.email, display_name: row.display_name }] : [];
      });
    },

    list: async (q: {
      limit: number;
      offset: number;
      search?: string | undefined;
      status?: string | undefined;
    }) => {
      const { items, total } = await deps.users.list(q);
      return { items: items.map(toUser), total };
    },

    async update(
      id: string,
      changes: { display_name?: string | undefined; roles?: Role[] | undefined; status?: Status | undefined },
      actor: Actor,
    ) {
      const row = await mustFind(id);
      await guardLastAdmin(row, {
        ...(changes.roles ? { roles: changes.roles } : {}),
        ...(changes.status ? { status: changes.status } : {}),
      });
      const patch: { display_name?: string; roles?: string[]; status?: Status } = {};
      if (changes.display_name !== undefined) patch.display_name = changes.display_name.trim();
      if (changes.roles !== undefined) patch.roles = changes.roles;
      if (changes.status !== undefined) patch.status = changes.status;
      const updated = await deps.users.update(id, patch);
      if (!updated) throw authErrors.AUTH_USER_NOT_FOUND({ id });
      if (changes.roles && changes.roles.join(',') !== row.roles.join(',')) {
        await deps.audit.record({
          action: 'roles_changed',
          outcome: 'success',
          actor: actor.id,
          target: id,
          ip: actor.ip,
          detail: { from: row.roles, to: changes.roles },
        });
      }
      // Enabling also lifts a brute-force lockout, whatever the status was.
      if (changes.status === 'active') await deps.users.unlock(id);
      if (changes.status && changes.status !== row.status) {
        if (changes.status !== 'active')
          await deps.sessions.revokeAllForUser(id, `account ${changes.status}`);
        await deps.audit.record({
          action: `user_${changes.status === 'active' ? 'enabled' : changes.status}`,
          outcome: 'success',
          actor: actor.id,
          target: id,
          ip: actor.ip,
          detail: { from: row.status },
        });
      }
      return toUser(updated);
    },

    async remove(id: string, actor: Actor) {
      const row = await mustFind(id);
      await guardLastAdmin(row, { status: 'disabled' });
      await deps.apiKeys.revokeAllForOwner(id);
      await deps.users.delete(id);
      await deps.audit.record({
        action: 'user_deleted',
        outcome: 'success',
        actor: actor.id,
        target: id,
        ip: actor.ip,
        detail: { email: row.email },
      });
    },

    async changePassword(
      userId: string,
      current: string,
      next: string,
      keepSessionId: string | undefined,
      ip: string | null,
    ) {
      const row = await mustFind(userId);
      if (!(await deps.passwords.verify(row.password_hash, current))) {
        await deps.audit.record({
          action: 'password_changed',
          outcome: 'failure',
          actor: userId,
          target: userId,
          ip,
        });
        throw authErrors.AUTH_WRONG_PASSWORD({});
      }
      const violation = deps.passwords.policyViolation(next, { email: row.email });
      if (violation) throw authErrors.AUTH_WEAK_PASSWORD({ reason: violation });
      await deps.users.setPassword(userId, await deps.passwords.hash(next));
      await deps.sessions.revokeAllForUser(userId, 'password changed', keepSessionId);
      await deps.audit.record({
        action: 'password_changed',
        outcome: 'success',
        actor: userId,
        target: userId,
        ip,
      });
    },

    /**
     * Sets a user's password without the current one (an admin's reset, or the offline reset when
     * the service is down): lifts a failed-login lockout and revokes every session of the user.
     * `actor` null records the reset as done from the data directory.
     */
    async resetPassword(id: string, next: string, actor: Actor | null) {
      const row = await mustFind(id);
      const violation = deps.passwords.policyViolation(next, { email: row.email });
      if (violation) throw authErrors.AUTH_WEAK_PASSWORD({ reason: violation });
      await deps.users.setPassword(id, await deps.passwords.hash(next));
      await deps.users.unlock(id);
      await deps.sessions.revokeAllForUser(id, 'password reset');
      await deps.audit.record({
        action: 'password_reset',
        outcome: 'success',
        actor: actor?.id ?? null,
        target: id,
        ip: actor?.ip ?? null,
        detail: { by: actor ? 'admin' : 'offline' },
      });
      return toUser((await deps.users.findById(id)) ?? row);
    },

    /** The account an offline reset defaults to: the first admin created (the bootstrap admin). */
    firstAdmin: () => deps.users.findFirstAdmin(),

    findByEmail: (email: string) => deps.users.findByEmail(email),

    /**
     * On a database with no users, creates the first admin. Returns the generated password when
     * none was configured, so start-up can print it once.
     */
    async bootstrapAdmin(
      email: string,
      password: string | undefined,
    ): Promise<{ email: string; password: string | null } | null> {
      if ((await deps.users.count()) > 0) return null;
      const chosen = password ?? generatePassword();
      try {
        await create({ email, password: chosen, display_name: 'Administrator', roles: ['admin'] }, null);
      } catch (err) {
        // Replicas starting together on an empty database: one creates the admin, the others see
        // the email taken and carry on (and print no password that does not log in).
        if (isAppError(err) && err.code === 'AUTH_EMAIL_TAKEN') return null;
        throw err;
      }
      return { email, password: password ? null : chosen };
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
