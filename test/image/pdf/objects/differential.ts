/** Our object reader's view against pdf-lib's, object by object, as plain JSON. */
import { PDFArray, PDFBool, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { memorySource } from '../../../../src/image/pbm.js';
import { PdfObjects } from '../../../../src/image/pdf/objects/document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from '../../../../src/image/pdf/objects/model.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function ours(o: PdfObject | undefined, doc: PdfObjects): Json {
  if (o === undefined || o === null) return null;
  if (typeof o === 'boolean' || typeof o === 'number') return o;
  if (o instanceof PdfName) return `/${o.name}`;
  if (o instanceof PdfString) return `(${hex(o.bytes)})`;
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (Array.isArray(o)) return o.map((x) => ours(x, doc));
  if (o instanceof PdfDict) return Object.fromEntries([...o.entries].map(([k, v]) => [k, ours(v, doc)]));
  if (o instanceof PdfStream) return { dict: ours(o.dict, doc), data: hex(doc.streamBytes(o)) };
  return 'unknown';
}

export function theirs(o: PDFObject | undefined): Json {
  if (o === undefined || o === PDFNull) return null;
  if (o instanceof PDFBool) return o.asBoolean();
  if (o instanceof PDFNumber) return o.asNumber();
  if (o instanceof PDFName) return `/${o.decodeText()}`;
  if (o instanceof PDFString || o instanceof PDFHexString) return `(${hex(o.asBytes())})`;
  if (o instanceof PDFRef) return `${o.objectNumber} ${o.generationNumber} R`;
  if (o instanceof PDFArray) return o.asArray().map((x) => theirs(x));
  if (o instanceof PDFDict) return Object.fromEntries([...o.entries()].map(([k, v]) => [k.decodeText(), theirs(v)]));
  if (o instanceof PDFRawStream) return { dict: theirs(o.dict), data: hex(o.contents) };
  return 'unknown';
}

/**
 * Every object pdf-lib finds (but the xref and object streams it unpacks, which pdf-lib drops),
 * as both read it. Returns the number of objects compared.
 */
export async function compareWithPdfLib(bytes: Uint8Array): Promise<{ compared: number; mismatches: { num: number; ours: Json; theirs: Json }[] }> {
  const lib = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
  const doc = PdfObjects.open(memorySource(bytes));
  const mismatches: { num: number; ours: Json; theirs: Json }[] = [];
  let compared = 0;
  for (const [ref, obj] of lib.context.enumerateIndirectObjects()) {
    const a = ours(doc.object(ref.objectNumber), doc);
    const b = theirs(obj);
    compared++;
    if (JSON.stringify(a) !== JSON.stringify(b)) mismatches.push({ num: ref.objectNumber, ours: a, theirs: b });
  }
  return { compared, mismatches };
}
