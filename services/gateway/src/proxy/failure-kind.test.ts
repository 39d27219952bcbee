import { describe, expect, it } from 'vitest';
import { classifyFailure } from './failure-kind.js';

const error = (code: string, cause?: string) =>
  Object.assign(new Error(code), { code, ...(cause ? { cause: { code: cause } } : {}) });

describe('classifyFailure', () => {
  it('tells connect failures, resets and timeouts apart, by the cause first', () => {
    expect(classifyFailure(error('UND_ERR_CONNECT_TIMEOUT'))).toBe('connect');
    expect(classifyFailure(error('UND_ERR_SOCKET', 'ECONNREFUSED'))).toBe('connect');
    expect(classifyFailure(error('UND_ERR_SOCKET'))).toBe('reset');
    expect(classifyFailure(error('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(classifyFailure(error('UND_ERR_BODY_TIMEOUT'))).toBe('timeout');
    expect(classifyFailure(new Error('something else'))).toBe('other');
  });
});
