import { createPublicKey, type KeyObject } from 'node:crypto';

/** Where a verifier finds the public key for a token's `kid`. */
export interface KeySource {
  /** The key for `kid`, or undefined when it is not (or no longer) published. */
  getKey(kid: string): Promise<KeyObject | undefined>;
}

export interface JwksDocument {
  keys: { kid?: string; kty: string; crv?: string; x?: string; alg?: string; use?: string }[];
}

/**
 * The auth service's JWKS over HTTP: fetched once, cached, and fetched again when a token names an
 * unknown `kid` (at most once per `cooldownMs`, 5 s by default, so forged kids cannot make us hammer
 * the issuer while a real rotation is seen within seconds).
 *
 * @example
 * const keys = remoteJwks({ url: 'http://127.0.0.1:8081/.well-known/jwks.json' });
 */
export function remoteJwks(options: {
  url: string;
  maxAgeMs?: number;
  cooldownMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Fetches the document another way (e.g. through discovery, from any replica) instead of `url`. */
  load?: () => Promise<JwksDocument>;
}): KeySource & { refresh(): Promise<void> } {
  const maxAge = options.maxAgeMs ?? 10 * 60_000;
  const cooldown = options.cooldownMs ?? 5_000;
  const doFetch = options.fetch ?? fetch;
  let keys = new Map<string, KeyObject>();
  let fetchedAt = 0;
  let inflight: Promise<void> | null = null;

  async function fetchDocument(): Promise<JwksDocument> {
    const res = await doFetch(options.url, { signal: AbortSignal.timeout(options.timeoutMs ?? 3000) });
    if (!res.ok) throw new Error(`JWKS at ${options.url} answered ${res.status}`);
    return (await res.json()) as JwksDocument;
  }

  async function load(): Promise<void> {
    const doc = await (options.load ?? fetchDocument)();
    const next = new Map<string, KeyObject>();
    for (const jwk of doc.keys ?? []) {
      // Only Ed25519 keys are accepted: the algorithm is pinned, whatever the document says.
      if (!jwk.kid || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) continue;
      next.set(jwk.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }));
    }
    keys = next;
    fetchedAt = Date.now();
  }

  function refresh(): Promise<void> {
    inflight ??= load().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  return {
    refresh,
    async getKey(kid) {
      const stale = Date.now() - fetchedAt > maxAge;
      if (fetchedAt === 0 || stale)
        await refresh().catch((err) => {
          if (fetchedAt === 0) throw err;
        });
      const found = keys.get(kid);
      if (found || Date.now() - fetchedAt < cooldown) return found;
      await refresh();
      return keys.get(kid);
    },
  };
}

/** Keys held in process (the auth service verifying its own tokens). */
export function localKeys(lookup: (kid: string) => KeyObject | undefined): KeySource {
  return { getKey: async (kid) => lookup(kid) };
}
