import { describe, expect, it } from 'vitest';
import { chooseLogFormat, readableLine, Terminal } from './terminal.js';

const at = () => new Date('2026-01-02T03:04:05Z');

function terminal(format: 'json' | 'pretty', colour = false) {
  const out: string[] = [];
  const t = new Terminal({ format, colour, write: (text) => out.push(text), now: at });
  return { t, out };
}

describe('chooseLogFormat', () => {
  it('is readable on a terminal, JSON elsewhere, and LOG_FORMAT wins', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('the readable view', () => {
  it("leaves out one line per request, refused requests, debug lines and Fastify's listening line", () => {
    const { t, out } = terminal('pretty');
    const lines = [
      { level: 'info', msg: 'request completed', method: 'GET', url: '/x', statusCode: 200 },
      { level: 'info', msg: 'request completed', method: 'GET', url: '/x', statusCode: 404 },
      { level: 'info', msg: 'request rejected', code: 'AUTH_INVALID_CREDENTIALS' },
      { level: 'debug', msg: 'cache miss' },
      { level: 20, msg: 'cache miss' },
      { level: 'info', msg: 'Server listening at http://127.0.0.1:8081' },
    ];
    for (const line of lines) t.child('auth-service', JSON.stringify(line));
    expect(out).toEqual([]);
  });

  it('shows a failed request, warnings and errors with their cause, and events with their subject', () => {
    const { t, out } = terminal('pretty');
    t.child(
      'ml-service',
      JSON.stringify({
        level: 'info',
        msg: 'request completed',
        method: 'POST',
        url: '/v2/x',
        statusCode: 500,
        requestId: 'req_1',
      }),
    );
    t.child(
      'gateway',
      JSON.stringify({
        level: 40,
        msg: 'auth revocation feed unreachable; retrying',
        err: { message: 'ECONNREFUSED' },
      }),
    );
    t.child(
      'auth-service',
      JSON.stringify({ level: 'info', msg: 'migration applied', migration: '001_init.sql', pid: 1 }),
    );
    t.child('auth-service', 'TypeError: boom');
    t.child(
      'monitoring-service',
      JSON.stringify({
        level: 'warn',
        msg: 'alert firing',
        alertname: 'ServiceDown',
        severity: 'critical',
        alertService: 'gateway',
        fingerprint: 'f',
      }),
    );
    const time = at().toTimeString().slice(0, 8);
    expect(out).toEqual([
      `${time} ml-service         error: POST /v2/x answered 500 (request req_1)\n`,
      `${time} gateway            warn: auth revocation feed unreachable; retrying (ECONNREFUSED)\n`,
      `${time} auth-service       migration applied (migration=001_init.sql)\n`,
      `${time} auth-service       TypeError: boom\n`,
      `${time} monitoring-service warn: alert firing (alertname=ServiceDown, severity=critical, alertService=gateway)\n`,
    ]);
  });

  it('colours the service, warnings, errors and readiness when asked to', () => {
    const { t, out } = terminal('pretty', true);
    t.event('auth-service ready at http://127.0.0.1:8081', 'info', 'auth-service');
    t.event('auth-service exited (code 1); restarting in 500 ms', 'warn', 'auth-service');
    expect(out[0]).toContain('\u001b[32mauth-service ready at http://127.0.0.1:8081\u001b[39m');
    expect(out[1]).toContain('\u001b[33mwarn: auth-service exited');
    expect(out[0]).toContain('\u001b[36mauth-service');
  });

  it('keeps fields it does not show out of the line', () => {
    expect(
      readableLine({ level: 'info', msg: 'model loaded', model: 'iris', pid: 3, hostname: 'h' }),
    ).toEqual({
      level: 'info',
      message: 'model loaded (model=iris)',
    });
  });
});

describe('JSON mode', () => {
  it('passes every child line on as it is, wraps plain text, and writes its own events as JSON', () => {
    const { t, out } = terminal('json');
    const request = JSON.stringify({ level: 'info', msg: 'request completed', statusCode: 200 });
    t.child('auth-service', request);
    t.child('auth-service', 'TypeError: boom');
    t.event('auth-service ready at http://127.0.0.1:8081', 'info', 'auth-service');
    expect(out[0]).toBe(`${request}\n`);
    expect(JSON.parse(out[1]!)).toEqual({
      level: 'warn',
      time: '2026-01-02T03:04:05.000Z',
      service: 'auth-service',
      msg: 'TypeError: boom',
      text: true,
    });
    expect(JSON.parse(out[2]!)).toEqual({
      level: 'info',
      time: '2026-01-02T03:04:05.000Z',
      service: 'supervisor',
      subject: 'auth-service',
      msg: 'auth-service ready at http://127.0.0.1:8081',
    });
  });
});
