import type { Discovery, HttpClient } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { CommandDefinition } from '../../models/command.js';
import { fields, section } from '../../slack/blocks.js';

/** A health client per service, made on demand (the kit's client for that service name). */
export type HealthClients = (service: string) => HttpClient;

interface Ready {
  status?: string;
  checks?: { name: string; status: string; error?: string }[];
}

/**
 * `status`: every service's `/health/ready`, asked directly (no token needed), so it still answers
 * when the monitoring service itself is down.
 */
export function statusCommand(
  discovery: Discovery,
  clients: HealthClients,
): CommandDefinition<{ service?: string }> {
  return {
    intent: 'status',
    summary: 'Show service health',
    usage: 'status [service]',
    example: 'is ml-service up?',
    permission: 'monitoring:read',
    needsLink: true,
    mutating: false,
    params: Type.Object({ service: Type.Optional(Type.String({ maxLength: 100 })) }),
    ask: {},
    async run({ actor, params }) {
      const known = Object.keys(await discovery.services()).sort();
      if (params.service && !known.includes(params.service)) {
        return {
          reply: `I do not know a service called ${params.service}. Known: ${known.join(', ')}.`,
          failed: true,
        };
      }
      const names = params.service ? [params.service] : known;
      const results = await Promise.all(
        names.map(async (name) => {
          const res = await clients(name).request<Ready>({
            path: '/health/ready',
            timeoutMs: 1500,
            ...(actor.requestId ? { requestId: actor.requestId } : {}),
          });
          if (res.ok) return { name, up: true, note: 'ready' };
          const body = res.error.problem as Ready | undefined;
          const failing = body?.checks?.filter((c) => c.status !== 'ok').map((c) => c.name);
          const note =
            res.error.kind === 'problem' || res.error.status === 503
              ? `not ready${failing?.length ? ` (${failing.join(', ')})` : ''}`
              : res.error.kind === 'timeout'
                ? 'not answering (timeout)'
                : 'down (unreachable)';
          return { name, up: false, note };
        }),
      );
      const up = results.filter((r) => r.up).length;
      const lines = results.map(
        (r) => `${r.up ? ':large_green_circle:' : ':red_circle:'} ${r.name}: ${r.note}`,
      );
      const reply = `${up}/${results.length} service(s) ready.\n${lines.join('\n')}`;
      return {
        reply,
        blocks: [
          section(`*${up}/${results.length} service(s) ready*`),
          fields(
            results.map(
              (r) => [r.name, `${r.up ? ':large_green_circle:' : ':red_circle:'} ${r.note}`] as const,
            ),
          ),
        ],
      };
    },
  };
}
