/**
 * A received fax into the inbox (store/inbox.ts): the mail and its TIFFs as received, the
 * pages read by the page pipeline (image/document.ts readFax: several TIFFs make one
 * document, damaged rows are counted as `convert --info` counts them and do not stop it),
 * fax.pdf written from them (writeFax), and meta.json; all in one folder that appears
 * complete or not at all. Then the `--out` copies.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { codingOf } from '../../fax/vocabulary.js';
import { readFax } from '../../image/document.js';
import { writeFax, writePngPages } from '../../image/writers/index.js';
import type { ClassifiedMail } from '../../mime/parse/index.js';
import { AtomicFile, writeFileAtomic, type ByteSink } from '../../store/atomic-file.js';
import { createInboxEntry, metaJson, newInboxId, tiffFileName, type InboxMeta, type InboxPage } from '../../store/inbox.js';
import { compressionLabel, readTiff, toDpi } from '../../tiff/index.js';
import type { ReceiveDeps } from './types.js';

type FaxMail = Extract<ClassifiedMail, { kind: 'fax' }>;

/** The fax resolution a page's dpi stand for (RFC 3949 §4.5.2 equivalents), or null. */
export function resolutionName(x: number | null, y: number | null): string | null {
  if (x === null || y === null) return null;
  const near = (v: number, list: number[]): boolean => list.some((n) => Math.abs(v - n) <= n * 0.01);
  if (near(x, [600]) && near(y, [600])) return 'ultrafine';
  if (near(x, [400, 408]) && near(y, [391, 400])) return 'superfine';
  if (near(x, [200, 204])) {
    if (near(y, [98, 100])) return 'standard';
    if (near(y, [196, 200])) return 'fine';
    if (near(y, [391, 400])) return 'superfine';
  }
  return null;
}

/** Compression of each page of a TIFF, as stored (MH, MR, MMR, JPEG...). */
function compressions(bytes: Uint8Array): Array<{ compression: string; xRes: number | null; yRes: number | null }> {
  try {
    return readTiff(bytes).pages.map((p) => ({
      compression: p.compression === 1 ? 'none' : (codingOf({ compression: p.compression, t4Options: p.t4Options }) ?? compressionLabel(p.compression)),
      xRes: toDpi(p.xResolution, p.resolutionUnit) ?? null,
      yRes: toDpi(p.yResolution, p.resolutionUnit) ?? null,
    }));
  } catch {
    return [];
  }
}

/** A stored fax: its id, folder, metadata and files. */
export interface StoredFax {
  id: string;
  dir: string;
  meta: InboxMeta;
  files: string[];
}

/**
 * Stores the fax of `mail`. Throws what the page pipeline throws for a TIFF it cannot read
 * (TIFF_INVALID, FAX_DECODE_FAILED, UNSUPPORTED_INPUT, LIMIT_EXCEEDED: the caller keeps the
 * mail in other/ and answers processed/error), or a store error (nothing is left behind).
 */
export async function storeFax(mail: FaxMail, original: Uint8Array, deps: ReceiveDeps, extra: Pick<InboxMeta, 'reassembledFrom'> = {}): Promise<StoredFax> {
  const now = deps.now();
  const id = newInboxId(now);
  let meta: InboxMeta | undefined;
  const s = mail.summary;
  const dir = await createInboxEntry(deps.stateDir, id, async (w) => {
    await w.write('original.eml', original);
    const tiffs = mail.tiffs.map((t, i) => ({ ...t, file: tiffFileName(i, mail.tiffs.length) }));
    for (const t of tiffs) await w.write(t.file, t.bytes);
    const warnings: string[] = [...mail.defects];
    const doc = await readFax(
      tiffs.map((t) => ({ file: path.join(w.dir, t.file), name: t.file })),
      { warn: (m) => warnings.push(m), debug: (m) => deps.io.debug(m) },
    );
    let reports;
    try {
      warnings.push(...doc.warnings);
      reports = (await writeFax(doc, { format: 'pdf' }, { to: path.join(w.dir, 'fax.pdf') })).pages;
    } finally {
      await doc.close();
    }
    const stored = new Map(tiffs.map((t) => [t.file, compressions(t.bytes)]));
    const pages: InboxPage[] = reports.map((r, i) => {
      const tiffPage = stored.get(r.source)?.[r.sourcePage - 1];
      const xRes = tiffPage?.xRes ?? r.xRes ?? null;
      const yRes = tiffPage?.yRes ?? r.yRes ?? null;
      return {
        page: i + 1,
        file: r.source,
        filePage: r.sourcePage,
        width: r.width,
        height: r.height,
        xRes: xRes === null ? null : Math.round(xRes * 100) / 100,
        yRes: yRes === null ? null : Math.round(yRes * 100) / 100,
        resolution: resolutionName(xRes, yRes),
        compression: tiffPage?.compression ?? r.compression,
        damagedRows: r.damagedRows,
        missingRows: r.missingRows,
      };
    });
    meta = {
      id,
      receivedAt: now.toISOString(),
      from: s.from ?? null,
      to: s.to,
      subject: s.subject ?? null,
      date: s.date ?? null,
      messageId: s.messageId ?? null,
      note: mail.note ?? null,
      tiffs: tiffs.map((t) => ({ file: t.file, name: t.name, contentType: t.contentType, bytes: t.bytes.length })),
      pages,
      warnings,
      ...extra,
    };
    await w.write('meta.json', metaJson(meta));
  });
  const files = ['original.eml', ...meta!.tiffs.map((t) => t.file), 'fax.pdf', 'meta.json'].map((f) => path.join(dir, f));
  return { id, dir, meta: meta!, files };
}

/** Writes the --out copies of a stored fax (the folder made when missing); returns their paths. */
export async function copyOut(fax: StoredFax, out: NonNullable<ReceiveDeps['out']>): Promise<string[]> {
  const written: string[] = [];
  // The folder is made when missing (a user's ~/Faxes): the fax is safe already, its copy should not fail for that.
  await mkdir(out.dir, { recursive: true });
  if (out.format === 'pdf') {
    const target = path.join(out.dir, `${fax.id}.pdf`);
    await copyAtomic(path.join(fax.dir, 'fax.pdf'), target);
    written.push(target);
  } else if (out.format === 'tiff') {
    const many = fax.meta.tiffs.length > 1;
    for (const [i, t] of fax.meta.tiffs.entries()) {
      const target = path.join(out.dir, many ? `${fax.id}-${i + 1}.tif` : `${fax.id}.tif`);
      await copyAtomic(path.join(fax.dir, t.file), target);
      written.push(target);
    }
  } else {
    const doc = await readFax(fax.meta.tiffs.map((t) => ({ file: path.join(fax.dir, t.file), name: t.file })));
    const sinks: AtomicFile[] = [];
    try {
      await writePngPages(
        doc,
        {
          async sinkFor(n: number): Promise<ByteSink> {
            const target = path.join(out.dir, `${fax.id}-${n}.png`);
            const sink = await AtomicFile.create(target);
            sinks.push(sink);
            written.push(target);
            return sink;
          },
        },
        { debug() {} },
      );
      for (const s of sinks) await s.commit();
    } catch (err) {
      for (const s of sinks) await s.abort();
      throw err;
    } finally {
      await doc.close();
    }
  }
  return written;
}

async function copyAtomic(from: string, to: string): Promise<void> {
  await writeFileAtomic(to, new Uint8Array(await readFile(from)));
}
