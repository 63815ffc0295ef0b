/**
 * RFC 2533 §4.1-§4.2 (feature set predicates: filters, comparisons, sets, values) and §6.2
 * (unit designators): the expression tree the parser builds, value comparison (§4.2.4, §5.5:
 * LT, EQ, GT or NE), and the text form written back. Numbers stay exact: a rational keeps its
 * numerator and denominator as written and is compared by cross-multiplication in BigInt, so
 * 204/196 never becomes 1.0408163265306123. Pure: no `node:` imports.
 */

/** A feature value (RFC 2533 §4.2.4): Boolean, number (integer or rational), token or quoted string. */
export type FeatureValue =
  | { kind: 'boolean'; value: boolean }
  | {
      kind: 'number';
      /** Signed numerator as written (15 digits at most, so exact). */
      numerator: number;
      /** Denominator as written, > 0; 1 for an integer. */
      denominator: number;
      /** RFC 2533 §6.2 unit designator (`200dpi`): values with different units are different features. */
      unit?: string;
    }
  | { kind: 'token'; value: string }
  | { kind: 'string'; value: string };

/** One `;name=value` parameter of a filter (RFC 2533 §4.1); `q` is the quality value. */
export interface FeatureParameter {
  name: string;
  value: string;
}

/** One entry of a set: a value or an inclusive range `low..high` (RFC 2533 §4.2.5). */
export type SetEntry = { kind: 'value'; value: FeatureValue } | { kind: 'range'; low: FeatureValue; high: FeatureValue };

/** The three comparison operators of RFC 2533 §4.2.2. */
export type CompareOp = '=' | '<=' | '>=';

/**
 * A feature predicate (RFC 2533 §4.1 `filter`). Attribute names keep the spelling they were
 * written with; matching compares them case-insensitively (RFC 2506 feature tags).
 */
export type FeatureExpression =
  | { type: 'and'; operands: FeatureExpression[]; params?: FeatureParameter[] }
  | { type: 'or'; operands: FeatureExpression[]; params?: FeatureParameter[] }
  | { type: 'not'; operand: FeatureExpression; params?: FeatureParameter[] }
  | { type: 'compare'; attr: string; op: CompareOp; value: FeatureValue; params?: FeatureParameter[] }
  | { type: 'set'; attr: string; entries: SetEntry[]; params?: FeatureParameter[] };

// ---------------------------------------------------------------------------------------
// Building values and expressions
// ---------------------------------------------------------------------------------------

/** An integer value. */
export function integer(n: number): FeatureValue {
  return { kind: 'number', numerator: n, denominator: 1 };
}

/** A rational value n/d as written (not reduced: 204/196 stays 204/196). */
export function rational(n: number, d: number): FeatureValue {
  return { kind: 'number', numerator: n, denominator: d };
}

/** A token value (compared case-insensitively). */
export function token(value: string): FeatureValue {
  return { kind: 'token', value };
}

/** A quoted-string value. */
export function quoted(value: string): FeatureValue {
  return { kind: 'string', value };
}

/** `(attr=value)`. */
export function eq(attr: string, value: FeatureValue): FeatureExpression {
  return { type: 'compare', attr, op: '=', value };
}

/** `(attr=[v1,v2,...])`, or `(attr=v1)` for a single value. */
export function oneOfValues(attr: string, values: readonly FeatureValue[]): FeatureExpression {
  if (values.length === 1) return eq(attr, values[0]!);
  return { type: 'set', attr, entries: values.map((value) => ({ kind: 'value', value })) };
}

/** `(& a b ...)`, or the one operand alone. */
export function and(...operands: FeatureExpression[]): FeatureExpression {
  return operands.length === 1 ? operands[0]! : { type: 'and', operands };
}

/** `(| a b ...)`, or the one operand alone. */
export function or(...operands: FeatureExpression[]): FeatureExpression {
  return operands.length === 1 ? operands[0]! : { type: 'or', operands };
}

// ---------------------------------------------------------------------------------------
// Comparing values (RFC 2533 §5.5: exactly one of LT, EQ, GT, NE holds)
// ---------------------------------------------------------------------------------------

/** The relation between two values: 'ne' when they are unequal and unordered (tokens, mixed kinds, units). */
export type Relation = 'lt' | 'eq' | 'gt' | 'ne';

/**
 * Compares two feature values. Numbers (same unit) are ordered, by cross-multiplication in
 * BigInt; everything else is only equal or not: tokens and Booleans case-insensitively
 * (RFC 2533 §4.2.4.1, RFC 2506 tokens), strings exactly unless `foldCase` (a tag whose values
 * are case-insensitive, such as `type`), a token and a string by their text (§4.2.4.4: the
 * same semantics), case-insensitively.
 */
export function compareValues(a: FeatureValue, b: FeatureValue, foldCase = false): Relation {
  if (a.kind === 'number' && b.kind === 'number') {
    if ((a.unit ?? '').toLowerCase() !== (b.unit ?? '').toLowerCase()) return 'ne';
    const l = BigInt(a.numerator) * BigInt(b.denominator);
    const r = BigInt(b.numerator) * BigInt(a.denominator);
    return l < r ? 'lt' : l > r ? 'gt' : 'eq';
  }
  if (a.kind === 'number' || b.kind === 'number') return 'ne';
  if (a.kind === 'boolean' || b.kind === 'boolean') {
    return a.kind === 'boolean' && b.kind === 'boolean' && a.value === b.value ? 'eq' : 'ne';
  }
  const insensitive = foldCase || a.kind === 'token' || b.kind === 'token';
  const same = insensitive ? a.value.toLowerCase() === b.value.toLowerCase() : a.value === b.value;
  return same ? 'eq' : 'ne';
}

/** Whether a value is a number equal to n/d. */
export function isNumber(v: FeatureValue, n: number, d = 1): boolean {
  return v.kind === 'number' && v.unit === undefined && compareValues(v, rational(n, d)) === 'eq';
}

// ---------------------------------------------------------------------------------------
// Text form
// ---------------------------------------------------------------------------------------

/** A value as RFC 2533 writes it: `200`, `-2`, `204/98`, `A4`, `"4:1:1"`, `TRUE`. */
export function formatValue(v: FeatureValue): string {
  switch (v.kind) {
    case 'boolean':
      return v.value ? 'TRUE' : 'FALSE';
    case 'number': {
      const n = v.denominator === 1 ? String(v.numerator) : `${v.numerator}/${v.denominator}`;
      return v.unit === undefined ? n : `${n}${v.unit}`;
    }
    case 'token':
      return v.value;
    case 'string':
      return JSON.stringify(v.value);
  }
}

function formatParams(params: readonly FeatureParameter[] | undefined): string {
  return (params ?? []).map((p) => `;${p.name}=${p.value}`).join('');
}

function formatEntry(e: SetEntry): string {
  return e.kind === 'value' ? formatValue(e.value) : `${formatValue(e.low)}..${formatValue(e.high)}`;
}

/** Options of formatFeatureExpression. */
export interface FormatOptions {
  /**
   * Lay the expression out on several lines as the RFC examples do (one operand per line,
   * indented), joined by `newline`: for header values, where the mail writer folds at them.
   */
  multiline?: boolean;
  /** Line break used when multiline (default "\n"; "\r\n" inside a header is folding). */
  newline?: string;
  /** Indentation of the first line's continuation lines (default 4 spaces). */
  indent?: string;
}

/** Whether a node is a leaf (printed on one line). */
function isLeaf(e: FeatureExpression): boolean {
  return e.type === 'compare' || e.type === 'set';
}

/**
 * The text form of an expression (RFC 2533 §4.1 syntax), parsed back by parseFeatureExpression
 * to an equal tree. Single-line by default: `(& (color=Binary) (image-coding=[MH,MR,MMR]))`.
 */
export function formatFeatureExpression(e: FeatureExpression, options: FormatOptions = {}): string {
  if (!options.multiline) return formatLine(e);
  const nl = options.newline ?? '\n';
  return formatBlock(e, options.indent ?? '    ', nl);
}

function formatLine(e: FeatureExpression): string {
  switch (e.type) {
    case 'compare':
      return `(${e.attr}${e.op}${formatValue(e.value)})${formatParams(e.params)}`;
    case 'set':
      return `(${e.attr}=[${e.entries.map(formatEntry).join(',')}])${formatParams(e.params)}`;
    case 'not':
      return `(! ${formatLine(e.operand)})${formatParams(e.params)}`;
    default:
      return `(${e.type === 'and' ? '&' : '|'} ${e.operands.map(formatLine).join(' ')})${formatParams(e.params)}`;
  }
}

function formatBlock(e: FeatureExpression, indent: string, nl: string): string {
  if (e.type === 'compare' || e.type === 'set') return formatLine(e);
  if (e.type === 'not') return `(! ${formatBlock(e.operand, indent + '   ', nl)})${formatParams(e.params)}`;
  // Operands that are all leaves and short stay on one line, as RFC 2879 writes (& (dpi=204) (dpi-xyratio=...)).
  const line = formatLine(e);
  if (e.operands.every(isLeaf) && line.length <= 60) return line;
  const inner = indent + '   ';
  const parts = e.operands.map((o) => formatBlock(o, inner, nl));
  return `(${e.type === 'and' ? '&' : '|'} ${parts.join(nl + inner)} )${formatParams(e.params)}`;
}
