/**
 * Reading a page's content stream just far enough to tell a scanned page: PDF 32000-1 §8.4
 * (graphics state: q, Q, cm) and §8.8 (Do). A scan's content is one image drawn through a
 * few cm operators, e.g. `q 612 0 0 792 0 0 cm /Im0 Do Q`. Any other operator (text, paths,
 * colours, clipping, graphics states), any string, array or dictionary operand, or a second
 * Do means "not a plain scan": the caller renders the page. Pure.
 */

/** A 2-D affine matrix [a b c d e f] as in PDF: x' = a x + c y + e, y' = b x + d y + f. */
export type Matrix = [number, number, number, number, number, number];

/** The single XObject a content stream draws, with the CTM it is drawn under. */
export interface SingleDo {
  name: string;
  ctm: Matrix;
}

/** q nesting deeper than this is not a scanner's output (PDF's own implementation limit is 28). */
const MAX_Q_DEPTH = 28;

/** m1 then m2 (PDF's `cm` prepends: CTM' = M x CTM). */
export function multiply(m1: Matrix, m2: Matrix): Matrix {
  const [a, b, c, d, e, f] = m1;
  const [A, B, C, D, E, F] = m2;
  return [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F];
}

const latin1 = new TextDecoder('latin1');

const isWhite = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
// PDF delimiters ( ) < > [ ] { } / %
const isDelim = (b: number): boolean =>
  b === 0x28 || b === 0x29 || b === 0x3c || b === 0x3e || b === 0x5b || b === 0x5d || b === 0x7b || b === 0x7d || b === 0x2f || b === 0x25;

/**
 * Returns the one XObject drawn by `content` and its CTM (starting from the identity), or
 * undefined when the content does anything else.
 */
export function findSingleDo(content: Uint8Array): SingleDo | undefined {
  const operands: (number | string)[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let found: SingleDo | undefined;
  let i = 0;
  const n = content.length;
  while (i < n) {
    const b = content[i];
    if (isWhite(b)) {
      i++;
      continue;
    }
    if (b === 0x25) {
      // Comment to end of line.
      while (i < n && content[i] !== 0x0a && content[i] !== 0x0d) i++;
      continue;
    }
    if (b === 0x2f) {
      let j = i + 1;
      while (j < n && !isWhite(content[j]) && !isDelim(content[j])) j++;
      // #xx escapes (PDF 1.2+) stand for the byte xx.
      operands.push('/' + latin1.decode(content.subarray(i + 1, j)).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
      i = j;
      continue;
    }
    if (isDelim(b)) return undefined; // strings, arrays, dictionaries, inline images: not a scan
    let j = i;
    while (j < n && !isWhite(content[j]) && !isDelim(content[j])) j++;
    const word = latin1.decode(content.subarray(i, j));
    i = j;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      operands.push(Number(word));
      continue;
    }
    switch (word) {
      case 'q':
        if (operands.length !== 0 || stack.length >= MAX_Q_DEPTH) return undefined;
        stack.push(ctm);
        break;
      case 'Q':
        // An unbalanced Q is tolerated by viewers (ignored); so do we.
        if (operands.length !== 0) return undefined;
        ctm = stack.pop() ?? ctm;
        break;
      case 'cm': {
        if (operands.length !== 6 || operands.some((o) => typeof o !== 'number')) return undefined;
        ctm = multiply(operands as Matrix, ctm);
        break;
      }
      case 'Do': {
        if (found !== undefined || operands.length !== 1 || typeof operands[0] !== 'string') return undefined;
        found = { name: operands[0].slice(1), ctm };
        break;
      }
      default:
        return undefined;
    }
    operands.length = 0;
  }
  return operands.length === 0 ? found : undefined;
}
