// Slack's mrkdwn as the ChatOps service writes it, turned into elements: *bold*, _italic_,
// ~strike~, `code`, ```blocks```, > quotes, <https://x|links>, :emoji: and line breaks. The
// parser yields a plain tree (strings and { tag, children }); `toNodes` builds elements with
// text nodes only, so a reply can never inject markup, whatever it contains.
import { EMOJI } from './emoji.js';

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const decode = (text) => text.replace(/&(lt|gt|amp);/g, (m) => ENTITIES[m]);
const MARKS = { '*': 'strong', _: 'em', '~': 's' };
const BOUNDARY = /[\s.,;:!?()[\]{}'"/-]/;

/** Where a `*bold*` (or _, ~) opened at `i` closes, or -1: the run is on one line, not blank-edged. */
function closing(text, i) {
  const mark = text[i];
  if (i > 0 && !BOUNDARY.test(text[i - 1])) return -1;
  const next = text[i + 1];
  if (!next || /\s/.test(next) || next === mark) return -1;
  for (let j = i + 2; j < text.length; j++) {
    if (text[j] === '\n') return -1;
    if (text[j] === mark && !/\s/.test(text[j - 1]) && (j + 1 >= text.length || BOUNDARY.test(text[j + 1]))) {
      return j;
    }
  }
  return -1;
}

/** `<https://x|label>`, `<mailto:a@b>`, `<@U123>`, `<#C1|ops>`, `<!here>`; other text in <> is kept as is. */
function angle(inner) {
  const [target, label] = inner.split('|', 2);
  if (/^(https?:\/\/|mailto:)/i.test(target)) {
    return { tag: 'a', href: decode(target), children: [decode(label ?? target)] };
  }
  if (target.startsWith('@'))
    return { tag: 'span', class: 'mention', children: [`@${label ?? target.slice(1)}`] };
  if (target.startsWith('#'))
    return { tag: 'span', class: 'mention', children: [`#${label ?? target.slice(1)}`] };
  if (target.startsWith('!'))
    return { tag: 'span', class: 'mention', children: [`@${label ?? target.slice(1)}`] };
  return null;
}

/** One line (or run) of inline mrkdwn. */
export function inline(text) {
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(decode(plain));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        out.push({ tag: 'code', children: [decode(text.slice(i + 1, end))] });
        i = end;
        continue;
      }
    } else if (c === '<') {
      const end = text.indexOf('>', i + 1);
      const node = end > i ? angle(text.slice(i + 1, end)) : null;
      if (node) {
        flush();
        out.push(node);
        i = end;
        continue;
      }
    } else if (c === ':') {
      const m = /^:([a-z0-9_+-]+):/.exec(text.slice(i));
      if (m && EMOJI[m[1]]) {
        flush();
        out.push({ tag: 'span', class: 'emoji', title: m[0], children: [EMOJI[m[1]]] });
        i += m[0].length - 1;
        continue;
      }
    } else if (MARKS[c]) {
      const end = closing(text, i);
      if (end > 0) {
        flush();
        out.push({ tag: MARKS[c], children: inline(text.slice(i + 1, end)) });
        i = end;
        continue;
      }
    }
    plain += c;
  }
  flush();
  return out;
}

/**
 * A whole message: fenced code blocks kept verbatim, `>` lines as quotes, every line break kept.
 *
 * @example
 * parse('*ml-service* is :large_green_circle: up')
 * // [{ tag: 'strong', children: ['ml-service'] }, ' is ', { tag: 'span', class: 'emoji', ... }, ' up']
 */
export function parse(text) {
  const out = [];
  const pieces = text.split('```');
  pieces.forEach((piece, n) => {
    if (n % 2 === 1 && n < pieces.length - 1) {
      out.push({ tag: 'pre', children: [decode(piece.replace(/^\n/, ''))] });
      return;
    }
    const block = n % 2 === 1 ? `\`\`\`${piece}` : piece;
    const lines = block.split('\n');
    lines.forEach((line, k) => {
      const quote = /^(&gt;|>)\s?/.exec(line);
      if (quote) out.push({ tag: 'blockquote', children: inline(line.slice(quote[0].length)) });
      else {
        out.push(...inline(line));
        if (k < lines.length - 1) out.push({ tag: 'br', children: [] });
      }
    });
  });
  return out;
}

/** Elements for a parsed tree: text nodes and a fixed set of tags; links open safely elsewhere. */
export function toNodes(tree) {
  return tree.map((node) => {
    if (typeof node === 'string') return document.createTextNode(node);
    const element = document.createElement(node.tag);
    if (node.class) element.className = node.class;
    if (node.title) element.title = node.title;
    if (node.tag === 'a') {
      element.href = node.href;
      element.rel = 'noopener noreferrer';
      element.target = '_blank';
    }
    element.append(...toNodes(node.children));
    return element;
  });
}

/** mrkdwn text as a fragment of elements. */
export function render(text) {
  const fragment = document.createDocumentFragment();
  fragment.append(...toNodes(parse(text)));
  return fragment;
}
