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

describe('what an error or a nested secret leaves in a log line', () => {
  function capture() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    return { log: createLogger({ service: 'svc', destination: sink }), lines };
  }

  it('redacts secret fields at the top level and two levels down', () => {
    const { log, lines } = capture();
    log.info(
      {
        token: 'top-level-token',
        'x-api-key': 'omk_toplevelkey',
        request: { body: { client_secret: 'nested-secret', new_password: 'nested-password' } },
      },
      'hello',
    );
    expect(lines[0]).not.toMatch(/top-level-token|omk_toplevelkey|nested-secret|nested-password/);
  });

  it('logs an error with its type, message, code and causes but not its other fields, credentials scrubbed', () => {
    const { log, lines } = capture();
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      detail: 'Key (email)=(someone@example.com) already exists.',
      parameters: ['someone@example.com', 'hunter2hunter2'],
    });
    const err = new Error(
      'login for body password=hunter2hunter2 with Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c3IifQ.c2ln failed',
      {
        cause,
      },
    );
    log.error({ err }, 'request failed');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.err.type).toBe('Error');
    expect(line.err.cause.code).toBe('23505');
    expect(line.err.cause.message).toMatch(/unique constraint/);
    expect(lines[0]).not.toMatch(/someone@example.com|hunter2hunter2|eyJzdWIi/);
  });
});
