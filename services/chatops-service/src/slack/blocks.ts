/** The Block Kit blocks this service sends; a subset of Slack's, typed so a typo fails to compile. */
export type TextObject = { type: 'mrkdwn' | 'plain_text'; text: string; emoji?: boolean };
export type ButtonElement = {
  type: 'button';
  text: TextObject;
  action_id: string;
  value: string;
  style?: 'primary' | 'danger';
};
export type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[]; block_id?: string }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' }
  | { type: 'actions'; block_id?: string; elements: ButtonElement[] };

// Slack rejects section text over 3,000 characters and headers over 150.
const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;

function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  // Never cut an escape (`&amp;`) in half: Slack would show the stub as written.
  return `${text.slice(0, limit - 1).replace(/&[a-z]{0,3}$/, '')}…`;
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters, as Slack's "Escaping
 * text" asks for any text that is not meant as a link, mention or special command.
 *
 * @example escapeMrkdwn('ack <alert id> & co') // 'ack &lt;alert id&gt; &amp; co'
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text already written as Slack mrkdwn (its own links, escaped values), sent as is. */
export interface Markup {
  readonly markup: string;
}

/** What the builders take: plain text, which they escape, or mrkdwn built with {@link markup}. */
export type Text = string | Markup;

/**
 * Marks mrkdwn the caller wrote itself (with {@link link} and {@link escapeMrkdwn}) so the builders
 * do not escape it again.
 */
export const markup = (text: string): Markup => ({ markup: text });

/** Text as Slack mrkdwn: plain text escaped, markup as written. */
export const asMrkdwn = (text: Text): string => (typeof text === 'string' ? escapeMrkdwn(text) : text.markup);

/**
 * A Slack link with a label, or undefined for anything but an http(s) URL. The URL's `&`, `<`, `>`
 * are escaped and a `|` percent-encoded, so neither can end the link early; the label is escaped.
 *
 * @example link('https://runbooks.example/a?b=1&c=2', 'runbook') // '<https://runbooks.example/a?b=1&amp;c=2|runbook>'
 */
export function link(url: string | undefined, label: string): string | undefined {
  if (!url || !/^https?:\/\/[^\s]+$/.test(url)) return undefined;
  return `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>`;
}

export const mrkdwn = (text: Text): TextObject => ({
  type: 'mrkdwn',
  text: clip(asMrkdwn(text), SECTION_LIMIT),
});
/** Plain text: Slack shows it as written (no markup is read in it), so nothing is escaped. */
export const plain = (text: string): TextObject => ({
  type: 'plain_text',
  text: clip(text, HEADER_LIMIT),
  emoji: true,
});

export const header = (text: string): Block => ({ type: 'header', text: plain(text) });
export const section = (text: Text): Block => ({ type: 'section', text: mrkdwn(text) });
export const divider = (): Block => ({ type: 'divider' });
export const context = (...texts: Text[]): Block => ({ type: 'context', elements: texts.map(mrkdwn) });

/** Two-column label/value pairs (Slack shows at most ten fields per section); both are escaped. */
export function fields(pairs: readonly (readonly [string, string])[]): Block {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([k, v]) => mrkdwn(markup(`*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}`))),
  };
}

/**
 * Confirm / Cancel buttons for a pending command; both carry the confirmation code as their value.
 *
 * @example confirmButtons('K2P9QX') // { type: 'actions', elements: [Confirm, Cancel] }
 */
export function confirmButtons(code: string): Block {
  return {
    type: 'actions',
    block_id: `confirm_${code}`,
    elements: [
      { type: 'button', text: plain('Confirm'), action_id: 'chatops_confirm', value: code, style: 'primary' },
      { type: 'button', text: plain('Cancel'), action_id: 'chatops_cancel', value: code, style: 'danger' },
    ],
  };
}

/** A message a person can send by pressing a button, instead of typing it. */
export interface Choice {
  label: string;
  text: string;
}

// Slack caps a button's text at 75 characters and its value at 2,000.
const BUTTON_LABEL_LIMIT = 75;
const BUTTON_VALUE_LIMIT = 2000;

/**
 * One button per choice; each sends its text as the person's next message (action `chatops_say`).
 *
 * @example choiceButtons([{ label: 'iris-classifier', text: '/ops models rollback iris-classifier' }])
 */
export function choiceButtons(choices: readonly Choice[]): Block {
  return {
    type: 'actions',
    block_id: 'chatops_choices',
    elements: choices
      .filter((c) => c.text.length <= BUTTON_VALUE_LIMIT)
      .slice(0, 5)
      .map((c, i) => ({
        type: 'button' as const,
        text: { type: 'plain_text' as const, text: clip(c.label, BUTTON_LABEL_LIMIT), emoji: true },
        action_id: `chatops_say_${i}`,
        value: c.text,
      })),
  };
}

/** A plain reply as blocks: the first paragraph as a section, any further lines as context. */
export function textBlocks(reply: string): Block[] {
  const [first, ...rest] = reply.split('\n\n');
  const out: Block[] = [section(first ?? '')];
  if (rest.length > 0) out.push(section(rest.join('\n\n')));
  return out;
}
