// Alerts, triaged as Alertmanager's UI does: grouped by alert name, firing before pending, then
// by severity; resolved ones folded away. Values are formatted by what the rule measures. Ack
// and Silence show only on firing alerts, and only to callers allowed to use them. Above them,
// where notifications go (each receiver and its last delivery), or that they go nowhere.
import { api, can } from '../lib/api.js';
import { badge, el, empty, failure, fill, term } from '../lib/dom.js';
import { ago, SIGNALS, sig } from '../lib/format.js';
import { person, resolve } from '../lib/people.js';

export const title = 'Alerts';

const STATE_RANK = { firing: 0, pending: 1, resolved: 2 };
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 };
const rank = (a) => [STATE_RANK[a.state] ?? 3, SEVERITY_RANK[a.labels.severity] ?? 3, a.activeAt];

function compare(a, b) {
  const x = rank(a);
  const y = rank(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The alert's value in the unit of what its rule measures. */
export function valueText(alert, rule) {
  const v = alert.value;
  if (v === null || v === undefined) return null;
  const notes = rule?.annotations ?? {};
  if (notes.signal) return SIGNALS[notes.signal]?.format(v) ?? sig(v);
  if (notes.objective) return `${sig(v)}× budget burn`;
  return sig(v);
}

function since(alert) {
  if (alert.state === 'resolved') return `resolved ${ago(alert.resolvedAt)}`;
  if (alert.state === 'firing')
    return `firing for ${ago(alert.firedAt ?? alert.activeAt).replace(/ ago$/, '')}`;
  return `pending for ${ago(alert.activeAt).replace(/ ago$/, '')}`;
}

function silenceLink(alert) {
  const params = new URLSearchParams();
  params.append('m', `alertname="${alert.alertname}"`);
  for (const key of ['service', 'instance']) {
    if (alert.labels[key]) params.append('m', `${key}="${alert.labels[key]}"`);
  }
  return `#/silences?${params}`;
}

/** The failed traces of the alert's service from a quarter of an hour before it became active. */
function tracesLink(alert) {
  const from = new Date(Date.parse(alert.activeAt) - 15 * 60_000).toISOString();
  const params = new URLSearchParams({ status: 'error', from });
  if (alert.labels.service) params.set('service', alert.labels.service);
  return el('a', { class: 'trace-link', href: `#/traces?${params}` }, 'traces');
}

function alertItem(alert, rule, ack) {
  const severity = alert.labels.severity ?? 'none';
  const silenced = alert.silencedBy.length > 0;
  const labels = Object.entries(alert.labels).filter(([k]) => k !== 'alertname' && k !== 'severity');
  const value = valueText(alert, rule);
  const actions = [];
  if (alert.state === 'firing' && !alert.acknowledgedBy && can('alerts:ack')) {
    actions.push(el('button', { type: 'button', class: 'small', onclick: () => ack(alert) }, 'Ack'));
  }
  if (alert.state === 'firing' && !silenced && can('alerts:silence')) {
    actions.push(el('a', { class: 'button small', href: silenceLink(alert) }, 'Silence'));
  }
  return el(
    'li',
    {
      class: `alert state-${alert.state}`,
      dataset: { alert: alert.alertname, fingerprint: alert.fingerprint },
    },
    el(
      'div',
      { class: 'alert-head' },
      badge(severity, severity),
      badge(alert.state, alert.state),
      silenced ? badge('silenced', 'none') : null,
      alert.acknowledgedBy ? badge('acked', 'info') : null,
      el('span', { class: 'muted' }, since(alert)),
      tracesLink(alert),
    ),
    el(
      'p',
      { class: 'summary' },
      alert.annotations.summary ?? alert.annotations.description ?? alert.alertname,
    ),
    el(
      'p',
      { class: 'labels' },
      value
        ? el(
            'span',
            { class: 'chip value' },
            term('value', 'What the rule measured when it last evaluated.'),
            ` ${value}`,
          )
        : null,
      labels.map(([k, v]) => el('span', { class: 'chip' }, `${k}=${v}`)),
    ),
    alert.acknowledgedBy
      ? el(
          'p',
          { class: 'muted acked' },
          'acked by ',
          person(alert.acknowledgedBy),
          ` ${ago(alert.acknowledgedAt)}`,
        )
      : null,
    actions.length ? el('div', { class: 'actions' }, actions) : null,
  );
}

function groups(alerts) {
  const byName = new Map();
  for (const a of [...alerts].sort(compare)) {
    if (!byName.has(a.alertname)) byName.set(a.alertname, []);
    byName.get(a.alertname).push(a);
  }
  return [...byName.entries()];
}

function groupBlock(name, list, rules, ack) {
  const first = list[0];
  const counts = ['firing', 'pending']
    .map((s) => [s, list.filter((a) => a.state === s).length])
    .filter(([, n]) => n);
  return el(
    'section',
    { class: 'alert-group', dataset: { group: name }, 'aria-label': name },
    el(
      'h2',
      {},
      name,
      ' ',
      badge(first.labels.severity ?? 'none', first.labels.severity ?? 'none'),
      counts.map(([s, n]) => el('span', { class: 'muted' }, ` ${n} ${s}`)),
    ),
    el(
      'ul',
      { class: 'alert-list' },
      list.map((a) => alertItem(a, rules.get(a.ruleId), ack)),
    ),
  );
}

/** One receiver: where it is and how its last delivery went. */
function receiverItem(r) {
  const kind = { chatops: 'the ChatOps service', webhook: 'a webhook', alertmanager: 'Alertmanager' }[r.kind];
  const failing = r.lastError && (!r.lastSuccessAt || r.lastErrorAt > r.lastSuccessAt);
  const last = failing
    ? el('span', { class: 'bad' }, ` · last attempt ${ago(r.lastErrorAt)} failed: ${r.lastError}`)
    : r.lastSuccessAt
      ? el('span', { class: 'muted' }, ` · last delivered ${ago(r.lastSuccessAt)}`)
      : el('span', { class: 'muted' }, ' · nothing sent yet');
  return el(
    'li',
    { dataset: { receiver: r.name } },
    el('strong', {}, r.name),
    ` (${kind}) `,
    el('span', { class: 'mono' }, r.url),
    last,
    r.pending ? el('span', { class: 'bad' }, ` · ${r.pending} waiting to be delivered`) : null,
  );
}

/** Where notifications go, or that they go nowhere and how to fix it. */
function delivery(answer) {
  if (!answer) return null;
  if (!answer.receivers.length) {
    return el(
      'div',
      { id: 'alert-delivery', class: 'delivery none', role: 'status' },
      el('p', { class: 'bad' }, 'Alerts are not delivered anywhere: no receiver is configured.'),
      el('p', { class: 'muted' }, `How to fix: ${answer.hint}`),
    );
  }
  return el(
    'div',
    { id: 'alert-delivery', class: 'delivery' },
    el('p', {}, 'Alerts go to:'),
    el('ul', {}, answer.receivers.map(receiverItem)),
  );
}

export async function render(root, { notice }) {
  const body = el('div', { 'aria-live': 'polite' });
  const where = el('div');

  async function ack(alert) {
    try {
      await api(`/api/monitoring/alerts/${alert.fingerprint}/ack`, { method: 'POST', body: {} });
      notice(`Acknowledged ${alert.alertname}.`);
    } catch (err) {
      notice(`Could not acknowledge ${alert.alertname}: ${err.message}`, 'bad');
    }
    await refresh();
  }

  async function refresh() {
    try {
      const [{ alerts }, { rules }, receivers] = await Promise.all([
        api('/api/monitoring/alerts'),
        api('/api/monitoring/rules').catch(() => ({ rules: [] })),
        api('/api/monitoring/notifications/receivers').catch(() => null),
      ]);
      fill(where, delivery(receivers));
      await resolve(alerts.map((a) => a.acknowledgedBy));
      const byId = new Map(rules.map((r) => [r.id, r]));
      const open = alerts.filter((a) => a.state !== 'resolved');
      const closed = alerts.filter((a) => a.state === 'resolved');
      fill(
        body,
        open.length
          ? groups(open).map(([name, list]) => groupBlock(name, list, byId, ack))
          : empty(
              'Nothing is firing or pending.',
              'Alerts appear here when a rule matches; pending ones wait out the rule\'s "for" before firing.',
            ),
        closed.length
          ? el(
              'details',
              { class: 'resolved' },
              el('summary', {}, `Resolved recently (${closed.length})`),
              groups(closed).map(([name, list]) => groupBlock(name, list, byId, ack)),
            )
          : null,
      );
    } catch (err) {
      fill(body, failure('Alerts', err));
    }
  }

  fill(
    root,
    el(
      'div',
      { class: 'view-head' },
      el('h1', {}, 'Alerts'),
      el('a', { href: '#/silences' }, 'Silences'),
      el('button', { type: 'button', class: 'small', onclick: () => refresh() }, 'Refresh'),
    ),
    can('alerts:ack')
      ? null
      : el('p', { class: 'muted' }, 'Your role can see alerts but not acknowledge or silence them.'),
    where,
    body,
  );
  await refresh();
  return { refresh };
}
