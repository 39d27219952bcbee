import type { ServicesResponse } from '@opsmesh/contracts';
import { describe, expect, it } from 'vitest';
import type { Context } from '../command.js';
import { createOutput } from '../output.js';
import { status } from './status.js';

function service(name: string, availability: number | null): ServicesResponse['services'][number] {
  return { name, instances: [], availability, replicas: { total: 1, up: 1, ready: 1 } };
}

async function statusText(services: ServicesResponse['services']): Promise<string> {
  let written = '';
  const stdout = { write: (t: string) => (written += t) } as never;
  const responses: Record<string, unknown> = {
    '/api/monitoring/services': { window: '1h', services },
    '/api/monitoring/alerts': { alerts: [] },
  };
  const ctx = {
    out: createOutput(false, stdout, stdout),
    host: 'http://gateway.test',
    api: () => ({ request: async (_method: string, path: string) => responses[path] }),
  } as unknown as Context;
  await status.commands['status']!.run(ctx, {}, []);
  return written;
}

describe('opsmesh status', () => {
  it('writes every availability in one percent format, a dash where there is none', async () => {
    const text = await statusText([
      service('auth', 1),
      service('gateway', 0.9),
      service('ml', 0.99912),
      service('chatops', 0.5),
      service('monitoring', null),
    ]);
    const availability = Object.fromEntries(
      text
        .split('\n')
        .slice(2, 7)
        .map((line) => {
          const cells = line.split(/\s{2,}/);
          return [cells[0], cells.at(-1)];
        }),
    );
    expect(availability).toEqual({
      auth: '100%',
      gateway: '90%',
      ml: '99.91%',
      chatops: '50%',
      monitoring: '-',
    });
  });
});
