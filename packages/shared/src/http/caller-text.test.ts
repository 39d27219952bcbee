import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Text, decodePercent, parseBasicCredentials, parseJsonObject } from './caller-text.js';

const basic = (text: string) => `Basic ${Buffer.from(text, 'utf8').toString('base64')}`;

describe('caller-text decoders', () => {
  it('percent-decodes, and answers null for a malformed escape instead of throwing', () => {
    expect(decodePercent('a%20b')).toBe('a b');
    expect(decodePercent('%E0%A4%A')).toBeNull();
    expect(decodePercent('%ZZ')).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => decodePercent(s) === null || typeof decodePercent(s) === 'string'),
    );
    fc.assert(fc.property(fc.string(), (s) => decodePercent(encodeURIComponent(s)) === s));
  });

  it('decodes strict base64 of UTF-8 only', () => {
    expect(decodeBase64Text('aWQ6c2VjcmV0')).toBe('id:secret');
    expect(decodeBase64Text('aWQ6c2VjcmV0!')).toBeNull();
    expect(decodeBase64Text(Buffer.from([0xff, 0xfe]).toString('base64'))).toBeNull();
  });

  it('reads Basic credentials; a malformed value is "malformed" with a reason that quotes nothing', () => {
    expect(parseBasicCredentials(undefined)).toEqual({ kind: 'absent' });
    expect(parseBasicCredentials('Bearer x')).toEqual({ kind: 'absent' });
    expect(parseBasicCredentials(basic('id:se:cret'))).toEqual({
      kind: 'basic',
      user: 'id',
      password: 'se:cret',
    });
    expect(parseBasicCredentials(basic('a+b:c%2Bd'), { formEncoded: true })).toEqual({
      kind: 'basic',
      user: 'a b',
      password: 'c+d',
    });
    const bad = parseBasicCredentials(basic('%E0%A4%A:x'), { formEncoded: true });
    expect(bad.kind).toBe('malformed');
    expect(JSON.stringify(bad)).not.toContain('%E0');
    expect(parseBasicCredentials('Basic').kind).toBe('malformed');
    expect(parseBasicCredentials('Basic @@@').kind).toBe('malformed');
    expect(parseBasicCredentials(basic('no-colon')).kind).toBe('malformed');
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (s, formEncoded) => {
        const out = parseBasicCredentials(`Basic ${s}`, { formEncoded });
        return ['absent', 'malformed', 'basic'].includes(out.kind);
      }),
    );
  });

  it('parses JSON objects only', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    for (const text of ['null', '[]', '1', '"x"', '{', '']) expect(parseJsonObject(text)).toBeNull();
  });
});
