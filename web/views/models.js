// Models: the registry at a glance; each model opens its own page (views/model.js).
import { api } from '../lib/api.js';
import { badge, el, empty, failure, fill } from '../lib/dom.js';
import { ago, DASH } from '../lib/format.js';
import { person, resolve } from '../lib/people.js';

export const title = 'Models';

function modelItem(m) {
  const aliases = Object.entries(m.aliases).sort(([a], [b]) => a.localeCompare(b));
  return el(
    'li',
    { class: 'card model', dataset: { model: m.name } },
    el('h2', {}, el('a', { href: `#/models/${encodeURIComponent(m.name)}` }, m.name)),
    m.description ? el('p', {}, m.description) : null,
    el(
      'p',
      { class: 'labels' },
      el(
        'span',
        { class: 'chip' },
        m.latestVersion === null ? 'no version yet' : `latest v${m.latestVersion}`,
      ),
      aliases.map(([alias, v]) => badge(`${alias} → v${v}`, 'info')),
    ),
    el(
      'p',
      { class: 'muted' },
      'owner ',
      person(m.owner),
      ` · updated ${m.updatedAt ? ago(m.updatedAt) : DASH}`,
    ),
  );
}

export async function render(root) {
  const list = el('div', { 'aria-live': 'polite' });
  async function refresh() {
    try {
      const { items } = await api('/api/ml/models?limit=500');
      await resolve(items.map((m) => m.owner));
      fill(
        list,
        items.length
          ? el('ul', { class: 'cards' }, items.map(modelItem))
          : empty(
              'No models registered.',
              'Register one with POST /api/ml/models, then upload an .onnx version.',
            ),
      );
    } catch (err) {
      fill(list, failure('Models', err));
    }
  }
  fill(root, el('div', { class: 'view-head' }, el('h1', {}, 'Models')), list);
  await refresh();
  return { refresh };
}
