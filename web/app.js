// The operator console: plain modules talking to the gateway's API with the access token
// kept in session storage. Everything shown comes from the API; text is set with
// textContent only, never parsed as HTML.
const state = {
  token: sessionStorage.getItem('opsmesh.token'),
  refresh: sessionStorage.getItem('opsmesh.refresh'),
};
const $ = (id) => document.getElementById(id);

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

/** Calls the API; refreshes the access token once on 401 and retries. */
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
  if (!res.ok) throw new Error(body?.detail ?? `${res.status} ${res.statusText}`);
  return body;
}

function item(list, text, cls) {
  const li = document.createElement('li');
  li.textContent = text;
  if (cls) li.className = cls;
  list.append(li);
}

async function loadServices() {
  const tbody = $('services').querySelector('tbody');
  tbody.replaceChildren();
  const health = await fetch('/health/ready').then((r) => r.json());
  const counts = health.checks?.find((c) => c.name === 'upstreams')?.detail ?? {};
  for (const [upstream, available] of Object.entries(counts)) {
    const tr = tbody.insertRow();
    tr.insertCell().textContent = upstream;
    tr.insertCell().textContent = `${available} in rotation`;
    const cell = tr.insertCell();
    cell.textContent = available > 0 ? 'up' : 'down';
    cell.className = available > 0 ? 'ok' : 'bad';
  }
  try {
    $('signals').textContent = JSON.stringify(await api('/api/monitoring/signals'), null, 1).slice(0, 2000);
  } catch (err) {
    $('signals').textContent = `signals unavailable: ${err.message}`;
  }
}

async function loadAlerts() {
  const list = $('alerts');
  list.replaceChildren();
  try {
    const { alerts } = await api('/api/monitoring/alerts');
    if (!alerts.length) item(list, 'No alerts firing.', 'ok');
    for (const a of alerts)
      item(list, `${a.state ?? ''} ${a.severity ?? ''} ${a.name ?? a.rule ?? a.fingerprint}`, 'bad');
  } catch (err) {
    item(list, err.message, 'muted');
  }
}

async function loadModels() {
  const list = $('models');
  list.replaceChildren();
  try {
    const { items } = await api('/api/ml/models');
    if (!items.length) item(list, 'No models registered.', 'muted');
    for (const m of items) item(list, `${m.name}${m.description ? ` — ${m.description}` : ''}`);
  } catch (err) {
    item(list, err.message, 'muted');
  }
}

function say(text, cls) {
  const p = document.createElement('p');
  p.textContent = text;
  if (cls) p.className = cls;
  $('chat-log').append(p);
  $('chat-log').scrollTop = $('chat-log').scrollHeight;
}

const loaders = { services: loadServices, alerts: loadAlerts, models: loadModels };

function show() {
  const inApp = Boolean(state.token);
  $('login-view').hidden = inApp;
  $('app-view').hidden = !inApp;
  $('logout').hidden = !inApp;
  if (inApp) for (const load of Object.values(loaders)) load();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('login-error').textContent = '';
  try {
    saveTokens(
      await api('/api/auth/login', { method: 'POST', body: JSON.stringify(Object.fromEntries(form)) }),
    );
    show();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('/api/auth/logout', {
    method: 'POST',
    body: JSON.stringify({ refresh_token: state.refresh ?? undefined }),
  }).catch(() => {});
  clearTokens();
  show();
});

$('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = event.target.elements.text;
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  say(text, 'me');
  try {
    const answer = await api('/api/chatops/messages', { method: 'POST', body: JSON.stringify({ text }) });
    say(answer.text ?? JSON.stringify(answer));
  } catch (err) {
    say(err.message, 'bad');
  }
});

for (const button of document.querySelectorAll('[data-refresh]')) {
  button.addEventListener('click', () => loaders[button.dataset.refresh]());
}

show();
