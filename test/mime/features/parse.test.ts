import { readFileSync } from 'node:fs';
import { IfaxError } from '../../../src/errors.js';
import {
  formatFeatureExpression,
  isSatisfiable,
  parseFeatureExpression,
  schemaWarnings,
  type FeatureExpression,
} from '../../../src/mime/features/index.js';
import { MAX_FEATURE_EXPRESSION_LENGTH, MAX_FEATURE_NESTING_DEPTH, MAX_FEATURE_SET_SIZE } from '../../../src/limits.js';

/** Made by test/fixtures/features/make-fixtures.py from the RFC texts and the corpus mails. */
const EXAMPLES = JSON.parse(readFileSync('test/fixtures/features/rfc-examples.json', 'utf8')) as { id: string; text: string }[];
const CORPUS = JSON.parse(readFileSync('test/fixtures/features/corpus-headers.json', 'utf8')) as { file: string; header: string; value: string }[];
const example = (id: string): string => EXAMPLES.find((e) => e.id === id)!.text;

function parseError(text: string, strict = false): IfaxError {
  try {
    parseFeatureExpression(text, { strict });
  } catch (err) {
    return err as IfaxError;
  }
  throw new Error(`parsed: ${text}`);
}

const WELL_FORMED = EXAMPLES.map((e) => e.id).filter((id) => !['rfc2879-4.2', 'rfc2879-4.3', 'rfc2879-4.4', 'rfc2879-4.5', 'rfc2879-4.6', 'rfc2530-3.1.2'].includes(id));

describe('RFC 2533 parser', () => {
  test.each(WELL_FORMED)('parses the well-formed RFC example %s strictly, and its text form parses back to the same tree', (id) => {
    const { expression } = parseFeatureExpression(example(id), { strict: true });
    const again = parseFeatureExpression(formatFeatureExpression(expression), { strict: true }).expression;
    expect(again).toEqual(expression);
    const pretty = parseFeatureExpression(formatFeatureExpression(expression, { multiline: true }), { strict: true }).expression;
    expect(pretty).toEqual(expression);
  });

  test.each([
    // The RFC texts' own errata: an extra ')' closes the outer '&' before (ua-media=...).
    ['rfc2879-4.2', 13, 26, ')'],
    ['rfc2879-4.4', 33, 26, ')'],
    ['rfc2879-4.5', 69, 26, ')'],
    // "(color-space-CIELAB)": a '-' where '=' belongs.
    ['rfc2879-4.3', 13, 29, ')'],
  ])('reports the erratum in %s at line %i, column %i', (id, line, column, char) => {
    const err = parseError(example(id));
    expect(err.code).toBe('DATA_INVALID');
    expect(err.context).toMatchObject({ line, column });
    expect(err.message).toContain(`line ${line}, column ${column}`);
    const lines = example(id).split('\n');
    expect(lines[line - 1]![column - 1]).toBe(char);
  });

  test('reads an unclosed expression (RFC 2530 §3.1.2 example) leniently with a note, strictly as an error at the end', () => {
    const text = example('rfc2530-3.1.2');
    const { expression, notes } = parseFeatureExpression(text);
    expect(notes).toEqual(["unclosed '(' at the end of the input; closed there"]);
    expect(expression.type).toBe('and');
    const err = parseError(text, true);
    expect(err.message).toContain('expected \')\'');
    expect(err.message).toContain('found the end of the input');
  });

  test('keeps rationals exact as written and compares them by cross-multiplication', () => {
    const { expression } = parseFeatureExpression('(dpi-xyratio=[204/98,+15/10,-2])');
    expect(expression).toEqual({
      type: 'set',
      attr: 'dpi-xyratio',
      entries: [
        { kind: 'value', value: { kind: 'number', numerator: 204, denominator: 98 } },
        { kind: 'value', value: { kind: 'number', numerator: 15, denominator: 10 } },
        { kind: 'value', value: { kind: 'number', numerator: -2, denominator: 1 } },
      ],
    });
    // 3/2 = 15/10 = 600/400 (RFC 2533 §4.2.4.2); 1/3 vs 333333333333333/1000000000000000 differ.
    expect(isSatisfiable(parseFeatureExpression('(& (x=3/2) (x=600/400) (x=+15/10))').expression)).toBe(true);
    expect(isSatisfiable(parseFeatureExpression('(& (x=1/3) (x=333333333333333/999999999999999))').expression)).toBe(true);
    expect(isSatisfiable(parseFeatureExpression('(& (x=1/3) (x=333333333333333/999999999999998))').expression)).toBe(false);
  });

  test('reads tokens, strings, Booleans, ranges, units and parameters', () => {
    const { expression } = parseFeatureExpression('(& (Color=binary) (type="image/tiff") (duplex=true) (w=[3,4,6..17/2]) (res=72dpi);q=0.5;x-y="a b" )');
    const ops = (expression as Extract<FeatureExpression, { type: 'and' }>).operands;
    expect(ops[0]).toEqual({ type: 'compare', attr: 'Color', op: '=', value: { kind: 'token', value: 'binary' } });
    expect(ops[1]).toMatchObject({ value: { kind: 'string', value: 'image/tiff' } });
    expect(ops[2]).toMatchObject({ value: { kind: 'boolean', value: true } });
    expect(ops[3]).toMatchObject({ entries: [{ kind: 'value' }, { kind: 'value' }, { kind: 'range', low: { numerator: 6 }, high: { numerator: 17, denominator: 2 } }] });
    expect(ops[4]).toMatchObject({ value: { numerator: 72, unit: 'dpi' } });
    // The parameters belong to the filter they follow (RFC 2533 §4.1), here the last comparison.
    expect(ops[4]!.params).toEqual([
      { name: 'q', value: '0.5' },
      { name: 'x-y', value: '"a b"' },
    ]);
  });

  test('compares attribute names and tokens case-insensitively', () => {
    const e = parseFeatureExpression('(& (PAPER-SIZE=a4) (paper-size=A4) (Image-Coding=[mmr]) (image-coding=MMR))').expression;
    expect(isSatisfiable(e)).toBe(true);
    expect(isSatisfiable(parseFeatureExpression('(& (paper-size=A4) (PAPER-SIZE=B4))').expression)).toBe(false);
  });

  test('substitutes named predicates (RFC 2533 §6.1.5) to the same meaning as the §4.3 expression', () => {
    const named = parseFeatureExpression(example('rfc2533-6.1.5'), { strict: true }).expression;
    const plain = parseFeatureExpression(example('rfc2533-4.3'), { strict: true }).expression;
    for (const probe of ['(& (Pix-x=800) (Pix-y=600) (Res-x=300) (Res-y=600))', '(& (Pix-x=800) (Pix-y=600) (Res-x=600) (Res-y=300))', '(& (Pix-x=640) (Res-x=150) (Res-y=150))']) {
      const p = parseFeatureExpression(probe).expression;
      expect(isSatisfiable({ type: 'and', operands: [named, p] })).toBe(isSatisfiable({ type: 'and', operands: [plain, p] }));
    }
    expect(isSatisfiable({ type: 'and', operands: [named, parseFeatureExpression('(& (Res-x=600) (Res-y=300))').expression] })).toBe(false);
  });

  test('accepts what devices send: no outer parentheses, several top-level filters, folded header lines, TIFF-S', () => {
    expect(parseFeatureExpression('& (paper-size=A4) (color=Binary)').notes).toEqual(['outer parentheses missing; read as one filter']);
    expect(parseFeatureExpression('image-coding=[MH,MR]').expression).toMatchObject({ type: 'set', attr: 'image-coding' });
    const side = parseFeatureExpression('(paper-size=A4) (image-coding=MH)');
    expect(side.expression.type).toBe('and');
    expect(side.notes[0]).toContain('2 filters side by side');
    const folded = parseFeatureExpression('\r\n\t(& (dpi=200)\r\n     (dpi-xyratio=1) )\r\n');
    expect(folded.notes).toEqual([]);
    const old = parseFeatureExpression('(image-file-structure=[TIFF-S,TIFF-F])');
    expect(old.expression).toMatchObject({ entries: [{ value: { kind: 'token', value: 'TIFF-minimal' } }, { value: { value: 'TIFF-F' } }] });
    expect(old.notes).toEqual(['image-file-structure=TIFF-S read as TIFF-minimal (RFC 2531 name)']);
    expect(parseError('& (paper-size=A4)', true).message).toContain("expected '(' at column 1");
  });

  test.each([
    ['(paper-size=)', "a value (number, token, \"string\", TRUE or FALSE) at column 13"],
    ['(& )', "'(' starting an operand of '&' at column 4"],
    ['(dpi=3/+2)', "a digit after '/'"],
    ['(dpi=3/0)', 'a denominator other than 0 at column 8'],
    ['(a=[1,2)', "',' or ']' at column 8"],
    ['(a="unterminated)', '\'"\' closing the string'],
    ['(a=1);q=2', 'a quality value from 0 to 1'],
    ['(a=1))', 'the end of the expression at column 6'],
    ['(! a=1)', "'(' starting the operand of '!' at column 4"],
    ['(a==1)', 'at column 4'],
    ['', 'a feature expression at column 1'],
  ])('rejects %j naming the column and what was expected', (text, expected) => {
    const err = parseError(text);
    expect(err).toBeInstanceOf(IfaxError);
    expect(err.code).toBe('DATA_INVALID');
    expect(err.message).toMatch(/^Reading feature expression failed: expected /);
    expect(err.message).toContain(expected);
  });

  test('bounds hostile input: length, nesting, set size, digits, substituted size', () => {
    const code = (text: string): string => parseError(text).code;
    expect(code('(a=1)' + ' '.repeat(MAX_FEATURE_EXPRESSION_LENGTH))).toBe('LIMIT_EXCEEDED');
    const deep = '(& '.repeat(MAX_FEATURE_NESTING_DEPTH + 1) + '(a=1)' + ')'.repeat(MAX_FEATURE_NESTING_DEPTH + 1);
    expect(parseError(deep).message).toContain('MAX_FEATURE_NESTING_DEPTH');
    // 5000 nested '(|' stay bounded: an error at depth MAX_FEATURE_NESTING_DEPTH, not a stack overflow.
    expect(code('(| '.repeat(5000))).toBe('LIMIT_EXCEEDED');
    const nested = '(& '.repeat(MAX_FEATURE_NESTING_DEPTH - 1) + '(a=1)' + ')'.repeat(MAX_FEATURE_NESTING_DEPTH - 1);
    expect(parseFeatureExpression(nested).expression.type).toBe('and');
    const big = `(a=[${Array.from({ length: MAX_FEATURE_SET_SIZE + 1 }, (_, i) => i).join(',')}])`;
    expect(parseError(big).message).toContain('MAX_FEATURE_SET_SIZE');
    expect(parseError('(a=1234567890123456)').message).toContain('MAX_FEATURE_NUMBER_DIGITS');
    // A predicate body invoked many times: bounded after substitution.
    const body = '(| ' + '(x=1) '.repeat(200) + ')';
    const calls = '(& ' + '(P a) '.repeat(150) + ')';
    expect(parseError(`${calls} where (P a) :- ${body} end`).message).toContain('MAX_FEATURE_NODES');
  });

  test.each(CORPUS.map((h) => [h.file, h.header, h.value]))('parses the corpus %s %s header', (_file, header, value) => {
    const { expression, notes } = parseFeatureExpression(value as string, { strict: true });
    expect(notes).toEqual([]);
    expect(expression.type).toBe('and');
    expect(schemaWarnings(expression)).toEqual([]);
    expect(header).toMatch(/features|alternative/i);
  });

  test('parses the STANDARDS.md capability example', () => {
    const text =
      '(& (color=Binary) (image-file-structure=TIFF-minimal) (MRC-mode=0) (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))) (ua-media=stationery))';
    const { expression } = parseFeatureExpression(text, { strict: true });
    expect(formatFeatureExpression(expression)).toBe(text);
  });

  test('warns of values of the wrong kind for a known tag', () => {
    expect(schemaWarnings(parseFeatureExpression('(& (dpi=high) (paper-size=4) (vendor-x=1))').expression)).toEqual([
      'dpi: value of the wrong kind (a integer is expected, RFC 2879 §3.2)',
      'paper-size: value of the wrong kind (a token is expected, RFC 2879 §3.4)',
    ]);
  });
});
