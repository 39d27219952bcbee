// Silences: a form to create (or edit) one with label matchers, a duration and a comment, and
// the list of active, pending and recently expired ones with Edit and Expire.
import { api, apiAll, can } from '../lib/api.js';
import { confirmDialog, el, empty, failure, fill, say, sayRefused } from '../lib/dom.js';
import { ago, span, when } from '../lib/format.js';
import { person, resolve } from '../lib/people.js';

export const title = 'Silences';

const matcherText = (m) => `${m.name}${m.op}"${m.value}"`;

function durationOf(silence) {
  const ms = Date.parse(silence.endsAt) - Math.max(Date.now(), Date.parse(silence.startsAt));
  const minutes = Math.max(1, Math.round(ms / 60_000));
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

function silenceItem(silence, { edit, expire }) {
  const writable = can('alerts:silence') && silence.state !== 'expired';
  const timing =
    silence.state === 'expired'
      ? `ended ${ago(silence.endsAt)}`
      : silence.state === 'pending'
        ? `starts ${when(silence.startsAt)}, ends ${when(silence.endsAt)}`
        : `until ${when(silence.endsAt)} (${span(Date.parse(silence.endsAt) - Date.now())} left)`;
  return el(
    'li',
    { class: `silence state-${silence.state}`, dataset: { silence: silence.id } },
    el(
      'p',
      { class: 'labels' },
      silence.matchers.map((m) => el('span', { class: 'chip mono' }, matcherText(m))),
    ),
    el('p', {}, silence.comment),
    el('p', { class: 'muted' }, `${timing} · by `, person(silence.createdBy), ` · ${silence.id}`),
    writable
      ? el(
          'div',
          { class: 'actions' },
          el('button', { type: 'button', class: 'small', onclick: () => edit(silence) }, 'Edit'),
          el('button', { type: 'button', class: 'small danger', onclick: () => expire(silence) }, 'Expire'),
        )
      : null,
  );
}

function silenceForm(onSubmit) {
  const form = el(
    'form',
    { id: 'silence-form', class: 'panel' },
    el('h2', { id: 'silence-form-title' }, 'New silence'),
    el(
      'label',
      {},
      'Matchers, one per line (all must match)',
      el('textarea', {
        name: 'matchers',
        rows: '3',
        required: true,
        spellcheck: 'false',
        placeholder: 'alertname="ServiceDown"\nservice=~"ml-.*"',
        'aria-describedby': 'matchers-help',
      }),
    ),
    el(
      'p',
      { id: 'matchers-help', class: 'muted small' },
      'name="value", name!="value", name=~"regex" or name!~"regex".',
    ),
    el(
      'div',
      { class: 'row' },
      el(
        'label',
        {},
        'Duration',
        el('input', {
          name: 'duration',
          required: true,
          value: '2h',
          list: 'durations',
          pattern: '([0-9]+(ms|s|m|h|d|w))+',
          title: 'e.g. 30m, 2h, 1d',
        }),
      ),
      el(
        'datalist',
        { id: 'durations' },
        ['30m', '1h', '2h', '4h', '8h', '1d', '1w'].map((d) => el('option', { value: d })),
      ),
    ),
    el(
      'label',
      {},
      'Comment',
      el('input', {
        name: 'comment',
        required: true,
        maxlength: '1000',
        placeholder: 'why, and who is on it',
      }),
    ),
    el('input', { type: 'hidden', name: 'id' }),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'submit', class: 'primary' }, 'Create silence'),
      el('button', { type: 'reset' }, 'Clear'),
    ),
    el('p', { class: 'result', role: 'status', 'aria-live': 'polite' }),
  );
  form.addEventListener('reset', () => {
    form.elements.id.value = '';
    form.querySelector('h2').textContent = 'New silence';
    form.querySelector('button[type=submit]').textContent = 'Create silence';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(form);
  });
  return form;
}

export async function render(root, { query, notice }) {
  const list = el('div', { 'aria-live': 'polite' });
  const form = can('alerts:silence') ? silenceForm(submit) : null;

  async function submit(f) {
    const id = f.elements.id.value;
    const body = {
      matchers: f.elements.matchers.value
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
      duration: f.elements.duration.value.trim(),
      comment: f.elements.comment.value.trim(),
    };
    const out = f.querySelector('.result');
    try {
      const saved = await api(id ? `/api/monitoring/silences/${id}` : '/api/monitoring/silences', {
        method: id ? 'PUT' : 'POST',
        body,
      });
      f.reset();
      say(
        out,
        `${id ? 'Saved' : 'Created'} ${saved.id}: ${saved.matchers.map(matcherText).join(', ')} until ${when(saved.endsAt)}.`,
      );
      await refresh();
    } catch (err) {
      sayRefused(out, err);
    }
  }

  function edit(silence) {
    form.elements.id.value = silence.id;
    form.elements.matchers.value = silence.matchers.map(matcherText).join('\n');
    form.elements.duration.value = durationOf(silence);
    form.elements.comment.value = silence.comment;
    form.querySelector('h2').textContent = `Edit ${silence.id}`;
    form.querySelector('button[type=submit]').textContent = 'Save silence';
    form.scrollIntoView({ block: 'start' });
    form.elements.matchers.focus();
  }

  async function expire(silence) {
    const sure = await confirmDialog(
      'Expire this silence?',
      `Alerts matching ${silence.matchers.map(matcherText).join(', ')} will notify again.`,
      'Expire',
    );
    if (!sure) return;
    try {
      await api(`/api/monitoring/silences/${silence.id}`, { method: 'DELETE' });
      notice(`Expired ${silence.id}.`);
    } catch (err) {
      notice(`Could not expire ${silence.id}: ${err.message}`, 'bad');
    }
    await refresh();
  }

  async function refresh() {
    try {
      const silences = await apiAll('/api/monitoring/silences', 'silences', { limit: 1000 });
      await resolve(silences.map((s) => s.createdBy));
      const live = silences.filter((s) => s.state !== 'expired');
      const ended = silences.filter((s) => s.state === 'expired');
      const actions = { edit, expire };
      fill(
        list,
        el('h2', {}, `Active and pending (${live.length})`),
        live.length
          ? el(
              'ul',
              { class: 'silence-list' },
              live.map((s) => silenceItem(s, actions)),
            )
          : empty(
              'No silence is in force.',
              'Silence an alert from the Alerts view, or write matchers above.',
            ),
        ended.length
          ? el(
              'details',
              { class: 'resolved' },
              el('summary', {}, `Expired in the last week (${ended.length})`),
              el(
                'ul',
                { class: 'silence-list' },
                ended.map((s) => silenceItem(s, actions)),
              ),
            )
          : null,
      );
    } catch (err) {
      fill(list, failure('Silences', err));
    }
  }

  fill(
    root,
    el('div', { class: 'view-head' }, el('h1', {}, 'Silences'), el('a', { href: '#/alerts' }, 'Alerts')),
    form ?? el('p', { class: 'muted' }, 'Your role can see silences but not create, edit or expire them.'),
    list,
  );
  const prefill = query.getAll('m');
  if (form && prefill.length) {
    form.elements.matchers.value = prefill.join('\n');
    form.elements.comment.focus();
  }
  await refresh();
  return { refresh };
}
