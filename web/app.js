// The operator console: plain modules talking to the gateway's API with the access token kept
// in session storage. Everything shown comes from the API; text is set with textContent only,
// never parsed as HTML.
const state = {
  token: sessionStorage.getItem('opsmesh.token'),
  refresh: sessionStorage.getItem('opsmesh.refresh'),
  models: [],
  timer: null,
};
const REFRESH_MS = 15_000;
const $ = (id) => document.getElementById(id);

/** An element with attributes and children; strings become text nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function saveTokens(answer) {
  state.token = answer.access_token;
  state.refresh = answer.refresh_token ?? state.refresh;
  sessionStorage.setItem('opsmesh.token', state.token);
  if (state.refresh) sessionStorage.setItem('opsmesh.refresh', state.refresh);
}

function clearTokens() {
  state.token = null;
  state.refresh = null;
  sessionStorage.removeItem('opsmesh.token');
  sessionStorage.removeItem('opsmesh.refresh');
}

/** Calls the API; refreshes the access token once on 401 and retries. Errors carry the problem's detail. */
async function api(path, init = {}, retried = false) {
  const headers = { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401 && state.refresh && !retried) {
    const r = await fetch('/api/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: state.refresh }),
    });
    if (r.ok) {
      saveTokens(await r.json());
      return api(path, init, true);
    }
    clearTokens();
    show();
  }
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    // problem+json from the platform, or the inference protocol's own { error } body.
    const message = body?.detail ?? body?.error ?? body?.title ?? `${res.status} ${res.statusText}`;
    throw new Error(message);
  }
  return body;
}

const json = (value) => ({ method: 'POST', body: JSON.stringify(value) });

function notice(text, kind = 'ok') {
  const n = $('notice');
  n.textContent = text;
  n.className = `notice ${kind}`;
  n.hidden = !text;
}

// --- formatting ------------------------------------------------------------------------------
const dash = '–';
const num = (v, digits = 2) => (v === null || v === undefined ? dash : v.toFixed(digits));
const pct = (v, digits = 1) => (v === null || v === undefined ? dash : `${(v * 100).toFixed(digits)}%`);
const ms = (seconds) =>
  seconds === null || seconds === undefined ? dash : `${(seconds * 1000).toFixed(1)} ms`;
function ago(iso) {
  if (!iso) return dash;
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 90) return `${s}s ago`;
  if (s < 5400) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}

function emptyRow(tbody, columns, text, cls = 'muted') {
  const tr = tbody.insertRow();
  const td = tr.insertCell();
  td.colSpan = columns;
  td.className = cls;
  td.textContent = text;
}

// --- views -----------------------------------------------------------------------------------
async function loadMe() {
  try {
    const me = await api('/api/auth/me');
    $('whoami').textContent = `${me.email} · ${me.roles.join(', ')}`;
  } catch {
    $('whoami').textContent = '';
  }
}

async function loadServices() {
  const tbody = $('services').querySelector('tbody');
  try {
    const [view, signals] = await Promise.all([
      api('/api/monitoring/services'),
      api('/api/monitoring/signals?window=5m'),
    ]);
    tbody.replaceChildren();
    $('signals-source').textContent = `signals from ${signals.source}, last ${signals.window}`;
    const bySignals = new Map(signals.services.map((s) => [s.service, s.signals]));
    if (!view.services.length) emptyRow(tbody, 8, 'No services discovered yet.');
    for (const svc of view.services) {
      const s = bySignals.get(svc.name) ?? {};
      const ready = svc.instances.filter((i) => i.ready).length;
      const total = svc.instances.length;
      const tr = tbody.insertRow();
      tr.dataset.service = svc.name;
      tr.insertCell().textContent = svc.name;
      const health = tr.insertCell();
      health.textContent = `${ready}/${total}`;
      health.className = ready === total && total > 0 ? 'ok' : 'bad';
      const errors = svc.instances.map((i) => i.lastError).filter(Boolean);
      if (errors.length) health.title = errors.join('\n');
      tr.insertCell().textContent = num(s.request_rate);
      const err = tr.insertCell();
      err.textContent = pct(s.error_ratio, 2);
      if (s.error_ratio > 0.05) err.className = 'bad';
      tr.insertCell().textContent = ms(s.latency_p50);
      tr.insertCell().textContent = ms(s.latency_p99);
      tr.insertCell().textContent = pct(s.availability);
      tr.insertCell().textContent = pct(s.saturation, 0);
    }
  } catch (err) {
    tbody.replaceChildren();
    emptyRow(tbody, 8, `Services unavailable: ${err.message}`, 'bad');
  }
}

async function acknowledge(alert) {
  try {
    await api(`/api/monitoring/alerts/${alert.fingerprint}/ack`, json({}));
    notice(`Acknowledged ${alert.alertname}.`);
  } catch (err) {
    notice(`Could not acknowledge ${alert.alertname}: ${err.message}`, 'bad');
  }
  await loadAlerts();
}

async function silence(alert) {
  const matchers = [`alertname="${alert.alertname}"`];
  if (alert.labels.service) matchers.push(`service="${alert.labels.service}"`);
  try {
    await api(
      '/api/monitoring/silences',
      json({ matchers, duration: '1h', comment: 'silenced from the console' }),
    );
    notice(`Silenced ${matchers.join(', ')} for 1h.`);
  } catch (err) {
    notice(`Could not silence ${alert.alertname}: ${err.message}`, 'bad');
  }
  await loadAlerts();
}

async function loadAlerts() {
  const tbody = $('alerts').querySelector('tbody');
  try {
    const { alerts } = await api('/api/monitoring/alerts');
    tbody.replaceChildren();
    if (!alerts.length) emptyRow(tbody, 7, 'No alerts.', 'ok');
    for (const a of alerts) {
      const tr = tbody.insertRow();
      tr.dataset.alert = a.alertname;
      const stateCell = tr.insertCell();
      stateCell.textContent = a.silencedBy.length ? `${a.state} (silenced)` : a.state;
      stateCell.className = a.state === 'firing' && !a.silencedBy.length ? 'bad' : 'muted';
      tr.insertCell().textContent = a.labels.severity ?? dash;
      tr.insertCell().textContent = a.alertname;
      tr.insertCell().textContent = a.labels.service ?? dash;
      tr.insertCell().textContent = a.annotations.summary ?? a.annotations.description ?? '';
      tr.insertCell().textContent = ago(a.firedAt ?? a.activeAt);
      const actions = tr.insertCell();
      if (a.acknowledgedBy) actions.append(el('span', { class: 'muted' }, `acked by ${a.acknowledgedBy}`));
      else if (a.state !== 'resolved') {
        actions.append(
          el('button', { type: 'button', class: 'small', onclick: () => acknowledge(a) }, 'Ack'),
        );
      }
      if (a.state !== 'resolved' && !a.silencedBy.length) {
        actions.append(
          el('button', { type: 'button', class: 'small', onclick: () => silence(a) }, 'Silence 1h'),
        );
      }
    }
  } catch (err) {
    tbody.replaceChildren();
    emptyRow(tbody, 7, `Alerts unavailable: ${err.message}`, 'bad');
  }
}

async function loadModels() {
  const tbody = $('models').querySelector('tbody');
  const select = $('predict-form').elements.model;
  try {
    const { items } = await api('/api/ml/models');
    state.models = items;
    tbody.replaceChildren();
    if (!items.length) emptyRow(tbody, 3, 'No models registered.');
    const chosen = select.value;
    select.replaceChildren(...items.map((m) => el('option', { value: m.name }, m.name)));
    if (items.some((m) => m.name === chosen)) select.value = chosen;
    for (const m of items) {
      const tr = tbody.insertRow();
      tr.dataset.model = m.name;
      tr.insertCell().append(m.name, m.description ? el('div', { class: 'muted' }, m.description) : null);
      tr.insertCell().textContent = m.latestVersion === null ? dash : `v${m.latestVersion}`;
      const aliases = Object.entries(m.aliases).map(([alias, v]) => `${alias} → v${v}`);
      tr.insertCell().textContent = aliases.join(', ') || dash;
    }
  } catch (err) {
    tbody.replaceChildren();
    emptyRow(tbody, 3, `Models unavailable: ${err.message}`, 'bad');
  }
}

function say(text, cls) {
  $('chat-log').append(el('p', cls ? { class: cls } : {}, text));
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}

const loaders = { services: loadServices, alerts: loadAlerts, models: loadModels };

function show() {
  const inApp = Boolean(state.token);
  $('login-view').hidden = inApp;
  $('app-view').hidden = !inApp;
  $('logout').hidden = !inApp;
  clearInterval(state.timer);
  if (!inApp) {
    $('whoami').textContent = '';
    return;
  }
  loadMe();
  for (const load of Object.values(loaders)) load();
  // Services and alerts follow the scrape interval while the console is open.
  state.timer = setInterval(() => {
    if (document.visibilityState === 'visible' && state.token) {
      loadServices();
      loadAlerts();
    }
  }, REFRESH_MS);
}

// --- forms -----------------------------------------------------------------------------------
$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('login-error').textContent = '';
  try {
    saveTokens(await api('/api/auth/login', json(Object.fromEntries(form))));
    event.target.reset();
    show();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('/api/auth/logout', json({ refresh_token: state.refresh ?? undefined })).catch(() => {});
  clearTokens();
  notice('');
  show();
});

$('predict-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { model, instances } = event.target.elements;
  const out = $('predict-result');
  let rows;
  try {
    rows = JSON.parse(instances.value);
  } catch (err) {
    out.textContent = `Instances must be JSON, e.g. [[5.1, 3.5, 1.4, 0.2]]: ${err.message}`;
    out.className = 'result bad';
    return;
  }
  try {
    const answer = await api(
      `/api/ml/models/${encodeURIComponent(model.value)}/predict`,
      json({ instances: rows }),
    );
    const served = `${answer.model} v${answer.version}${answer.alias ? ` (${answer.alias})` : ''}`;
    const shown = answer.labels ?? answer.predictions.map((p) => JSON.stringify(p));
    out.textContent = `${served}\n${shown.join('\n')}`;
    out.className = 'result';
  } catch (err) {
    out.textContent = err.message;
    out.className = 'result bad';
  }
});

async function aliasAction(path, init, done) {
  const out = $('alias-result');
  try {
    const answer = await api(path, init);
    out.textContent = done(answer);
    out.className = 'ok';
    await loadModels();
  } catch (err) {
    out.textContent = err.message;
    out.className = 'bad';
  }
}

const aliasPath = () => {
  const model = encodeURIComponent($('predict-form').elements.model.value);
  const alias = encodeURIComponent($('alias-form').elements.alias.value);
  return `/api/ml/models/${model}/aliases/${alias}`;
};

$('alias-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const version = Number(event.target.elements.version.value);
  aliasAction(
    aliasPath(),
    { method: 'PUT', body: JSON.stringify({ version }) },
    (a) => `${a.alias} now points at v${a.version}.`,
  );
});

$('alias-rollback').addEventListener('click', () => {
  aliasAction(`${aliasPath()}/rollback`, json({}), (a) => `${a.alias} rolled back to v${a.version}.`);
});

$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = event.target.elements.text;
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  say(text, 'me');
  try {
    const answer = await api('/api/chatops/messages', json({ text }));
    say(answer.reply);
  } catch (err) {
    say(err.message, 'bad');
  }
});

for (const button of document.querySelectorAll('[data-refresh]')) {
  button.addEventListener('click', () => loaders[button.dataset.refresh]());
}

show();
