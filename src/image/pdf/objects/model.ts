/**
 * The PDF object model (PDF 32000-1 §7.3: booleans, numbers, strings, names, arrays,
 * dictionaries, streams, null, indirect references), as the lazy reader hands it out. A
 * stream is its dictionary and where its data starts in the file: the data itself is read
 * only when asked for (document.ts), so a parsed object costs its dictionary, never its data.
 * Pure.
 */

/** A name (§7.3.5), #xx escapes resolved; compared by `name`. */
export class PdfName {
  constructor(readonly name: string) {}
}

/** A literal or hexadecimal string (§7.3.4), escapes resolved: its bytes. */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
  ) {}
}

/** An indirect reference "num gen R" (§7.3.10). */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A dictionary (§7.3.7); a later duplicate key wins, as in pdf.js and pdf-lib. */
export class PdfDict {
  constructor(readonly entries: Map<string, PdfObject> = new Map()) {}
  /** The value as stored (a reference is not resolved). */
  get(key: string): PdfObject | undefined {
    return this.entries.get(key);
  }
}

/** A stream (§7.3.8): its dictionary and the file offset of its first data byte. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** Offset in the file just after the EOL that follows `stream`. */
    readonly dataStart: number,
  ) {}
}

/** Any PDF object. `null` is PDF's null (and what a missing object resolves to, §7.3.10). */
export type PdfObject = null | boolean | number | PdfName | PdfString | PdfRef | PdfDict | PdfStream | PdfObject[];

/** The name's text when `o` is a name, else undefined. */
export const nameOf = (o: PdfObject | undefined): string | undefined => (o instanceof PdfName ? o.name : undefined);

/** The number when `o` is a number, else undefined. */
export const numberOf = (o: PdfObject | undefined): number | undefined => (typeof o === 'number' ? o : undefined);

/** The boolean when `o` is a boolean, else undefined. */
export const boolOf = (o: PdfObject | undefined): boolean | undefined => (typeof o === 'boolean' ? o : undefined);
