import { describe, expect, it } from 'vitest';
import { confirmButtons, escapeMrkdwn, fields, header, section, textBlocks } from './blocks.js';

describe('Block Kit builders', () => {
  it('builds sections, headers and fields Slack accepts', () => {
    expect(section('*hi*')).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } });
    expect(header('x'.repeat(200)).type).toBe('header');
    const h = header('x'.repeat(200)) as { text: { text: string } };
    expect(h.text.text.length).toBe(150);
    const f = fields(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`] as const)) as {
      fields: unknown[];
    };
    expect(f.fields).toHaveLength(10);
  });

  it('makes confirm and cancel buttons carrying the code', () => {
    const block = confirmButtons('K2P9QX');
    expect(block).toMatchObject({
      type: 'actions',
      elements: [
        { action_id: 'chatops_confirm', value: 'K2P9QX', style: 'primary' },
        { action_id: 'chatops_cancel', value: 'K2P9QX', style: 'danger' },
      ],
    });
  });

  it('escapes control characters and splits paragraphs', () => {
    expect(escapeMrkdwn('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    expect(textBlocks('one\n\ntwo\n\nthree')).toHaveLength(2);
  });
});
