import type { ChatMessageResponse } from '@opsmesh/contracts';
import { usageError } from '../cli-error.js';
import type { Group } from '../command.js';

/** Slack's mrkdwn as plain terminal text: `*bold*`, `_italic_` and `~struck~` marks dropped. */
export function plainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/<([^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
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
              ? ['Did you mean:', ...r.choices.map((c) => `  opsmesh chat ${c.text}`)]
              : []),
          ].join('\n'),
        );
      },
    },
  },
};
