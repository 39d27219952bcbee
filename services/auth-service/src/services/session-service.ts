import { newId } from '@opsmesh/shared/ids/new-id';
import { authErrors } from '../errors.js';
import type { AuditRepository } from '../models/audit.js';
import type { SessionRepository } from '../models/session.js';
import { normalizeEmail, type UserRepository } from '../models/user.js';
import type { JwtService } from './jwt-service.js';
import { DEFAULT_THROTTLE, type ThrottlePolicy } from './login-throttle.js';
import type { PasswordService } from './password-service.js';
import { newRefreshToken, sha256 } from './tokens.js';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Logins, refresh-token rotation with reuse detection, and logouts. */
export function createSessionService(deps: {
  users: UserRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  passwords: PasswordService;
  jwt: JwtService;
  sessionTtlSeconds: number;
  /** Live sessions per user (SESSIONS_MAX); a login past it revokes the oldest. */
  sessionsMax?: number;
  /** Failed logins of unknown emails, shared by every replica (see models/login-throttle.ts). */
  phantom: { lockedFor(email: string): Promise<number>; fail(email: string): Promise<void> };
  throttle?: ThrottlePolicy;
}) {
  const policy = deps.throttle ?? DEFAULT_THROTTLE;
  const phantom = deps.phantom;

  async function issue(user: { id: string; roles: string[] }, sessionId: string, refreshToken: string) {
    const { token, expiresIn } = await deps.jwt.sign({ sub: user.id, roles: user.roles, sid: sessionId });
    return {
      access_token: token,
      token_type: 'Bearer' as const,
      expires_in: expiresIn,
      refresh_token: refreshToken,
    };
  }

  return {
    async login(email: string, password: string, client: ClientInfo) {
      const normalized = normalizeEmail(email);
      const user = await deps.users.findForLogin(normalized);
      const now = Date.now();
      if (!user) {
        const wait = await phantom.lockedFor(normalized);
        await deps.passwords.verifyDummy(password);
        if (wait > 0)
          throw authErrors.AUTH_TOO_MANY_ATTEMPTS(
            { retryAfter: wait },
            { headers: { 'retry-after': String(wait) } },
          );
        await phantom.fail(normalized);
        await deps.audit.record({
          action: 'login',
          outcome: 'failure',
          target: normalized,
          ip: client.ip,
          detail: { reason: 'unknown email' },
        });
        throw authErrors.AUTH_INVALID_CREDENTIALS({});
      }
      if (user.locked_until && user.locked_until.getTime() > now) {
        await deps.passwords.verifyDummy(password);
        const wait = Math.ceil((user.locked_until.getTime() - now) / 1000);
        throw authErrors.AUTH_TOO_MANY_ATTEMPTS(
          { retryAfter: wait },
          { headers: { 'retry-after': String(wait) } },
        );
      }
      const ok = await deps.passwords.verify(user.password_hash, password);
      if (!ok) {
        const counted = await deps.users.recordFailedLogin(user.id, policy);
        const failures = counted?.failed_logins ?? user.failed_logins + 1;
        const until =
          counted?.locked_until && counted.locked_until.getTime() > now ? counted.locked_until : null;
        await deps.audit.record({
          action: 'login',
          outcome: 'failure',
          actor: user.id,
          target: user.id,
          ip: client.ip,
          detail: { reason: 'wrong password', failures },
        });
        if (until) {
          await deps.audit.record({
            action: 'lockout',
            outcome: 'success',
            target: user.id,
            ip: client.ip,
            detail: { until: until.toISOString(), failures },
          });
        }
        throw authErrors.AUTH_INVALID_CREDENTIALS({});
      }
      if (user.status !== 'active') {
        await deps.audit.record({
          action: 'login',
          outcome: 'failure',
          actor: user.id,
          target: user.id,
          ip: client.ip,
          detail: { reason: `account ${user.status}` },
        });
        throw authErrors.AUTH_ACCOUNT_DISABLED({});
      }
      const sessionId = newId('ses');
      const refreshToken = newRefreshToken();
      await deps.sessions.openForLogin(
        {
          id: sessionId,
          user_id: user.id,
          expires_at: new Date(now + deps.sessionTtlSeconds * 1000),
          ip: client.ip,
          user_agent: client.userAgent,
        },
        sha256(refreshToken),
        deps.sessionsMax ?? 50,
      );
      return issue(user, sessionId, refreshToken);
    },

    async refresh(refreshToken: string, client: ClientInfo) {
      const hash = sha256(refreshToken);
      const found = await deps.sessions.findRefreshToken(hash);
      if (!found || found.revoked_at || found.expires_at.getTime() <= Date.now()) {
        throw authErrors.AUTH_INVALID_REFRESH_TOKEN({});
      }
      const reuse = async () => {
        await deps.sessions.revoke(found.session_id, 'refresh token reused');
        await deps.audit.record({
          action: 'refresh_reuse',
          outcome: 'failure',
          actor: found.user_id,
          target: found.session_id,
          ip: client.ip,
        });
        return authErrors.AUTH_REFRESH_TOKEN_REUSED({});
      };
      if (found.used_at) throw await reuse();
      const user = await deps.users.findById(found.user_id);
      if (user?.status !== 'active') {
        await deps.sessions.revoke(found.session_id, 'account not active');
        throw authErrors.AUTH_INVALID_REFRESH_TOKEN({});
      }
      const next = newRefreshToken();
      if (!(await deps.sessions.rotate(found.session_id, hash, sha256(next)))) throw await reuse();
      return issue(user, found.session_id, next);
    },

    /** Ends the caller's session, or the session of the refresh token given. */
    async logout(options: {
      sessionId?: string | undefined;
      refreshToken?: string | undefined;
      actor: string;
      ip: string | null;
    }) {
      let sessionId = options.sessionId;
      if (options.refreshToken) {
        const found = await deps.sessions.findRefreshToken(sha256(options.refreshToken));
        if (found && found.user_id === options.actor) sessionId = found.session_id;
      }
      if (!sessionId) return;
      const session = await deps.sessions.findById(sessionId);
      if (!session || session.user_id !== options.actor) return;
      await deps.sessions.revoke(sessionId, 'logout');
      await deps.audit.record({
        action: 'logout',
        outcome: 'success',
        actor: options.actor,
        target: sessionId,
        ip: options.ip,
      });
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
