/** A stretch of the message taken by an entity; the classifier sees its placeholder instead. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}

export interface Token {
  text: string;
  start: number;
  end: number;
}

const TOKEN = /[a-z0-9_]+(?:[-.][a-z0-9_]+)*/g;

/** Lower-case word tokens with their offsets; hyphens, dots and underscores stay inside a token. */
export function tokenize(lower: string): Token[] {
  const out: Token[] = [];
  for (const m of lower.matchAll(TOKEN)) {
    const end = m.index + m[0].length;
    // The ASCII letters of a word with accented ones ("teşekkürler", "zobaczyć") are no word by
    // themselves.
    if (LETTER_BEYOND_ASCII.test(lower[m.index - 1] ?? '') || LETTER_BEYOND_ASCII.test(lower[end] ?? ''))
      continue;
    out.push({ text: m[0], start: m.index, end });
  }
  return out;
}
// Latin letters beyond ASCII (accents, Turkish, Polish, Vietnamese); a CJK character beside an
// English word ("gatewayは") ends it.
const LETTER_BEYOND_ASCII = /[\u00c0-\u024f\u1e00-\u1eff]/u;

/** Keeps track of which stretches of the message are already claimed by an entity. */
export class SpanSet {
  readonly spans: Span[] = [];
  /** Words spelt again (typos corrected); shown in the mask where no entity claimed them. */
  readonly rewrites: { start: number; end: number; text: string }[] = [];

  isFree(start: number, end: number): boolean {
    for (const s of this.spans) if (start < s.end && end > s.start) return false;
    return true;
  }

  take(start: number, end: number, kind: string): void {
    this.spans.push({ start, end, kind });
  }

  rewrite(start: number, end: number, text: string): void {
    this.rewrites.push({ start, end, text });
  }

  /** The message with every claimed stretch replaced by ` _kind_ ` and rewritten words spelt anew. */
  mask(lower: string): string {
    return this.render(lower, true);
  }

  /** The message with rewritten words spelt anew and nothing masked. */
  corrected(lower: string): string {
    return this.render(lower, false);
  }

  private render(lower: string, masked: boolean): string {
    const edits = [
      ...(masked ? this.spans.map((s) => ({ start: s.start, end: s.end, text: ` _${s.kind}_ ` })) : []),
      ...this.rewrites.filter((r) => !masked || this.isFree(r.start, r.end)),
    ].sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const e of edits) {
      if (e.start < at) continue;
      out += lower.slice(at, e.start) + e.text;
      at = e.end;
    }
    return out + lower.slice(at);
  }
}
