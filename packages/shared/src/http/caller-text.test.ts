import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64Text,
  decodePercent,
  invalidUtf8Offset,
  isNameLike,
  nameForDetail,
  parseBasicCredentials,
  parseJsonObject,
} from './caller-text.js';

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

describe('invalidUtf8Offset', () => {
  it('finds the first ill-formed sequence where a fatal TextDecoder would refuse', () => {
    expect(invalidUtf8Offset(Buffer.from('{"a":"é 🚀"}'))).toBeNull();
    expect(invalidUtf8Offset(Buffer.from([0x7b, 0xff, 0x7d]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe2, 0x82]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0xe0, 0x80, 0x80]))).toBe(0);
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        const offset = invalidUtf8Offset(bytes);
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        if (valid) return offset === null;
        // The prefix before the offset decodes; the sequence at the offset does not.
        fatal.decode(bytes.subarray(0, offset!));
        return offset !== null;
      }),
    );
  });
});

describe('nameForDetail', () => {
  it('repeats a name that looks like a field name or a list index, and nothing else', () => {
    for (const name of ['severity', 'team_a', 'http.route', 'a:b-c', '_x', '0', '12'])
      expect(nameForDetail(name)).toBe(name);
    for (const name of ['', 'a b', '<b>x</b>', '1a', 'x'.repeat(65), '9'.repeat(12), 'pa\u0000ss', 'ünï']) {
      expect(nameForDetail(name)).toBe('*');
      expect(isNameLike(name)).toBe(false);
    }
  });
});
