import { describe, expect, it } from 'vitest';
import { parse } from './mrkdwn.js';

describe('mrkdwn', () => {
  it('renders bold, italic, strike, code, emoji and keeps line breaks', () => {
    expect(parse('*ml-service* is :large_green_circle: _up_ ~down~\nuse `list models`')).toEqual([
      { tag: 'strong', children: ['ml-service'] },
      ' is ',
      { tag: 'span', class: 'emoji', title: ':large_green_circle:', children: ['🟢'] },
      ' ',
      { tag: 'em', children: ['up'] },
      ' ',
      { tag: 's', children: ['down'] },
      { tag: 'br', children: [] },
      'use ',
      { tag: 'code', children: ['list models'] },
    ]);
  });

  it('keeps markup as text: nothing between < and > becomes an element unless it is a link or mention', () => {
    const tree = parse(
      '<img src=x onerror=alert(1)> &lt;script&gt;alert(1)&lt;/script&gt; <javascript:alert(1)|click>',
    );
    const text = JSON.stringify(tree);
    expect(tree.every((n) => typeof n === 'string')).toBe(true);
    expect(tree.join('')).toBe(
      '<img src=x onerror=alert(1)> <script>alert(1)</script> <javascript:alert(1)|click>',
    );
    expect(text).not.toContain('"tag":"a"');
  });

  it('shows escaped text (a usage, a person’s comment) as the characters, not as links or mentions', () => {
    const tree = parse(
      'use `alerts ack &lt;alert id | name&gt;` because a&lt;b &amp; c&gt;d &lt;!here&gt; &lt;https://x.test|click&gt; &amp;lt;',
    );
    expect(JSON.stringify(tree)).not.toMatch(/"tag":"(a|span)"/);
    expect(tree).toEqual([
      'use ',
      { tag: 'code', children: ['alerts ack <alert id | name>'] },
      ' because a<b & c>d <!here> <https://x.test|click> &lt;',
    ]);
  });

  it('turns http links and mentions into safe nodes, leaves unknown emoji and lone marks alone', () => {
    expect(parse('see <https://example.test/a?b=1&amp;c=2|the runbook> <@U123> :nope: 2 * 3 * 4')).toEqual([
      'see ',
      { tag: 'a', href: 'https://example.test/a?b=1&c=2', children: ['the runbook'] },
      ' ',
      { tag: 'span', class: 'mention', children: ['@U123'] },
      ' :nope: 2 * 3 * 4',
    ]);
  });

  it('keeps fenced blocks verbatim and quotes > lines', () => {
    expect(parse('before\n```\n*not bold*\n```\n&gt; quoted *bit*')).toEqual([
      'before',
      { tag: 'br', children: [] },
      { tag: 'pre', children: ['*not bold*\n'] },
      { tag: 'br', children: [] },
      { tag: 'blockquote', children: ['quoted ', { tag: 'strong', children: ['bit'] }] },
    ]);
  });
});
