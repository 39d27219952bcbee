import { describe, expect, it } from 'vitest';
import { signSlackRequest, verifySlackRequest } from './signature.js';

// The worked example of Slack's "Verifying requests from Slack" page.
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = '1531420618';
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const NOW = Number(DOC_TIMESTAMP) + 10;

describe('Slack request signatures', () => {
  it("reproduces Slack's documented example", () => {
    expect(signSlackRequest(DOC_SECRET, DOC_TIMESTAMP, DOC_BODY)).toBe(DOC_SIGNATURE);
    expect(signSlackRequest(DOC_SECRET, DOC_TIMESTAMP, Buffer.from(DOC_BODY))).toBe(DOC_SIGNATURE);
    expect(
      verifySlackRequest(
        DOC_SECRET,
        { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, rawBody: DOC_BODY },
        NOW,
      ),
    ).toEqual({ ok: true });
  });

  it('rejects a changed body, secret or signature', () => {
    const base = { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, rawBody: DOC_BODY };
    expect(verifySlackRequest(DOC_SECRET, { ...base, rawBody: `${DOC_BODY}&x=1` }, NOW)).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySlackRequest('another-secret', base, NOW)).toMatchObject({ reason: 'mismatch' });
    const flipped = `${DOC_SIGNATURE.slice(0, -1)}4`;
    expect(verifySlackRequest(DOC_SECRET, { ...base, signature: flipped }, NOW)).toMatchObject({
      reason: 'mismatch',
    });
  });

  it('rejects requests outside the five-minute window, in either direction', () => {
    const base = { timestamp: DOC_TIMESTAMP, signature: DOC_SIGNATURE, rawBody: DOC_BODY };
    expect(verifySlackRequest(DOC_SECRET, base, Number(DOC_TIMESTAMP) + 300)).toEqual({ ok: true });
    expect(verifySlackRequest(DOC_SECRET, base, Number(DOC_TIMESTAMP) + 301)).toMatchObject({
      reason: 'stale',
    });
    expect(verifySlackRequest(DOC_SECRET, base, Number(DOC_TIMESTAMP) - 301)).toMatchObject({
      reason: 'stale',
    });
  });

  it('rejects missing and malformed headers', () => {
    expect(
      verifySlackRequest(DOC_SECRET, { timestamp: undefined, signature: DOC_SIGNATURE, rawBody: '' }, NOW),
    ).toMatchObject({
      reason: 'missing',
    });
    expect(
      verifySlackRequest(DOC_SECRET, { timestamp: 'soon', signature: DOC_SIGNATURE, rawBody: '' }, NOW),
    ).toMatchObject({
      reason: 'malformed',
    });
    expect(
      verifySlackRequest(DOC_SECRET, { timestamp: DOC_TIMESTAMP, signature: 'v1=abc', rawBody: '' }, NOW),
    ).toMatchObject({
      reason: 'malformed',
    });
  });
});
