/**
 * RFC 5322 §3.2.2 (comments, nesting, quoted-pairs) and §3.2.4 (quoted-strings), read side:
 * the one lexical scan the structured-field readers share (Content-Type / Content-Disposition
 * parameters, address lists). Lenient as readers must be: a quoted-string or comment left
 * open runs to the end of the text instead of failing the field.
 */

/** A run of a structured field value: a quoted-string or comment with its delimiters, or plain text between them. */
interface Lexeme {
  kind: 'quoted' | 'comment' | 'text';
  text: string;
}

/** Splits `text` into quoted-strings, comments (nested, with `\` escapes) and the plain text between. */
function lex(text: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const c = text[i];
    if (c === '"' || c === '(') {
      let depth = 1;
      for (i++; i < text.length && depth > 0; i++) {
        const d = text[i];
        if (d === '\\') i++;
        else if (c === '"') depth = d === '"' ? 0 : 1;
        else if (d === '(') depth++;
        else if (d === ')') depth--;
      }
      out.push({ kind: c === '"' ? 'quoted' : 'comment', text: text.slice(start, Math.min(i, text.length)) });
    } else {
      while (i < text.length && text[i] !== '"' && text[i] !== '(') i++;
      out.push({ kind: 'text', text: text.slice(start, i) });
    }
  }
  return out;
}

/** `text` with each comment replaced by one space (quoted-strings kept as they are). */
export function withoutComments(text: string): string {
  return lex(text)
    .map((l) => (l.kind === 'comment' ? ' ' : l.text))
    .join('');
}

/**
 * Splits `text` at each of the `delimiters` characters that stands outside quoted-strings and
 * comments, and with `angles` also outside `<...>` (an address list's route-addr). The pieces
 * keep their quotes and comments.
 */
export function splitOutside(text: string, delimiters: string, angles = false): string[] {
  const out: string[] = [];
  let cur = '';
  let angle = 0;
  for (const l of lex(text)) {
    if (l.kind !== 'text') {
      cur += l.text;
      continue;
    }
    for (const c of l.text) {
      if (angles && c === '<') angle++;
      else if (angles && c === '>') angle = Math.max(0, angle - 1);
      else if (angle === 0 && delimiters.includes(c)) {
        out.push(cur);
        cur = '';
        continue;
      }
      cur += c;
    }
  }
  out.push(cur);
  return out;
}
