/**
 * Shared by the receive tests: a state directory with its job store and capability cache, a
 * real SMTP peer (smtp-server on an ephemeral loopback port) that the MDNs are sent to through
 * ifax's own SMTP client, TIFFs written by libtiff (pnmtotiff + tiffcp) and mails written by
 * Python's `email` package (make_mail.py).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { defaultConfig, type IfaxConfig } from '../../../src/config/index.js';
import type { ReceiveDeps } from '../../../src/jobs/receive/receive.js';
import { DestinationStore } from '../../../src/store/destinations.js';
import { JobStore } from '../../../src/store/jobs.js';
import { openSmtpSession } from '../../../src/transport/smtp/client.js';

const made: string[] = [];

export function tempDir(prefix = 'ifax-receive-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(d);
  return d;
}

export function cleanTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** One mail the capture server took: its envelope and bytes. */
export interface Captured {
  from: string;
  to: string[];
  raw: Buffer;
}

/** A real SMTP server on loopback that keeps what it is sent. */
export async function captureServer(): Promise<{ port: number; mails: Captured[]; close(): Promise<void> }> {
  const mails: Captured[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The profile of the receiving station. */
export function stationConfig(over: (c: IfaxConfig) => void = () => {}): IfaxConfig {
  const c = defaultConfig();
  c.device.email = 'fax@station.test';
  c.device.name = 'Station';
  over(c);
  return c;
}

export interface Harness {
  deps: ReceiveDeps;
  stateDir: string;
  jobs: JobStore;
  destinations: DestinationStore;
  warnings: string[];
  clock: { t: number };
  close(): void;
}

/** Deps of receiveMail over a fresh state directory; MDNs go to the capture server on `port`. */
export function harness(port: number, config = stationConfig()): Harness {
  const stateDir = path.join(tempDir(), 'state');
  const clock = { t: Date.parse('2026-12-04T09:00:00.000Z') };
  const now = (): Date => new Date(clock.t);
  const jobs = JobStore.open(stateDir, { now });
  const destinations = new DestinationStore(jobs.database, now);
  const warnings: string[] = [];
  const deps: ReceiveDeps = {
    config,
    stateDir,
    jobs,
    destinations,
    async sendMail(raw, envelope) {
      const session = await openSmtpSession({ host: '127.0.0.1', port, tls: 'off', timeoutSeconds: 10, ehloName: 'station.test', auth: null, tlsOptions: {} });
      try {
        await session.send({ raw, from: envelope.from, to: envelope.to });
      } finally {
        await session.quit();
      }
    },
    now,
    io: { warn: (m) => warnings.push(m), debug: () => {} },
    version: 'test',
  };
  return { deps, stateDir, jobs, destinations, warnings, clock, close: () => jobs.close() };
}

/** Runs a tool; throws with its stderr when it fails. */
export function run(cmd: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/**
 * A test page as PBM (P4): text-like strokes and blocks that give the coders real runs,
 * generated without randomness so every run makes the same page.
 */
export function testPagePbm(width = 1728, height = 400, seed = 1): Buffer {
  const rowBytes = Math.ceil(width / 8);
  const data = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const black = ((x >> 4) + (y >> 3) + seed) % 7 === 0 || (y % 50 < 3 && x % 300 < 200) || (x > 100 + seed * 10 && x < 140 + seed * 10 && y > 20);
      if (black) data[y * rowBytes + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([Buffer.from(`P4\n${width} ${height}\n`), data]);
}

/** A fax TIFF written by libtiff: the PBM through pnmtotiff, then tiffcp with `args` (e.g. -c g4). */
export function libtiffFax(dir: string, name: string, pbm: Buffer, tiffcpArgs: string[], dpi: [number, number] = [204, 196]): string {
  const pbmFile = path.join(dir, `${name}.pbm`);
  writeFileSync(pbmFile, pbm);
  const raw = path.join(dir, `${name}.raw.tif`);
  writeFileSync(raw, run('pnmtotiff', ['-xresolution', String(dpi[0]), '-yresolution', String(dpi[1]), pbmFile]));
  const out = path.join(dir, `${name}.tif`);
  run('tiffcp', [...tiffcpArgs, raw, out]);
  return out;
}

/** The pages of a TIFF as tifftopnm decodes them (libtiff): one PBM body per page. */
export function tifftopnmPages(file: string): Buffer[] {
  return splitPnm(run('tifftopnm', ['-byrow', file]));
}

/** Splits concatenated P4 images into their raster bytes (headers dropped). */
export function splitPnm(all: Buffer): Buffer[] {
  const pages: Buffer[] = [];
  let at = 0;
  while (at < all.length) {
    const m = /^P4\s+(?:#.*\s+)*(\d+)\s+(\d+)\s/.exec(all.subarray(at, at + 100).toString('latin1'));
    if (!m) throw new Error(`not a P4 image at ${at}`);
    const size = Math.ceil(Number(m[1]) / 8) * Number(m[2]);
    const start = at + m[0].length;
    pages.push(all.subarray(start, start + size));
    at = start + size;
  }
  return pages;
}

/**
 * The page images of a PDF as pdfimages (poppler) extracts them, as PBM raster bytes: a page
 * whose image is kept as several strips (one image each) is put back together from them.
 */
export function pdfImagePages(pdf: string, dir: string): Buffer[] {
  const prefix = path.join(dir, `img-${path.basename(pdf)}-${Math.random().toString(36).slice(2)}`);
  const list = run('pdfimages', ['-list', pdf]).toString().split('\n').slice(2).filter((l) => l.trim() !== '');
  const pageOf = list.map((l) => Number(l.trim().split(/\s+/)[0]));
  run('pdfimages', [pdf, prefix]);
  const files = spawnSync('sh', ['-c', `ls ${prefix}-*.pbm | sort`]).stdout.toString().trim().split('\n');
  if (files.length !== pageOf.length) throw new Error(`pdfimages listed ${pageOf.length} images, wrote ${files.length}`);
  const pages = new Map<number, Buffer[]>();
  files.forEach((f, i) => pages.set(pageOf[i], [...(pages.get(pageOf[i]) ?? []), splitPnm(readFileSync(f))[0]]));
  return [...pages.keys()].sort((a, b) => a - b).map((k) => Buffer.concat(pages.get(k)!));
}

/** A mail written by Python's email package from `spec` (make_mail.py). */
export function pythonMail(dir: string, spec: Record<string, unknown>): Uint8Array {
  const file = path.join(dir, `spec-${made.length}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Uint8Array(run('python3', [path.resolve('test/jobs/receive/make_mail.py'), file]));
}
