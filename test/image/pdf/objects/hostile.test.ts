/**
 * Hostile input to the object reader: every crafted file ends in an error or a bounded result
 * (limits in src/limits.ts), never a stack overflow, a hang or unbounded memory. Loops in these
 * tests are bounded; nothing is timed.
 */
import { readFileSync } from 'node:fs';
import { memorySource } from '../../../../src/image/pbm.js';
import { PdfObjects } from '../../../../src/image/pdf/objects/document.js';
import { memoryBytes } from '../../../../src/image/pdf/objects/byte-window.js';
import { PdfDict } from '../../../../src/image/pdf/objects/model.js';
import { readPageTree } from '../../../../src/image/pdf/objects/page-tree.js';
import { parseObject } from '../../../../src/image/pdf/objects/parser.js';
import { findFastImage, loadRawDoc } from '../../../../src/image/pdf/fast-path.js';
import { pdfFixture } from '../helpers.js';
import { makePdf, onePage } from './build.js';

const open = (b: Uint8Array): PdfObjects => PdfObjects.open(memorySource(new Uint8Array(b)));
const parse = (s: string): unknown => parseObject(memoryBytes(Buffer.from(s, 'latin1')), 0).value;

describe('PDF object reader: hostile input is bounded', () => {
  test('100,000 nested arrays stop at MAX_PDF_NESTING with a syntax error, not a stack overflow', () => {
    expect(() => parse('['.repeat(100000))).toThrow(/MAX_PDF_NESTING/);
    expect(() => parse('<<'.repeat(50000))).toThrow(/MAX_PDF_NESTING|not a name/);
  });

  test('every object type parses as PDF 32000-1 §7.3 says, escapes included', () => {
    const v = parse('<< /A#20b (x\\(y\\)\\101\\n\\\r\nz) /H <41 42 4> /N -.5 /R 12 0 R /T true /F false /Z null /Arr [1 2.5 /K [(s)]] >>') as PdfDict;
    const get = (k: string): unknown => v.get(k);
    expect([...v.entries.keys()]).toEqual(['A b', 'H', 'N', 'R', 'T', 'F', 'Z', 'Arr']);
    expect(Buffer.from((get('A b') as { bytes: Uint8Array }).bytes).toString('latin1')).toBe('x(y)A\nz');
    expect([...(get('H') as { bytes: Uint8Array }).bytes]).toEqual([0x41, 0x42, 0x40]);
    expect([get('N'), get('T'), get('F'), get('Z')]).toEqual([-0.5, true, false, null]);
    expect(get('R')).toMatchObject({ num: 12, gen: 0 });
  });

  test('a /Prev chain that loops on itself ends; the objects still read', () => {
    const b = onePage().toString('latin1');
    const xrefAt = Number(/startxref\s+(\d+)/.exec(b)?.[1]);
    const looped = Buffer.from(b.replace('/Root 1 0 R', `/Root 1 0 R /Prev ${xrefAt}`), 'latin1');
    const doc = open(looped);
    expect(doc.rebuilt).toBe(false);
    expect(readPageTree(doc).pages.length).toBe(1);
  });

  test('a page tree whose kid is its own parent is refused as a loop', () => {
    const pdf = makePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'], '/Root 1 0 R');
    expect(() => readPageTree(open(pdf))).toThrow(/loop/);
    const deep = Array.from({ length: 200 }, (_, i) => `<< /Type /Pages /Kids [${i + 3} 0 R] /Count 1 >>`);
    const pdf2 = makePdf(['<< /Type /Catalog /Pages 2 0 R >>', ...deep, '<< /Type /Page >>'], '/Root 1 0 R');
    expect(() => readPageTree(open(pdf2))).toThrow(/MAX_PDF_NESTING/);
  });

  test('references that point at each other resolve to null', () => {
    const pdf = makePdf(['<< /Type /Catalog /Pages 3 0 R >>', '4 0 R', '<< /Type /Pages /Kids [] /Count 2 0 R >>', '2 0 R'], '/Root 1 0 R');
    const doc = open(pdf);
    expect(doc.resolve(doc.catalog().get('Pages'))).toBeInstanceOf(PdfDict);
    expect(doc.object(2)).not.toBeUndefined();
    expect(doc.resolve((doc.resolve(doc.catalog().get('Pages')) as PdfDict).get('Count'))).toBeNull();
  });

  test('an xref subsection of four billion entries is refused and the table rebuilt by a scan', () => {
    const b = onePage().toString('latin1').replace(/xref\n0 6\n/, 'xref\n0 4000000000\n');
    const doc = open(Buffer.from(b, 'latin1'));
    expect(doc.rebuilt).toBe(true);
    expect(doc.rebuildReason).toMatch(/MAX_PDF_OBJECTS/);
    expect(readPageTree(doc).pages.length).toBe(1);
  });

  test('a /Length past the end of the file falls back to "endstream"; an object stream with a bad header still reads as a stream', () => {
    const pdf = makePdf(
      [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [] /Count 0 >>',
        '<< /Length 999999999 >>\nstream\nabc\nendstream',
        '<< /Type /ObjStm /N 1 /First 4 /Length 7 >>\nstream\n4 0 9 \nendstream',
      ],
      '/Root 1 0 R',
    );
    const doc = open(pdf);
    expect(Buffer.from(doc.streamBytes(doc.object(3) as never)).toString()).toBe('abc');
    expect(doc.object(4)).not.toBeNull();
  });

  test('no catalog anywhere: a PdfReadError, and loadRawDoc turns it into the damaged-file warning', () => {
    const junk = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Font >>\nendobj\n', 'latin1');
    expect(() => open(junk)).toThrow(/catalog/);
    const warnings: string[] = [];
    const notes: string[] = [];
    expect(loadRawDoc(memorySource(junk), 1, warnings, notes, 'PDFium')).toBeUndefined();
    expect(warnings).toEqual(['its raw objects cannot be read (the file is damaged), so no page is taken as a scanned image; all pages are rendered']);
  });

  test('an /Encrypt entry means no fast path, said at debug level', () => {
    const b = Buffer.from(onePage().toString('latin1').replace('/Root 1 0 R', '/Root 1 0 R /Encrypt << /Filter /Standard >>'), 'latin1');
    const warnings: string[] = [];
    const notes: string[] = [];
    expect(loadRawDoc(memorySource(b), 1, warnings, notes, 'PDFium')).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(notes[0]).toMatch(/^it is encrypted/);
  });

  test('500 seeded mutations of a scan: each read ends in a result or an Error, never a RangeError', async () => {
    const original = readFileSync(pdfFixture('scan-g4.pdf'));
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    // Mutations land in the structure (first 2 KB and the last 1 KB), where parsing happens.
    const spots = (): number => (rand(2) === 0 ? rand(2048) : original.length - 1 - rand(1024));
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < 500; i++) {
      const b = Buffer.from(original);
      for (let k = 0; k <= rand(4); k++) b[spots()] = rand(256);
      try {
        const doc = loadRawDoc(memorySource(b), 1, [], [], 'PDFium');
        if (doc) await findFastImage(doc, 0, 'fuzz.pdf', () => Promise.reject(new Error('no pdf.js here')));
        outcomes.read++;
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect(err).not.toBeInstanceOf(RangeError);
        outcomes.refused++;
      }
    }
    expect(outcomes.read + outcomes.refused).toBe(500);
    expect(outcomes.read).toBeGreaterThan(0);
  });
});
