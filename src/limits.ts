/**
 * Every size limit of ifax, each with its reason. The single home of limits (STYLE.md):
 * code that needs one imports it from here, and error messages name the constant.
 * Pure: no `node:` imports.
 */

/**
 * Widest page, in pixels. The widest fax page any device writes is A3 at 600 dpi (7016 px);
 * twice that leaves room for odd scanners. A T.6 stream can claim any width in its TIFF tags,
 * and every decoded row costs width/8 bytes, so the claim is checked before allocating.
 */
export const MAX_WIDTH = 16384;

/**
 * Tallest page, in rows. Legal at 600 lpi is 8400 rows; long "continuous" fax pages
 * (receipts, rolls) reach a few metres at standard resolution. A single EOL-free MMR row
 * costs one bit, so without a cap a 1 MB stream could claim millions of rows.
 */
export const MAX_HEIGHT = 65536;

/**
 * Pixels on one page. A3 at 600x600 dpi is 7016 x 9921 = 69.6 M pixels (8.7 MB packed);
 * this allows that with margin and bounds one page's bitmap to 16 MiB.
 */
export const MAX_PIXELS_PER_PAGE = 128 * 1024 * 1024;

/**
 * Pages in one document. Fax jobs of a few hundred pages happen (manuals, contracts); a
 * TIFF with an IFD loop or a million tiny IFDs must not run forever.
 */
export const MAX_PAGES = 2000;

/**
 * Decoded bytes over a whole document (packed 1-bit bitmaps). Pages are streamed one at a
 * time, so this is not memory held at once: it bounds the work a small hostile file can
 * demand (decompression bomb). 1000 fine A4 pages are 495 MB.
 */
export const MAX_TOTAL_DECODED_BYTES = 1024 * 1024 * 1024;

/**
 * Size of one input file read whole (TIFF, PBM, PNG). Fax TIFFs are well under 10 MB per
 * 100 pages; a 600-dpi 50-page scan as PNG stays below this.
 */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;

/** Size of a profile file: a profile is a few KB; a larger file is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** IFD entries in one TIFF directory: TIFF-FX pages use about 20; real files below 100. */
export const MAX_IFD_ENTRIES = 4096;

/** Strips per page: one per row at most is absurd but legal (RowsPerStrip=1 on a 600-dpi page). */
export const MAX_STRIPS_PER_PAGE = MAX_HEIGHT;

/** Diagnostics kept per page: a badly damaged page should not grow an unbounded list. */
export const MAX_DIAGNOSTICS_PER_PAGE = 1000;

/** All limits by name, for messages and `--json` output. */
export const LIMITS = {
  MAX_WIDTH,
  MAX_HEIGHT,
  MAX_PIXELS_PER_PAGE,
  MAX_PAGES,
  MAX_TOTAL_DECODED_BYTES,
  MAX_INPUT_BYTES,
  MAX_CONFIG_BYTES,
  MAX_IFD_ENTRIES,
  MAX_STRIPS_PER_PAGE,
  MAX_DIAGNOSTICS_PER_PAGE,
} as const;

export type LimitName = keyof typeof LIMITS;

/**
 * Pixels of one decoded picture (JPEG, PNG, WebP, GIF, non-fax TIFF), checked from its header
 * before decoding. A picture is decoded whole as 8-bit grey or RGB (up to 3 bytes per pixel)
 * before it is fitted to the page: 100 M pixels (300 MB RGB) takes an A3 scan at 600 dpi
 * (70 M) and 100-megapixel cameras, and stops a 20 KB JPEG claiming 65535 x 65535 pixels
 * (12.9 GB) from exhausting memory.
 */
export const MAX_IMAGE_PIXELS = 100 * 1000 * 1000;

/**
 * Size of a JPEGTables (347) block read from a TIFF page. Four quantisation and four Huffman
 * tables take under 2 KB; a larger block is ignored rather than spliced in front of every strip.
 */
export const MAX_JPEG_TABLES_BYTES = 65536;

/**
 * Memory jpeg-js may allocate for one JPEG strip, in MB (its own cap, `maxMemoryUsageInMB`). A
 * MAX_PIXELS_PER_PAGE page of 3 components needs about 400 MB of component and output buffers.
 */
export const MAX_JPEG_DECODE_MB = 1024;

/**
 * Page buffers (ArrayBuffers) a conversion may leave for the garbage collector before it is
 * asked to collect: 96 MB. V8 frees a page's buffers promptly only while they are young; one
 * that outlives an await (a file write) is freed at the next full collection, which V8 starts
 * late for memory outside its heap. Measured: a 50-page 600-dpi conversion peaked at 116-130 MB
 * on a quiet machine and 325 MB on a busy one without this bound.
 */
export const MAX_UNCOLLECTED_BUFFER_BYTES = 96 * 1024 * 1024;

/**
 * Bytes an output file may have queued for writing while the next page is being made
 * (store/atomic-file.ts write-behind): 32 MB, seven decoded 600-dpi A4 pages. Overlapping the
 * write with the next page's decoding saves what the disk takes; without a bound a fast
 * decoder and a slow disk would hold the whole document in memory.
 */
export const MAX_WRITE_BEHIND_BYTES = 32 * 1024 * 1024;

// --- PDF object reader (src/image/pdf/objects/): the scanned-page fast path reads a PDF's
// objects from the file as it needs them, never the whole file; these bound what a crafted
// file can make it hold or do.

/** Bytes of one block the reader reads from the file: objects are a few hundred bytes, xref tables a few KB. */
export const PDF_WINDOW_BLOCK_BYTES = 16 * 1024;

/** Blocks kept (least recently used dropped): 256 KB at most, whatever the file's size. */
export const PDF_WINDOW_BLOCKS = 16;

/** Bytes read at a time when scanning for "N G obj", "trailer" or "endstream" (a broken xref, a wrong /Length). */
export const PDF_SCAN_CHUNK_BYTES = 1024 * 1024;

/**
 * Arrays and dictionaries nested deeper than this (and page trees deeper than this) are not
 * read: parsing recurses, and a few KB of "[[[[..." would otherwise overflow the stack. pdf.js
 * and PDFium stop far lower in practice; real files nest under 10.
 */
export const MAX_PDF_NESTING = 64;

/** Bytes one object (its dictionary or array, not a stream's data) may span: a page's is under 1 KB, a font's widths a few KB. */
export const MAX_PDF_OBJECT_BYTES = 8 * 1024 * 1024;

/**
 * Object numbers an xref may list: 1,000,000, ~100 MB of table at most. A 2,000-page scan has
 * ~10,000 objects; a crafted subsection "0 4000000000" would otherwise allocate without end.
 */
export const MAX_PDF_OBJECTS = 1000 * 1000;

/** Sections in the /Prev chain (incremental updates): a loop or a forged chain ends here. */
export const MAX_PDF_XREF_SECTIONS = 1000;

/** Decoded bytes of one xref stream: 1,000,000 entries of up to 20 bytes. */
export const MAX_PDF_XREF_STREAM_BYTES = 20 * 1000 * 1000;

/** Decoded bytes of one object stream (/Type /ObjStm); writers make them of ~100 objects, a few KB. */
export const MAX_PDF_OBJSTM_BYTES = 16 * 1024 * 1024;

/** Decoded object streams kept (the oldest dropped): pages' objects are read in order, one stream at a time. */
export const PDF_OBJSTM_CACHE = 4;

/** Bytes of parsed objects kept (as their span in the file): 4 MB holds a 2,000-page tree's dictionaries. */
export const PDF_OBJECT_CACHE_BYTES = 4 * 1024 * 1024;

/** References followed from one to the next ("1 0 obj 2 0 R"): a cycle resolves to null, as a missing object does. */
export const MAX_PDF_REF_CHAIN = 32;
