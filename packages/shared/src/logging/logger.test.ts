import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('writes JSON and redacts secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger({ service: 'svc', destination: sink });
    log.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'c=1' } },
        body: { password: 'hunter22222', email: 'a@b' },
      },
      'hello',
    );
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.service).toBe('svc');
    expect(line.level).toBe('info');
    expect(line.req.headers.authorization).toBe('[redacted]');
    expect(line.req.headers.cookie).toBe('[redacted]');
    expect(line.body.password).toBe('[redacted]');
    expect(line.body.email).toBe('a@b');
  });
});
