import type { Alert, Silence } from '@opsmesh/contracts';
import { SILENCE_PAGE_MAX } from '@opsmesh/contracts/paging';
import { CliError, EXIT, usageError } from '../cli-error.js';
import type { Context, Group } from '../command.js';
import { str } from '../command.js';
import { ago, formatNumber, table } from '../output.js';
import { peopleOf } from '../people.js';

const FINGERPRINT = /^[0-9a-f]{16}$/;
const STATE_ORDER = { firing: 0, pending: 1, resolved: 2 } as const;
const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/** Firing first, then pending, then resolved; within each, critical first, then the oldest. */
export function triage(alerts: Alert[]): Alert[] {
  return [...alerts].sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (SEVERITY_ORDER[a.labels['severity'] ?? ''] ?? 3) - (SEVERITY_ORDER[b.labels['severity'] ?? ''] ?? 3) ||
      Date.parse(a.activeAt) - Date.parse(b.activeAt),
  );
}

/** A matcher for one label, quoted as the monitoring service parses it. */
function exactMatcher(name: string, value: string): string {
  return `${name}="${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n')}"`;
}

async function listAlerts(ctx: Context, query: Record<string, string | undefined> = {}): Promise<Alert[]> {
  return (await ctx.api().request<{ alerts: Alert[] }>('GET', '/api/monitoring/alerts', { query })).alerts;
}

async function findAlert(ctx: Context, fingerprint: string): Promise<Alert> {
  const alert = (await listAlerts(ctx)).find((a) => a.fingerprint === fingerprint);
  if (!alert)
    throw new CliError(
      `No alert with the fingerprint ${fingerprint}; see opsmesh alerts list.`,
      EXIT.notFound,
    );
  return alert;
}

function silenceRows(silences: Silence[], who: (id: string) => string): string {
  if (!silences.length) return 'No silences.';
  return table(silences, [
    { header: 'id', cell: (s) => s.id },
    { header: 'state', cell: (s) => s.state },
    { header: 'matchers', cell: (s) => s.matchers.map((m) => `${m.name}${m.op}"${m.value}"`).join(',') },
    { header: 'ends', cell: (s) => ago(s.endsAt) },
    { header: 'by', cell: (s) => who(s.createdBy) },
    { header: 'comment', cell: (s) => s.comment },
  ]);
}

export const alerts: Group = {
  summary: 'alerts and silences',
  commands: {
    list: {
      usage: '[--state firing|pending|resolved] [--service <name>]',
      summary: 'List alerts, firing first and critical first.',
      options: { state: { type: 'string' }, service: { type: 'string' } },
      async run(ctx, values) {
        const items = triage(
          await listAlerts(ctx, { state: str(values, 'state'), service: str(values, 'service') }),
        );
        const who = await peopleOf(
          ctx,
          items.map((a) => a.acknowledgedBy),
        );
        ctx.out.result({ alerts: items }, () =>
          items.length
            ? table(items, [
                { header: 'state', cell: (a) => a.state },
                { header: 'severity', cell: (a) => a.labels['severity'] ?? '-' },
                { header: 'alert', cell: (a) => a.alertname },
                { header: 'service', cell: (a) => a.labels['service'] ?? '-' },
                { header: 'value', cell: (a) => formatNumber(a.value) },
                { header: 'since', cell: (a) => ago(a.firedAt ?? a.activeAt) },
                {
                  header: 'handled',
                  cell: (a) =>
                    [
                      a.acknowledgedBy ? `acked by ${who(a.acknowledgedBy)}` : '',
                      a.silencedBy.length ? 'silenced' : '',
                    ]
                      .filter(Boolean)
                      .join(',') || '-',
                },
                { header: 'fingerprint', cell: (a) => a.fingerprint },
              ])
            : 'No alerts.',
        );
      },
    },
    ack: {
      usage: '<fingerprint> [--comment <text>]',
      summary: 'Acknowledge an alert (who and when are recorded).',
      positionals: [1, 1],
      options: { comment: { type: 'string' } },
      async run(ctx, values, [fingerprint]) {
        if (!FINGERPRINT.test(fingerprint!))
          throw usageError(`"${fingerprint}" is not an alert fingerprint (16 hex digits).`);
        const comment = str(values, 'comment');
        const a = await ctx.api().request<Alert>('POST', `/api/monitoring/alerts/${fingerprint}/ack`, {
          body: comment ? { comment } : {},
        });
        ctx.out.result(a, () => `Acknowledged ${a.alertname} (${a.fingerprint}).`);
      },
    },
    silence: {
      usage: '(<fingerprint> | <matcher>...) [--duration 1h] [--comment <text>]',
      summary:
        'Silence one alert (by fingerprint: all its labels) or whatever matches label matchers such as alertname=ServiceDown service=~"auth.*".',
      positionals: [1, 32],
      options: { duration: { type: 'string' }, comment: { type: 'string' } },
      async run(ctx, values, args) {
        let matchers = args;
        if (args.length === 1 && FINGERPRINT.test(args[0]!)) {
          const alert = await findAlert(ctx, args[0]!);
          matchers = Object.entries(alert.labels).map(([k, v]) => exactMatcher(k, v));
        }
        const s = await ctx.api().request<Silence>('POST', '/api/monitoring/silences', {
          body: {
            matchers,
            duration: str(values, 'duration') ?? '1h',
            comment: str(values, 'comment') ?? 'Silenced from the command line',
          },
        });
        ctx.out.result(
          s,
          () => `Silence ${s.id} is ${s.state} until ${s.endsAt}.\nLift it: opsmesh alerts unsilence ${s.id}`,
        );
      },
    },
    unsilence: {
      usage: '<silence id | fingerprint>',
      summary: 'Expire a silence now; given an alert fingerprint, every silence holding that alert.',
      positionals: [1, 1],
      async run(ctx, _values, [target]) {
        const ids = FINGERPRINT.test(target!) ? (await findAlert(ctx, target!)).silencedBy : [target!];
        if (!ids.length) throw new CliError(`Alert ${target} is not silenced.`, EXIT.notFound);
        const expired: Silence[] = [];
        for (const id of ids) {
          expired.push(
            await ctx.api().request<Silence>('DELETE', `/api/monitoring/silences/${encodeURIComponent(id)}`),
          );
        }
        ctx.out.result({ silences: expired }, () => `Expired ${expired.map((s) => s.id).join(', ')}.`);
      },
    },
    silences: {
      usage: '[--state pending|active|expired]',
      summary: 'List silences (expired ones for a week).',
      options: { state: { type: 'string' } },
      async run(ctx, values) {
        const silences = await ctx.api().requestAll<Silence>('/api/monitoring/silences', 'silences', {
          query: { state: str(values, 'state'), limit: SILENCE_PAGE_MAX },
        });
        const body = { silences };
        const who = await peopleOf(
          ctx,
          body.silences.map((s) => s.createdBy),
        );
        ctx.out.result(body, () => silenceRows(body.silences, who));
      },
    },
  },
};
