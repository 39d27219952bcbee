// Building the page: elements from data, never from HTML strings, so nothing the API returns
// is ever parsed as markup.

/**
 * An element with attributes and children; strings become text nodes, null and false are skipped.
 *
 * @example
 * el('button', { type: 'button', class: 'small', onclick: ack }, 'Ack')
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A message for an empty list that says why it is empty and what to do. */
export function empty(text, hint) {
  return el('div', { class: 'empty' }, el('p', {}, text), hint ? el('p', { class: 'muted' }, hint) : null);
}

/** A link to the trace of a request id (as every problem+json answer carries one). */
export function requestTraceLink(requestId) {
  return el(
    'a',
    { class: 'trace-link', href: `#/traces?requestId=${encodeURIComponent(requestId)}` },
    'trace',
  );
}

/** A failed load, with the platform's reason and a link to the failed request's trace. */
export function failure(what, err) {
  const requestId = err.body?.requestId;
  return el(
    'p',
    { class: 'bad', role: 'alert' },
    `${what} unavailable: ${err.message}`,
    requestId ? [' ', requestTraceLink(requestId)] : null,
  );
}

/** A term with its explanation on hover and on keyboard focus (and to screen readers). */
export function term(text, explanation) {
  return el('span', { class: 'term', tabindex: '0', 'data-tip': explanation, title: explanation }, text);
}

/** A coloured badge: severity, state. */
export function badge(text, kind = text) {
  return el('span', { class: `badge badge-${kind}` }, text);
}

/**
 * Asks before a change, in a modal dialog that names what will happen; resolves true when the
 * operator confirms. Escape or Cancel resolve false; focus returns where it was.
 */
export function confirmDialog(title, body, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const dialog = el(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-title' },
      el('h2', { id: 'confirm-title' }, title),
      el('p', {}, body),
      el(
        'form',
        { method: 'dialog', class: 'actions' },
        el('button', { value: 'cancel', type: 'submit' }, 'Cancel'),
        el('button', { value: 'ok', type: 'submit', class: 'primary' }, confirmLabel),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (before instanceof HTMLElement) before.focus();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A line of feedback under a form: ok or bad, announced to screen readers. */
export function say(node, text, kind = 'ok') {
  node.textContent = text;
  node.className = `result ${kind}`;
}

/** A refused form's line of feedback: the problem's detail and the field errors it does not say. */
export function sayRefused(node, err) {
  const fields = err.body?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  say(node, fields && !err.message.includes(fields) ? `${err.message} (${fields})` : err.message, 'bad');
}

/**
 * A table whose rows become stacked cards on a narrow screen: each cell carries its column's
 * name (`data-label`) for the small-screen layout to show.
 *
 * @example
 * table(['version', 'size'], versions.map((v) => ({ cells: [`v${v.version}`, bytes(v.sizeBytes)] })))
 */
export function table(columns, rows, attrs = {}) {
  return el(
    'table',
    { class: 'stack', ...attrs },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        columns.map((c) => el('th', { scope: 'col' }, c)),
      ),
    ),
    el(
      'tbody',
      {},
      rows.map((row) =>
        el(
          'tr',
          row.attrs ?? {},
          // One wrapper per cell, so the small-screen layout has one label and one value.
          row.cells.map((cell, i) => el('td', { 'data-label': columns[i] }, el('div', {}, cell))),
        ),
      ),
    ),
  );
}
