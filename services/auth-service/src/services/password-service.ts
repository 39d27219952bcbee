import { readFileSync } from 'node:fs';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';

/** The library's `Algorithm.Argon2id`, a const enum that cannot be imported under isolated modules. */
const ARGON2ID = 2;

/** OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane. */
export const ARGON2_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 128;

/** A read-only word list: only membership is ever asked. */
export interface WordList {
  has(word: string): boolean;
}

/**
 * The common-password list as one sorted string and the offsets of its words, searched by
 * bisection: some 110 kB for 10,000 words, where a Set of them holds about a megabyte of strings
 * and hash table for the life of the process.
 */
export function loadCommonPasswords(path: URL | string): WordList {
  const words = [
    ...new Set(
      readFileSync(path, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')),
    ),
  ].sort();
  const starts = new Uint32Array(words.length + 1);
  for (let i = 0, at = 0; i < words.length; i++) {
    starts[i] = at;
    at += words[i]!.length;
    starts[i + 1] = at;
  }
  const count = words.length;
  const joined = words.join('');
  const wordAt = (i: number) => joined.slice(starts[i], starts[i + 1]);
  return {
    has(word: string): boolean {
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const at = wordAt(mid);
        if (at === word) return true;
        if (at < word) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
  };
}

/**
 * Hashes and verifies passwords with argon2id, and applies the password policy: 12 to 128
 * characters taken whole, not a common password (nor one dressed up with digits or repetition).
 */
export function createPasswordService(options: {
  commonPasswords: WordList;
  params?: Partial<typeof ARGON2_PARAMS>;
}) {
  const params = { ...ARGON2_PARAMS, ...options.params };
  // Verified against when the account does not exist, so a login takes the same time either way.
  let dummy: Promise<string> | null = null;

  function isCommon(password: string): boolean {
    const lower = password.toLowerCase();
    if (options.commonPasswords.has(lower)) return true;
    // "password1234!", "!!qwerty2024": a common word with digits or symbols around it.
    const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
    if (core.length >= 4 && options.commonPasswords.has(core)) return true;
    // One short unit repeated ("abcabcabcabc", "111111111111").
    if (/^(.{1,4})\1+$/.test(lower)) return true;
    // A plain run of the keyboard or the digits.
    const runs = [
      '01234567890123456789',
      'abcdefghijklmnopqrstuvwxyz',
      'qwertyuiopasdfghjklzxcvbnm',
      '1qaz2wsx3edc4rfv5tgb',
    ];
    return runs.some((run) => run.includes(lower) || run.split('').reverse().join('').includes(lower));
  }

  return {
    hash: (password: string) => argon2Hash(password, params),

    async verify(hash: string, password: string): Promise<boolean> {
      try {
        return await argon2Verify(hash, password);
      } catch {
        return false;
      }
    },

    /** Spends the same work as a real verification, for unknown accounts. */
    async verifyDummy(password: string): Promise<false> {
      dummy ??= argon2Hash('opsmesh-timing-equaliser', params);
      await argon2Verify(await dummy, password).catch(() => false);
      return false;
    },

    /** The reason a password is refused, or null when it is acceptable. */
    policyViolation(password: string, context: { email?: string; displayName?: string } = {}): string | null {
      const length = [...password].length;
      if (length < MIN_PASSWORD_LENGTH)
        return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
      if (length > MAX_PASSWORD_LENGTH)
        return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
      if (isCommon(password))
        return 'This password is too common; choose a longer passphrase of unrelated words.';
      const lower = password.toLowerCase();
      const local = context.email?.split('@')[0]?.toLowerCase();
      if (local && local.length >= 4 && lower.includes(local))
        return 'The password must not contain your email name.';
      return null;
    },
  };
}
export type PasswordService = ReturnType<typeof createPasswordService>;
