import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's documented replay window for signed requests. */
export const SLACK_TOLERANCE_SECONDS = 5 * 60;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch'; detail: string };

/**
 * The v0 signature Slack sends in `X-Slack-Signature`: HMAC-SHA256 of `v0:{timestamp}:{raw body}`.
 *
 * @example signSlackRequest(secret, '1531420618', 'token=...') // 'v0=a2114d57...'
 */
export function signSlackRequest(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
}

/**
 * Checks a request really comes from Slack: the timestamp is within five minutes of `nowSeconds`
 * (either way, so a replay of an old request fails) and the signature matches in constant time.
 */
export function verifySlackRequest(
  secret: string,
  request: SignedRequest,
  nowSeconds: number,
  toleranceSeconds = SLACK_TOLERANCE_SECONDS,
): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) {
    return {
      ok: false,
      reason: 'missing',
      detail: 'X-Slack-Signature and X-Slack-Request-Timestamp are required.',
    };
  }
  if (!/^\d{1,12}$/.test(timestamp) || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, reason: 'malformed', detail: 'The Slack signature headers are malformed.' };
  }
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return {
      ok: false,
      reason: 'stale',
      detail: 'The Slack request timestamp is more than five minutes off.',
    };
  }
  const expected = Buffer.from(signSlackRequest(secret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'mismatch', detail: 'The Slack signature does not match the request.' };
  }
  return { ok: true };
}
