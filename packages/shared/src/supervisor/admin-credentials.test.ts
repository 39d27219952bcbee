import { describe, expect, it } from 'vitest';
import { AdminCredentialsReader, formatAdminCredentials } from './admin-credentials.js';

describe('admin credentials between the auth service and the supervisor', () => {
  it('takes exactly the lines the auth service writes, and nothing else', () => {
    const reader = new AdminCredentialsReader();
    const lines = [
      '{"level":"info","msg":"bootstrap admin created"}',
      ...formatAdminCredentials({ email: 'a@b.test', password: 'p4ss: with colon' }).split('\n'),
      '{"level":"info","msg":"Server listening"}',
    ];
    const passed = lines.filter((l) => !reader.take(l));
    expect(passed).toEqual([
      '{"level":"info","msg":"bootstrap admin created"}',
      '',
      '',
      '',
      '{"level":"info","msg":"Server listening"}',
    ]);
    expect(reader.credentials).toEqual({ email: 'a@b.test', password: 'p4ss: with colon' });
  });

  it('takes no password without the admin line before it', () => {
    const reader = new AdminCredentialsReader();
    expect(reader.take('  Password (shown once): orphan')).toBe(false);
    expect(reader.credentials).toBeNull();
  });
});
