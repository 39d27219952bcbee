// One trace as a waterfall: a bar per span on the trace's time line, indented under its parent;
// a span's attributes and events show when it is chosen. Bar geometry goes through the style
// object, which the console's CSP allows (no inline style attributes).
import { api } from '../lib/api.js';
import { badge, el, failure, fill } from '../lib/dom.js';
import { millis as ms } from '../lib/format.js';

export const title = 'Trace';

/** Spans in waterfall order, each parent followed by its children by start time. */
export function waterfallOrder(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  const out = [];
  const walk = (parent, depth) => {
    for (const s of (children.get(parent) ?? []).sort((a, b) => a.offsetMs - b.offsetMs)) {
      out.push({ span: s, depth });
      if (depth < 40) walk(s.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

function details(s) {
  return el(
    'div',
    { id: 'span-detail' },
    el('h2', {}, `${s.service} · ${s.name}`),
    el(
      'p',
      { class: 'muted' },
      `${s.kind}, +${ms(s.offsetMs)}, took ${ms(s.durationMs)}, ${s.status}${s.statusMessage ? `: ${s.statusMessage}` : ''}`,
    ),
    el(
      'dl',
      { class: 'attributes' },
      Object.entries(s.attributes).map(([k, v]) => [el('dt', {}, k), el('dd', {}, JSON.stringify(v))]),
    ),
    s.events.length
      ? el(
          'ul',
          {},
          s.events.map((e) => el('li', {}, `${e.name} at +${ms(e.offsetMs)}`)),
        )
      : null,
  );
}

export async function render(root, { params }) {
  const detail = el('div', { 'aria-live': 'polite' });
  try {
    const { trace, spans } = await api(`/api/monitoring/traces/${encodeURIComponent(params.traceId)}`);
    const total = Math.max(trace.durationMs, 0.001);
    const rows = waterfallOrder(spans).map(({ span: s, depth }) => {
      const bar = el('span', { class: `span-bar${s.status === 'error' ? ' bad' : ''}` });
      bar.style.left = `${Math.min(100, (s.offsetMs / total) * 100)}%`;
      bar.style.width = `${Math.max(0.4, (s.durationMs / total) * 100)}%`;
      const label = el('span', { class: 'span-label' }, `${s.service} · ${s.name}`);
      label.style.paddingLeft = `${Math.min(depth, 12) * 0.7}rem`;
      return el(
        'button',
        {
          type: 'button',
          class: 'span-row',
          dataset: { service: s.service },
          onclick: () => fill(detail, details(s)),
        },
        label,
        el('span', { class: 'span-track' }, bar),
        el('span', { class: 'span-ms muted' }, ms(s.durationMs)),
      );
    });
    fill(
      root,
      el(
        'div',
        { class: 'view-head' },
        el('h1', {}, `${trace.rootService} · ${trace.rootName}`),
        badge(trace.status, trace.status === 'error' ? 'critical' : 'info'),
      ),
      el(
        'p',
        { class: 'muted', id: 'trace-summary' },
        `trace ${trace.traceId} · ${ms(trace.durationMs)} · ${trace.spanCount} spans · ${trace.services.join(', ')}`,
        trace.requestId ? ` · request ${trace.requestId}` : '',
      ),
      el('div', { class: 'waterfall', id: 'waterfall' }, rows),
      detail,
    );
  } catch (err) {
    fill(root, el('div', { class: 'view-head' }, el('h1', {}, 'Trace')), failure('The trace', err));
  }
  return {};
}
