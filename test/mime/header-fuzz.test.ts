/**
 * Seeded random texts (ASCII, Latin-1, CJK, emoji, combining marks, tabs, runs of spaces,
 * quotes, backslashes, "=?" and "?=") written as Subject-like fields and display names, all
 * read back by Python's email package in one message: every value must decode to the text
 * given, every line stay within 76 characters.
 */

import { addressField, textField } from '../../src/mime/header.js';
import { prng } from '../helpers/prng.js';
import { allDefects, pythonParse } from './oracle.js';

const POOLS = [
  'abcdefghijklmnopqrstuvwxyz',
  'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  '.,;:!?()[]<>@"\\\'/-_=+*&%$#~`|{}^',
  'äöüßÄÖÜéèêçñåøæ',
  '€—–“”‘’…•™',
  '传真文件山田太郎株式会社',
  'Факсотфис',
  '📠😀👍🏽',
  'e\u0301a\u0308',
  '   \t',
  '=??=',
];

function randomText(r: () => number, maxLen: number): string {
  const len = 1 + Math.floor(r() * maxLen);
  let s = '';
  for (let i = 0; i < len; i++) {
    const pool = Array.from(POOLS[Math.floor(r() * POOLS.length)]);
    s += pool[Math.floor(r() * pool.length)];
  }
  return s.trim() === '' ? 'x' : s;
}

describe('random header texts', () => {
  const r = prng(2026);
  const subjects = Array.from({ length: 150 }, () => randomText(r, 120));
  const names = Array.from({ length: 60 }, () => randomText(r, 50));

  it('decode in Python to the same text (outer white space aside) with lines of at most 76', () => {
    let head = '';
    subjects.forEach((s, i) => (head += textField(`X-Fuzz-${i}`, s)));
    head += addressField('To', names.map((n, i) => ({ name: n, address: `u${i}@example.com` })));
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const msg = Buffer.from(`From: a@example.com\r\n${head}MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nx\r\n`, 'latin1');
    const p = pythonParse(msg);
    const decoded = new Map(p.headers);
    subjects.forEach((s, i) => expect([i, decoded.get(`X-Fuzz-${i}`)]).toEqual([i, s.trim()]));
    // The RFC 2047 §6.2 reading (legacy decoder over the raw field) gives every name back
    // exactly, outer white space aside.
    expect(p.addresses['To/rfc2047']).toEqual(names.map((n, i) => [n.trim(), `u${i}@example.com`]));
    // policy.default's address parser keeps the white space between adjacent encoded-words
    // (against §6.2) and folds runs of white space: apart from white space, it agrees.
    const bare = (s: string) => s.replace(/[ \t]+/g, '');
    expect(p.addresses['To'].map(([n, a]) => [bare(n), a])).toEqual(names.map((n, i) => [bare(n), `u${i}@example.com`]));
    expect(allDefects(p)).toEqual([]);
  });
});
