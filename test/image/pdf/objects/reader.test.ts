/**
 * The lazy PDF object reader (src/image/pdf/objects/) against pdf-lib and pdf.js on the same
 * files: classic xref tables, xref and object streams (qpdf --object-streams=generate),
 * incremental updates, hybrid chains, and a broken or missing xref rebuilt by a scan.
 */
import { readFileSync } from 'node:fs';
import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { memorySource } from '../../../../src/image/pbm.js';
import { openPdf } from '../../../../src/image/pdf/open.js';
import { PdfObjects } from '../../../../src/image/pdf/objects/document.js';
import { readPageTree } from '../../../../src/image/pdf/objects/page-tree.js';
import { pageGeometry } from '../../../../src/image/pdf/page-box.js';
import { openPdfJsDoc } from '../../../../src/image/pdf/pdfjs.js';
import { pdfFixture } from '../helpers.js';
import { appendUpdate, onePage, qpdfObjectStreams, tempFile } from './build.js';
import { compareWithPdfLib } from './differential.js';

const open = (b: Uint8Array): PdfObjects => PdfObjects.open(memorySource(new Uint8Array(b)));
const FIXTURES = ['scan-g4.pdf', 'mixed-rotate.pdf', 'raw-images.pdf', 'jpeg.pdf', 'text-2p.pdf'];

/** Page count, view and rotation of every page, by the reader and by pdf.js. */
async function geometryAgrees(bytes: Uint8Array): Promise<number> {
  const doc = open(bytes);
  const { pages } = readPageTree(doc);
  const js = await openPdfJsDoc(new Uint8Array(bytes), 'x.pdf');
  try {
    expect(pages.length).toBe(js.numPages);
    for (const [i, page] of pages.entries()) {
      const proxy = await js.getPage(i + 1);
      const g = pageGeometry(doc, page);
      expect({ i, view: g.view, rotate: g.rotate }).toEqual({ i, view: proxy.view, rotate: proxy.rotate });
    }
  } finally {
    await js.destroy();
  }
  return pages.length;
}

/** The fast path's CCITT data of page 1, through openPdf. */
async function ccittOf(file: string): Promise<Buffer | undefined> {
  const doc = await openPdf(file, 'x.pdf');
  try {
    const fast = await doc.pages[0].fastPath();
    return fast?.ccitt ? Buffer.from(fast.ccitt.data) : undefined;
  } finally {
    await doc.close();
  }
}

describe('PDF object reader: classic xref tables', () => {
  test.each(FIXTURES)('%s: every object pdf-lib finds reads the same, data included', async (name) => {
    const bytes = readFileSync(pdfFixture(name));
    const doc = open(bytes);
    expect(doc.rebuilt).toBe(false);
    const r = await compareWithPdfLib(bytes);
    expect(r.compared).toBeGreaterThan(4);
    expect(r.mismatches).toEqual([]);
    await geometryAgrees(bytes);
  });
});

describe('PDF object reader: xref streams and object streams (qpdf --object-streams=generate)', () => {
  test.each(FIXTURES)('%s rewritten with object streams: same objects as pdf-lib, same geometry as pdf.js', async (name) => {
    const bytes = qpdfObjectStreams(tempFile(name, readFileSync(pdfFixture(name))));
    const text = bytes.toString('latin1');
    expect(text).toMatch(/\/Type\s*\/ObjStm/);
    expect(text).toMatch(/\/Type\s*\/XRef/);
    expect(text).not.toMatch(/\nxref\s/);
    const doc = open(bytes);
    expect(doc.rebuilt).toBe(false);
    const r = await compareWithPdfLib(bytes);
    expect(r.mismatches).toEqual([]);
    expect(r.compared).toBeGreaterThan(4);
    await geometryAgrees(bytes);
  });

  test('the scan rewritten with object streams hands out the same CCITT data through openPdf', async () => {
    const original = await ccittOf(pdfFixture('scan-g4.pdf'));
    const rewritten = await ccittOf(tempFile('scan-objstm.pdf', qpdfObjectStreams(tempFile('scan.pdf', readFileSync(pdfFixture('scan-g4.pdf'))))));
    expect(original).toBeDefined();
    expect(rewritten?.equals(original as Buffer)).toBe(true);
  });
});

describe('PDF object reader: incremental updates (/Prev chains)', () => {
  test('an update that turns page 1 is read as the newest version, as pdf.js and pdf-lib read it', async () => {
    const base = onePage();
    const updated = appendUpdate(base, { 3: '<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> /Rotate 90 >>' }, '/Size 6 /Root 1 0 R');
    const doc = open(updated);
    expect(doc.rebuilt).toBe(false);
    const [page] = readPageTree(doc).pages;
    expect(doc.resolve(page.inherited.Rotate)).toBe(90);
    const lib = await PDFDocument.load(updated);
    expect((lib.getPage(0).node.lookup(PDFName.of('Rotate')) as PDFNumber).asNumber()).toBe(90);
    await geometryAgrees(updated);
    expect((await compareWithPdfLib(updated)).mismatches).toEqual([]);
  });

  test('a classic update on top of an xref-stream file (a mixed chain) reads both sections', async () => {
    const base = qpdfObjectStreams(tempFile('one.pdf', onePage()));
    // The page is object 3 in qpdf's renumbering too? Find it by the reader, then replace it.
    const doc0 = open(base);
    const pagesRef = doc0.catalog().get('Pages');
    const kids = doc0.get(doc0.resolve(pagesRef) as never, 'Kids') as { num: number }[];
    const pageNum = kids[0].num;
    const page = readPageTree(doc0).pages[0].dict;
    const res = page.get('Resources') as { num: number } | undefined;
    const contents = page.get('Contents') as { num: number };
    const resText = res && 'num' in res ? `${res.num} 0 R` : `<< /XObject << /Im0 ${(doc0.get(doc0.get(page, 'Resources') as never, 'XObject') as never as { entries: Map<string, { num: number }> }).entries.get('Im0')?.num} 0 R >> >>`;
    const updated = appendUpdate(
      base,
      { [pageNum]: `<< /Type /Page /Parent ${(pagesRef as { num: number }).num} 0 R /Contents ${contents.num} 0 R /Resources ${resText} /Rotate 180 /MediaBox [0 0 300 400] >>` },
      `/Size 40 /Root ${(doc0.trailer.get('Root') as { num: number }).num} 0 R`,
    );
    const doc = open(updated);
    expect(doc.rebuilt).toBe(false);
    const g = pageGeometry(doc, readPageTree(doc).pages[0]);
    expect(g).toEqual({ view: [0, 0, 300, 400], rotate: 180 });
    await geometryAgrees(updated);
    expect((await compareWithPdfLib(updated)).mismatches).toEqual([]);
  });

  test('a hybrid file: the table lists object 6 as free, its /XRefStm stream puts it in an object stream', () => {
    // Object 6 (the image's /Length) lives in object stream 7; the classic table says free,
    // the hidden xref stream 8 says "type 2, stream 7, index 0" (§7.5.8.4).
    const objstmData = '6 0 16';
    const base = onePage().toString('latin1').replace('/Length 16 >>', '/Length 6 0 R >>');
    const cut = base.lastIndexOf('xref\n');
    const head = Buffer.from(base.slice(0, cut), 'latin1');
    const o7 = `7 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length ${objstmData.length} >>\nstream\n${objstmData}\nendstream\nendobj\n`;
    const at7 = head.length;
    const xrefStmRows = Buffer.from([2, 0, 7, 0]); // W [1 2 1]: type 2, stream 7, index 0
    const o8 = `8 0 obj\n<< /Type /XRef /Size 9 /Index [6 1] /W [1 2 1] /Length 4 >>\nstream\n`;
    const at8 = at7 + o7.length;
    const tail8 = Buffer.concat([Buffer.from(o8, 'latin1'), xrefStmRows, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    const offsets = [...base.slice(0, cut).matchAll(/(\d+) 0 obj/g)].map((m) => [Number(m[1]), m.index as number] as const);
    const row = (o: number): string => `${String(o).padStart(10, '0')} 00000 n \n`;
    const table = `xref\n0 9\n0000000000 65535 f \n${offsets.map(([, o]) => row(o)).join('')}0000000000 00000 f \n${row(at7)}${row(at8)}`;
    const xrefAt = at8 + tail8.length;
    const file = Buffer.concat([head, Buffer.from(o7, 'latin1'), tail8, Buffer.from(`${table}trailer\n<< /Size 9 /Root 1 0 R /XRefStm ${at8} >>\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1')]);
    const doc = open(file);
    expect(doc.rebuilt).toBe(false);
    expect(doc.object(6)).toBe(16);
    const image = doc.object(5) as never as import('../../../../src/image/pdf/objects/model.js').PdfStream;
    expect(doc.streamBytes(image).length).toBe(16);
  });
});

describe('PDF object reader: a broken or missing xref is rebuilt by a scan', () => {
  const scan = (): Buffer => readFileSync(pdfFixture('scan-g4.pdf'));

  test('offsets all wrong (junk inserted after the header): rebuilt, same objects as pdf-lib, same CCITT data', async () => {
    const b = scan();
    const nl = b.indexOf(0x0a) + 1;
    const shifted = Buffer.concat([b.subarray(0, nl), Buffer.from('%' + 'junk'.repeat(50) + '\n'), b.subarray(nl)]);
    const doc = open(shifted);
    readPageTree(doc);
    expect(doc.rebuilt).toBe(true);
    expect((await compareWithPdfLib(shifted)).mismatches).toEqual([]);
    expect((await ccittOf(tempFile('shifted.pdf', shifted)))?.equals((await ccittOf(pdfFixture('scan-g4.pdf'))) as Buffer)).toBe(true);
  });

  test('no xref and no startxref at all (cut before "xref"): rebuilt from the objects and the catalog', async () => {
    const b = scan();
    const cut = b.subarray(0, b.lastIndexOf(Buffer.from('xref')));
    const doc = open(cut);
    expect(doc.rebuilt).toBe(true);
    expect(doc.rebuildReason).toMatch(/startxref/);
    expect(readPageTree(doc).pages.length).toBe(1);
    expect((await compareWithPdfLib(cut)).mismatches).toEqual([]);
  });

  test('object streams are found by the scan too (qpdf output with its xref stream cut off)', async () => {
    const b = qpdfObjectStreams(tempFile('mixed.pdf', readFileSync(pdfFixture('mixed-rotate.pdf'))));
    const broken = Buffer.from(b.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n99999999'), 'latin1');
    const doc = open(broken);
    expect(doc.rebuilt).toBe(true);
    expect(await geometryAgrees(broken)).toBe(readPageTree(open(b)).pages.length);
  });
});
