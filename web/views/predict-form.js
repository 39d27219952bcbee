// The model page's predict form: one labelled number field per feature, named from the model's
// `features` metadata (or numbered from its input width), as many rows as wanted; raw JSON rows
// only when the model says nothing about its inputs.
import { api, query } from '../lib/api.js';
import { el, fill, requestTraceLink, say, table } from '../lib/dom.js';

/** The feature names of a version: its `features` metadata, else `feature 1..k` from a fixed input width. */
export function featuresOf(version) {
  const named = version?.metadata?.features
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (named?.length) return { names: named, keyed: true };
  const width = version?.inputs?.[0]?.shape?.at(-1);
  if (version?.inputs?.length === 1 && Number.isInteger(width) && width > 0 && width <= 64) {
    return { names: Array.from({ length: width }, (_, i) => `feature ${i + 1}`), keyed: false };
  }
  return { names: [], keyed: false };
}

export function predictForm({ name, versions, aliases, onDone }) {
  const targets = [
    ...aliases.map((a) => ({
      key: `alias:${a.alias}`,
      label: `${a.alias} (v${a.version})`,
      version: a.version,
      q: { alias: a.alias },
    })),
    ...versions.map((v) => ({
      key: `version:${v.version}`,
      label: `v${v.version}`,
      version: v.version,
      q: { version: v.version },
    })),
  ];
  const target = el(
    'select',
    { name: 'target' },
    targets.map((t) => el('option', { value: t.key }, t.label)),
  );
  const rows = el('div', { class: 'predict-rows' });
  const out = el('p', { class: 'result', role: 'status', 'aria-live': 'polite' });
  const answer = el('div', { id: 'predict-answer' });
  let features = { names: [], keyed: false };

  const chosen = () => targets.find((t) => t.key === target.value);
  const versionOf = (t) => versions.find((v) => v.version === t?.version);

  function row(index) {
    if (!features.names.length) {
      return el(
        'label',
        { class: 'predict-row' },
        'Rows as JSON (this model does not name its inputs)',
        el(
          'textarea',
          { name: 'json', rows: '3', required: true, spellcheck: 'false' },
          '[[5.1, 3.5, 1.4, 0.2]]',
        ),
      );
    }
    return el(
      'fieldset',
      { class: 'predict-row' },
      el('legend', {}, `Row ${index + 1}`),
      el(
        'div',
        { class: 'features' },
        features.names.map((f) =>
          el(
            'label',
            {},
            f,
            el('input', { name: f, type: 'number', step: 'any', required: true, inputmode: 'decimal' }),
          ),
        ),
      ),
    );
  }

  function rebuild() {
    features = featuresOf(versionOf(chosen()));
    fill(rows, row(0));
    addRow.hidden = !features.names.length;
    removeRow.hidden = true;
  }

  const addRow = el('button', { type: 'button', class: 'small' }, 'Add a row');
  const removeRow = el('button', { type: 'button', class: 'small' }, 'Remove the last row');
  addRow.addEventListener('click', () => {
    rows.append(row(rows.children.length));
    removeRow.hidden = false;
  });
  removeRow.addEventListener('click', () => {
    rows.lastElementChild?.remove();
    removeRow.hidden = rows.children.length <= 1;
  });
  target.addEventListener('change', rebuild);

  function instances() {
    if (!features.names.length) return JSON.parse(rows.querySelector('textarea').value);
    return [...rows.querySelectorAll('fieldset')].map((set) => {
      const values = features.names.map((f) => Number(set.querySelector(`[name="${CSS.escape(f)}"]`).value));
      return features.keyed ? Object.fromEntries(features.names.map((f, i) => [f, values[i]])) : values;
    });
  }

  const form = el(
    'form',
    { id: 'predict-form', class: 'panel', dataset: { model: name }, 'aria-labelledby': 'predict-title' },
    el('h2', { id: 'predict-title' }, `Predict with ${name}`),
    el('label', {}, 'Served by', target),
    rows,
    el(
      'div',
      { class: 'actions' },
      addRow,
      removeRow,
      el('button', { type: 'submit', class: 'primary' }, 'Predict'),
    ),
    out,
    answer,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fill(answer);
    let body;
    try {
      body = { instances: instances() };
    } catch (err) {
      return say(out, `The rows must be JSON, e.g. [[5.1, 3.5, 1.4, 0.2]]: ${err.message}`, 'bad');
    }
    try {
      const t = chosen();
      const result = await api(`/api/ml/models/${encodeURIComponent(name)}/predict${query(t?.q ?? {})}`, {
        method: 'POST',
        body,
      });
      say(
        out,
        `${result.model} v${result.version}${result.alias ? ` (${result.alias})` : ''} answered ${result.predictions.length} row(s).`,
      );
      fill(
        answer,
        table(
          ['row', 'prediction', ...(result.labels ? ['label'] : [])],
          result.predictions.map((p, i) => ({
            cells: [String(i + 1), JSON.stringify(p), ...(result.labels ? [result.labels[i]] : [])],
          })),
          { id: 'predict-table' },
        ),
      );
      await onDone();
    } catch (err) {
      say(out, err.message, 'bad');
      if (err.body?.requestId) out.append(' ', requestTraceLink(err.body.requestId));
    }
  });
  if (targets.length) rebuild();
  else fill(rows, el('p', { class: 'muted' }, 'Upload a version to predict with it.'));
  return form;
}
