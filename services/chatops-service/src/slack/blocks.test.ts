import { describe, expect, it } from 'vitest';
import {
  choiceButtons,
  confirmButtons,
  context,
  escapeMrkdwn,
  fields,
  header,
  link,
  markup,
  section,
  textBlocks,
} from './blocks.js';

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

  it('makes one button per choice that sends its text, within Slack’s limits', () => {
    const block = choiceButtons([
      { label: 'iris-classifier', text: '/ops models rollback iris-classifier' },
      { label: 'x'.repeat(100), text: 'help' },
      { label: 'too long', text: 'y'.repeat(2001) },
    ]) as { elements: { action_id: string; value: string; text: { text: string } }[] };
    expect(block.elements).toHaveLength(2);
    expect(block.elements[0]).toMatchObject({
      action_id: 'chatops_say_0',
      value: '/ops models rollback iris-classifier',
    });
    expect(block.elements[1]!.text.text).toHaveLength(75);
  });

  it('escapes text in mrkdwn builders but not markup written with link, nor plain text', () => {
    expect(section('`alerts ack <alert id | name>` & co')).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '`alerts ack &lt;alert id | name&gt;` &amp; co' },
    });
    expect(context('a<b')).toMatchObject({ elements: [{ text: 'a&lt;b' }] });
    expect(fields([['<k>', 'v&w']])).toMatchObject({ fields: [{ text: '*&lt;k&gt;*\nv&amp;w' }] });
    const runbook = link('https://runbooks.example/a?b=1&c=<2>|x', 'run<book>');
    expect(runbook).toBe('<https://runbooks.example/a?b=1&amp;c=&lt;2&gt;%7Cx|run&lt;book&gt;>');
    expect(link('javascript:alert(1)', 'x')).toBeUndefined();
    expect(section(markup(`see ${runbook}`))).toMatchObject({ text: { text: `see ${runbook}` } });
    expect(header('a < b & c')).toMatchObject({ text: { type: 'plain_text', text: 'a < b & c' } });
    // Clipped to Slack's limit without leaving half an escape.
    const long = (section(`${'x'.repeat(2997)}&&&`) as { text: { text: string } }).text.text;
    expect(long.length).toBeLessThanOrEqual(3000);
    expect(long).toMatch(/x(&amp;)*…$/);
  });

  it('escapes control characters and splits paragraphs', () => {
    expect(escapeMrkdwn('a <b> & c')).toBe('a &lt;b&gt; &amp; c');
    expect(textBlocks('one\n\ntwo\n\nthree')).toHaveLength(2);
  });
});
