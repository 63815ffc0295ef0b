/**
 * RFC 2912 §3 `Content-features` and RFC 3297 §4 `Content-alternative`: fields whose value
 * is an RFC 2533 feature expression, written as the expression module produced it and
 * folded per RFC 2912 §3.1 at white space. RFC 2533 §4 allows white space between the
 * parts of an expression, so a space is put before each "(" that follows another token
 * (outside quoted strings), giving folding points even to an expression written without
 * spaces.
 */

import { IfaxError } from '../errors.js';
import { assertFieldValue, foldedField } from './header-fold.js';

/** Adds a space before each `(` that directly follows a non-space, outside quoted strings. */
function spaced(expr: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quoted) {
      if (c === '\\') {
        out += c + (expr[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
    } else if (c === '(' && out !== '' && !/[ \t]$/.test(out)) {
      out += ' ';
    }
    out += c;
  }
  return out;
}

/**
 * A feature-expression field, folded. The expression must be printable US-ASCII on one line
 * (the expression module's output); its syntax is that module's business, but an empty value
 * or one that does not start with "(" is refused here.
 */
export function featureField(name: 'Content-features' | 'Content-alternative', expression: string): string {
  assertFieldValue(name, expression);
  const expr = expression.trim();
  if (!/^\([\x20-\x7e\t]*$/.test(expr)) {
    throw new IfaxError('DATA_INVALID', `build mail failed: header ${JSON.stringify(name)} value ${JSON.stringify(expression)} is not a feature expression "(...)" in printable US-ASCII (RFC 2533 §4)`, { context: { header: name } });
  }
  return foldedField(name, spaced(expr));
}
