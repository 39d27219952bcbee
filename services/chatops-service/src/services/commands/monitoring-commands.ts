import type { Alert, Silence } from '@opsmesh/contracts';
import type { HttpClient } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';
import type { Actor, AnyCommand, CommandDefinition } from '../../models/command.js';
import { section } from '../../slack/blocks.js';
import { pickAlerts, pickSilence, shortAlertIds, shortSilenceIds } from './alert-targets.js';
import { matcherText, monitoringApi } from './monitoring-api.js';
import { noDataReason, signalList, signalText, signalValue } from './signal-text.js';

const Service = Type.String({ minLength: 1, maxLength: 100 });
const Window = Type.String({ pattern: '^(\\d+[dhms])+$' });
const DEFAULT_WINDOW = '5m';
const DEFAULT_SILENCE = '1h';

function alertLine(a: Alert, short: string): string {
  const service = a.labels['service'] ? ` · ${a.labels['service']}` : '';
  const muted = a.silencedBy?.length ? ' · silenced' : '';
  const acked = a.acknowledgedBy ? ` · acked by ${a.acknowledgedBy}` : '';
  const summary = a.annotations['summary'] ? ` — ${a.annotations['summary']}` : '';
  return `• \`${short}\` *${a.alertname}* (${a.labels['severity'] ?? 'no severity'}, ${a.state}${service}${muted}${acked})${summary}`;
}

/** metrics and the alerts.* commands, calling the monitoring service as the chat user. */
export function monitoringCommands(client: HttpClient): AnyCommand[] {
  const api = monitoringApi(client);

  const metrics: CommandDefinition<{ service?: string; signal?: string; window?: string }> = {
    intent: 'metrics',
    summary: 'Show a signal of a service over a window',
    usage: 'metrics <service> <signal> [window]',
    example: 'p99 latency of ml-service over the last 30 minutes',
    permission: 'monitoring:read',
    needsLink: true,
    mutating: false,
    params: Type.Object({
      service: Service,
      signal: Type.String({ minLength: 1 }),
      window: Type.Optional(Window),
    }),
    ask: {
      service: 'Of which service? e.g. `p99 latency of ml-service over the last 30 minutes`',
      signal: `Which signal: ${signalList()}?`,
    },
    async run({ actor, params }) {
      const window = params.window ?? DEFAULT_WINDOW;
      const res = await api.signals(actor, window);
      const row = res.services.find((s) => s.service === params.service);
      if (!row) {
        const known = res.services.map((s) => s.service).join(', ');
        return {
          reply: `The monitoring service has no data for ${params.service}. It watches: ${known || 'nothing yet'}.`,
          failed: true,
        };
      }
      const signal = params.signal!;
      const value = (row.signals as Record<string, number | null>)[signal];
      if (value === undefined) {
        return {
          reply: `There is no signal called ${signal}. Try one of: ${signalList(Object.keys(row.signals))}.`,
          failed: true,
        };
      }
      const measured = `${signalText(signal)} of ${params.service} over the last ${window}`;
      if (value === null) {
        // Why there is none, from the monitoring service's view of the service's scrapes.
        const why = await api.services(actor).then(
          (s) =>
            noDataReason(
              signal,
              params.service!,
              window,
              s.services.find((v) => v.name === params.service),
            ),
          () => 'The monitoring service could not say why.',
        );
        const reply = `${measured}: *no data*. ${why}`;
        return { reply, blocks: [section(reply)] };
      }
      const reply = `${measured}: *${signalValue(signal, value)}*`;
      return { reply, blocks: [section(reply)] };
    },
  };

  const list: CommandDefinition<{ service?: string; severity?: string; alert?: string }> = {
    intent: 'alerts.list',
    summary: 'List active alerts',
    usage: 'alerts [service] [severity]',
    example: 'any critical alerts on gateway?',
    permission: 'monitoring:read',
    needsLink: true,
    mutating: false,
    params: Type.Object({
      service: Type.Optional(Service),
      severity: Type.Optional(Type.String()),
      alert: Type.Optional(Type.String()),
      window: Type.Optional(Type.String()),
    }),
    ask: {},
    async run({ actor, params }) {
      const alerts = await api.alerts(actor, { service: params.service });
      const shown = alerts.filter(
        (a) =>
          a.state !== 'resolved' &&
          (!params.alert || a.alertname === params.alert) &&
          (!params.severity || a.labels['severity'] === params.severity),
      );
      if (shown.length === 0) return { reply: 'No active alerts. :white_check_mark:' };
      // Ids as short as they can be while no other active alert shares them; `ack <id>` takes them back.
      const short = shortAlertIds(await active(actor));
      const lines = shown.slice(0, 20).map((a) => alertLine(a, short.get(a.fingerprint) ?? a.fingerprint));
      const reply = `${shown.length} active alert(s):\n${lines.join('\n')}`;
      return { reply, blocks: [section(reply)] };
    },
  };

  /** Every alert not resolved, whatever its service (short ids must be unambiguous among all). */
  async function active(actor: Actor): Promise<Alert[]> {
    return (await api.alerts(actor, {})).filter((a) => a.state !== 'resolved');
  }

  /** The alerts an ack or silence names: by id as typed, else by name, on one service if given. */
  async function target(actor: Actor, p: AlertParams, verb: string) {
    const all = await active(actor);
    return pickAlerts(
      all.filter(
        (a) =>
          (!p.service || a.labels['service'] === p.service) &&
          (!p.severity || a.labels['severity'] === p.severity),
      ),
      p,
      verb,
    );
  }

  /** Before confirming: an id as typed ("3fa9", "12") becomes the one alert it names. */
  async function exactAlert<P extends AlertParams>({ actor, params }: { actor: Actor; params: P }) {
    if (!params.alert_id) return { params };
    const picked = pickAlerts(await active(actor), params, 'ack');
    if (!('alerts' in picked)) return picked;
    const [alert] = picked.alerts;
    return { params: { ...params, alert_id: alert!.fingerprint, alert: alert!.alertname } };
  }

  const ack: CommandDefinition<{
    alert_id?: string;
    alert?: string;
    service?: string;
    severity?: string;
    comment?: string;
  }> = {
    intent: 'alerts.ack',
    summary: 'Acknowledge an alert',
    usage: 'alerts ack <alert id | name> [because ...]',
    example: 'ack 3fa9 because looking into it',
    permission: 'alerts:ack',
    needsLink: true,
    mutating: true,
    params: Type.Object({
      alert_id: Type.Optional(Type.String()),
      alert: Type.Optional(Type.String()),
      service: Type.Optional(Service),
      severity: Type.Optional(Type.String()),
      comment: Type.Optional(Type.String({ maxLength: 1000 })),
    }),
    ask: {},
    need: (p) =>
      p.alert_id || p.alert || p.service || p.severity
        ? undefined
        : 'Which alert? Give its id, its name or a service, e.g. `ack ServiceDown`.',
    // Before confirming: what the ack would pick. None, or only alerts already acknowledged, is
    // answered at once rather than after a confirmation that could change nothing.
    async prepare(ctx) {
      const exact = await exactAlert(ctx);
      if (!('params' in exact)) return exact;
      const picked = await target(ctx.actor, exact.params, 'ack');
      if (!('alerts' in picked)) return picked;
      if (picked.alerts.length === 0)
        return { reply: `No active alert matches ${selection(exact.params)}.`, failed: true };
      if (picked.alerts.some((a) => !a.acknowledgedBy)) return exact;
      const short = shortAlertIds(await active(ctx.actor));
      const acked = picked.alerts.map(
        (a) => `${a.alertname} (${short.get(a.fingerprint) ?? a.fingerprint}) by ${a.acknowledgedBy}`,
      );
      return { reply: `Already acknowledged: ${acked.join(', ')}. Nothing to do.`, failed: true };
    },
    describe: (p) => `acknowledge ${selection(p)}`,
    async run({ actor, params }) {
      const picked = await target(actor, params, 'ack');
      if (!('alerts' in picked)) return picked;
      const { alerts } = picked;
      if (alerts.length === 0)
        return { reply: `No active alert matches ${selection(params)}.`, failed: true };
      for (const a of alerts) await api.ack(actor, a.fingerprint, params.comment);
      const short = shortAlertIds(await active(actor));
      return {
        reply: `Acknowledged ${alerts.length} alert(s): ${alerts.map((a) => `${a.alertname} (${short.get(a.fingerprint) ?? a.fingerprint})`).join(', ')}.`,
      };
    },
  };

  const silence: CommandDefinition<{
    alert_id?: string;
    alert?: string;
    service?: string;
    severity?: string;
    duration?: string;
    comment?: string;
  }> = {
    intent: 'alerts.silence',
    summary: 'Silence alerts for a while',
    usage: 'alerts silence <alert | service> <duration> [because ...]',
    example: 'silence HighErrorRatio on ml-service for 2h because deploy',
    permission: 'alerts:silence',
    needsLink: true,
    mutating: true,
    params: Type.Object({
      alert_id: Type.Optional(Type.String()),
      alert: Type.Optional(Type.String()),
      service: Type.Optional(Service),
      severity: Type.Optional(Type.String()),
      duration: Type.Optional(Window),
      comment: Type.Optional(Type.String({ maxLength: 1000 })),
    }),
    ask: {},
    need: (p) =>
      p.alert_id || p.alert || p.service
        ? undefined
        : 'What should I silence? Name an alert or a service, e.g. `silence ServiceDown for 2h`.',
    prepare: exactAlert,
    describe: (p) =>
      `silence ${[named(p), p.service && `on ${p.service}`, p.severity && `(${p.severity})`].filter(Boolean).join(' ')} for ${p.duration ?? DEFAULT_SILENCE}`,
    async run({ actor, params }) {
      const matchers: string[] = [];
      if (params.alert_id) {
        const picked = await target(actor, { alert_id: params.alert_id }, 'silence');
        if (!('alerts' in picked)) return picked;
        const [alert] = picked.alerts;
        if (!alert) return { reply: `No active alert has id ${params.alert_id}.`, failed: true };
        for (const [name, value] of Object.entries(alert.labels)) matchers.push(matcherText(name, value));
      } else {
        if (params.alert) matchers.push(matcherText('alertname', params.alert));
        if (params.service) matchers.push(matcherText('service', params.service));
        if (params.severity) matchers.push(matcherText('severity', params.severity));
      }
      const duration = params.duration ?? DEFAULT_SILENCE;
      const created = await api.silence(actor, {
        matchers,
        duration,
        comment: params.comment ?? `silenced from chat by ${actor.subject}`,
      });
      const short = shortSilenceIds(await api.silences(actor)).get(created.id) ?? created.id;
      return {
        reply: `Silenced for ${duration} (silence \`${short}\`, until ${created.endsAt}). Undo with \`unsilence ${short}\`.`,
      };
    },
  };

  /** The silences on one alert named by id, as the monitoring service reports them muting it. */
  async function silencesOnAlert(actor: Actor, alertId: string) {
    // A button answers with the alert's id after the word "alert": "/ops alerts unsilence <id>"
    // would read the id as a silence's.
    const picked = pickAlerts(
      await active(actor),
      { alert_id: alertId },
      'unsilence',
      (short) => `unsilence alert ${short}`,
    );
    if (!('alerts' in picked)) return picked;
    const alert = picked.alerts[0]!;
    const live = new Set((await api.silences(actor)).filter((s) => s.state !== 'expired').map((s) => s.id));
    return { alert, ids: alert.silencedBy.filter((id) => live.has(id)) };
  }

  const unsilence: CommandDefinition<{
    silence_id?: string;
    alert_id?: string;
    alert?: string;
    service?: string;
  }> = {
    intent: 'alerts.unsilence',
    summary: 'Remove a silence',
    usage: 'alerts unsilence <silence id | alert name | service | alert <alert id>>',
    example: 'unmute HighErrorRatio',
    permission: 'alerts:silence',
    needsLink: true,
    mutating: true,
    params: Type.Object({
      silence_id: Type.Optional(Type.String()),
      alert_id: Type.Optional(Type.String()),
      alert: Type.Optional(Type.String()),
      service: Type.Optional(Service),
      comment: Type.Optional(Type.String()),
    }),
    ask: {},
    need: (p) =>
      p.silence_id || p.alert_id || p.alert || p.service
        ? undefined
        : 'Which silence? Give its id, the alert name or the service.',
    async prepare({ actor, params }) {
      if (params.alert_id && !params.silence_id) {
        // "unmute alert 7": the silences muting that alert, named before anything is confirmed.
        const found = await silencesOnAlert(actor, params.alert_id);
        if (!('ids' in found)) return found;
        const short = shortAlertIds(await active(actor)).get(found.alert.fingerprint);
        if (found.ids.length === 0)
          return {
            reply: `No active silence covers alert \`${short}\` (${found.alert.alertname}).`,
            failed: true,
          };
        return { params: { ...params, alert_id: found.alert.fingerprint, alert: found.alert.alertname } };
      }
      if (!params.silence_id) {
        // By name: with no active silence covering it there is nothing to confirm; said at once.
        const ids = coveringSilences(await api.silences(actor), params);
        return ids.length > 0
          ? { params }
          : { reply: `No active silence covers ${covered(params)}.`, failed: true };
      }
      const picked = pickSilence(
        (await api.silences(actor)).filter((s) => s.state !== 'expired'),
        params.silence_id,
      );
      return 'silence' in picked ? { params: { ...params, silence_id: picked.silence.id } } : picked;
    },
    describe: (p) =>
      p.silence_id
        ? `remove silence ${p.silence_id}`
        : p.alert_id
          ? `remove the silences on alert ${p.alert_id.slice(0, 8)} (${p.alert})`
          : `remove the silences on ${covered(p)}`,
    async run({ actor, params }) {
      let ids: string[];
      if (params.silence_id) ids = [params.silence_id];
      else if (params.alert_id) {
        const found = await silencesOnAlert(actor, params.alert_id);
        if (!('ids' in found)) return found;
        ids = found.ids;
        if (ids.length === 0)
          return { reply: `No active silence covers alert ${params.alert_id.slice(0, 8)}.`, failed: true };
      } else {
        ids = coveringSilences(await api.silences(actor), params);
        if (ids.length === 0) return { reply: `No active silence covers ${covered(params)}.`, failed: true };
      }
      const short = shortSilenceIds(await api.silences(actor));
      for (const id of ids) await api.unsilence(actor, id);
      return {
        reply: `Removed ${ids.length} silence(s): ${ids.map((id) => short.get(id) ?? id).join(', ')}.`,
      };
    },
  };

  return [metrics, list, ack, silence, unsilence];
}

/** The ids of the active silences on an alert name and/or a service. */
function coveringSilences(silences: readonly Silence[], p: { alert?: string; service?: string }): string[] {
  return silences
    .filter(
      (s) =>
        s.state !== 'expired' &&
        (!p.alert || s.matchers.some((m) => m.name === 'alertname' && m.value === p.alert)) &&
        (!p.service || s.matchers.some((m) => m.name === 'service' && m.value === p.service)),
    )
    .map((s) => s.id);
}

/** What an unsilence by name covers: the alert, the service, or the alert on the service. */
function covered(p: { alert?: string; service?: string }): string {
  return [p.alert, p.service && `${p.alert ? 'on ' : ''}${p.service}`].filter(Boolean).join(' ');
}

interface AlertParams {
  alert_id?: string | undefined;
  alert?: string | undefined;
  service?: string | undefined;
  severity?: string | undefined;
}

/** The alerts a command picks: "ServiceDown on ml-service", "the alerts (critical)". */
function selection(p: AlertParams): string {
  return [named(p), p.service && `on ${p.service}`, p.severity && `(${p.severity})`]
    .filter(Boolean)
    .join(' ');
}

/** An alert as a confirmation names it: "ServiceDown (3fa9c1d2)". */
function named(p: AlertParams): string {
  if (!p.alert_id) return p.alert ?? 'the alerts';
  const id = p.alert_id.slice(0, 8);
  return p.alert ? `${p.alert} (${id})` : `alert ${id}`;
}
