import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logging/logger.js';
import { createService } from '../src/service/create-service.js';
import { startTestTracing } from '../src/testing/test-tracing.js';

describe('request logging', () => {
  it('writes one JSON access line per request carrying the request id and trace id, secrets redacted', async () => {
    const tracing = startTestTracing();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const app = createService({
      name: 'log-test',
      version: '1',
      processMetrics: false,
      logger: createLogger({ service: 'log-test', destination: sink }),
    });
    app.register(async (r) => {
      r.post('/things', async (request) => {
        request.log.info({ body: request.body }, 'handling');
        return { ok: true };
      });
    });
    await app.inject({
      method: 'POST',
      url: '/things',
      headers: {
        'x-request-id': 'req-abc',
        authorization: 'Bearer secret-token',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
      payload: { password: 'hunter2hunter2', name: 'x' },
    });
    await app.close();
    await tracing.shutdown();
    const handling = lines.find((l) => l['msg'] === 'handling')!;
    const access = lines.find((l) => l['msg'] === 'request completed')!;
    for (const line of [handling, access]) {
      expect(line['requestId']).toBe('req-abc');
      expect(line['trace_id']).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      expect(line['span_id']).toMatch(/^[0-9a-f]{16}$/);
      expect(line['service']).toBe('log-test');
    }
    // One pair of ids per line, not one from the request's bindings and one from the active span.
    expect(lines.every((l) => JSON.stringify(l).split('"trace_id"').length === 2)).toBe(true);
    expect((handling['body'] as Record<string, unknown>)['password']).toBe('[redacted]');
    expect(access).toMatchObject({ method: 'POST', route: '/things', statusCode: 200 });
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(JSON.stringify(lines)).not.toContain('hunter2hunter2');
  });
});
