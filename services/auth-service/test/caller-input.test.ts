import { Writable } from 'node:stream';
import { createDatabase, createLogger, migrate } from '@opsmesh/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createAuthDeps } from '../src/deps.js';
import type { AuthDB } from '../src/models/db.js';
import { ADMIN_EMAIL, testConfig } from './helpers.js';

const PASSWORD = 'hunter2-correct-horse';

/**
 * What a caller sends never comes back in an answer or a log line, and a body in a type its
 * route does not take is a 415 naming the type to send. Every answer here is read with the log
 * lines it caused.
 */
describe('caller input in answers and logs', () => {
  const lines: string[] = [];
  let app: ReturnType<typeof buildApp>;
  beforeAll(async () => {
    const config = testConfig({ LOG_LEVEL: 'info' });
    const database = await createDatabase<AuthDB>({ service: 'auth', dataDir: 'memory://' });
    await migrate(database.db, new URL('../migrations', import.meta.url));
    const deps = await createAuthDeps(config, database);
    await deps.users.bootstrapAdmin(config.OPSMESH_ADMIN_EMAIL, config.OPSMESH_ADMIN_PASSWORD);
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = createLogger({ service: 'auth-service', destination: sink });
    app = buildApp(config, deps, { processMetrics: false, logger });
    await app.ready();
  });
  afterAll(() => app?.close());

  async function send(
    url: string,
    contentType: string,
    payload: string,
    headers: Record<string, string> = {},
  ) {
    lines.length = 0;
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': contentType, ...headers },
      payload,
    });
    return { res, logged: lines.join('') };
  }

  it("answers a login posted with curl's default form type 415 naming application/json, quoting nothing", async () => {
    const body = JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD });
    const { res, logged } = await send('/login', 'application/x-www-form-urlencoded', body);
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(res.json().detail).toMatch(/send application\/json/);
    expect(res.body).not.toContain(PASSWORD);
    expect(logged).toContain('request rejected');
    expect(logged).not.toContain(PASSWORD);
  });

  it('answers 415 for text/plain and for a body with no content type', async () => {
    expect((await send('/login', 'text/plain', `password=${PASSWORD}`)).res.statusCode).toBe(415);
    lines.length = 0;
    const bare = await app.inject({
      method: 'POST',
      url: '/login',
      payload: Buffer.from(`{"password":"${PASSWORD}"}`),
    });
    expect(bare.statusCode).toBe(415);
    expect(bare.body).not.toContain(PASSWORD);
  });

  it('still takes OAuth forms on /token, and JSON with a charset on /login', async () => {
    const form = await send(
      '/token',
      'application/x-www-form-urlencoded',
      'grant_type=client_credentials&client_id=x&client_secret=y',
    );
    expect(form.res.statusCode).toBe(401);
    const json = await send(
      '/login',
      'application/json; charset=utf-8',
      JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD }),
    );
    expect(json.res.statusCode).toBe(401);
  });

  it('never repeats a body value in a validation error, nor in its log line', async () => {
    const cases = [
      // An unknown field whose name is a secret: not repeated.
      JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD, [PASSWORD]: 1 }),
      // A wrong type, a too-long password, broken JSON.
      JSON.stringify({ email: ADMIN_EMAIL, password: { value: PASSWORD } }),
      JSON.stringify({ email: ADMIN_EMAIL, password: PASSWORD.repeat(20) }),
      `{"email":"${ADMIN_EMAIL}","password":"${PASSWORD}"`,
      `{"email":"${ADMIN_EMAIL}","password":${PASSWORD}}`,
    ];
    for (const payload of cases) {
      const { res, logged } = await send('/login', 'application/json', payload);
      expect(res.statusCode, payload).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain(PASSWORD);
      expect(logged).not.toContain(PASSWORD);
    }
  });

  it('names a mistyped field and suggests the right one', async () => {
    const { res } = await send(
      '/login',
      'application/json',
      JSON.stringify({ emial: ADMIN_EMAIL, password: PASSWORD }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/body\.emial is not an accepted field; did you mean "email"/);
  });

  it('answers malformed Basic client credentials on /token with 401, not 500', async () => {
    const malformed = [
      `Basic ${Buffer.from('%E0%A4%A:x').toString('base64')}`,
      `Basic ${Buffer.from('id:%ZZ').toString('base64')}`,
      'Basic !!!notbase64',
      `Basic ${Buffer.from([0xff, 0x3a, 0x41]).toString('base64')}`,
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      'Basic',
    ];
    for (const authorization of malformed) {
      const { res, logged } = await send(
        '/token',
        'application/x-www-form-urlencoded',
        'grant_type=client_credentials',
        {
          authorization,
        },
      );
      expect(res.statusCode, authorization).toBe(401);
      expect(res.json().code).toBe('AUTH_MALFORMED_CLIENT_AUTH');
      expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      expect(res.body).not.toContain('%E0');
      expect(logged).not.toContain('%E0');
    }
  });
});
