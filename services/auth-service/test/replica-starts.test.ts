import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, type Database, migrate } from '@opsmesh/shared';
import { replicaDatabases, testDatabaseTargets } from '@opsmesh/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthDeps } from '../src/deps.js';
import type { AuthDB } from '../src/models/db.js';
import { createSigningKeyRepository } from '../src/models/signing-key.js';
import { createJwtService } from '../src/services/jwt-service.js';
import { testConfig } from './helpers.js';

/**
 * Replicas starting at the same moment on one fresh PostgreSQL, many times over: each start step
 * must leave the state one replica alone would have left.
 */

const [, postgres] = await testDatabaseTargets();
const REPLICAS = 3;
const ROUNDS = 25;

const kidOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe.skipIf(postgres!.skipReason)('auth replicas starting together', () => {
  let databases: Database<AuthDB>[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ databases, close } = await replicaDatabases<AuthDB>(
      REPLICAS,
      new URL('../migrations', import.meta.url),
    ));
  });
  afterAll(() => close?.());

  const jwtServices = () =>
    databases.map((d) =>
      createJwtService({ keys: createSigningKeyRepository(d.db), issuer: 'opsmesh', audience: 'opsmesh' }),
    );
  const activeKeys = async () =>
    (
      await databases[0]!.db
        .selectFrom('signing_keys')
        .select('kid')
        .where('retired_at', 'is', null)
        .execute()
    ).map((r) => r.kid);

  it('creates one signing key on a fresh database, and every replica signs with it', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      await databases[0]!.db.deleteFrom('signing_keys').execute();
      const services = jwtServices();
      await Promise.all(services.map((s) => s.init()));
      const active = await activeKeys();
      expect(active, `round ${round}`).toHaveLength(1);
      const kids = await Promise.all(
        services.map(async (s) => kidOf((await s.sign({ sub: 'u', roles: [] })).token)),
      );
      expect(new Set(kids), `round ${round}`).toEqual(new Set(active));
    }
  });

  it('leaves one active key when replicas rotate at the same moment', async () => {
    const services = jwtServices();
    await Promise.all(services.map((s) => s.init()));
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(services.map((s) => s.rotate()));
      const active = await activeKeys();
      expect(active, `round ${round}`).toHaveLength(1);
      // The last rotation to commit holds the active key; every other one's key was retired by it.
      expect(results.map((r) => r.kid)).toContain(active[0]);
    }
  });

  it('creates the bootstrap admin once, and only that replica prints a password', async () => {
    const config = testConfig({ OPSMESH_ADMIN_PASSWORD: '' });
    const replicas = await Promise.all(databases.map((d) => createAuthDeps(config, d)));
    for (let round = 0; round < 8; round++) {
      await databases[0]!.db.deleteFrom('users').execute();
      const made = await Promise.all(
        replicas.map((r) => r.users.bootstrapAdmin(config.OPSMESH_ADMIN_EMAIL, undefined)),
      );
      const printed = made.filter((m) => m?.password);
      expect(printed, `round ${round}`).toHaveLength(1);
      const users = await databases[0]!.db.selectFrom('users').select('email').execute();
      expect(users, `round ${round}`).toHaveLength(1);
      // The password printed is the one that logs in, on any replica.
      const login = await replicas[round % REPLICAS]!.sessions.login(
        config.OPSMESH_ADMIN_EMAIL,
        printed[0]!.password!,
        { ip: '127.0.0.1', userAgent: 'test' },
      );
      expect(login, `round ${round}`).toBeTruthy();
    }
  });

  it('retires the extra active keys an earlier double start left, keeping the newest', async () => {
    const target = await postgres!.create();
    const database = await createDatabase<AuthDB>({
      service: 'auth',
      dataDir: target.dataDir,
      url: target.url,
    });
    const migrations = fileURLToPath(new URL('../migrations', import.meta.url));
    const before = mkdtempSync(join(tmpdir(), 'auth-migrations-'));
    try {
      for (const file of ['001_init.sql', '002_shared_state.sql'])
        cpSync(join(migrations, file), join(before, file));
      await migrate(database.db, before);
      const key = (kid: string, at: string) => ({
        kid,
        private_key: 'unused',
        public_jwk: '{}',
        created_at: new Date(at),
      });
      await database.db
        .insertInto('signing_keys')
        .values([key('old', '2026-01-01T00:00:00Z'), key('new', '2026-01-02T00:00:00Z')])
        .execute();
      await migrate(database.db, migrations);
      const active = await database.db
        .selectFrom('signing_keys')
        .select('kid')
        .where('retired_at', 'is', null)
        .execute();
      expect(active).toEqual([{ kid: 'new' }]);
    } finally {
      rmSync(before, { recursive: true, force: true });
      await database.close();
      await target.drop();
    }
  });
});
