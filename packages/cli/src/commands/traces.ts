import type { Trace, TraceSpan } from '@opsmesh/contracts';
import { usageError } from '../cli-error.js';
import type { Group } from '../command.js';
import { millis } from '../output.js';

/** Spans as a tree, children under their parent in start order, as a waterfall reads. */
export function spanTree(spans: TraceSpan[]): { span: TraceSpan; depth: number }[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const s of spans) {
    const parent = s.parentSpanId && ids.has(s.parentSpanId) ? s.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  const out: { span: TraceSpan; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const s of [...(children.get(parent) ?? [])].sort((a, b) => a.offsetMs - b.offsetMs)) {
      out.push({ span: s, depth });
      if (depth < 64) walk(s.spanId, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export const traces: Group = {
  summary: 'distributed traces',
  commands: {
    get: {
      usage: '<trace id>',
      summary: 'Show one trace: its spans as a tree with service, offset, duration and errors.',
      positionals: [1, 1],
      async run(ctx, _values, [id]) {
        if (!/^[0-9a-f]{32}$/.test(id!))
          throw usageError(`"${id}" is not a trace id (32 lower-case hex digits).`);
        const t = await ctx.api().request<Trace>('GET', `/api/monitoring/traces/${id}`);
        ctx.out.result(t, () =>
          [
            `trace ${t.trace.traceId}: ${t.trace.rootService} ${t.trace.rootName}, ${millis(t.trace.durationMs)}, ${t.trace.spanCount} spans, ${t.trace.status}${t.trace.requestId ? `, request ${t.trace.requestId}` : ''}`,
            ...spanTree(t.spans).map(({ span, depth }) => {
              const status =
                span.status === 'error' ? `  ERROR${span.statusMessage ? ` ${span.statusMessage}` : ''}` : '';
              return `${'  '.repeat(depth)}${span.service}: ${span.name}  +${millis(span.offsetMs)}  ${millis(span.durationMs)}${status}`;
            }),
          ].join('\n'),
        );
      },
    },
  },
};
