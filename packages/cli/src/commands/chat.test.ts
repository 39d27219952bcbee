import { describe, expect, it } from 'vitest';
import { chatCommand, plainText } from './chat.js';

describe('plainText: a ChatOps reply on a terminal', () => {
  it('shows a usage between backticks as written, not as a link', () => {
    const help = [
      '• `alerts ack <alert id | name> [because ...]` — Acknowledge an alert',
      '• `alerts unsilence <silence id | alert name | service | alert <alert id>>` — Remove a silence',
      'Ask in plain words or use `/ops <command>`:',
    ].join('\n');
    expect(plainText(help)).toBe(help);
  });

  it('shows the escaped text the service sends as the characters again, never as links or mentions', () => {
    const help = [
      '• `alerts ack &lt;alert id | name&gt; [because ...]` — Acknowledge an alert',
      'Ask in plain words or use `/ops &lt;command&gt;`:',
    ].join('\n');
    expect(plainText(help)).toBe(
      [
        '• `alerts ack <alert id | name> [because ...]` — Acknowledge an alert',
        'Ask in plain words or use `/ops <command>`:',
      ].join('\n'),
    );
    // A person's comment, escaped: shown as typed, even when it looks like a link or a mention.
    expect(plainText('• `yes K2P9QX` — silence X because a&lt;b &amp; c&gt;d &lt;!here&gt;')).toBe(
      '• `yes K2P9QX` — silence X because a<b & c>d <!here>',
    );
    expect(plainText('said &lt;https://x.test|click&gt; and &amp;lt; literally')).toBe(
      'said <https://x.test|click> and &lt; literally',
    );
  });

  it('keeps marks between backticks and decodes their entities', () => {
    expect(plainText('run `*not bold* a &lt;b&gt; &amp; c`')).toBe('run `*not bold* a <b> & c`');
  });

  it('drops bold, italic and strike marks outside code', () => {
    expect(plainText('p99 of ml-service: *91 ms* (_was_ ~120 ms~)')).toBe(
      'p99 of ml-service: 91 ms (was 120 ms)',
    );
  });

  it('writes links as label (url), mentions by name, and leaves other <text> alone', () => {
    expect(plainText('see <https://x.test/a|the runbook> or <https://x.test/b>')).toBe(
      'see the runbook (https://x.test/a) or https://x.test/b',
    );
    expect(plainText('<@U123|ana> in <#C1|ops>, <!here>')).toBe('@ana in #ops, @here');
    expect(plainText('a <service> name, &lt;escaped&gt;')).toBe('a <service> name, <escaped>');
  });

  it('turns the status emoji into characters and leaves unknown shortcodes and times alone', () => {
    expect(plainText(':large_green_circle: auth-service: ready')).toBe('🟢 auth-service: ready');
    expect(plainText(':red_circle: down since 12:30:45 :unknown_thing:')).toBe(
      '🔴 down since 12:30:45 :unknown_thing:',
    );
  });
});

describe('chatCommand: a suggestion as the command to type', () => {
  it('drops Slack’s /ops and quotes the message for the shell', () => {
    expect(chatCommand('/ops status')).toBe('opsmesh chat "status"');
    expect(chatCommand('/ops models rollback iris-classifier')).toBe(
      'opsmesh chat "models rollback iris-classifier"',
    );
    expect(chatCommand('alerts ack 12')).toBe('opsmesh chat "alerts ack 12"');
    expect(chatCommand("/ops alerts silence X 1h because it's $HOME")).toBe(
      "opsmesh chat 'alerts silence X 1h because it'\\''s $HOME'",
    );
  });
});
