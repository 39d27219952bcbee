import { createDatabase, migrate } from '@opsmesh/shared';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfirmationRepository, createConfirmationRepository } from './confirmation-repository.js';
import type { ChatopsDatabase } from './db.js';

let database: Awaited<ReturnType<typeof createDatabase<ChatopsDatabase>>>;
let repo: ConfirmationRepository;

beforeAll(async () => {
  database = await createDatabase<ChatopsDatabase>({ service: 'chatops', dataDir: 'memory://' });
  await migrate(database.db as unknown as Kysely<unknown>, new URL('../../migrations', import.meta.url));
  repo = createConfirmationRepository(database.db);
});

afterAll(async () => {
  await database?.close();
});

const pending = (code: string, actor: string) => ({
  code,
  actor,
  chatUser: null,
  source: 'api' as const,
  channel: null,
  intent: 'alerts.silence',
  parameters: { service: 'monitoring-service', duration: '1h' },
  text: 'silence monitoring alerts for 1h',
  responseUrl: null,
  expiresAt: new Date(Date.now() + 300_000),
});

describe('confirmation repository', () => {
  it('never takes a pending change out for anyone but its requester, not even for a moment', async () => {
    await repo.create(pending('CODE1', 'usr_owner'));
    expect(await repo.take('CODE1', 'usr_other')).toEqual({ kind: 'others' });
    expect(await repo.take('CODE1', null)).toEqual({ kind: 'others' });
    // Nothing was taken out to be put back: the row is still the owner's, untouched.
    expect(await repo.pendingFor('usr_owner', new Date())).toEqual([
      { code: 'CODE1', text: 'silence monitoring alerts for 1h' },
    ]);
    const taken = await repo.take('CODE1', 'usr_owner');
    expect(taken).toMatchObject({ kind: 'taken', pending: { code: 'CODE1', actor: 'usr_owner' } });
    expect(await repo.take('CODE1', 'usr_owner')).toEqual({ kind: 'none' });
    expect(await repo.take('CODE1', 'usr_other')).toEqual({ kind: 'none' });
  });

  it('gives the requester their change however many others send its code at the same time', async () => {
    await repo.create(pending('CODE2', 'usr_owner'));
    const others = () => repo.take('CODE2', 'usr_other');
    const all = await Promise.all([
      ...Array.from({ length: 10 }, others),
      repo.take('CODE2', 'usr_owner'),
      ...Array.from({ length: 10 }, others),
    ]);
    expect(all[10]).toMatchObject({ kind: 'taken', pending: { code: 'CODE2' } });
    for (const other of [...all.slice(0, 10), ...all.slice(11)]) expect(other.kind).not.toBe('taken');
  });
});
