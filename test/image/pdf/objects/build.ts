/**
 * PDFs made byte by byte for the object reader's tests: objects with a correct classic xref,
 * incremental updates appended to an existing file, and hostile variants. What the files
 * hold is written out here, so each test shows the structure it exercises.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

/** A PDF of `objects` (object i + 1 is objects[i]) with a classic xref and trailer `trailer` (without /Size). */
export function makePdf(objects: (string | Buffer)[], trailer: string): Buffer {
  const parts: Buffer[] = [latin1('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let size = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(size);
    const b = Buffer.concat([latin1(`${i + 1} 0 obj\n`), typeof o === 'string' ? latin1(o) : o, latin1('\nendobj\n')]);
    parts.push(b);
    size += b.length;
  });
  const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(latin1(`${xref}trailer\n<< /Size ${objects.length + 1} ${trailer} >>\nstartxref\n${size}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** `base` with an incremental update (§7.5.6): `objects` by number, a classic xref section whose /Prev is base's startxref. */
export function appendUpdate(base: Buffer, objects: Record<number, string>, trailer: string): Buffer {
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(base.toString('latin1'))?.[1]);
  const parts: Buffer[] = [base];
  let size = base.length;
  const lines: string[] = [];
  for (const [num, body] of Object.entries(objects)) {
    const b = latin1(`${num} 0 obj\n${body}\nendobj\n`);
    lines.push(`${num} 1\n${String(size).padStart(10, '0')} 00000 n \n`);
    parts.push(b);
    size += b.length;
  }
  parts.push(latin1(`xref\n${lines.join('')}trailer\n<< ${trailer} /Prev ${prev} >>\nstartxref\n${size}\n%%EOF\n`));
  return Buffer.concat(parts);
}

/** A one-page PDF whose page draws `content` (uncompressed) over a 612 x 792 media box. */
export function onePage(content = 'q 612 0 0 792 0 0 cm /Im0 Do Q', extraPage = ''): Buffer {
  return makePdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>',
      `<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> ${extraPage} >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      '<< /Type /XObject /Subtype /Image /Width 8 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 16 >>\nstream\n\x00\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0\xd0\xe0\xf0\nendstream',
    ],
    '/Root 1 0 R',
  );
}

let tmp: string | undefined;
/** A temp file holding `bytes`. */
export function tempFile(name: string, bytes: Buffer): string {
  tmp ??= mkdtempSync(path.join(tmpdir(), 'ifax-pdf-objects-'));
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return file;
}

/** `file` rewritten by qpdf with an xref stream and object streams (PDF 1.5), as bytes. */
export function qpdfObjectStreams(file: string): Buffer {
  const out = `${file}.objstm.pdf`;
  execFileSync('qpdf', ['--object-streams=generate', '--compress-streams=y', file, out]);
  return readFileSync(out);
}
