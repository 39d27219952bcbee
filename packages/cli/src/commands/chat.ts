import type { ChatMessageResponse } from '@opsmesh/contracts';
import { usageError } from '../cli-error.js';
import type { Group } from '../command.js';

// The emoji shortcodes the platform's replies use, as the characters a terminal shows; any other
// `:name:` stays as written.
const EMOJI: Record<string, string> = {
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  large_blue_circle: '🔵',
  red_circle: '🔴',
  white_circle: '⚪',
  white_check_mark: '✅',
  rotating_light: '🚨',
  fire: '🔥',
  eyes: '👀',
  scroll: '📜',
  loud_sound: '🔊',
  crystal_ball: '🔮',
};

/** A Slack `<target|label>`: a link as "label (url)", a mention as @name or #channel; other text in <> as is. */
function angle(whole: string, target: string, label: string | undefined): string {
  if (/^(https?:\/\/|mailto:)/i.test(target)) return label ? `${label} (${target})` : target;
  if (/^[@#]/.test(target)) return label ? `${target[0]}${label}` : target;
  if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
  return whole;
}

const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Mrkdwn outside code: `*bold*`, `_italic_` and `~struck~` marks dropped, links, mentions and emoji. */
function plainRun(mrkdwn: string): string {
  return decode(
    mrkdwn
      .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1$2')
      .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1$2')
      .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1$2')
      .replace(/<([^|>\s]+)(?:\|([^>]+))?>/g, angle)
      .replace(/:([a-z0-9_+-]+):/g, (code, name: string) => EMOJI[name] ?? code),
  );
}

/**
 * Slack's mrkdwn as plain terminal text. What is between backticks is shown as written (a usage
 * such as `alerts ack <alert id | name>` is not a link), with the backticks kept to mark it.
 */
export function plainText(mrkdwn: string): string {
  return mrkdwn
    .split(/(`[^`\n]+`)/)
    .map((piece, i) => (i % 2 === 1 ? decode(piece) : plainRun(piece)))
    .join('');
}

/**
 * A message ChatOps offers as a choice, as the command to type here. Slack's `/ops` prefix is
 * dropped (chat reads the rest the same way) and the text is quoted for the shell: in double
 * quotes when nothing in it is special there, else in single quotes.
 *
 * @example chatCommand('/ops models rollback iris-classifier') // 'opsmesh chat "models rollback iris-classifier"'
 */
export function chatCommand(text: string): string {
  const said = text.replace(/^\/ops\s+/, '').trim();
  const quoted = /^[\w\s.,:/@%+=#-]*$/.test(said) ? `"${said}"` : `'${said.replace(/'/g, "'\\''")}'`;
  return `opsmesh chat ${quoted}`;
}

export const chat: Group = {
  summary: 'talk to ChatOps',
  commands: {
    chat: {
      usage: '<message...>',
      summary:
        'Send a message to ChatOps as yourself, as in Slack: "opsmesh chat is auth up?", "opsmesh chat ack HighErrorRatio"; a change waits for "opsmesh chat confirm <code>".',
      positionals: [1, 200],
      async run(ctx, _values, words) {
        const text = words.join(' ').trim();
        if (!text) throw usageError('Say something: opsmesh chat "is auth up?"');
        const r = await ctx
          .api()
          .request<ChatMessageResponse>('POST', '/api/chatops/messages', { body: { text } });
        ctx.out.result(r, () =>
          [
            plainText(r.reply),
            ...(r.confirmation
              ? [`Confirm with: opsmesh chat confirm ${r.confirmation.code} (or: opsmesh chat no)`]
              : []),
            ...(r.choices?.length
              ? ['Did you mean:', ...r.choices.map((c) => `  ${chatCommand(c.text)}`)]
              : []),
          ].join('\n'),
        );
      },
    },
  },
};
