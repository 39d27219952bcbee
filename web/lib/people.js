// People by email, never by id: ids recorded by the services (acked by, moved by, uploaded by)
// are looked up once through the auth service's directory and remembered for the session.
import { api, query } from './api.js';
import { el } from './dom.js';

const USER_ID = /\busr_[0-9A-Za-z]+\b/g;
const HAS_USER_ID = /\busr_[0-9A-Za-z]+\b/;
const known = new Map();

/** Looks up the ids not known yet (ids that are not user ids, like `alertmanager`, stay as they are). */
export async function resolve(ids) {
  const wanted = [...new Set(ids.filter((id) => typeof id === 'string' && /^usr_[0-9A-Za-z]+$/.test(id)))];
  const missing = wanted.filter((id) => !known.has(id));
  for (let i = 0; i < missing.length; i += 100) {
    const batch = missing.slice(i, i + 100);
    try {
      const { items } = await api(`/api/auth/directory${query({ id: batch })}`);
      for (const id of batch) known.set(id, null);
      for (const user of items) known.set(user.id, user);
    } catch {
      // Shown as ids this time; asked again on the next refresh.
    }
  }
}

/** A person's email once resolved, else what was recorded (a service name, or "someone"). */
export function who(id) {
  if (!id) return 'someone';
  return known.get(id)?.email ?? (id.startsWith('usr_') ? 'a deleted or unknown user' : id);
}

/** A person as an element: the email, with the display name as its tooltip. */
export function person(id) {
  const user = known.get(id);
  return el('span', { class: 'person', title: user ? user.display_name : undefined }, who(id));
}

/** Replaces user ids inside a text (a chat reply) with emails, resolving them first. */
export async function withEmails(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) if (HAS_USER_ID.test(walker.currentNode.data)) nodes.push(walker.currentNode);
  const ids = nodes.flatMap((n) => n.data.match(USER_ID) ?? []);
  if (!ids.length) return;
  await resolve(ids);
  for (const n of nodes) n.data = n.data.replace(USER_ID, (id) => known.get(id)?.email ?? id);
}
