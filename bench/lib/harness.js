// Builds and drives the libtiff harness (bench/libtiff/harness.c). The bench builds it itself
// with the system compiler against libtiff-dev, so CI needs only `apt-get install libtiff-dev`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export class Harness {
  constructor(benchDir, outDir) {
    this.source = join(benchDir, 'libtiff', 'harness.c');
    this.binary = join(outDir, 'tiff-harness');
  }

  /** Compiles the harness unless the binary is newer than its source. */
  build() {
    if (existsSync(this.binary) && statSync(this.binary).mtimeMs > statSync(this.source).mtimeMs) return;
    const pc = spawnSync('pkg-config', ['--cflags', '--libs', 'libtiff-4'], { encoding: 'utf8' });
    const flags = pc.status === 0 ? pc.stdout.trim().split(/\s+/).filter(Boolean) : ['-ltiff'];
    const cc = process.env.CC || 'cc';
    const args = ['-O2', '-Wall', '-o', this.binary, this.source, ...flags];
    const res = spawnSync(cc, args, { encoding: 'utf8' });
    if (res.error || res.status !== 0) {
      throw new Error(`building the libtiff harness failed: ${cc} ${args.join(' ')}\n${res.error?.message ?? ''}${res.stderr}` +
        '\nhint: apt-get install libtiff-dev (and a C compiler)');
    }
  }

  /** Runs one harness mode; returns its JSON. Throws with stderr unless allowFail. */
  run(args, { allowFail = false } = {}) {
    const res = spawnSync(this.binary, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (res.error) throw new Error(`tiff-harness ${args[0]} failed: ${res.error.message}`);
    let json = null;
    try {
      json = JSON.parse(res.stdout.trim().split('\n').pop() || 'null');
    } catch {
      json = null;
    }
    if ((res.status !== 0 && !allowFail) || json === null) {
      throw new Error(`tiff-harness ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}${res.stdout}`);
    }
    return { ...json, exitCode: res.status, stderr: res.stderr };
  }

  version() {
    return this.run(['version']).libtiff.replace(/^LIBTIFF, Version /, '');
  }

  /** libtiff encode + decode timings of one page; leaves libtiff's strip in rawOut. */
  bench(page, coding, warmup, reps, rawOut) {
    return this.run(['bench', page.path, coding, String(page.ydpi), String(warmup), String(reps), rawOut]);
  }

  /** libtiff decodes another encoder's strip; { ok, firstBadRow, libtiffMessages, firstMessage }. */
  verify(rawPath, coding, page, t4Options) {
    return this.run(['verify', rawPath, coding, String(page.ydpi), String(t4Options), page.path], { allowFail: true });
  }

  pbmToTiff(pbmPath, tifPath, xdpi, ydpi) {
    return this.run(['pbm2tiff', pbmPath, tifPath, String(xdpi), String(ydpi)]);
  }

  /** Every page of tifPath, decoded by libtiff, equals the pages of pbmPath. */
  compareDocument(tifPath, pbmPath) {
    return this.run(['cmpdoc', tifPath, pbmPath], { allowFail: true });
  }

  /** libtiff decodes every strip of page `dir` of a TIFF file: { strips, decodeMs: [...] }. */
  readStrips(tifPath, dir, warmup, reps) {
    return this.run(['readstrips', tifPath, String(dir), String(warmup), String(reps)]);
  }

  /** Whole-process run: { ms, maxRssKb, userMs, sysMs, status }. */
  exec(logPath, argv) {
    return this.run(['exec', logPath, '--', ...argv]);
  }
}
