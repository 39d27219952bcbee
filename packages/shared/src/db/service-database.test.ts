import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openServiceDatabase } from './service-database.js';

/** A loopback port where nothing listens: one the system gave out, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('openServiceDatabase', () => {
  it('ends the start with one line naming DATABASE_URL and the cause when the server is not there', async () => {
    const port = await closedPort();
    const said: string[] = [];
    const exit = (message: string): never => {
      said.push(message);
      throw new Error('exited');
    };
    await expect(
      openServiceDatabase(
        'auth-service',
        { service: 'auth', dataDir: 'memory://', url: `postgres://ana:s3cret@127.0.0.1:${port}/opsmesh` },
        exit,
      ),
    ).rejects.toThrow('exited');
    expect(said).toEqual([
      `auth-service: cannot use the PostgreSQL database at postgres://ana:***@127.0.0.1:${port}/opsmesh (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:${port}. Start PostgreSQL there or correct DATABASE_URL; left unset, the service keeps an embedded database under OPSMESH_DATA_DIR.`,
    ]);
  });

  it('opens the embedded database without asking anything more', async () => {
    const database = await openServiceDatabase('auth-service', { service: 'auth', dataDir: 'memory://' });
    expect(database.kind).toBe('pglite');
    await database.close();
  });
});
