/**
 * RFC 2533 §4.1 (feature predicate syntax), §4.2.4 (values), §4.2.5 (sets and ranges), §6.1
 * (named and auxiliary predicates, `where ... end`) and §6.2 (unit designators): a recursive
 * descent parser for the capability statements of RFC 2530 `Media-Accept-Features`, gateways'
 * `X-Accept-Features` and RFC 2912 `Content-features`. Pure: no `node:` imports.
 *
 * Leniency (what real devices and the RFCs' own examples send), each recorded in `notes`:
 * - white space anywhere, CR/LF of a folded header included (§4.1 allows it between elements);
 * - a missing outer parenthesis pair (`& (a=1) (b=2)`, `paper-size=A4`) and several top-level
 *   filters side by side, read as their conjunction;
 * - parentheses still open at the end of the input closed there (RFC 2530 §3.1.2's own
 *   example lacks its last one): the expression then says what the sender meant to say;
 * - `image-file-structure=TIFF-S` (RFC 2531) read as `TIFF-minimal` (RFC 2879 §3.7 "also
 *   known as TIFF-S").
 * `strict: true` turns off the first three. Every size is bounded (src/limits.ts) because the
 * text comes from a stranger's mail.
 */

import { IfaxError } from '../../errors.js';
import {
  MAX_FEATURE_EXPRESSION_LENGTH,
  MAX_FEATURE_NESTING_DEPTH,
  MAX_FEATURE_NODES,
  MAX_FEATURE_NUMBER_DIGITS,
  MAX_FEATURE_SET_SIZE,
} from '../../limits.js';
import type { CompareOp, FeatureExpression, FeatureParameter, FeatureValue, SetEntry } from './expression.js';
import { normaliseLegacyValue } from './schema.js';

/** Options of parseFeatureExpression. */
export interface ParseFeatureOptions {
  /** Exactly RFC 2533: no missing outer parentheses, no unclosed ones, one top-level filter. */
  strict?: boolean;
}

/** A parsed expression and the notes on what was read leniently. */
export interface ParsedFeatures {
  expression: FeatureExpression;
  /** Human sentences: "outer parentheses missing; read as one filter", "TIFF-S read as TIFF-minimal (RFC 2531)". */
  notes: string[];
}

/** An invocation of a named predicate (§6.1.2), replaced by its body before the parser returns. */
interface CallNode {
  type: 'call';
  name: string;
  args: string[];
  offset: number;
}

type Node =
  | Extract<FeatureExpression, { type: 'compare' | 'set' }>
  | CallNode
  | { type: 'and' | 'or'; operands: Node[]; params?: FeatureParameter[] }
  | { type: 'not'; operand: Node; params?: FeatureParameter[] };

interface NamedPredicate {
  name: string;
  formals: string[];
  body: Node;
}

const WS = new Set([' ', '\t', '\r', '\n']);
const ALPHA = /[A-Za-z]/;
const DIGIT = /[0-9]/;
/** RFC 2506 feature tags: letters, digits and the punctuation of URI-tree tags; never a delimiter of §4.1. */
const FTAG_CHAR = /[A-Za-z0-9.\-_:/+#~%]/;
const TOKEN_CHAR = /[A-Za-z0-9-]/;

/**
 * Parses an RFC 2533 feature expression. Throws IfaxError DATA_INVALID naming the column
 * (and line, when the text has several) and what was expected there, or LIMIT_EXCEEDED.
 */
export function parseFeatureExpression(text: string, options: ParseFeatureOptions = {}): ParsedFeatures {
  if (text.length > MAX_FEATURE_EXPRESSION_LENGTH) {
    throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: it is ${text.length} characters long, more than MAX_FEATURE_EXPRESSION_LENGTH (${MAX_FEATURE_EXPRESSION_LENGTH})`, {
      context: { limit: 'MAX_FEATURE_EXPRESSION_LENGTH', length: text.length },
    });
  }
  return new Parser(text, options.strict === true).parseTop();
}

class Parser {
  private pos = 0;
  readonly notes: string[] = [];
  private nodes = 0;

  constructor(
    private readonly text: string,
    private readonly strict: boolean,
  ) {}

  parseTop(): ParsedFeatures {
    this.ws();
    if (this.eof()) this.fail('a feature expression');
    let top: Node;
    if (this.peek() === '(') {
      top = this.filter(0);
    } else {
      if (this.strict) this.fail("'('");
      this.note('outer parentheses missing; read as one filter');
      top = this.filtercomp(0, true);
    }
    this.ws();
    let defs: NamedPredicate[] = [];
    if (this.keyword('where')) defs = this.whereClause();
    this.ws();
    if (!this.strict && this.peek() === '(') {
      const operands = [top];
      while (this.peek() === '(') {
        operands.push(this.filter(0));
        this.ws();
      }
      this.note(`${operands.length} filters side by side; read as their conjunction (&)`);
      top = { type: 'and', operands };
    }
    if (!this.eof()) this.fail('the end of the expression');
    this.nodes = 0;
    return { expression: this.expand(top, defs, new Map()), notes: this.notes };
  }

  // --- filters -------------------------------------------------------------------------

  /** filter = "(" filtercomp *( ";" parameter ) ")" *( ";" parameter )  (§4.1 and §6.1.3). */
  private filter(depth: number): Node {
    if (depth >= MAX_FEATURE_NESTING_DEPTH) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: parentheses nest deeper than MAX_FEATURE_NESTING_DEPTH (${MAX_FEATURE_NESTING_DEPTH}) at ${this.where()}`, {
        context: { limit: 'MAX_FEATURE_NESTING_DEPTH', ...this.position() },
      });
    }
    this.expect('(');
    this.ws();
    const node = this.filtercomp(depth + 1, false);
    const params = this.params();
    this.ws();
    if (this.eof() && !this.strict) {
      this.note(`unclosed '(' at the end of the input; closed there`);
    } else {
      this.expect(')');
    }
    params.push(...this.params());
    if (params.length > 0) (node as { params?: FeatureParameter[] }).params = params;
    return node;
  }

  /** filtercomp = and / or / not / item. `bare`: the top level without its parentheses. */
  private filtercomp(depth: number, bare: boolean): Node {
    this.count();
    const c = this.peek();
    if (c === '&' || c === '|') {
      this.pos++;
      this.ws();
      const operands: Node[] = [];
      while (this.peek() === '(') {
        operands.push(this.filter(depth));
        this.ws();
      }
      if (operands.length === 0) this.fail(`'(' starting an operand of '${c}'`);
      return { type: c === '&' ? 'and' : 'or', operands };
    }
    if (c === '!') {
      this.pos++;
      this.ws();
      if (this.peek() !== '(') this.fail("'(' starting the operand of '!'");
      return { type: 'not', operand: this.filter(depth) };
    }
    return this.item(bare);
  }

  /** item = simple / set / ext-pred (a named predicate invocation, §6.1.2). */
  private item(bare: boolean): Node {
    const start = this.pos;
    const attr = this.ftag('a feature tag, \'&\', \'|\' or \'!\'');
    this.ws();
    const op = this.operator();
    if (op === undefined) {
      // ext-pred: fname *param, each param a feature tag (§6.1.2); checked against `where`.
      if (this.eof() || this.peek() === ')' || this.peek() === ';' || FTAG_CHAR.test(this.peek())) {
        if (bare) this.fail("'=', '<=' or '>='");
        const args: string[] = [];
        while (!this.eof() && FTAG_CHAR.test(this.peek())) {
          args.push(this.ftag('a parameter name'));
          this.ws();
        }
        return { type: 'call', name: attr, args, offset: start + attr.length };
      }
      this.fail("'=', '<=' or '>='");
    }
    this.ws();
    if (op === '=' && this.peek() === '[') return this.set(attr);
    const value = this.legacy(attr, this.value());
    return { type: 'compare', attr, op, value };
  }

  private operator(): CompareOp | undefined {
    if (this.peek() === '=') {
      this.pos++;
      return '=';
    }
    const two = this.text.slice(this.pos, this.pos + 2);
    if (two === '<=' || two === '>=') {
      this.pos += 2;
      return two;
    }
    return undefined;
  }

  /** set = attr "=" "[" setentry *( "," setentry ) "]"; setentry = value / range (§4.1, §4.2.5). */
  private set(attr: string): Node {
    this.expect('[');
    const entries: SetEntry[] = [];
    for (;;) {
      this.ws();
      if (entries.length >= MAX_FEATURE_SET_SIZE) {
        throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: the set of ${JSON.stringify(attr)} has more than MAX_FEATURE_SET_SIZE (${MAX_FEATURE_SET_SIZE}) entries at ${this.where()}`, {
          context: { limit: 'MAX_FEATURE_SET_SIZE', attr, ...this.position() },
        });
      }
      this.count();
      const low = this.legacy(attr, this.value());
      this.ws();
      if (this.text.startsWith('..', this.pos)) {
        this.pos += 2;
        this.ws();
        entries.push({ kind: 'range', low, high: this.value() });
        this.ws();
      } else {
        entries.push({ kind: 'value', value: low });
      }
      if (this.peek() === ',') {
        this.pos++;
        continue;
      }
      if (this.peek() === ']') {
        this.pos++;
        return { type: 'set', attr, entries };
      }
      this.fail("',' or ']'");
    }
  }

  /** fvalue = Boolean / number / token / string (§4.1), number with an optional unit (§6.2). */
  private value(): FeatureValue {
    const c = this.peek();
    if (c === '"') return this.string();
    if (c === '+' || c === '-' || DIGIT.test(c)) return this.number();
    if (ALPHA.test(c)) {
      const t = this.run(TOKEN_CHAR);
      const upper = t.toUpperCase();
      if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
      return { kind: 'token', value: t };
    }
    return this.fail('a value (number, token, "string", TRUE or FALSE)');
  }

  private number(): FeatureValue {
    let sign = 1;
    if (this.peek() === '+' || this.peek() === '-') {
      if (this.peek() === '-') sign = -1;
      this.pos++;
    }
    const numerator = this.digits('a digit');
    let denominator = 1;
    if (this.peek() === '/') {
      this.pos++;
      const at = this.pos;
      denominator = this.digits("a digit after '/' (a sign goes before the whole number, RFC 2533 §4.2.4.2)");
      if (denominator === 0) {
        this.pos = at;
        this.fail('a denominator other than 0');
      }
    }
    // A unit designator (§6.2): number *WSP token, e.g. 72dpi; never the start of a range "..".
    const save = this.pos;
    this.ws();
    if (ALPHA.test(this.peek())) {
      const unit = this.run(TOKEN_CHAR);
      return { kind: 'number', numerator: sign * numerator, denominator, unit };
    }
    this.pos = save;
    return { kind: 'number', numerator: sign * numerator, denominator };
  }

  private digits(expected: string): number {
    const start = this.pos;
    const d = this.run(DIGIT);
    if (d.length === 0) this.fail(expected);
    if (d.length > MAX_FEATURE_NUMBER_DIGITS) {
      this.pos = start;
      throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: a number has ${d.length} digits, more than MAX_FEATURE_NUMBER_DIGITS (${MAX_FEATURE_NUMBER_DIGITS}) at ${this.where()}`, {
        context: { limit: 'MAX_FEATURE_NUMBER_DIGITS', ...this.position() },
      });
    }
    return Number(d);
  }

  /** string = DQUOTE *(%x20-21 / %x23-7E) DQUOTE (§4.1). */
  private string(): FeatureValue {
    this.pos++;
    const start = this.pos;
    while (!this.eof() && this.peek() !== '"') {
      const code = this.text.charCodeAt(this.pos);
      if (code < 0x20 || code > 0x7e) this.fail('a printable character or \'"\' closing the string');
      this.pos++;
    }
    if (this.eof()) this.fail('\'"\' closing the string');
    const value = this.text.slice(start, this.pos);
    this.pos++;
    return { kind: 'string', value };
  }

  /** RFC 2531's older values read as their RFC 2879 names (TIFF-S -> TIFF-minimal). */
  private legacy(attr: string, v: FeatureValue): FeatureValue {
    const modern = normaliseLegacyValue(attr, v);
    if (modern === undefined) return v;
    const note = `${attr}=${v.kind === 'token' || v.kind === 'string' ? v.value : '?'} read as ${modern.value} (RFC 2531 name)`;
    if (!this.notes.includes(note)) this.notes.push(note);
    return modern;
  }

  /** *( ";" parameter ); parameter = "q" "=" qvalue / ext-param "=" ext-value (§4.1). */
  private params(): FeatureParameter[] {
    const out: FeatureParameter[] = [];
    for (;;) {
      const save = this.pos;
      this.ws();
      if (this.peek() !== ';') {
        this.pos = save;
        return out;
      }
      this.pos++;
      this.ws();
      if (!ALPHA.test(this.peek())) this.fail('a parameter name');
      const name = this.run(TOKEN_CHAR);
      this.ws();
      this.expect('=');
      this.ws();
      const at = this.pos;
      let value: string;
      if (this.peek() === '"') {
        value = JSON.stringify((this.string() as { value: string }).value);
      } else {
        value = this.run(/[^\s();"[\]]/);
        if (value.length === 0) this.fail(`a value for parameter ${JSON.stringify(name)}`);
      }
      if (name.toLowerCase() === 'q' && !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value)) {
        this.pos = at;
        this.fail('a quality value from 0 to 1 with at most 3 decimals (q=0.5)');
      }
      out.push({ name, value });
    }
  }

  // --- named predicates (§6.1) ---------------------------------------------------------

  /** "where" 1*( named-pred ) "end"; named-pred = "(" fname *pname ")" ":-" filter. */
  private whereClause(): NamedPredicate[] {
    const defs: NamedPredicate[] = [];
    for (;;) {
      this.ws();
      if (this.keyword('end')) break;
      if (this.peek() !== '(') this.fail(defs.length === 0 ? "'(' starting a named predicate" : "'(' starting a named predicate or 'end'");
      this.pos++;
      this.ws();
      const name = this.ftag('a predicate name');
      this.ws();
      const formals: string[] = [];
      while (FTAG_CHAR.test(this.peek())) {
        formals.push(this.ftag('a parameter name'));
        this.ws();
      }
      this.expect(')');
      this.ws();
      this.expect(':-');
      this.ws();
      defs.push({ name, formals, body: this.filter(1) });
    }
    if (defs.length === 0) this.fail('a named predicate before \'end\'');
    return defs;
  }

  /** Substitutes named predicates (§6.1.4), formal parameters replaced by the actual ones; no recursion (§6.1.3). */
  private expand(n: Node, defs: readonly NamedPredicate[], rename: ReadonlyMap<string, string>): FeatureExpression {
    if (++this.nodes > MAX_FEATURE_NODES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: more than MAX_FEATURE_NODES (${MAX_FEATURE_NODES}) comparisons and operators once named predicates are substituted`, {
        context: { limit: 'MAX_FEATURE_NODES' },
      });
    }
    const params = n.type !== 'call' && n.params ? { params: n.params } : {};
    switch (n.type) {
      case 'and':
      case 'or':
        return { type: n.type, operands: n.operands.map((o) => this.expand(o, defs, rename)), ...params };
      case 'not':
        return { type: 'not', operand: this.expand(n.operand, defs, rename), ...params };
      case 'compare':
      case 'set':
        return { ...n, attr: rename.get(n.attr.toLowerCase()) ?? n.attr };
      case 'call': {
        const def = defs.find((d) => d.name.toLowerCase() === n.name.toLowerCase());
        this.pos = n.offset;
        if (def === undefined) {
          this.fail(`'=', '<=' or '>=' after ${JSON.stringify(n.name)} (or a predicate defined in a 'where' clause)`);
        }
        if (def.formals.length !== n.args.length) {
          this.fail(`${def.formals.length} parameter(s) for predicate ${JSON.stringify(def.name)}, not ${n.args.length}`);
        }
        const inner = new Map(def.formals.map((f, i) => [f.toLowerCase(), rename.get(n.args[i]!.toLowerCase()) ?? n.args[i]!]));
        // The body sees its own parameters, not the other predicates (§6.1.3): no recursion.
        return this.expand(def.body, [], inner);
      }
    }
  }

  // --- characters ----------------------------------------------------------------------

  private ftag(expected: string): string {
    if (!ALPHA.test(this.peek())) this.fail(expected);
    return this.run(FTAG_CHAR);
  }

  private keyword(word: string): boolean {
    const s = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length];
    if (s.toLowerCase() !== word || (after !== undefined && TOKEN_CHAR.test(after))) return false;
    this.pos += word.length;
    return true;
  }

  private run(re: RegExp): string {
    const start = this.pos;
    while (!this.eof() && re.test(this.text[this.pos]!)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private ws(): void {
    while (!this.eof() && WS.has(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private eof(): boolean {
    return this.pos >= this.text.length;
  }

  private expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) this.fail(`'${s}'`);
    this.pos += s.length;
  }

  private count(): void {
    if (++this.nodes > MAX_FEATURE_NODES) {
      throw new IfaxError('LIMIT_EXCEEDED', `Reading feature expression failed: more than MAX_FEATURE_NODES (${MAX_FEATURE_NODES}) comparisons and operators at ${this.where()}`, {
        context: { limit: 'MAX_FEATURE_NODES', ...this.position() },
      });
    }
  }

  private note(s: string): void {
    this.notes.push(s);
  }

  private position(): { offset: number; line: number; column: number } {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - (before.lastIndexOf('\n') + 1) + 1;
    return { offset: this.pos, line, column };
  }

  private where(): string {
    const p = this.position();
    return this.text.includes('\n') ? `line ${p.line}, column ${p.column}` : `column ${p.column}`;
  }

  private fail(expected: string): never {
    const found = this.eof() ? 'the end of the input' : JSON.stringify(this.text.slice(this.pos, this.pos + 12));
    throw new IfaxError('DATA_INVALID', `Reading feature expression failed: expected ${expected} at ${this.where()}, found ${found}`, {
      context: { ...this.position(), expected, found },
      hint: 'A feature expression is RFC 2533 syntax, e.g. (& (image-coding=[MH,MMR]) (paper-size=A4)).',
    });
  }
}
