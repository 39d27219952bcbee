// API keys as the console and the `opsmesh` CLI both show them.

/**
 * Whether an API key still works: `live`, `revoked`, or `expired`.
 *
 * @example
 * keyState({ revoked_at: null, expires_at: '2999-01-01T00:00:00Z' }) // 'live'
 */
export function keyState(key, now = Date.now()) {
  if (key.revoked_at) return 'revoked';
  return Date.parse(key.expires_at) <= now ? 'expired' : 'live';
}
