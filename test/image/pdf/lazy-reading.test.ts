/**
 * Issue 8 (pages stream): PDFium and the fast path read a PDF by offset. PDFium's document is
 * opened with a read callback, so the file is not copied into its heap; the fast path reads a
 * page's image only when its data is asked for, and does not keep it.
 */
import { readFileSync } from 'node:fs';
import { memorySource, type ByteSource } from '../../../src/image/pbm.js';
import { findFastImage, loadRawDoc } from '../../../src/image/pdf/fast-path.js';
import { openPdfiumReader, openPdfiumSource } from '../../../src/image/pdf/pdfium.js';
import { pdfFixture } from './helpers.js';
import { makePdf } from './objects/build.js';

/** A source over `bytes` that counts what is read from it. */
function counting(bytes: Uint8Array): { source: ByteSource; read: () => number } {
  const inner = memorySource(bytes);
  let read = 0;
  return {
    source: {
      size: inner.size,
      read(offset, length) {
        const b = inner.read(offset, length);
        read += b.length;
        return b;
      },
    },
    read: () => read,
  };
}

describe('PDF input: reading by offset', () => {
  test('PDFium through the read callback renders exactly what PDFium on a copy of the file renders', async () => {
    for (const name of ['text-2p.pdf', 'mixed-rotate.pdf']) {
      const bytes = new Uint8Array(readFileSync(pdfFixture(name)));
      const a = await openPdfiumReader(bytes, name);
      const b = await openPdfiumSource(memorySource(bytes), name);
      try {
        expect(b.pageCount).toBe(a.pageCount);
        for (let i = 0; i < a.pageCount; i++) {
          expect(b.pageInfo(i)).toEqual(a.pageInfo(i));
          const ra = a.render(i, 300, 400, 'gray');
          const rb = b.render(i, 300, 400, 'gray');
          expect(Buffer.from(rb.data).equals(Buffer.from(ra.data))).toBe(true);
        }
      } finally {
        a.close();
        b.close();
      }
    }
  });

  test('PDFium opening a scan through the callback reads its page tree, not its image', async () => {
    const bytes = new Uint8Array(readFileSync(pdfFixture('scan-g4.pdf')));
    const c = counting(bytes);
    const doc = await openPdfiumSource(c.source, 'scan-g4.pdf');
    try {
      expect(doc.pageCount).toBe(1);
      // The G4 image is ~18 KB of the ~19 KB file.
      expect(c.read()).toBeLessThan(bytes.length / 4);
    } finally {
      doc.close();
    }
  });

  test('a failing read makes PDFium refuse the file (DATA_INVALID), not parse zeros', async () => {
    const bytes = new Uint8Array(readFileSync(pdfFixture('text-2p.pdf')));
    const broken: ByteSource = {
      size: bytes.length,
      read() {
        throw new Error('disk gone');
      },
    };
    await expect(openPdfiumSource(broken, 'gone.pdf')).rejects.toMatchObject({ code: 'DATA_INVALID' });
  });

  test('the fast path reads a scan\'s image only when its pixels are asked for, each time afresh', async () => {
    // A 1024 x 1024 grey image (1 MB, no filter) drawn over the page.
    const image = Buffer.alloc(1024 * 1024, 0x80);
    const pdf = makePdf(
      [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>',
        '<< /Length 30 >>\nstream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream',
        Buffer.concat([Buffer.from('<< /Type /XObject /Subtype /Image /Width 1024 /Height 1024 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 1048576 >>\nstream\n'), image, Buffer.from('\nendstream')]),
      ],
      '/Root 1 0 R',
    );
    const c = counting(new Uint8Array(pdf));
    const raw = loadRawDoc(c.source, 1, [], [], 'PDFium');
    expect(raw).toBeDefined();
    const fast = await findFastImage(raw!, 0, 'big.pdf', () => Promise.reject(new Error('pdf.js is not needed')));
    expect(fast).toMatchObject({ width: 1024, height: 1024 });
    const before = c.read();
    // The xref, the page and the image's dictionary: a few blocks, not the image.
    expect(before).toBeLessThan(128 * 1024);
    const pixels = await fast!.pixels();
    expect(pixels.kind === 'raster' && pixels.raster.data.every((v) => v === 0x80)).toBe(true);
    expect(c.read() - before).toBe(image.length);
    await fast!.pixels();
    expect(c.read() - before).toBe(2 * image.length);
  });
});
