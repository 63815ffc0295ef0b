/**
 * RFC 2046 §5.2.2 message/partial: a 3 MB fax mail split at 64 KB and put back together by
 * our reassemble and, independently, by Python's email package following §5.2.2.1; the
 * fragment headers (id, number, total on the last, own Message-ID, `[n/m]` subject); the
 * RFC's own §5.2.2.2 example reassembled to the result the RFC shows; and every check of
 * reassemble (missing, duplicate, foreign, totals, limits).
 */

import { IfaxError } from '../../src/errors.js';
import { MAX_PARTIAL_FRAGMENTS, PARTIAL_RECEIVED_MARGIN } from '../../src/limits.js';
import { buildIfaxMessage } from '../../src/mime/ifax-message.js';
import { splitMessage } from '../../src/mime/partial.js';
import { readPartialInfo, reassemble } from '../../src/mime/reassemble.js';
import { crlfLines, noiseTiff, seededBytes, sha256 } from './fixtures.js';
import { allDefects, header, pythonParse, pythonReassemble } from './oracle.js';

const DATE = new Date(Date.UTC(2026, 11, 4, 22, 27, 20));
const SPLIT = 64 * 1024;
const tiff = noiseTiff(3 * 1024 * 1024);
const original = buildIfaxMessage({
  mode: 'full',
  from: { name: 'Büro Köln', address: 'fax1@ifax.test' },
  to: ['fax2@ifax.test', { name: 'Zweigstelle Süd', address: 'fax3@ifax.test' }],
  date: DATE,
  tzOffsetMinutes: 60,
  messageId: '<mjx1.abcdefghijklmnopqrstuvwxyz.ifax@ifax.test>',
  subject: 'Fax von Büro Köln: Jahresabschluss 2026 (große Datei)',
  text: 'Large fax, sent in pieces.',
  document: { bytes: tiff, contentType: 'image/tiff', filename: 'jahresabschluss.tif', pages: 3 },
  mdnTo: 'fax1@ifax.test',
  contentFeatures: '(& (color=Binary) (image-file-structure=TIFF-minimal) (image-coding=MH) (dpi=204) (dpi-xyratio=204/196))',
  alternatives: ['(& (image-file-structure=TIFF-limited) (image-coding=MMR))'],
  random: seededBytes(21, 16),
});
const fragments = splitMessage(original, { splitBytes: SPLIT, random: seededBytes(22, 16), domain: 'ifax.test', time: DATE });

function latin1(b: Uint8Array): string {
  return Buffer.from(b).toString('latin1');
}

function headOf(b: Uint8Array): string {
  const t = latin1(b);
  return t.slice(0, t.indexOf('\r\n\r\n') + 2);
}

describe('splitting a 3 MB I-Fax mail at 64 KB', () => {
  it('uses a real TIFF of over 3 MB', () => {
    expect(tiff.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(original.length).toBeGreaterThan(4 * 1024 * 1024);
  });

  it('makes fragments of at most 64 KB minus the Received: margin, headers included, filling them', () => {
    expect(fragments.length).toBe(Math.ceil(original.length / (SPLIT - PARTIAL_RECEIVED_MARGIN - 1024)));
    for (const f of fragments) expect(f.length).toBeLessThanOrEqual(SPLIT - PARTIAL_RECEIVED_MARGIN);
    for (const f of fragments.slice(0, -1)) expect(f.length).toBeGreaterThan(SPLIT - PARTIAL_RECEIVED_MARGIN - 1024);
  });

  it('keeps every fragment 7bit with CRLF lines of at most 76', () => {
    for (const f of fragments) {
      expect(f.every((b) => b > 0 && b < 128)).toBe(true);
      expect(latin1(f).replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      expect(crlfLines(f).every((l) => l.length <= 76)).toBe(true);
    }
  });

  it('labels each fragment: one quoted id, number from 1, total on the last only', () => {
    const infos = fragments.map((f) => readPartialInfo(f));
    const m = fragments.length;
    infos.forEach((info, i) => {
      expect(info).toEqual(i === m - 1 ? { id: infos[0]!.id, number: i + 1, total: m } : { id: infos[0]!.id, number: i + 1 });
    });
    expect(infos[0]!.id).toMatch(/@ifax\.test$/);
    expect(headOf(fragments[0])).toMatch(/id="[^"]+@ifax\.test"/);
  });

  it('gives each fragment its own Message-ID and an [n/m] subject, as Python reads them', () => {
    const m = fragments.length;
    const seen = new Set<string>();
    for (const n of [1, 2, m]) {
      const p = pythonParse(fragments[n - 1]);
      // Python parses a message/partial body as a message of its own, so a piece of one
      // reports defects inside; the fragment itself must have none.
      expect(p.defects).toEqual([]);
      expect(p.parts[0].defects).toEqual([]);
      expect(p.parts[0].content_type).toBe('message/partial');
      expect(p.parts[0].params).toMatchObject({ number: String(n) });
      expect(header(p, 'Subject')).toBe(`[${n}/${m}] Fax von Büro Köln: Jahresabschluss 2026 (große Datei)`);
      const id = header(p, 'Message-ID')!;
      expect(id).not.toBe('<mjx1.abcdefghijklmnopqrstuvwxyz.ifax@ifax.test>');
      seen.add(id);
      expect(p.addresses['From/parsed']).toEqual([['Büro Köln', 'fax1@ifax.test']]);
      expect(p.date).toBe('2026-12-04T23:27:20+01:00');
    }
    expect(seen.size).toBe(3);
  });

  it('puts the MDN request on fragment 1 only (the reassembled mail carries it; pieces are not answered)', () => {
    expect(headOf(fragments[0])).toContain('Disposition-Notification-To: fax1@ifax.test\r\n');
    expect(headOf(fragments[0])).toContain('Disposition-Notification-Options:');
    for (const f of fragments.slice(1)) expect(headOf(f)).not.toContain('Disposition-Notification');
  });

  it('reassembles to the identical bytes, in any order', () => {
    expect(sha256(reassemble(fragments))).toBe(sha256(original));
    const shuffled = [...fragments].reverse();
    [shuffled[0], shuffled[3]] = [shuffled[3], shuffled[0]];
    expect(Buffer.from(reassemble(shuffled)).equals(Buffer.from(original))).toBe(true);
  });

  it('is reassembled by Python (RFC 2046 §5.2.2.1) into the same mail, TIFF byte-identical, no defect', () => {
    const python = pythonReassemble(fragments);
    const direct = pythonParse(original);
    expect(python.enclosed_sha256).toBeDefined();
    expect(python.headers).toEqual(direct.headers);
    expect(python.parts.map((p) => [p.content_type, p.payload_sha256 ?? null])).toEqual(direct.parts.map((p) => [p.content_type, p.payload_sha256 ?? null]));
    const image = python.parts.find((p) => p.content_type === 'image/tiff')!;
    expect(image.payload_sha256).toBe(sha256(tiff));
    expect(allDefects(python)).toEqual([]);
    expect(allDefects(direct)).toEqual([]);
  });

  it('leaves a mail that fits alone, unchanged', () => {
    const small = buildIfaxMessage({
      mode: 'simple',
      from: { address: 'fax1@ifax.test' },
      to: ['fax2@ifax.test'],
      date: DATE,
      tzOffsetMinutes: 0,
      messageId: '<a.b@ifax.test>',
      subject: 'small',
      text: '',
      document: { bytes: tiff.subarray(0, 1000), contentType: 'image/tiff', filename: 'f.tif', pages: 1 },
      random: seededBytes(1, 16),
    });
    const out = splitMessage(small, { splitBytes: SPLIT, random: seededBytes(2, 16), domain: 'ifax.test', time: DATE });
    expect(out).toHaveLength(1);
    expect(out[0]).toBe(small);
  });

  it('refuses a split size below the minimum and a message that is not 7bit', () => {
    expect(() => splitMessage(original, { splitBytes: 8000, random: seededBytes(2, 16), domain: 'ifax.test', time: DATE })).toThrow(/MIN_SPLIT_BYTES/);
    const eight = Uint8Array.from(Buffer.from('Subject: x\r\n\r\nGr\xfc\xdfe\r\n', 'latin1'));
    expect(() => splitMessage(eight, { splitBytes: SPLIT, random: seededBytes(2, 16), domain: 'ifax.test', time: DATE })).toThrow(/not 7bit/);
    const bareLf = Uint8Array.from(Buffer.from('Subject: x\n\nbody\n', 'latin1'));
    try {
      splitMessage(bareLf, { splitBytes: SPLIT, random: seededBytes(2, 16), domain: 'ifax.test', time: DATE });
      throw new Error('accepted');
    } catch (e) {
      expect((e as IfaxError).code).toBe('DATA_INVALID');
    }
  });
});

describe('the RFC 2046 §5.2.2.2 example', () => {
  const crlf = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1'));
  const first = crlf(`X-Weird-Header-1: Foo
From: Bill@host.com
To: joe@otherhost.com
Date: Fri, 26 Mar 1993 12:59:38 -0500 (EST)
Subject: Audio mail (part 1 of 2)
Message-ID: <id1@host.com>
MIME-Version: 1.0
Content-type: message/partial; id="ABC@host.com";
              number=1; total=2

X-Weird-Header-1: Bar
X-Weird-Header-2: Hello
Message-ID: <anotherid@foo.com>
Subject: Audio mail
MIME-Version: 1.0
Content-type: audio/basic
Content-transfer-encoding: base64

  ... first half of encoded audio data goes here ...
`);
  const second = crlf(`From: Bill@host.com
To: joe@otherhost.com
Date: Fri, 26 Mar 1993 12:59:38 -0500 (EST)
Subject: Audio mail (part 2 of 2)
MIME-Version: 1.0
Message-ID: <id2@host.com>
Content-type: message/partial;
              id="ABC@host.com"; number=2; total=2

  ... second half of encoded audio data goes here ...
`);
  const expected = `X-Weird-Header-1: Foo
From: Bill@host.com
To: joe@otherhost.com
Date: Fri, 26 Mar 1993 12:59:38 -0500 (EST)
Message-ID: <anotherid@foo.com>
Subject: Audio mail
MIME-Version: 1.0
Content-type: audio/basic
Content-transfer-encoding: base64

  ... first half of encoded audio data goes here ...
  ... second half of encoded audio data goes here ...
`.replace(/\n/g, '\r\n');

  it('merges the headers as the RFC shows (its display lists Subject before Message-ID; the order is the inner one)', () => {
    expect(latin1(reassemble([second, first]))).toBe(expected);
  });

  it('reads total on either fragment and the number parameters in any order', () => {
    expect(readPartialInfo(first)).toEqual({ id: 'ABC@host.com', number: 1, total: 2 });
    expect(readPartialInfo(second)).toEqual({ id: 'ABC@host.com', number: 2, total: 2 });
  });
});

describe('reassemble refuses what is not a complete set', () => {
  const expectRefusal = (set: Uint8Array[], pattern: RegExp, code: 'DATA_INVALID' | 'LIMIT_EXCEEDED' = 'DATA_INVALID') => {
    let err: unknown;
    try {
      reassemble(set);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe(code);
    expect((err as IfaxError).message).toMatch(pattern);
  };
  const swapParam = (f: Uint8Array, from: RegExp, to: string) => Uint8Array.from(Buffer.from(latin1(f).replace(from, to), 'latin1'));

  it('refuses a missing fragment, naming it', () => {
    expectRefusal([...fragments.slice(0, 4), ...fragments.slice(5)], /fragment 5 of \d+ missing/);
  });

  it('refuses a duplicate number', () => {
    expectRefusal([...fragments, fragments[2]], /number 3 occurs twice/);
  });

  it('refuses a fragment of another message', () => {
    const other = splitMessage(original, { splitBytes: SPLIT, random: seededBytes(99, 16), domain: 'ifax.test', time: DATE });
    expectRefusal([...fragments.slice(0, 2), other[2], ...fragments.slice(3)], /has id .* the others/);
  });

  it('refuses a set without a total, and totals that disagree', () => {
    expectRefusal(fragments.slice(0, -1), /no fragment states the total/);
    const last = fragments.length - 1;
    const wrong = swapParam(fragments[0], /number=1/, `number=1; total=${last + 5}`);
    expectRefusal([wrong, ...fragments.slice(1)], /totals disagree/);
  });

  it('refuses a number beyond the total and a mail that is not message/partial', () => {
    const m = fragments.length;
    const beyond = swapParam(fragments[1], /number=2/, `number=${m + 1}`);
    expectRefusal([...fragments, beyond], /beyond the total/);
    expectRefusal([original], /is not message\/partial/);
    expectRefusal([], /no fragments/);
  });

  it('refuses a total past MAX_PARTIAL_FRAGMENTS before holding anything', () => {
    const huge = swapParam(fragments[fragments.length - 1], /total=\d+/, `total=${MAX_PARTIAL_FRAGMENTS + 1}`);
    expectRefusal([huge], /MAX_PARTIAL_FRAGMENTS/, 'LIMIT_EXCEEDED');
    const notNumber = swapParam(fragments[0], /number=1/, 'number=one');
    expectRefusal([notNumber], /not a number/);
  });
});
