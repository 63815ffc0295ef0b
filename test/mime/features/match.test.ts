import { readFileSync } from 'node:fs';
import { IfaxError } from '../../../src/errors.js';
import {
  chooseFormat,
  featureSetsMatch,
  parseFeatureExpression,
  checkSatisfiable,
  type ChooseFormatOptions,
} from '../../../src/mime/features/index.js';

const EXAMPLES = JSON.parse(readFileSync('test/fixtures/features/rfc-examples.json', 'utf8')) as { id: string; text: string }[];
const parse = (t: string) => parseFeatureExpression(t).expression;
const example = (id: string) => parse(EXAMPLES.find((e) => e.id === id)!.text);

const BASE: ChooseFormatOptions = {
  maxResolution: 'ultrafine',
  mode: 'auto',
  resolution: 'fine',
  coding: 'MMR',
  colourCompression: 'jpeg-color',
  paper: 'A4',
  pagesHaveColour: false,
};
const STANDARDS_CAPS = parse(
  '(& (color=Binary) (image-file-structure=TIFF-minimal) (MRC-mode=0) (image-coding=[MH,MR,MMR]) (paper-size=[A4,B4]) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))) (ua-media=stationery))',
);
const RFC3297_CAPS = parse(JSON.parse(readFileSync('test/fixtures/features/corpus-headers.json', 'utf8'))[2].value);

describe('RFC 2533 §5 matching', () => {
  test('finds the RFC 2533 §7.1 result: formats 1 and 2 match the receiver, format 3 (JPEG) does not', () => {
    const rx = example('rfc2533-7.1-receiver');
    expect(featureSetsMatch(example('rfc2533-7.1-format1'), rx)).toBe(true);
    expect(featureSetsMatch(example('rfc2533-7.1-format2'), rx)).toBe(true);
    expect(featureSetsMatch(example('rfc2533-7.1-format3'), rx)).toBe(false);
    // Format 2 matches only through MH: MMR alone does not.
    expect(featureSetsMatch(parse('(& (dpi=200) (grey=2) (image-coding=MMR))'), rx)).toBe(false);
  });

  test('finds the RFC 2879 §4.7 result: 300 dpi only with JBIG, 200x100 B4 with MH or MR, colour never', () => {
    const rx = example('rfc2879-4.7-receiver');
    expect(featureSetsMatch(example('rfc2879-4.7-format1'), rx)).toBe(true);
    expect(featureSetsMatch(parse('(& (dpi=300) (dpi-xyratio=1) (color=Binary) (paper-size=A4) (image-coding=MMR))'), rx)).toBe(false);
    expect(featureSetsMatch(example('rfc2879-4.7-format2'), rx)).toBe(true);
    expect(featureSetsMatch(example('rfc2879-4.7-format3'), rx)).toBe(false);
    // ua-media, unknown to the sender, still binds B4 to continuous media.
    expect(featureSetsMatch(parse('(& (paper-size=B4) (ua-media=stationery) (color=Binary) (image-coding=MH))'), rx)).toBe(false);
  });

  test.each([
    ['(& (x<=5) (x>=5))', true],
    ['(& (x<=5) (! (x>=5)))', true],
    ['(& (x<=5) (! (x<=5)))', false],
    ['(& (x>=5) (! (x<=5)) (x<=6))', true],
    ['(& (! (x=5)) (x=[5]))', false],
    ['(& (! (x=5)) (x=[4..5]))', true],
    ['(& (! (x=[1..10])) (x>=1) (x<=10))', false],
    ['(& (x=A) (! (x=a)))', false],
    ['(& (x<=A) (x>=B))', false],
    ['(& (x=5) (x=A))', false],
    ['(& (! (x=5)) (! (x=A)))', true],
    ['(! (| (x=1) (! (x=1))))', false],
    ['(& (type="image/tiff") (type="IMAGE/TIFF"))', true],
    ['(& (s="abc") (s="ABC"))', false],
    ['(& (res=200dpi) (res=300))', true],
  ])('decides %s as %s (RFC 2533 §5.5, §5.8, §6.2)', (text, expected) => {
    expect(checkSatisfiable(parse(text)).satisfiable).toBe(expected);
  });

  test('bounds the search of a crafted statement with exponentially many conjunctions', () => {
    // 30 two-way ORs and a contradiction at the end: 2^30 conjunctions to refute.
    const text = '(& ' + Array.from({ length: 30 }, (_, i) => `(| (a${i}=1) (a${i}=2))`).join(' ') + ' (z=1) (z=2))';
    let err: unknown;
    try {
      checkSatisfiable(parse(text));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe('LIMIT_EXCEEDED');
  });
});

describe('chooseFormat', () => {
  test('sends profile S to a destination of unknown capabilities, at the resolution nearest the wish', () => {
    const fine = chooseFormat(BASE);
    expect(fine.format).toEqual({ profile: 'S', coding: 'MH', resolution: 'fine', dpi: { x: 204, y: 196 }, paper: 'A4', colour: 'bw', width: 1728, contentType: 'image/tiff' });
    expect(fine.reasons[0]).toBe('destination capabilities unknown: simple mode (RFC 3965) profile S, MH, 204x196, A4');
    expect(fine.downgraded.coding).toMatchObject({ wished: 'MMR', chosen: 'MH' });
    const superfine = chooseFormat({ ...BASE, resolution: 'superfine' });
    expect(superfine.format.resolution).toBe('fine');
    expect(superfine.downgraded.resolution).toEqual({ wished: 'superfine', chosen: 'fine', reason: 'profile S has standard and fine only (RFC 3949 §3)' });
    expect(chooseFormat({ ...BASE, resolution: 'standard' }).format.dpi).toEqual({ x: 204, y: 98 });
    // B4 and A3 are wider than profile S: A4.
    expect(chooseFormat({ ...BASE, paper: 'A3' }).format).toMatchObject({ paper: 'A4', width: 1728 });
    // letter has the same 1728-pixel scan line: kept.
    expect(chooseFormat({ ...BASE, paper: 'letter' }).format).toMatchObject({ profile: 'S', paper: 'letter', width: 1728 });
  });

  test('simple mode sends profile S even to a destination that takes more; auto and full use what it takes', () => {
    expect(chooseFormat({ ...BASE, mode: 'simple', capabilities: STANDARDS_CAPS }).format).toMatchObject({ profile: 'S', coding: 'MH' });
    for (const mode of ['auto', 'full'] as const) {
      const c = chooseFormat({ ...BASE, mode, capabilities: STANDARDS_CAPS, paper: 'B4' });
      expect(c.format).toMatchObject({ profile: 'F', coding: 'MMR', resolution: 'fine', paper: 'B4', width: 2048 });
      expect(c.downgraded).toEqual({});
    }
  });

  test('full mode with unknown capabilities offers the better format as the alternative', () => {
    const c = chooseFormat({ ...BASE, mode: 'full', resolution: 'superfine' });
    expect(c.format.profile).toBe('S');
    expect(c.alternative).toMatchObject({ profile: 'F', coding: 'MMR', resolution: 'superfine' });
  });

  test('never goes above ifaxAdvanced.maxResolution', () => {
    const caps = parse('(& (image-coding=MMR) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=400) (dpi-xyratio=1)) (& (dpi=600) (dpi-xyratio=1))))');
    const c = chooseFormat({ ...BASE, capabilities: caps, resolution: 'ultrafine', maxResolution: 'fine' });
    expect(c.format.resolution).toBe('fine');
    expect(c.downgraded.resolution).toEqual({ wished: 'ultrafine', chosen: 'fine', reason: 'ultrafine is above ifaxAdvanced.maxResolution (fine)' });
    expect(chooseFormat({ ...BASE, capabilities: caps, resolution: 'ultrafine' }).format.resolution).toBe('ultrafine');
    // 600 dpi only to a destination that announced it: none stated at all is not enough.
    expect(chooseFormat({ ...BASE, capabilities: parse('(image-coding=MMR)'), resolution: 'ultrafine' }).format.resolution).toBe('superfine');
  });

  test('falls back from MMR to MR, then MH, when the destination lacks them', () => {
    const noMmr = parse('(& (image-coding=[MH,MR]) (paper-size=A4))');
    const c = chooseFormat({ ...BASE, capabilities: noMmr });
    expect(c.format).toMatchObject({ profile: 'F', coding: 'MR' });
    expect(c.downgraded.coding).toEqual({ wished: 'MMR', chosen: 'MR', reason: "the destination's capabilities do not allow MMR" });
    expect(chooseFormat({ ...BASE, coding: 'MH', capabilities: noMmr }).format.coding).toBe('MH');
  });

  test('sends letter to a destination that takes letter only, and refuses when A3 is forced', () => {
    const letter = parse('(& (image-coding=[MH,MMR]) (paper-size=letter))');
    const c = chooseFormat({ ...BASE, capabilities: letter });
    expect(c.format).toMatchObject({ paper: 'letter', width: 1728 });
    expect(c.downgraded.paper).toMatchObject({ wished: 'A4', chosen: 'letter' });
    let err: unknown;
    try {
      chooseFormat({ ...BASE, capabilities: letter, paper: 'A3', paperFixed: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe('DESTINATION_INCAPABLE');
    expect((err as IfaxError).exitCode).toBe(69);
    expect((err as IfaxError).message).toContain('the destination takes no A3 paper, and the paper is fixed');
  });

  // RFC 2879 §4.4 with its erratum (the extra ')' before ua-media) removed.
  const COLOUR_CAPS = parse(EXAMPLES.find((e) => e.id === 'rfc2879-4.4')!.text.replace('(paper-size=[letter,A4,B4]) )', '(paper-size=[letter,A4,B4])'));

  test('sends colour when wished, present and allowed (RFC 2879 §4.4 station)', () => {
    const c = chooseFormat({ ...BASE, pagesHaveColour: true, capabilities: COLOUR_CAPS });
    expect(c.format).toEqual({ profile: 'C', coding: 'JPEG', resolution: 'fine', dpi: { x: 200, y: 200 }, paper: 'A4', colour: 'color', width: 1728, contentType: 'image/tiff-fx' });
    expect(chooseFormat({ ...BASE, pagesHaveColour: true, colour: 'gray', capabilities: COLOUR_CAPS }).format.colour).toBe('gray');
    // compression.color jpeg-gray without a flag: grey.
    expect(chooseFormat({ ...BASE, pagesHaveColour: true, colourCompression: 'jpeg-gray', capabilities: COLOUR_CAPS }).format.colour).toBe('gray');
  });

  test('sends black-and-white with a reason when colour is wished but not allowed, not wished, or absent', () => {
    const c = chooseFormat({ ...BASE, pagesHaveColour: true, capabilities: STANDARDS_CAPS });
    expect(c.format).toMatchObject({ profile: 'F', colour: 'bw', coding: 'MMR' });
    expect(c.downgraded.colour).toEqual({ wished: 'color', chosen: 'bw', reason: "the destination's capabilities do not allow colour (JPEG, profile C)" });
    const unknown = chooseFormat({ ...BASE, pagesHaveColour: true });
    expect(unknown.downgraded.colour?.reason).toBe('colour (JPEG, profile C) is beyond profile S and the destination\'s capabilities are unknown');
    const none = chooseFormat({ ...BASE, pagesHaveColour: true, colourCompression: 'none', capabilities: COLOUR_CAPS });
    expect(none.format.colour).toBe('bw');
    expect(none.reasons).toContain('compression.color is none: colour pages sent as black-and-white');
    const bwPages = chooseFormat({ ...BASE, colour: 'color', capabilities: COLOUR_CAPS });
    expect(bwPages.format.colour).toBe('bw');
    expect(bwPages.downgraded.colour).toBeUndefined();
    expect(chooseFormat({ ...BASE, pagesHaveColour: true, colour: 'bw', capabilities: COLOUR_CAPS }).format.colour).toBe('bw');
  });

  test('takes 204x196 to a destination that announces 200x200 as its T.4 equivalent, and says so', () => {
    const c = chooseFormat({ ...BASE, capabilities: RFC3297_CAPS });
    expect(c.format).toMatchObject({ profile: 'F', coding: 'MMR', resolution: 'fine', dpi: { x: 204, y: 196 } });
    expect(c.reasons).toContain("204x196 dpi fits the destination's capabilities as its T.4 equivalent 200x200 (RFC 3949 §4.5.2)");
    // RFC 3297 §8.1: the receiver takes 400 dpi MMR (the Content-alternative it asked for).
    expect(chooseFormat({ ...BASE, resolution: 'superfine', capabilities: RFC3297_CAPS }).format).toMatchObject({ resolution: 'superfine', coding: 'MMR', dpi: { x: 400, y: 400 } });
    // type="image/tiff" only: profile C (image/tiff-fx) is not taken.
    expect(chooseFormat({ ...BASE, pagesHaveColour: true, capabilities: RFC3297_CAPS }).format.colour).toBe('bw');
  });

  test('raises the resolution when the destination takes nothing lower, and says so', () => {
    const caps = parse('(& (dpi=400) (dpi-xyratio=1))');
    const c = chooseFormat({ ...BASE, resolution: 'standard', capabilities: caps });
    expect(c.format.resolution).toBe('superfine');
    expect(c.downgraded.resolution).toBeUndefined();
    expect(c.reasons.some((r) => r.startsWith('resolution raised from standard to superfine'))).toBe(true);
  });

  test('refuses a destination whose capabilities allow nothing ifax sends', () => {
    expect(() => chooseFormat({ ...BASE, capabilities: parse('(image-coding=JBIG)') })).toThrow(/Choosing fax format failed: no format ifax can send fits/);
  });
});
