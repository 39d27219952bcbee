import { describe, expect, it } from 'vitest';
import { upstreamReply } from './replies.js';

describe('replies for a failed call to another service', () => {
  it('passes on what a 503 says the service could not reach', () => {
    expect(
      upstreamReply({
        service: 'monitoring-service',
        kind: 'problem',
        status: 503,
        message: 'HTTP 503',
        problem: { detail: 'Prometheus did not answer; try again shortly.' },
      }),
    ).toBe(
      'The monitoring service is unavailable right now (Prometheus did not answer; try again shortly), so I could not do that. Try again once it is back (`status` shows service health).',
    );
  });

  it('says only that the service is down when it did not answer at all', () => {
    expect(
      upstreamReply({ service: 'monitoring-service', kind: 'unavailable', message: 'ECONNREFUSED' }),
    ).toBe(
      'The monitoring service is unavailable right now, so I could not do that. Try again once it is back (`status` shows service health).',
    );
  });
});
