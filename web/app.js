// The operator console's frame: log in and out, the header, and the router that shows one view
// at a time from routes.js and refreshes it while the tab is visible.
import { api, clearSession, polled, saveTokens, session } from './lib/api.js';
import { el, fill } from './lib/dom.js';
import { match, ROUTES } from './routes.js';

const REFRESH_MS = 15_000;
const $ = (id) => document.getElementById(id);
let current = null;
let timer = null;

/** A short message at the foot of the page, for what happened after an action. */
export function notice(text, kind = 'ok') {
  const n = $('notice');
  n.textContent = text;
  n.className = `notice ${kind}`;
  n.hidden = !text;
}

/**
 * Shows the view the hash names. Navigations run one after another, and one overtaken by a newer
 * navigation while it waited is skipped: two at once (the view shown at login and a link followed
 * before it had rendered) would otherwise both render into the page, the slower one last, and
 * leave a view other than the hash's on screen.
 */
let latest = 0;
let queue = Promise.resolve();
function showView() {
  const mine = ++latest;
  const run = queue.then(() => (mine === latest ? renderView() : undefined));
  queue = run.catch(() => {});
  return run;
}

async function renderView() {
  if (!session.token) return;
  const found = match(location.hash) ?? match('#/services');
  if (!location.hash || !match(location.hash)) history.replaceState(null, '', '#/services');
  current?.dispose?.();
  current = null;
  const root = $('view');
  fill(root);
  for (const link of $('nav').querySelectorAll('a')) {
    const active = found.route.path.split('/')[0] === link.dataset.path;
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const module = await found.route.load();
  document.title = `${module.title ?? 'opsmesh'} · opsmesh console`;
  const rendered = await module.render(root, { params: found.params, query: found.query, notice });
  current = rendered ?? null;
  root.focus({ preventScroll: true });
}

async function signedIn() {
  $('login-view').hidden = true;
  $('view').hidden = false;
  $('nav').hidden = false;
  $('logout').hidden = false;
  try {
    session.me = await api('/api/auth/me');
    $('whoami').textContent = `${session.me.email} · ${session.me.roles.join(', ')}`;
  } catch {
    session.me = null;
  }
  await showView();
  clearInterval(timer);
  timer = setInterval(() => {
    if (document.visibilityState === 'visible' && session.token) polled(() => current?.refresh?.());
  }, REFRESH_MS);
}

function signedOut() {
  clearInterval(timer);
  current?.dispose?.();
  current = null;
  fill($('view'));
  $('view').hidden = true;
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('whoami').textContent = '';
  $('login-view').hidden = false;
}

session.onSignedOut = () => {
  signedOut();
  $('login-error').textContent = 'Your session ended; log in again.';
};

fill(
  $('nav'),
  ROUTES.filter((r) => r.nav).map((r) => el('a', { href: `#/${r.path}`, dataset: { path: r.path } }, r.nav)),
);

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('login-error').textContent = '';
  try {
    saveTokens(await api('/api/auth/login', { method: 'POST', body: Object.fromEntries(form) }));
    event.target.reset();
    await signedIn();
  } catch (err) {
    $('login-error').textContent = err.message;
  }
});

$('logout').addEventListener('click', async () => {
  await api('/api/auth/logout', {
    method: 'POST',
    body: { refresh_token: session.refresh ?? undefined },
  }).catch(() => {});
  clearSession();
  notice('');
  signedOut();
});

window.addEventListener('hashchange', () => {
  notice('');
  showView();
});

if (session.token) signedIn();
else signedOut();
