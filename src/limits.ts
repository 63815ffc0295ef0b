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

// Sending (src/jobs/send/)

/**
 * Bytes of one job's fax document (the TIFF) held in memory while its mail is built: 256 MB.
 * The mail is assembled in memory (the TIFF, then its base64, 4/3 larger, then fragments with
 * `split`), so a document costs about 2.5 times this at its peak. Mail servers take far less
 * (Postfix's default message_size_limit is 10 MB, Exchange Online's 150 MB): a larger job is
 * for `smtp.loadReduction` url-always, which still has to hold it once.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * Destinations of one job (`--to`, broadcast). Office devices allow a few hundred broadcast
 * destinations (500 on most); each is a row in the job record and at worst its own mail.
 */
export const MAX_DESTINATIONS = 1000;

// ---------------------------------------------------------------------------------------
// Media feature expressions (src/mime/features: RFC 2533 syntax, RFC 2879 fax schema)
// ---------------------------------------------------------------------------------------

/**
 * Characters of one feature expression (a Media-Accept-Features, X-Accept-Features or
 * Content-features value). The largest RFC example (RFC 2879 §4.6, a full-colour MRC
 * station) is about 3 KB with its indentation; real devices send under 1 KB. The value comes
 * from a stranger's mail, so it is bounded before any parsing.
 */
export const MAX_FEATURE_EXPRESSION_LENGTH = 16384;

/**
 * Nesting of parentheses in one feature expression. The RFC examples nest 7 deep; the parser
 * recurses once per level, so without a bound "((((((..." would exhaust the stack.
 */
export const MAX_FEATURE_NESTING_DEPTH = 32;

/** Entries of one set `attr=[a,b,...]`: the RFC examples list at most 7 (RFC 2879 §3.3 ua-media). */
export const MAX_FEATURE_SET_SIZE = 256;

/**
 * Digits of one number (numerator or denominator). 15 digits stay exact in a JavaScript
 * number; comparisons cross-multiply in BigInt, so no value is ever rounded.
 */
export const MAX_FEATURE_NUMBER_DIGITS = 15;

/**
 * Nodes of an expression after named predicates (RFC 2533 §6.1) are substituted: a small
 * predicate body invoked many times would otherwise multiply into millions of nodes.
 */
export const MAX_FEATURE_NODES = 20000;

/**
 * Steps of one satisfiability check (RFC 2533 §5: the search over the conjunctions of the
 * disjunctive normal form). An AND of n two-way ORs has 2^n conjunctions; real capability
 * statements need a few hundred steps per candidate format, a crafted one is cut off here.
 */
export const MAX_FEATURE_MATCH_STEPS = 200000;

// --- TLS certificate checks (src/transport/tls/) ---

/**
 * Time one OCSP or CRL download may take, in ms. The check runs with the mail server's
 * connection open and waiting for our first command; responders answer in well under a second.
 * Two downloads at most (OCSP, then the CRL) keep the wait under the 5 minutes servers allow a
 * silent client (RFC 5321 §4.5.3.2).
 */
export const REVOCATION_FETCH_TIMEOUT_MS = 10_000;

/**
 * Size of an OCSP response: 64 KB. A response with its responder's certificate is 1.5-5 KB;
 * the bound stops a hostile responder address from filling memory.
 */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;

/**
 * Size of a CRL downloaded from a distribution point: 16 MB, about 400,000 revoked entries, all
 * parsed into objects at once. CAs with more shard their CRLs over several distribution
 * points, and answer OCSP, which is tried first. (A tls.crlFile may be larger: MAX_TLS_FILE_BYTES.)
 */
export const MAX_CRL_DOWNLOAD_BYTES = 16 * 1024 * 1024;

/**
 * Certificates in one chain, leaf and trust anchor included: 10. Real chains hold 2-4; the
 * bound stops the path search over a crafted chain of certificates that issue each other.
 */
export const MAX_CHAIN_CERTIFICATES = 10;

/**
 * Clock difference allowed between us and an OCSP responder or CRL issuer, in ms: 5 minutes.
 * A response made "now" by a responder whose clock runs a little ahead must not look like it
 * comes from the future.
 */
export const REVOCATION_CLOCK_SKEW_MS = 5 * 60 * 1000;

// ---------------------------------------------------------------------------------------
// Mail building, message/partial (src/mime)
// ---------------------------------------------------------------------------------------

/**
 * Bytes kept free in each message/partial fragment for the Received: (and DKIM, spam
 * scanner) header fields relays add on the way: a fragment of exactly the server's size
 * limit would be refused after the first hop. Canon devices leave 4 KB; a Received: line is
 * 150-300 bytes, so this covers more than a dozen hops with signatures.
 */
export const PARTIAL_RECEIVED_MARGIN = 4096;

/**
 * Smallest fragment size accepted for splitting: the margin plus room for the fragment's
 * own headers (about 1 KB) and whole lines (up to 998 characters each). SETTINGS.md allows
 * splitSizeKB from 64.
 */
export const MIN_SPLIT_BYTES = 16 * 1024;

/**
 * Fragments in one split message. At the smallest split size (64 KB) this is 240 MB of
 * mail, past MAX_REASSEMBLED_BYTES; a message/partial "total" beyond it is an attack or
 * a mistake and is refused before anything is held.
 */
export const MAX_PARTIAL_FRAGMENTS = 4096;

/**
 * Size of a reassembled message/partial mail. A 2000-page fine fax (MAX_PAGES) is about
 * 100 MB of TIFF, 137 MB in base64; fragments are held in memory until complete, so a
 * sender claiming more is refused rather than allowed to fill memory.
 */
export const MAX_REASSEMBLED_BYTES = 192 * 1024 * 1024;

// POP3 client (src/transport/pop3/)

/**
 * Octets of one POP3 response line, CRLF included: the greeting, a status line, a CAPA, LIST or
 * UIDL line (RFC 2449 §4: 512 octets maximum). A longer line is a protocol error: a server that
 * never sends CRLF must not make the client buffer without end.
 */
export const MAX_POP3_LINE_BYTES = 512;

/**
 * A command line the station's POP3 server takes (RFC 2449 §4: 255 octets for commands): a
 * client that sends more is cut off rather than buffered without end.
 */
export const MAX_POP3_COMMAND_BYTES = 255;

/**
 * Octets of one retrieved message (RETR, TOP) after dot-unstuffing. The message is streamed to
 * its sink, not held, so this bounds the work and disk a mailbox can demand, not memory: a fax
 * of 100 colour pages at 300 dpi is about 60 MB as base64; mail servers refuse far less
 * (Postfix message_size_limit: 10 MB by default).
 */
export const MAX_POP3_MESSAGE_BYTES = 256 * 1024 * 1024;

/**
 * Lines of a LIST or UIDL listing (one per message) and of a CAPA answer. A listing is held in
 * memory; 100 000 messages take about 5 MB of listing, far beyond any fax mailbox, and stop a
 * server that never sends the terminating "." from growing the list without end.
 */
export const MAX_POP3_LISTING_LINES = 100_000;

/**
 * Bytes read ahead from a POP3 server before the socket is paused: received data waits here
 * until the command reading it asks for more, so a fast server and a slow message sink keep
 * memory at this bound (TCP flow control does the rest).
 */
export const MAX_POP3_READ_AHEAD_BYTES = 256 * 1024;

// --- Job store (src/store) ---

/**
 * Characters kept of any text the job store takes from outside: an SMTP reply, an MDN/DSN
 * diagnostic, an error message, a subject. A report is written by whoever sends us mail; without
 * a bound one forged DSN with a megabyte of diagnostic text would grow the store and every
 * `ifax jobs` listing. 2000 characters hold any real server reply (RFC 5321 §4.5.3.1.5: a reply
 * line is at most 512 octets) several times over.
 */
export const MAX_STORED_TEXT_CHARS = 2000;

/** Destinations of one job (a broadcast): more is a mistake or a mailing list, not a fax. */
export const MAX_JOB_DESTINATIONS = 500;

/** Mails of one job (broadcast groups, message/partial fragments, resends). */
export const MAX_JOB_MESSAGES = 1000;

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

// --- Received mail (src/mime/parse/, src/jobs/receive/): what one incoming mail may make the
// parser hold or do. Anyone can mail the station, so every bound is against a crafted mail.

/**
 * Bytes of one mail: 256 MB, the POP3 message limit. A fax of 2,000 pages in MMR is under
 * 100 MB even base64-encoded; a larger "mail" is an attack or a mistake.
 */
export const MAX_MAIL_BYTES = 256 * 1024 * 1024;

/**
 * Bytes of one header block (a message's or a body part's), unfolded lines included: 256 KB.
 * Real headers are a few KB (long Received chains ~20 KB); without a bound a header "line"
 * of megabytes would be unfolded and decoded as one string.
 */
export const MAX_MAIL_HEADER_BYTES = 256 * 1024;

/** Header fields of one block: 2,000 (a long relay chain has ~50); each is kept as a string. */
export const MAX_MAIL_HEADER_FIELDS = 2000;

/**
 * Multipart nesting: 16 levels. Real mails nest 3 (mixed > alternative > related); without a
 * nesting limit a small crafted mail of nested boundaries can exhaust the stack and memory.
 */
export const MAX_MIME_DEPTH = 16;

/** Body parts of one mail: 1,000. A fax has a few; each part costs a header parse and an object. */
export const MAX_MIME_PARTS = 1000;

/**
 * Decoded bytes of all parts of one mail together: 256 MB (MAX_MAIL_BYTES: base64 only shrinks,
 * quoted-printable too, so a real mail never decodes to more than its own size).
 */
export const MAX_DECODED_MAIL_BYTES = 256 * 1024 * 1024;

/** Text of the note (the text/plain part) kept with a received fax: 64 KB, a few pages of text. */
export const MAX_NOTE_CHARS = 64 * 1024;

/**
 * Days message/partial fragments wait for the rest of their set (RFC 2046 §5.2.2 sets no
 * bound); after that they are moved to other/ with a note, so a lost fragment does not keep
 * the others forever.
 */
export const PARTIAL_EXPIRY_DAYS = 7;

/**
 * Days the id of a reassembled set is remembered, so that fragments delivered again (an MTA
 * retry, a sender resending) do not make the same fax twice.
 */
export const PARTIAL_DONE_KEEP_DAYS = 30;
