// Services: a card per service with its instances and every golden signal, each with its value
// now (coloured by the rules' thresholds) and a sparkline over the chosen window. A service with
// no instance answering is greyed, with the time its data stopped.
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
    instance.lastError ? el('div', { class: 'muted small' }, instance.lastError) : null,
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

function card(svc, now, series, thresholds, charts) {
  const ready = svc.instances.filter((i) => i.ready).length;
  const answering = svc.instances.filter((i) => i.up !== false && i.ready !== false).length;
  const down = svc.instances.length > 0 && answering === 0;
  const since = lastData(svc.instances);
  const status = down
    ? el(
        'p',
        { class: 'down-note' },
        since
          ? `No data since ${when(since)} (${ago(since)}).`
          : 'No data: no instance has answered a scrape yet.',
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
        : badge(`${ready}/${svc.instances.length} ready`, ready === svc.instances.length ? 'ok' : 'warning'),
    ),
    status,
    el('div', { class: 'signals' }, rows),
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
      const [view, signals, { rules }] = await Promise.all([
        api('/api/monitoring/services'),
        api(`/api/monitoring/signals${query({ window: RATE_WINDOW })}`),
        api('/api/monitoring/rules').catch(() => ({ rules: [] })),
      ]);
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
          view.services.map((svc, i) => card(svc, now.get(svc.name), series[i], thresholds, pending)),
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
