import type { Alert, ServicesResponse } from '@opsmesh/contracts';
import type { Group } from '../command.js';
import { formatPercent, table } from '../output.js';

type ServiceView = ServicesResponse['services'][number];

/** One word for a service's state now: every replica ready, some, none, or still starting. */
export function serviceState(s: ServiceView): string {
  const { total, ready } = s.replicas;
  if (total === 0) return 'not found';
  if (ready === total) return 'ready';
  if (s.instances.some((i) => i.alertsHeldUntil)) return 'starting';
  return ready === 0 ? 'down' : 'degraded';
}

export const status: Group = {
  summary: 'the platform at a glance',
  commands: {
    status: {
      usage: '',
      summary:
        'Each service with its replicas ready and its availability (as the monitoring service sees them), and the alerts firing.',
      async run(ctx) {
        const api = ctx.api();
        const [services, alerts] = await Promise.all([
          api.request<ServicesResponse>('GET', '/api/monitoring/services'),
          api.request<{ alerts: Alert[] }>('GET', '/api/monitoring/alerts', { query: { state: 'firing' } }),
        ]);
        const firing = alerts.alerts.filter((a) => a.state === 'firing');
        ctx.out.result({ host: ctx.host, ...services, firing: firing.length }, () =>
          [
            `opsmesh at ${ctx.host}`,
            table(services.services, [
              { header: 'service', cell: (s) => s.name },
              { header: 'state', cell: serviceState },
              { header: 'ready', cell: (s) => `${s.replicas.ready}/${s.replicas.total}` },
              { header: `availability (${services.window})`, cell: (s) => formatPercent(s.availability) },
            ]),
            firing.length
              ? `${firing.length} alert${firing.length === 1 ? '' : 's'} firing: opsmesh alerts list`
              : 'No alerts firing.',
          ].join('\n'),
        );
      },
    },
  },
};
