/**
 * Fax pages -> PDF (PDF 1.7 / ISO 32000-1 §7.4.6 CCITTFaxDecode filter, §8.9.5 image
 * dictionaries). Each page's coded data is embedded as an image XObject with
 * /Filter /CCITTFaxDecode, so a G4 (T.6) page goes into the PDF byte for byte: no pixel is
 * decoded for display by us, and `pdfimages -list` shows "ccitt".
 *
 * Only T.6 (K = -1) is written. MH and MR pages are re-encoded to T.6 by the caller instead of
 * being embedded with K = 0 / K > 0, because the TIFF forms of T.4 have no exact PDF
 * equivalent: TIFF's EOL fill (T4Options bit 2) pads *before* the EOL while PDF's
 * EncodedByteAlign aligns the row, TIFF G3 may lack EOLs or the leading EOL, Compression 2
 * (RLE) has neither, and viewers differ in how they survive a damaged row (one bad row can
 * blank the rest of the page). Our decoder conceals damaged rows; T.6 from our encoder is
 * what every viewer reads, and is smaller.
 *
 * One image per TIFF strip (each strip restarts coding, TIFF 6.0 §11), stacked top to bottom.
 * Page size = pixels / resolution, in points (1/72 inch).
 */

import type { PDFDocument } from 'pdf-lib';

/** One T.6 coded strip of a page. */
export interface PdfStrip {
  /** T.6 data, MSB first (FillOrder 1: PDF has no FillOrder; reverse bits before). */
  data: Uint8Array;
  /** First page row of the strip. */
  firstRow: number;
  /** Rows in the strip. */
  rows: number;
}

/** One page: its size, resolution and coded strips. */
export interface PdfPage {
  width: number;
  height: number;
  /** Pixels per inch. */
  xRes: number;
  yRes: number;
  strips: PdfStrip[];
  /**
   * True when the coded white runs are black on paper (TIFF Photometric 1, BlackIsZero):
   * the image gets /Decode [1 0] instead of being re-encoded.
   */
  inverted?: boolean;
}

/** Builds a PDF page by page; the coded data is the only thing held (it is small). */
export class PdfFaxWriter {
  private constructor(
    private readonly doc: PDFDocument,
    private readonly lib: typeof import('pdf-lib'),
  ) {}

  /** A writer with an empty document; pdf-lib is loaded here, not at import. */
  static async create(): Promise<PdfFaxWriter> {
    const lib = await import('pdf-lib');
    const doc = await lib.PDFDocument.create({ updateMetadata: true });
    doc.setProducer('ifax');
    doc.setCreator('ifax convert');
    return new PdfFaxWriter(doc, lib);
  }

  /** Pages added so far. */
  get pageCount(): number {
    return this.doc.getPageCount();
  }

  /** Adds a page: one CCITTFaxDecode image per strip. */
  addPage(page: PdfPage): void {
    const { lib, doc } = this;
    const sx = 72 / page.xRes;
    const sy = 72 / page.yRes;
    const pdfPage = doc.addPage([page.width * sx, page.height * sy]);
    const ops = [];
    for (const strip of page.strips) {
      if (strip.rows <= 0) continue;
      const dict: Record<string, unknown> = {
        Type: 'XObject',
        Subtype: 'Image',
        Width: page.width,
        Height: strip.rows,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 1,
        Filter: 'CCITTFaxDecode',
        // BlackIs1 false (the default): the filter gives 0 for black, as DeviceGray wants.
        DecodeParms: { K: -1, Columns: page.width, Rows: strip.rows, BlackIs1: false },
        Length: strip.data.length,
      };
      if (page.inverted) dict.Decode = [1, 0];
      const stream = doc.context.stream(strip.data, dict as Parameters<typeof doc.context.stream>[1]);
      const ref = doc.context.register(stream);
      const name = pdfPage.node.newXObject('Im', ref);
      const top = page.height - strip.firstRow - strip.rows;
      ops.push(
        lib.pushGraphicsState(),
        lib.concatTransformationMatrix(page.width * sx, 0, 0, strip.rows * sy, 0, top * sy),
        lib.drawObject(name),
        lib.popGraphicsState(),
      );
    }
    pdfPage.pushOperators(...ops);
  }

  /**
   * Adds a grey or colour page as one DCTDecode image (the JPEG as given, baseline, grey or
   * RGB: what every PDF reader shows), `width` x `height` pixels at xRes x yRes.
   */
  async addJpegPage(jpeg: Uint8Array, width: number, height: number, xRes: number, yRes: number): Promise<void> {
    const image = await this.doc.embedJpg(jpeg);
    const pdfPage = this.doc.addPage([(width * 72) / xRes, (height * 72) / yRes]);
    pdfPage.drawImage(image, { x: 0, y: 0, width: (width * 72) / xRes, height: (height * 72) / yRes });
  }

  /** The finished PDF. Classic cross-reference table (no object streams) for old readers. */
  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: false });
  }
}
