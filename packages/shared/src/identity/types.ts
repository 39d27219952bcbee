import type { Permission, Role } from './permissions.js';

/** Who is calling, as established from a verified access token or API key. */
export interface Identity {
  /** `usr_...` for people, `svc_...` for service accounts. */
  subject: string;
  kind: 'user' | 'service' | 'api-key';
  roles: readonly Role[];
  permissions: ReadonlySet<Permission>;
  sessionId?: string;
  /** For delegated tokens: the service acting on the subject's behalf (RFC 8693 `act.sub`). */
  actor?: string;
  /** The API key id when authenticated by key. */
  keyId?: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** When the token was issued (its `iat`), or when an API key was last looked up; seconds. */
  issuedAt?: number;
  /** The credential as presented, to call other services on the caller's behalf. */
  token: string;
}

export interface Authenticator {
  /** Resolves the caller, or throws an AppError with status 401 saying what to fix. */
  authenticate(headers: {
    authorization?: string | undefined;
    'x-api-key'?: string | string[] | undefined;
  }): Promise<Identity>;
  /**
   * The caller without waiting, when the credential is a bearer token already verified and
   * cached (and not revoked); undefined means "not known yet": call `authenticate`, which
   * verifies it or says what is wrong. A proxy's hot path saves a promise and a microtask.
   */
  authenticateCached?(headers: {
    authorization?: string | undefined;
    'x-api-key'?: unknown;
  }): Identity | undefined;
  /** Stops background work (a revocation feed); called when the service closes. */
  close?(): Promise<void>;
}
