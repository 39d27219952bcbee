// Chat with the ChatOps service. Replies are rendered from their Block Kit blocks with Slack's
// mrkdwn turned into elements (never parsed as HTML); a change waiting for confirmation gets
// Confirm and Cancel buttons; user ids in replies are shown as emails.
import { api } from '../lib/api.js';
import { el, fill, requestTraceLink } from '../lib/dom.js';
import { render as mrkdwn } from '../lib/mrkdwn.js';
import { withEmails } from '../lib/people.js';

export const title = 'Chat';

/** The conversation survives moving between views during the session. */
const log = [];

function textOf(object) {
  if (!object) return null;
  return object.type === 'plain_text' ? document.createTextNode(object.text) : mrkdwn(object.text);
}

/**
 * What pressing a button says, as Slack's interactivity reads it: Confirm/Cancel settle a change
 * by its code; a choice (`chatops_say_<n>`) sends its text as the next message.
 */
export function buttonMessage(button) {
  if (!button.value) return null;
  if (button.action_id === 'chatops_confirm') return `confirm ${button.value}`;
  if (button.action_id === 'chatops_cancel') return `cancel ${button.value}`;
  if (button.action_id?.startsWith('chatops_say')) return button.value;
  return null;
}

/** Block Kit as the service sends it: header, section (text, fields), context, divider, actions. */
function blocks(list, send, settled) {
  return list.map((block) => {
    switch (block.type) {
      case 'header':
        return el('h3', { class: 'block-header' }, textOf(block.text));
      case 'section':
        return el(
          'div',
          { class: 'block-section' },
          block.text ? el('div', {}, textOf(block.text)) : null,
          block.fields
            ? el(
                'div',
                { class: 'block-fields' },
                block.fields.map((f) => el('div', {}, textOf(f))),
              )
            : null,
        );
      case 'context':
        return el(
          'div',
          { class: 'block-context muted' },
          block.elements.map((e) => el('span', {}, textOf(e))),
        );
      case 'divider':
        return el('hr');
      case 'actions':
        return el(
          'div',
          { class: 'actions' },
          block.elements
            .filter((e) => e.type === 'button')
            .map((b) => {
              const said = buttonMessage(b);
              const button = el(
                'button',
                {
                  type: 'button',
                  class: `small ${b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : ''}`,
                },
                b.text.text,
              );
              if (!said || settled) button.disabled = true;
              button.addEventListener('click', () => {
                for (const other of button.parentElement.querySelectorAll('button')) other.disabled = true;
                send(said);
              });
              return button;
            }),
        );
      default:
        return null;
    }
  });
}

function bubble(entry, send) {
  if (entry.from === 'me') return el('div', { class: 'msg me' }, entry.text);
  if (entry.error) {
    return el(
      'div',
      { class: 'msg bot bad', role: 'alert' },
      entry.error,
      entry.requestId ? [' ', requestTraceLink(entry.requestId)] : null,
    );
  }
  const settle = (text) => {
    entry.settled = true;
    send(text);
  };
  const body = entry.answer.blocks?.length
    ? blocks(entry.answer.blocks, settle, entry.settled)
    : [mrkdwn(entry.answer.reply)];
  const trace = entry.answer.traceId
    ? el('a', { class: 'trace-link', href: `#/traces/${entry.answer.traceId}` }, 'trace')
    : null;
  const node = el('div', { class: 'msg bot', dataset: { intent: entry.answer.intent } }, body, trace);
  withEmails(node);
  return node;
}

export async function render(root) {
  const history = el('div', {
    id: 'chat-log',
    class: 'chat',
    role: 'log',
    'aria-live': 'polite',
    'aria-label': 'Conversation',
  });
  const input = el('input', {
    name: 'text',
    'aria-label': 'Message',
    placeholder: 'e.g. status, show alerts, predict iris-classifier 5.1 3.5 1.4 0.2',
    maxlength: '2000',
    autocomplete: 'off',
    required: true,
  });
  const form = el(
    'form',
    { id: 'chat-form' },
    input,
    el('button', { type: 'submit', class: 'primary' }, 'Send'),
  );

  function show() {
    fill(
      history,
      log.length
        ? log.map((e) => bubble(e, send))
        : el('p', { class: 'muted' }, 'Say "help" to see what ChatOps can do.'),
    );
    history.scrollTop = history.scrollHeight;
  }

  async function send(text) {
    log.push({ from: 'me', text });
    show();
    try {
      log.push({
        from: 'bot',
        answer: await api('/api/chatops/messages', { method: 'POST', body: { text } }),
      });
    } catch (err) {
      log.push({ from: 'bot', error: err.message, requestId: err.body?.requestId });
    }
    show();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send(text);
  });
  fill(root, el('div', { class: 'view-head' }, el('h1', {}, 'Chat')), history, form);
  show();
  input.focus();
  return {};
}
