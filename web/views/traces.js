// Traces: recent traces from the monitoring service's trace store, filtered by service,
// operation, duration, status or the request id of an answer; each opens its waterfall
// (views/trace.js). Alerts, ChatOps replies and failed requests link here.
import { apiPage, query } from '../lib/api.js';
import { badge, el, empty, failure, fill, table } from '../lib/dom.js';
import { ago, millis } from '../lib/format.js';
import { pageAround } from '../lib/paging.js';

export const title = 'Traces';

const FILTERS = ['service', 'operation', 'minDurationMs', 'status', 'requestId', 'from'];
const PAGE = 50;

function field(name, label, value, attrs = {}) {
  return el('label', {}, label, el('input', { name, value: value ?? '', ...attrs }));
}

export async function render(root, { query: params }) {
  const filter = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? undefined]));
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const pageLink = (at, label) =>
    at === undefined
      ? null
      : el('a', { href: `#/traces${query({ ...filter, offset: at || undefined })}` }, label);
  const form = el(
    'form',
    { id: 'trace-search', class: 'filters' },
    field('service', 'Service', filter.service, { placeholder: 'any' }),
    field('operation', 'Operation', filter.operation, { placeholder: 'any' }),
    field('minDurationMs', 'Min ms', filter.minDurationMs, { type: 'number', min: '0', step: 'any' }),
    el(
      'label',
      {},
      'Status',
      el(
        'select',
        { name: 'status' },
        ['', 'error', 'ok'].map((v) =>
          el('option', { value: v, selected: v === (filter.status ?? '') }, v || 'any'),
        ),
      ),
    ),
    field('requestId', 'Request id', filter.requestId, { placeholder: 'req_…' }),
    el('button', { type: 'submit', class: 'primary' }, 'Search'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = Object.fromEntries(new FormData(form));
    location.hash = `#/traces${query({ ...chosen, from: filter.from })}`;
  });
  const list = el('div', { 'aria-live': 'polite' });

  async function refresh() {
    try {
      const found = await apiPage('/api/monitoring/traces', {
        ...filter,
        limit: PAGE,
        offset: offset || undefined,
      });
      const { traces } = found.answer;
      const around = pageAround({ offset, shown: traces.length, size: PAGE, ...found });
      // The trace of one request id opens at once.
      if (filter.requestId && traces.length === 1) {
        location.hash = `#/traces/${traces[0].traceId}`;
        return;
      }
      fill(
        list,
        traces.length
          ? table(
              ['started', 'root', 'services', 'spans', 'duration', 'status'],
              traces.map((t) => ({
                attrs: { dataset: { trace: t.traceId } },
                cells: [
                  ago(t.startedAt),
                  el('a', { href: `#/traces/${t.traceId}` }, `${t.rootService} · ${t.rootName}`),
                  t.services.join(', '),
                  String(t.spanCount),
                  millis(t.durationMs),
                  badge(t.status, t.status === 'error' ? 'critical' : 'info'),
                ],
              })),
              { id: 'traces' },
            )
          : offset > 0
            ? empty(`No trace on this page (${around.note}).`, 'The store has dropped older traces since.')
            : empty(
                'No trace matches.',
                'Spans reach the store a few seconds after their request; refresh, or widen the search.',
              ),
        found.total > 0
          ? el(
              'nav',
              { id: 'traces-page', class: 'pager', 'aria-label': 'Pages of traces' },
              el('span', { class: 'muted' }, around.note),
              pageLink(around.newer, '← Newer'),
              pageLink(around.older, 'Older →'),
            )
          : null,
      );
    } catch (err) {
      fill(list, failure('Traces', err));
    }
  }
  fill(root, el('div', { class: 'view-head' }, el('h1', {}, 'Traces')), form, list);
  await refresh();
  return { refresh };
}
