/**
 * Decodes a PromQL string literal as Go's strconv.Unquote does, which is what Prometheus
 * uses: `"..."` and `'...'` with backslash escapes, `` `...` `` raw.
 *
 * @example
 * unquote('"a\\"b\\n"') // 'a"b\n'
 */
export function unquote(text: string): string {
  const quote = text[0];
  if (
    text.length < 2 ||
    text[text.length - 1] !== quote ||
    !(quote === '"' || quote === "'" || quote === '`')
  )
    throw new SyntaxError(`unterminated string ${text}`);
  const body = text.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
      case '"':
      case "'":
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex))
          throw new SyntaxError(`invalid escape \\${e}${hex}`);
        out +=
          e === 'x'
            ? String.fromCharCode(Number.parseInt(hex, 16))
            : String.fromCodePoint(Number.parseInt(hex, 16));
        i += len;
        break;
      }
      default: {
        const oct = body.slice(i, i + 3);
        if (/^[0-7]{3}$/.test(oct)) {
          out += String.fromCharCode(Number.parseInt(oct, 8));
          i += 2;
          break;
        }
        throw new SyntaxError(`unknown escape sequence \\${e ?? ''}`);
      }
    }
  }
  return out;
}
