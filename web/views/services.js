// Services: a card per service with its instances and every golden signal, each with its value
// now (coloured by the rules' thresholds) and a sparkline over the chosen window. A service with
// no instance answering is greyed, with the time its data stopped. Below the signals, the state of
// its circuit breakers towards what it calls.
import { api, query } from '../lib/api.js';
import { badge, el, empty, failure, fill, term } from '../lib/dom.js';
import { ago, DASH, DASH_TIP, SIGNALS, when } from '../lib/format.js';
import { sparkline } from '../lib/sparkline.js';
import { describe, stateOf, thresholdsFrom } from '../lib/thresholds.js';

export const title = 'Services';

/** Windows an operator picks from, with a step giving 60 to 100 points each. */
const WINDOWS = { '15m': '15s', '1h': '1m', '6h': '5m', '24h': '15m' };
const RATE_WINDOW = '5m';
let chosen = '1h';

function instanceLine(instance) {
  const state =
    instance.up === false
      ? 'down'
      : instance.ready === false
        ? 'not ready'
        : instance.ready
          ? 'ready'
          : 'unknown';
  const kind = state === 'ready' ? 'ok' : state === 'unknown' ? 'none' : 'critical';
  return el(
    'li',
    { title: instance.lastError ?? undefined },
    badge(state, kind),
    ' ',
    el('span', { class: 'mono' }, instance.url.replace(/^https?:\/\//, '')),
    instance.lastScrapeAt ? el('span', { class: 'muted' }, ` · scraped ${ago(instance.lastScrapeAt)}`) : null,
    instance.alertsHeldUntil
      ? el(
          'div',
          { class: 'muted small held' },
          `Starting: not alerted on until it is ready or ${when(instance.alertsHeldUntil)}.`,
        )
      : null,
    instance.lastError ? el('div', { class: 'muted small' }, instance.lastError) : null,
  );
}

const BREAKER_KIND = { closed: 'ok', 'half-open': 'warning', open: 'critical' };
const BREAKER_TIP =
  "The circuit breakers of this service's instances towards what they call. Open: calls fail at once " +
  'until a trial call succeeds (half-open). Only breakers that have tripped since the instance started are listed.';

/** The breakers of the service's instances towards their dependencies, from their readiness answers. */
function breakers(instances) {
  const list = instances.flatMap((i) => i.circuits ?? []);
  return el(
    'div',
    { class: 'breakers' },
    term('breakers', BREAKER_TIP),
    list.length
      ? el(
          'ul',
          {},
          list.map((c) =>
            el(
              'li',
              { dataset: { target: c.target, state: c.state } },
              badge(c.state, BREAKER_KIND[c.state] ?? 'none'),
              ` → ${c.target} `,
              el('span', { class: 'mono' }, c.instance.replace(/^https?:\/\//, '')),
              el('span', { class: 'muted' }, ` since ${ago(c.since)}`),
            ),
          ),
        )
      : el('span', { class: 'muted' }, ' none tripped'),
  );
}

/** When the service's data stopped: its instances' last successful scrape. */
function lastData(instances) {
  const times = instances
    .map((i) => i.lastUpAt)
    .filter(Boolean)
    .sort();
  return times.at(-1) ?? null;
}

/**
 * The gateway card's word on its rate-limit store (`rate-limit-store` in the serving gateway's
 * readiness): shared through Redis, or counted by each gateway alone. Without REDIS_URL a lone
 * gateway counts every request itself, so its limits are exact: said plainly, not as a warning
 * (which every new install showed). With more than one gateway, or Redis configured but away,
 * each counts only its own share, and that is a warning.
 */
function rateLimitNote(store, gateways) {
  if (!store || (store.policy !== 'redis' && store.status === 'ok')) return null;
  const degraded = store.status === 'degraded';
  if (degraded && store.policy === 'local' && gateways <= 1) {
    return el(
      'p',
      { class: 'muted rate-limit-store' },
      badge('rate limits: local', 'none'),
      ' This gateway counts every request itself (REDIS_URL is not set). Set REDIS_URL before running more than one gateway, so they share the counts.',
    );
  }
  return el(
    'p',
    { class: degraded ? 'down-note rate-limit-store' : 'muted rate-limit-store' },
    badge(degraded ? 'rate limits: local only' : 'rate limits: shared', degraded ? 'warning' : 'ok'),
    ' ',
    degraded
      ? `This gateway counts rate limits on its own: ${store.detail ?? 'Redis is unreachable'}.`
      : 'Counts are shared with every gateway through Redis.',
  );
}

function card(svc, now, series, thresholds, charts, limits) {
  const { ready, total } = svc.replicas;
  const answering = svc.instances.filter((i) => i.up !== false && i.ready !== false).length;
  const down = svc.instances.length > 0 && answering === 0;
  const since = lastData(svc.instances);
  const starting = svc.instances.length > 0 && svc.instances.every((i) => i.alertsHeldUntil);
  const status = down
    ? el(
        'p',
        { class: 'down-note' },
        since
          ? `No data since ${when(since)} (${ago(since)}).`
          : 'No data: no instance has answered a scrape yet.',
        starting ? ' Starting: not alerted on until it is ready or its start-up grace ends.' : '',
      )
    : null;
  const rows = Object.entries(SIGNALS).map(([signal, meta]) => {
    const value = down ? null : now?.[signal];
    const state = down ? 'none' : stateOf(thresholds, signal, svc.name, value);
    const rules = describe(thresholds, signal, svc.name);
    const tip = [
      meta.tip,
      rules.length ? `Coloured: ${rules.join('; ')}.` : 'No rule sets a threshold for it.',
    ].join(' ');
    const chart = el('div', { class: 'spark', 'aria-hidden': 'true' });
    charts.push(() => {
      const threshold = (thresholds[signal] ?? []).find((t) => !t.service || t.service === svc.name)?.value;
      return sparkline(chart, series[signal] ?? [], { state, threshold });
    });
    return el(
      'div',
      { class: 'signal', dataset: { signal } },
      term(meta.label, tip),
      el(
        'span',
        {
          class: `value state-${state}`,
          title: value === null || value === undefined ? DASH_TIP : undefined,
        },
        value === null || value === undefined ? DASH : meta.format(value),
      ),
      chart,
    );
  });
  return el(
    'article',
    { class: `card service${down ? ' down' : ''}`, dataset: { service: svc.name }, 'aria-label': svc.name },
    el(
      'header',
      {},
      el('h2', {}, svc.name),
      down
        ? badge(`down · 0/${svc.instances.length} answering`, 'critical')
        : badge(
            `${ready}/${total} ${total === 1 ? 'replica' : 'replicas'} ready`,
            ready === total ? 'ok' : 'warning',
          ),
    ),
    status,
    svc.name === 'gateway' ? rateLimitNote(limits, total) : null,
    el('div', { class: 'signals' }, rows),
    breakers(svc.instances),
    el(
      'details',
      { class: 'instances' },
      el('summary', {}, `Instances (${svc.instances.length})`),
      el('ul', {}, svc.instances.map(instanceLine)),
    ),
  );
}

async function seriesOf(service, windowKey) {
  const out = {};
  await Promise.all(
    Object.keys(SIGNALS).map(async (signal) => {
      const q = query({ window: windowKey, step: WINDOWS[windowKey], rateWindow: RATE_WINDOW });
      out[signal] = (
        await api(`/api/monitoring/signals/${service}/${signal}${q}`).catch(() => ({ points: [] }))
      ).points;
    }),
  );
  return out;
}

export async function render(root) {
  const grid = el('div', { class: 'cards', 'aria-live': 'polite', 'aria-busy': 'true' });
  const source = el('span', { class: 'muted' });
  const picker = el(
    'select',
    { id: 'window', 'aria-label': 'Window of the sparklines' },
    Object.keys(WINDOWS).map((w) => el('option', { value: w, selected: w === chosen }, `last ${w}`)),
  );
  let charts = [];
  const destroy = () => {
    for (const c of charts) c.destroy?.();
    charts = [];
  };

  async function refresh() {
    try {
      const [view, signals, { rules }, ready] = await Promise.all([
        api('/api/monitoring/services'),
        api(`/api/monitoring/signals${query({ window: RATE_WINDOW })}`),
        api('/api/monitoring/rules').catch(() => ({ rules: [] })),
        api('/health/ready').catch(() => null),
      ]);
      const limits = ready?.checks?.find((c) => c.name === 'rate-limit-store')?.detail;
      const thresholds = thresholdsFrom(rules);
      const now = new Map(signals.services.map((s) => [s.service, s.signals]));
      const series = await Promise.all(view.services.map((s) => seriesOf(s.name, chosen)));
      destroy();
      const pending = [];
      source.textContent = `Values over the last ${signals.window} from ${signals.source === 'local' ? 'the built-in store' : 'Prometheus'}, ${when(signals.at)}.`;
      if (!view.services.length) {
        fill(
          grid,
          empty(
            'No services discovered yet.',
            'Services appear here once discovery lists them (static config, etcd or DNS).',
          ),
        );
      } else {
        fill(
          grid,
          view.services.map((svc, i) => card(svc, now.get(svc.name), series[i], thresholds, pending, limits)),
        );
      }
      charts = pending.map((draw) => draw());
    } catch (err) {
      destroy();
      fill(grid, failure('Services', err));
    } finally {
      grid.setAttribute('aria-busy', 'false');
    }
  }

  picker.addEventListener('change', () => {
    chosen = picker.value;
    refresh();
  });
  fill(
    root,
    el(
      'div',
      { class: 'view-head' },
      el('h1', {}, 'Services'),
      el('label', { class: 'inline' }, 'Trend ', picker),
      el('button', { type: 'button', class: 'small', onclick: () => refresh() }, 'Refresh'),
    ),
    el('p', {}, source),
    grid,
    el(
      'details',
      { class: 'glossary' },
      el('summary', {}, 'What these mean'),
      el(
        'dl',
        {},
        Object.values(SIGNALS).flatMap((s) => [el('dt', {}, s.label), el('dd', {}, s.tip)]),
        el('dt', {}, DASH),
        el('dd', {}, DASH_TIP),
        el('dt', {}, 'colours'),
        el(
          'dd',
          {},
          'Red and amber come from the alert rules (critical, warning) and the availability objective; grey is no data.',
        ),
      ),
    ),
  );
  await refresh();
  return { refresh, dispose: destroy };
}
