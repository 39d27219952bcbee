// Models: the registry at a glance; each model opens its own page (views/model.js).
import { api, can } from '../lib/api.js';
import { badge, el, empty, failure, fill } from '../lib/dom.js';
import { ago, DASH } from '../lib/format.js';
import { person, resolve } from '../lib/people.js';

export const title = 'Models';

// The console has no upload form (a model file can be hundreds of megabytes; the CLI streams it
// with a progress bar): the command is named where someone who may upload looks for it.
const UPLOAD = 'npx opsmesh models upload <name> <file.onnx>';

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
          : empty('No models registered.', `Upload one from the repository: ${UPLOAD}`),
      );
    } catch (err) {
      fill(list, failure('Models', err));
    }
  }
  const hint = can('models:write')
    ? el(
        'p',
        { class: 'muted', id: 'upload-hint' },
        'Upload a model, or a new version of one, from the repository: ',
        el('code', {}, UPLOAD),
        ' (it creates the model if need be; promote a version to serve it).',
      )
    : null;
  fill(root, el('div', { class: 'view-head' }, el('h1', {}, 'Models')), hint, list);
  await refresh();
  return { refresh };
}
