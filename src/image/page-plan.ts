/**
 * Per-page decisions of `ifax convert`: the resolution tags (flag, else what the file states,
 * else guessed from the width), the TIFF profile S refusals (RFC 3949 §3.2: 1728 wide,
 * 200/204 x 98/100/196/200 dpi), and the warnings a page earns (not a TIFF-FX size, retagged,
 * damaged rows), each said once.
 */

import { IfaxError } from '../errors.js';
import { snapDpi } from '../fax/vocabulary.js';
import { RESOLUTIONS, guessResolution, type Resolution, type ResolutionName } from './fax-format.js';
import { describeDamage, pageDamage, type DecodeOutcome, type PageDamage } from './page-damage.js';
import type { SourcePage } from './source-page.js';

/** The options the planner looks at (a subset of ConvertOptions). */
export interface PlanOptions {
  mode?: 'simple' | 'full';
  fit?: 'none';
  resolution?: ResolutionName;
}

/** Where the planner's messages go. */
export interface PlanIo {
  warn(message: string): void;
  debug(message: string): void;
}

const q = (s: string): string => JSON.stringify(s);

/** Per-page decisions: resolution, warnings (once per kind), simple-mode refusals. */
export class Planner {
  private readonly warned = new Set<string>();
  constructor(
    readonly opts: PlanOptions,
    private readonly io: PlanIo,
  ) {}

  get simple(): boolean {
    return this.opts.mode === 'simple';
  }

  /** The resolution tags of a page, and profile S checks (UNSUPPORTED_INPUT, exit 65). */
  resolution(p: SourcePage): Resolution {
    const where = `page ${p.index + 1} of ${q(p.file)}`;
    let res: Resolution;
    if (this.opts.resolution) {
      res = RESOLUTIONS[this.opts.resolution];
      if (p.xRes !== undefined && p.yRes !== undefined && (snapDpi(p.xRes) !== res.x || snapDpi(p.yRes) !== res.y)) {
        this.warnOnce(`retag:${p.file}:${p.xRes}x${p.yRes}`, `${where}: ${snapDpi(p.xRes)} x ${snapDpi(p.yRes)} dpi is tagged ${res.x} x ${res.y} dpi without scaling (pixels kept): it prints at another size`);
      }
    } else if (p.xRes !== undefined && p.yRes !== undefined && p.xRes > 0 && p.yRes > 0) {
      res = { x: snapDpi(p.xRes), y: snapDpi(p.yRes) };
    } else {
      res = guessResolution(p.width);
    }
    if (this.simple) {
      const reasons: string[] = [];
      if (p.width !== 1728) reasons.push(`it is ${p.width} pixels wide; TIFF profile S (--mode simple) needs 1728 (A4/letter at 204 dpi)`);
      if (![200, 204].includes(res.x) || ![98, 100, 196, 200].includes(res.y)) {
        reasons.push(`its resolution is ${res.x} x ${res.y} dpi; TIFF profile S needs 204 x 98 or 204 x 196 (or 200 x 100/200)`);
      }
      if (reasons.length > 0) {
        throw new IfaxError('UNSUPPORTED_INPUT', `Converting ${where} failed: ${reasons.join('; ')}. Pixels are kept exactly (no scaling), so the page cannot be profile S`, {
          context: { file: p.file, page: p.index + 1, width: p.width, xRes: res.x, yRes: res.y },
          hint: 'Drop --fit none so the page is fitted to 1728 pixels, or use --mode full (TIFF-FX profile F).',
        });
      }
    }
    return res;
  }

  warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.io.warn(message);
  }

  /**
   * Warns about a damaged page (damaged and missing rows: the report `--info` gives too,
   * page-damage.ts), else lists the decoder's notes at debug level; returns the damage.
   */
  noteDecode(p: SourcePage, d: DecodeOutcome & { warnings: readonly string[] }): PageDamage {
    const where = `page ${p.index + 1} of ${q(p.file)}`;
    const damage = pageDamage(d);
    const text = describeDamage(damage);
    if (text !== undefined) this.io.warn(`${where}: ${text}`);
    else if (d.diagnostics.length > 0) this.io.debug(`${where}: ${d.diagnostics.map((x) => x.message).join('; ')}`);
    for (const w of d.warnings) this.io.debug(`${where}: ${w}`);
    return damage;
  }
}
