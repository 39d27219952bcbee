// One model, as MLflow's registry shows it: its aliases with their history (roll back to any
// earlier point, after a confirmation), its versions (size, sha256, who and when), a predict
// form built from the model's feature names, and its recent predictions.
import { api, apiAll, can, query } from '../lib/api.js';
import { badge, confirmDialog, el, empty, failure, fill, say, table } from '../lib/dom.js';
import { ago, bytes, DASH, sig, when } from '../lib/format.js';
import { person, resolve } from '../lib/people.js';
import { predictForm } from './predict-form.js';

export const title = 'Model';

function historyLine(entry) {
  const from = entry.fromVersion === null ? 'nothing' : `v${entry.fromVersion}`;
  const to = entry.toVersion === null ? 'deleted' : `v${entry.toVersion}`;
  return [
    `${entry.action}: ${from} → ${to}`,
    el('span', { class: 'muted' }, ' by '),
    person(entry.changedBy),
  ];
}

export async function render(root, { params, notice }) {
  const name = params.name;
  const base = `/api/ml/models/${encodeURIComponent(name)}`;
  const body = el('div', { 'aria-live': 'polite' });
  const writable = can('models:write');

  async function pointAlias(alias, version, current, how) {
    const sure = await confirmDialog(
      `${how === 'rollback' ? 'Roll back' : 'Move'} ${alias} of ${name}?`,
      `${alias} of ${name} will serve v${version} instead of ${current === undefined ? 'nothing' : `v${current}`}. Predictions through ${alias} change at once.`,
      how === 'rollback' ? 'Roll back' : 'Move',
    );
    if (!sure) return;
    try {
      const moved =
        how === 'rollback'
          ? await api(`${base}/aliases/${encodeURIComponent(alias)}/rollback`, { method: 'POST', body: {} })
          : await api(`${base}/aliases/${encodeURIComponent(alias)}`, { method: 'PUT', body: { version } });
      notice(`${moved.alias} of ${name} now points at v${moved.version}.`);
    } catch (err) {
      notice(`Could not point ${alias} of ${name} at v${version}: ${err.message}`, 'bad');
    }
    await refresh();
  }

  function aliasSection(aliases, histories, versions) {
    const rows = aliases.map((a) => {
      const history = histories.get(a.alias) ?? [];
      const previous = history.find((h) => h.toVersion === a.version)?.fromVersion;
      return {
        attrs: { dataset: { alias: a.alias } },
        cells: [
          el('strong', {}, a.alias),
          `v${a.version}`,
          [person(a.updatedBy), el('span', { class: 'muted' }, ` ${ago(a.updatedAt)}`)],
          writable && previous
            ? el(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  onclick: () => pointAlias(a.alias, previous, a.version, 'rollback'),
                },
                `Roll back to v${previous}`,
              )
            : DASH,
        ],
      };
    });
    const historyBlocks = aliases.map((a) =>
      el(
        'details',
        { class: 'history', dataset: { history: a.alias } },
        el('summary', {}, `History of ${a.alias} (${(histories.get(a.alias) ?? []).length})`),
        el(
          'ol',
          {},
          (histories.get(a.alias) ?? []).map((h, i) =>
            el(
              'li',
              {},
              el('span', { class: 'muted' }, `${when(h.changedAt)} `),
              historyLine(h),
              writable && i > 0 && h.toVersion !== null && h.toVersion !== a.version
                ? el(
                    'button',
                    {
                      type: 'button',
                      class: 'small',
                      onclick: () => pointAlias(a.alias, h.toVersion, a.version, 'move'),
                    },
                    `Roll back to here (v${h.toVersion})`,
                  )
                : null,
            ),
          ),
        ),
      ),
    );
    return el(
      'section',
      { class: 'panel', 'aria-labelledby': 'aliases-title' },
      el('h2', { id: 'aliases-title' }, 'Aliases'),
      aliases.length
        ? table(['alias', 'version', 'moved by', ''], rows, { id: 'aliases' })
        : empty('No alias yet.', 'Point one at a version below.'),
      historyBlocks,
      writable ? moveForm(aliases, versions) : null,
    );
  }

  function moveForm(aliases, versions) {
    const out = el('p', { class: 'result', role: 'status' });
    const form = el(
      'form',
      { id: 'alias-form', dataset: { model: name } },
      el('h3', {}, `Move an alias of ${name}`),
      el(
        'div',
        { class: 'row' },
        el(
          'label',
          {},
          'Alias',
          el('input', {
            name: 'alias',
            required: true,
            value: aliases[0]?.alias ?? 'production',
            pattern: '[a-z][a-z0-9_\\-]*',
            list: 'alias-names',
          }),
        ),
        el(
          'datalist',
          { id: 'alias-names' },
          aliases.map((a) => el('option', { value: a.alias })),
        ),
        el(
          'label',
          {},
          'Version',
          el(
            'select',
            { name: 'version', required: true },
            versions.map((v) => el('option', { value: String(v.version) }, `v${v.version}`)),
          ),
        ),
      ),
      el('button', { type: 'submit', class: 'primary' }, 'Move…'),
      out,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const alias = form.elements.alias.value.trim();
      const version = Number(form.elements.version.value);
      const current = aliases.find((a) => a.alias === alias)?.version;
      if (current === version) return say(out, `${alias} already points at v${version}.`, 'bad');
      pointAlias(alias, version, current, 'move');
    });
    return form;
  }

  function versionsSection(versions) {
    return el(
      'section',
      { class: 'panel', 'aria-labelledby': 'versions-title' },
      el('h2', { id: 'versions-title' }, `Versions (${versions.length})`),
      versions.length
        ? table(
            ['version', 'aliases', 'size', 'sha256', 'inputs', 'uploaded'],
            versions.map((v) => ({
              attrs: { dataset: { version: String(v.version) } },
              cells: [
                [`v${v.version}`, v.loaded ? el('span', { class: 'muted' }, ' loaded') : null],
                v.aliases.length ? v.aliases.map((a) => badge(a, 'info')) : DASH,
                bytes(v.sizeBytes),
                el('span', { class: 'mono', title: v.sha256 }, `${v.sha256.slice(0, 12)}…`),
                v.inputs.map((t) => `${t.name} ${t.datatype}[${t.shape.join(', ')}]`).join('; '),
                [person(v.createdBy), el('span', { class: 'muted' }, ` ${when(v.createdAt)}`)],
              ],
            })),
            { id: 'versions' },
          )
        : empty('No version uploaded yet.', `Upload an .onnx file: POST /api/ml/models/${name}/versions.`),
    );
  }

  function predictionsSection(items) {
    return el(
      'section',
      { class: 'panel', 'aria-labelledby': 'predictions-title' },
      el('h2', { id: 'predictions-title' }, 'Recent predictions'),
      items.length
        ? table(
            ['when', 'version', 'by', 'rows', 'latency', 'outputs'],
            items.map((p) => ({
              cells: [
                when(p.createdAt),
                `v${p.version}`,
                person(p.caller),
                String(p.rows),
                `${sig(p.latencyMs, 3)} ms`,
                el(
                  'span',
                  { class: 'mono clip', title: JSON.stringify(p.outputs) },
                  JSON.stringify(p.outputs).slice(0, 80),
                ),
              ],
            })),
            { id: 'predictions' },
          )
        : empty(
            'No prediction recorded yet.',
            'The ML service records a sample of predictions: one in every ML_PREDICTION_LOG_EVERY (10 unless set).',
          ),
    );
  }

  const predictionsNode = el('div');
  async function refreshPredictions() {
    try {
      const { items } = await api(`${base}/predictions${query({ limit: 10 })}`);
      await resolve(items.map((p) => p.caller));
      fill(predictionsNode, predictionsSection(items));
    } catch (err) {
      fill(predictionsNode, failure('Recent predictions', err));
    }
  }

  // The whole page is read again after a change; it is not refreshed on a timer, so nothing
  // an operator is typing or reading is replaced under them.
  async function refresh() {
    try {
      const [model, versions, aliases, predictions] = await Promise.all([
        api(base),
        apiAll(`${base}/versions`, 'items', { limit: 1000 }),
        api(`${base}/aliases`).then((r) => r.items),
        api(`${base}/predictions${query({ limit: 10 })}`).then((r) => r.items),
      ]);
      const histories = new Map(
        await Promise.all(
          aliases.map(async (a) => [
            a.alias,
            (await api(`${base}/aliases/${encodeURIComponent(a.alias)}/history`)).items,
          ]),
        ),
      );
      await resolve([
        model.owner,
        ...versions.map((v) => v.createdBy),
        ...aliases.map((a) => a.updatedBy),
        ...[...histories.values()].flat().map((h) => h.changedBy),
        ...predictions.map((p) => p.caller),
      ]);
      const sorted = [...versions].sort((a, b) => b.version - a.version);
      fill(
        body,
        el('p', {}, model.description || el('span', { class: 'muted' }, 'No description.')),
        el('p', { class: 'muted' }, 'owner ', person(model.owner), ` · registered ${when(model.createdAt)}`),
        aliasSection(aliases, histories, sorted),
        predictForm({ name, versions: sorted, aliases, onDone: refreshPredictions }),
        versionsSection(sorted),
        predictionsNode,
      );
      fill(predictionsNode, predictionsSection(predictions));
    } catch (err) {
      fill(body, failure(`Model ${name}`, err));
    }
  }

  fill(
    root,
    el('div', { class: 'view-head' }, el('h1', {}, name), el('a', { href: '#/models' }, 'All models')),
    body,
  );
  await refresh();
  return {};
}
