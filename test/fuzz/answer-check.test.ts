import { describe, expect, it } from 'vitest';
import { faultIn } from './answer-check.js';

const answer = (status: number, body: unknown, contentType = 'application/problem+json') => ({
  kind: 'answer' as const,
  status,
  contentType,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ms: 1,
});
const problem = (status: number, detail = 'Fix the thing.') => ({ status, code: 'X', detail, title: 't' });

describe('the fuzzing oracle', () => {
  it('passes successes and problem+json client errors', () => {
    expect(faultIn(answer(200, 'anything', 'text/plain'), null)).toBeNull();
    expect(faultIn(answer(404, problem(404)), null)).toBeNull();
    expect(faultIn(answer(413, problem(413, 'exceeds the limit of 1048576 bytes')), null)).toBeNull();
  });

  it('flags 5xx, hangs, dropped connections and client errors in another shape', () => {
    expect(faultIn(answer(500, problem(500)), null)).toMatch(/answered 500/);
    expect(faultIn(answer(503, problem(503)), null)).toMatch(/answered 503/);
    expect(faultIn({ kind: 'timeout', ms: 20_000 }, null)).toMatch(/no answer within/);
    expect(faultIn({ kind: 'error', code: 'ECONNRESET', ms: 3 }, null)).toMatch(/ECONNRESET/);
    expect(faultIn(answer(400, { error: 'Bad Request' }, 'application/json'), null)).toMatch(
      /not application\/problem\+json/,
    );
    expect(faultIn(answer(400, '<html>', 'text/html'), null)).toMatch(/not JSON/);
    expect(faultIn(answer(400, { ...problem(400), status: '400' }), null)).toMatch(/status is 400/);
    expect(faultIn(answer(400, { status: 400, detail: 'd' }), null)).toMatch(/without a code/);
    expect(faultIn(answer(400, { status: 400, code: 'X' }), null)).toMatch(/without a detail/);
    expect(faultIn(answer(413, problem(413, 'The request body is too large.')), null)).toMatch(
      /naming the limit/,
    );
  });

  it("takes a protocol's own error body only where that protocol is spoken", () => {
    const v2 = answer(400, { error: 'unknown input "x"' }, 'application/json');
    expect(faultIn(v2, 'open-inference')).toBeNull();
    expect(faultIn(v2, null)).not.toBeNull();
    expect(faultIn(answer(400, { error: '' }, 'application/json'), 'open-inference')).not.toBeNull();
    const prom = answer(400, { status: 'error', errorType: 'bad_data', error: 'bad' }, 'application/json');
    expect(faultIn(prom, 'prometheus')).toBeNull();
    expect(faultIn(prom, null)).not.toBeNull();
    expect(faultIn(answer(500, { error: 'boom' }, 'application/json'), 'open-inference')).toMatch(/500/);
  });
});
