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
  for (const m of lower.matchAll(TOKEN)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Keeps track of which stretches of the message are already claimed by an entity. */
export class SpanSet {
  readonly spans: Span[] = [];

  isFree(start: number, end: number): boolean {
    for (const s of this.spans) if (start < s.end && end > s.start) return false;
    return true;
  }

  take(start: number, end: number, kind: string): void {
    this.spans.push({ start, end, kind });
  }

  /** The message with every claimed stretch replaced by ` _kind_ `. */
  mask(lower: string): string {
    const sorted = [...this.spans].sort((a, b) => a.start - b.start);
    let out = '';
    let at = 0;
    for (const s of sorted) {
      out += `${lower.slice(at, s.start)} _${s.kind}_ `;
      at = s.end;
    }
    return out + lower.slice(at);
  }
}
