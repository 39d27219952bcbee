import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from './cli-error.js';
import { askUntilGiven } from './prompt.js';

describe('askUntilGiven', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks again after Enter alone, with a sentence, and returns the first answer given', async () => {
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const answers = ['', '', 'ada@example.com'];
    const asked: string[] = [];
    const value = await askUntilGiven(
      async (q) => {
        asked.push(q);
        return answers.shift()!;
      },
      'Email: ',
      'email',
      '--email',
    );
    expect(value).toBe('ada@example.com');
    expect(asked).toEqual(['Email: ', 'Email: ', 'Email: ']);
    expect(written.mock.calls.map((c) => String(c[0]))).toEqual([
      'The email is needed; type it, or press Ctrl-C to stop.\n',
      'The email is needed; type it, or press Ctrl-C to stop.\n',
    ]);
  });

  it('gives up after the tries with a usage error naming the option', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let calls = 0;
    const asking = askUntilGiven(
      async () => {
        calls++;
        return '';
      },
      'Password: ',
      'password',
      '--password-stdin',
    );
    await expect(asking).rejects.toMatchObject({
      message: 'No password given after 3 tries; give it with --password-stdin.',
      exitCode: EXIT.usage,
    });
    expect(calls).toBe(3);
  });
});
