import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './text-parser.js';

const one = (text: string) => parsePrometheusText(text).flatMap((f) => f.samples);

describe('parsePrometheusText', () => {
  it('parses HELP, TYPE and a counter with labels', () => {
    const families = parsePrometheusText(
      '# HELP http_requests_total The total.\n# TYPE http_requests_total counter\n' +
        'http_requests_total{method="post",code="200"} 1027 1395066363000\n' +
        'http_requests_total{method="post",code="400"}    3 1395066363000\n',
    );
    expect(families).toHaveLength(1);
    expect(families[0]).toMatchObject({ name: 'http_requests_total', type: 'counter', help: 'The total.' });
    expect(families[0]!.samples[0]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'post', code: '200' },
      value: 1027,
      timestampMs: 1395066363000,
    });
    expect(families[0]!.samples[1]!.value).toBe(3);
  });

  it('decodes escapes in label values and HELP text', () => {
    const families = parsePrometheusText(
      '# HELP msdos_file_access_time_seconds Path with \\\\ and \\n newline.\n' +
        'msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9\n',
    );
    expect(families[0]!.help).toBe('Path with \\ and \n newline.');
    expect(families[0]!.samples[0]!.labels).toEqual({
      path: 'C:\\DIR\\FILE.TXT',
      error: 'Cannot find file:\n"FILE.TXT"',
    });
    expect(families[0]!.samples[0]!.value).toBe(1.458255915e9);
  });

  it('accepts a closing brace and a comma inside a quoted label value', () => {
    expect(one('m{a="}",b=",{"} 1')[0]!.labels).toEqual({ a: '}', b: ',{' });
  });

  it('reads NaN, +Inf, -Inf and exponent forms', () => {
    const s = one('a NaN\nb +Inf\nc -Inf\nd 1e-3\ne -0.5\nf +7\ng Inf\n');
    expect(Number.isNaN(s[0]!.value)).toBe(true);
    expect(s.slice(1).map((x) => x.value)).toEqual([Infinity, -Infinity, 0.001, -0.5, 7, Infinity]);
  });

  it('accepts a missing trailing newline, CRLF line ends, blank lines and plain comments', () => {
    const s = one('# just a comment\r\n\r\n  \nup 1\r\n# another\nother{x="y"} 2');
    expect(s.map((x) => [x.name, x.value])).toEqual([
      ['up', 1],
      ['other', 2],
    ]);
  });

  it('accepts a trailing comma and spaces in the label set, and a negative timestamp', () => {
    const s = one('m{ a = "1" , b="2", } 3 -5');
    expect(s[0]).toEqual({ name: 'm', labels: { a: '1', b: '2' }, value: 3, timestampMs: -5 });
  });

  it('groups histogram buckets, sum and count under one family', () => {
    const f = parsePrometheusText(
      '# TYPE rt histogram\nrt_bucket{le="0.05"} 24054\nrt_bucket{le="0.1"} 33444\n' +
        'rt_bucket{le="+Inf"} 144320\nrt_sum 53423\nrt_count 144320\n',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.type).toBe('histogram');
    expect(f[0]!.samples.map((s) => s.name)).toEqual([
      'rt_bucket',
      'rt_bucket',
      'rt_bucket',
      'rt_sum',
      'rt_count',
    ]);
  });

  it('groups summary quantiles, sum and count under one family', () => {
    const f = parsePrometheusText(
      '# TYPE rpc summary\nrpc{quantile="0.5"} 4773\nrpc{quantile="0.99"} 76656\nrpc_sum 1.7e7\nrpc_count 2693\n',
    );
    expect(f).toHaveLength(1);
    expect(f[0]!.samples).toHaveLength(4);
  });

  it('treats metrics without TYPE as untyped', () => {
    expect(parsePrometheusText('foo 1')[0]!.type).toBe('untyped');
  });

  it.each([
    ['a duplicate label', 'm{a="1",a="2"} 1', /duplicate label "a"/],
    ['a duplicate series', 'm{a="1"} 1\nm{a="1"} 2', /duplicate series/],
    ['an unquoted label value', 'm{a=1} 1', /must be quoted/],
    ['an unclosed label set', 'm{a="1" 1', /not closed|unterminated|expected ","/],
    ['an unterminated value', 'm{a="1} 1', /unterminated/],
    ['a missing value', 'm{a="1"}', /no value/],
    ['a bad value', 'm 12abc', /invalid value/],
    ['a binary literal', 'm 0b101', /invalid value/],
    ['a bad timestamp', 'm 1 1.5', /invalid timestamp/],
    ['text after the timestamp', 'm 1 2 3', /unexpected text/],
    ['a bad metric name', '1m 1', /invalid metric name/],
    ['a bad label name', 'm{1a="x"} 1', /invalid label name/],
    ['an unknown type', '# TYPE m countr', /unknown type/],
    ['a second TYPE', '# TYPE m gauge\n# TYPE m gauge', /second TYPE/],
    ['a second HELP', '# HELP m a\n# HELP m b', /second HELP/],
    ['TYPE after samples', 'm 1\n# TYPE m gauge', /after its samples/],
    ['a bucket without le', '# TYPE h histogram\nh_bucket{x="1"} 1', /no "le"/],
    ['a bad le', '# TYPE h histogram\nh_bucket{le="abc"} 1', /invalid le/],
    ['a bare histogram sample', '# TYPE h histogram\nh 1', /needs a _bucket/],
    ['a summary quantile without quantile', '# TYPE s summary\ns{x="1"} 1', /no "quantile"/],
  ])('rejects %s with the line number', (_what, text, message) => {
    expect(() => parsePrometheusText(text)).toThrow(message);
    expect(() => parsePrometheusText(text)).toThrow(/^line \d+:/);
  });

  it('keeps unknown escapes verbatim', () => {
    expect(one('m{a="x\\ty"} 1')[0]!.labels['a']).toBe('x\\ty');
  });

  it('treats a label named __proto__ as an ordinary label', () => {
    expect(Object.entries(one('m{__proto__="x"} 1')[0]!.labels)).toEqual([['__proto__', 'x']]);
  });
});
