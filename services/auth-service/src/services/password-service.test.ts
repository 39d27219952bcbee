import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS_FILE } from '../deps.js';
import { createPasswordService, loadCommonPasswords } from './password-service.js';

describe('password service', () => {
  const passwords = createPasswordService({ commonPasswords: loadCommonPasswords(COMMON_PASSWORDS_FILE) });

  it('hashes with argon2id at OWASP parameters and verifies', async () => {
    const hash = await passwords.hash('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(hash, 'correct horse battery')).toBe(true);
    expect(await passwords.verify(hash, 'correct horse batterx')).toBe(false);
    expect(await passwords.verify('not a hash', 'x')).toBe(false);
  });

  it('refuses short, long, common and dressed-up common passwords', () => {
    expect(passwords.policyViolation('short')).toMatch(/at least 12/);
    expect(passwords.policyViolation('x'.repeat(129))).toMatch(/at most 128/);
    expect(passwords.policyViolation('baseball1234')).toMatch(/too common/);
    expect(passwords.policyViolation('!!football2024!!')).toMatch(/too common/);
    expect(passwords.policyViolation('abcabcabcabc')).toMatch(/too common/);
    expect(passwords.policyViolation('qwertyuiopas')).toMatch(/too common/);
    expect(passwords.policyViolation('jane.doe-rocks-42', { email: 'jane.doe@x.io' })).toMatch(/email/);
    expect(passwords.policyViolation('vivid tangerine moonlight')).toBeNull();
  });
});
