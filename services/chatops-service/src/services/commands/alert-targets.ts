import type { Alert, Silence } from '@opsmesh/contracts';
import type { CommandResult } from '../../models/command.js';
import { choiceButtons, section } from '../../slack/blocks.js';
import { matchIds, shortIds } from './short-ids.js';

/** Short ids of alerts, unambiguous among the ones given: fingerprint → `3fa9`. */
export function shortAlertIds(alerts: readonly Alert[]): Map<string, string> {
  const short = shortIds(alerts.map((a) => a.fingerprint));
  return new Map(alerts.map((a, i) => [a.fingerprint, short[i]!]));
}

/** Short ids of silences, unambiguous among the ones given: `sil_mf3k2x…` → `mf3k2x`. */
export function shortSilenceIds(silences: readonly Silence[]): Map<string, string> {
  const short = shortIds(silences.map((s) => s.id));
  return new Map(silences.map((s, i) => [s.id, short[i]!]));
}

function describeAlert(a: Alert, short: string): string {
  const service = a.labels['service'] ? ` on ${a.labels['service']}` : '';
  return `\`${short}\` ${a.alertname}${service}`;
}

/**
 * The active alerts a command names: by id as typed (a full fingerprint or any prefix of one, "12"
 * or "3fa9"), else by name, else all. An id that matches none or several is answered with the
 * alerts it could mean, as buttons running `verb <short id>`.
 */
export function pickAlerts(
  active: readonly Alert[],
  p: { alert_id?: string | undefined; alert?: string | undefined },
  verb: string,
  /** What a button sends for the alert with this short id. */
  say: (short: string) => string = (short) => `/ops alerts ${verb} ${short}`,
): { alerts: Alert[] } | CommandResult {
  if (!p.alert_id) return { alerts: active.filter((a) => !p.alert || a.alertname === p.alert) };
  const ids = matchIds(
    p.alert_id,
    active.map((a) => a.fingerprint),
  );
  if (ids.length === 1) return { alerts: active.filter((a) => a.fingerprint === ids[0]) };
  const candidates = ids.length > 1 ? active.filter((a) => ids.includes(a.fingerprint)) : active;
  const short = shortAlertIds(active);
  const listed = candidates.slice(0, 10).map((a) => `• ${describeAlert(a, short.get(a.fingerprint)!)}`);
  const head =
    ids.length > 1
      ? `Several active alerts have an id starting with ${p.alert_id}; which one?`
      : candidates.length > 0
        ? `No active alert has an id starting with ${p.alert_id}. Active alerts:`
        : `No active alert has an id starting with ${p.alert_id}, and no alert is active now.`;
  const reply = [head, ...listed].join('\n');
  const choices = candidates.slice(0, 5).map((a) => ({
    label: `${short.get(a.fingerprint)} ${a.alertname}`,
    text: say(short.get(a.fingerprint)!),
  }));
  return {
    reply,
    blocks: choices.length > 0 ? [section(reply), choiceButtons(choices)] : [section(reply)],
    choices,
    failed: candidates.length === 0,
  };
}

/**
 * The active silence an id as typed names (full, `sil_…` prefix or body prefix such as `mf3k2`);
 * otherwise the reply lists the silences it could mean, as buttons.
 */
export function pickSilence(active: readonly Silence[], typed: string): { silence: Silence } | CommandResult {
  const ids = matchIds(
    typed,
    active.map((s) => s.id),
  );
  if (ids.length === 1) return { silence: active.find((s) => s.id === ids[0])! };
  const candidates = ids.length > 1 ? active.filter((s) => ids.includes(s.id)) : active;
  const short = shortSilenceIds(active);
  const matcher = (s: Silence) => s.matchers.map((m) => `${m.name}${m.op}${m.value}`).join(', ');
  const listed = candidates
    .slice(0, 10)
    .map((s) => `• \`${short.get(s.id)}\` ${matcher(s)} until ${s.endsAt}`);
  const head =
    ids.length > 1
      ? `Several active silences have an id starting with ${typed}; which one?`
      : candidates.length > 0
        ? `No active silence has an id starting with ${typed}. Active silences:`
        : `No active silence has an id starting with ${typed}, and there are no active silences.`;
  const reply = [head, ...listed].join('\n');
  const choices = candidates.slice(0, 5).map((s) => ({
    label: `${short.get(s.id)}`,
    text: `/ops alerts unsilence ${short.get(s.id)}`,
  }));
  return {
    reply,
    blocks: choices.length > 0 ? [section(reply), choiceButtons(choices)] : [section(reply)],
    choices,
    failed: candidates.length === 0,
  };
}
