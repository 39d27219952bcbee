// API keys: the signed-in user's keys for scripts and other programs (name, prefix, state, when
// created, last used and expiring), a form to create one whose secret is shown once with a Copy
// button, and Revoke after a confirmation.
import { api, apiAll, can } from '../lib/api.js';
import { keyState } from '../lib/api-keys.js';
import { badge, confirmDialog, el, empty, failure, fill, say, sayRefused, table } from '../lib/dom.js';
import { ago, when } from '../lib/format.js';

export const title = 'API keys';

const KEYS = '/api/auth/api-keys';
const STATE_BADGE = { live: 'ok', revoked: 'info', expired: 'warning' };
const LIFETIMES = [
  [30, '30 days'],
  [90, '90 days'],
  [180, '180 days'],
  [365, '1 year'],
];

function keyForm(onSubmit) {
  const form = el(
    'form',
    { id: 'api-key-form', class: 'panel' },
    el('h2', {}, 'New API key'),
    el(
      'div',
      { class: 'row' },
      el(
        'label',
        {},
        'Name',
        el('input', {
          name: 'name',
          required: true,
          maxlength: '100',
          placeholder: 'ci-deploy',
          autocomplete: 'off',
        }),
      ),
      el(
        'label',
        {},
        'Expires after',
        el(
          'select',
          { name: 'expires_in_days' },
          LIFETIMES.map(([days, text]) => el('option', { value: String(days), selected: days === 90 }, text)),
        ),
      ),
    ),
    el(
      'p',
      { class: 'muted small' },
      'The key holds all of your permissions; to narrow them, use ',
      el('code', {}, 'npx opsmesh keys create --name <label> --permission models:read'),
      '.',
    ),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, 'Create key')),
    el('p', { class: 'result', role: 'status', 'aria-live': 'polite' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(form);
  });
  return form;
}

/** Copies `text`; where the clipboard API is not offered (plain HTTP off localhost) the field is selected for Ctrl+C. */
async function copy(input, out) {
  try {
    await navigator.clipboard.writeText(input.value);
    say(out, 'Copied.');
  } catch {
    input.select();
    say(out, 'The browser does not let the page copy: the key is selected, press Ctrl+C (or ⌘C).', 'bad');
  }
}

/** The new key, shown this once, with how to use it. */
function secretPanel(created, gateway) {
  const input = el('input', {
    id: 'api-key-secret',
    class: 'secret mono',
    readonly: true,
    value: created.key,
    'aria-label': `The key ${created.name}`,
    spellcheck: 'false',
  });
  const out = el('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  return el(
    'section',
    { id: 'api-key-created', class: 'panel' },
    el('h2', {}, `Key "${created.name}" created`),
    el(
      'p',
      {},
      el('strong', {}, 'This key will not be shown again.'),
      ' Copy it now and keep it where your program reads its secrets.',
    ),
    el(
      'div',
      { class: 'row' },
      input,
      el('button', { type: 'button', id: 'api-key-copy', onclick: () => copy(input, out) }, 'Copy'),
    ),
    out,
    el('p', { class: 'muted' }, 'Send it to the gateway in the X-API-Key header, e.g.'),
    el('pre', { class: 'mono' }, `curl -H "X-API-Key: <key>" ${gateway}/api/ml/models`),
    el('p', { class: 'muted' }, 'or give it to the CLI as OPSMESH_TOKEN=<key>.'),
  );
}

export async function render(root, { notice }) {
  const list = el('div', { 'aria-live': 'polite' });
  const fresh = el('div');
  const writable = can('apikeys:write');
  const form = writable ? keyForm(submit) : null;

  async function submit(f) {
    const out = f.querySelector('.result');
    const name = f.elements.name.value.trim();
    if (!name) {
      say(out, 'Give the key a name to recognise it by, e.g. ci-deploy.', 'bad');
      f.elements.name.focus();
      return;
    }
    try {
      const created = await api(KEYS, {
        method: 'POST',
        body: { name, expires_in_days: Number(f.elements.expires_in_days.value) },
      });
      f.reset();
      say(out, `Created ${created.id}.`);
      fill(fresh, secretPanel(created, location.origin));
      fresh.querySelector('#api-key-secret').select();
      await refresh();
    } catch (err) {
      sayRefused(out, err);
    }
  }

  async function revoke(key) {
    const sure = await confirmDialog(
      `Revoke the key "${key.name}"?`,
      `Programs using ${key.prefix}… are refused within seconds. This cannot be undone.`,
      'Revoke',
    );
    if (!sure) return;
    try {
      await api(`${KEYS}/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      notice(`Revoked the key "${key.name}" (${key.prefix}…).`);
    } catch (err) {
      notice(`Could not revoke "${key.name}": ${err.message}`, 'bad');
    }
    await refresh();
  }

  async function refresh() {
    if (!writable) return;
    try {
      const keys = await apiAll(KEYS, 'items', { limit: 100 });
      fill(
        list,
        el('h2', {}, `Your keys (${keys.length})`),
        keys.length
          ? table(
              ['name', 'prefix', 'state', 'created', 'last used', 'expires', ''],
              keys.map((k) => {
                const state = keyState(k);
                return {
                  attrs: { dataset: { key: k.id } },
                  cells: [
                    k.name,
                    el('span', { class: 'mono' }, `${k.prefix}…`),
                    badge(state, STATE_BADGE[state]),
                    ago(k.created_at),
                    k.last_used_at ? ago(k.last_used_at) : 'never',
                    state === 'revoked' ? `revoked ${ago(k.revoked_at)}` : when(k.expires_at),
                    state === 'live'
                      ? el(
                          'button',
                          { type: 'button', class: 'small danger', onclick: () => revoke(k) },
                          'Revoke',
                        )
                      : '',
                  ],
                };
              }),
              { id: 'api-keys' },
            )
          : empty('You have no API keys.', 'Create one above for a script or another program.'),
      );
    } catch (err) {
      fill(list, failure('API keys', err));
    }
  }

  fill(
    root,
    el('div', { class: 'view-head' }, el('h1', {}, 'API keys')),
    el(
      'p',
      { class: 'muted' },
      'A key lets a script or another program call the API as you, without your password. ',
      'From the command line: ',
      el('code', {}, 'npx opsmesh keys create --name <label>'),
      '.',
    ),
    form ?? el('p', { class: 'muted' }, 'Your role may not hold API keys.'),
    fresh,
    list,
  );
  await refresh();
  return { refresh };
}
