import { IfaxError } from '../../../src/errors.js';
import { PAPER_NAMES, RESOLUTION_NAMES } from '../../../src/fax/vocabulary.js';
import {
  allFormats,
  chooseFormat,
  contentFeatures,
  featureSetsMatch,
  formatFeatureSet,
  mediaAcceptFeatures,
  parseFeatureExpression,
  receiveCapabilitiesOf,
  type ReceiveCapabilities,
} from '../../../src/mime/features/index.js';

const ALL: ReceiveCapabilities = { compression: ['MH', 'MR', 'MMR', 'JPEG'], paperSizes: [...PAPER_NAMES], resolutions: null, maxResolution: 'ultrafine' };

describe('describe', () => {
  test('writes the Content-features of a profile S format in the RFC 2912 §4.2 form', () => {
    const s = chooseFormat({ maxResolution: 'fine', mode: 'simple', resolution: 'fine', coding: 'MH', colourCompression: 'none', paper: 'A4', pagesHaveColour: false }).format;
    expect(contentFeatures(s)).toBe(
      '(& (type="image/tiff") (color=Binary) (image-file-structure=TIFF-minimal) (dpi=204) (dpi-xyratio=204/196) (paper-size=A4) (image-coding=MH) (MRC-mode=0))',
    );
  });

  test.each(allFormats().map((f) => [`${f.profile} ${f.coding} ${f.resolution} ${f.paper} ${f.colour}`, f]))('Content-features of %s parses back and matches exactly that format', (_name, f) => {
    const described = parseFeatureExpression(contentFeatures(f, { multiline: true }), { strict: true }).expression;
    expect(featureSetsMatch(formatFeatureSet(f), described)).toBe(true);
    // ...and no format that differs in coding, resolution, paper or colour.
    for (const other of allFormats()) {
      const same = other.coding === f.coding && other.resolution === f.resolution && other.paper === f.paper && other.colour === f.colour;
      if (!same) expect(featureSetsMatch(formatFeatureSet(other), described)).toBe(false);
    }
  });

  test('announces all receive capabilities in the STANDARDS.md form, with a JPEG branch', () => {
    expect(mediaAcceptFeatures({ compression: ['MH', 'MR', 'MMR'], paperSizes: ['A4', 'B4'], resolutions: ['standard', 'fine'], maxResolution: 'ultrafine' })).toBe(
      '(& (color=Binary) (image-file-structure=[TIFF-minimal,TIFF-limited,TIFF]) (image-coding=[MH,MR,MMR]) (| (& (dpi=204) (dpi-xyratio=[204/98,204/196])) (& (dpi=200) (dpi-xyratio=[200/100,1]))) (MRC-mode=0) (paper-size=[A4,B4]) (ua-media=stationery))',
    );
    const full = mediaAcceptFeatures(ALL);
    expect(full).toContain('(| (& (color=Binary)');
    expect(full).toContain('(& (color=[Grey,Full]) (image-file-structure=[TIFF-limited,TIFF]) (image-coding=JPEG)');
  });

  const SETTINGS: [string, ReceiveCapabilities][] = [
    ['everything', ALL],
    ['MH only, A4, fine at most', { compression: ['MH'], paperSizes: ['A4'], resolutions: null, maxResolution: 'fine' }],
    ['MR and JPEG, letter and legal, standard and superfine', { compression: ['MR', 'JPEG'], paperSizes: ['letter', 'legal'], resolutions: ['standard', 'superfine'], maxResolution: 'ultrafine' }],
    ['MMR, B4 and A3, ultrafine listed above maxResolution superfine', { compression: ['MMR'], paperSizes: ['B4', 'A3'], resolutions: ['fine', 'ultrafine'], maxResolution: 'superfine' }],
  ];

  test.each(SETTINGS)('Media-Accept-Features of %s parses back and admits exactly the formats the settings take', (_name, caps) => {
    const parsed = parseFeatureExpression(mediaAcceptFeatures(caps, { multiline: true, newline: '\r\n' }), { strict: true }).expression;
    const maxRank = RESOLUTION_NAMES.indexOf(caps.maxResolution);
    const resolutions = (caps.resolutions ?? RESOLUTION_NAMES).filter((r) => RESOLUTION_NAMES.indexOf(r) <= maxRank);
    let admitted = 0;
    for (const f of allFormats()) {
      const takes =
        caps.paperSizes.includes(f.paper) &&
        (f.colour === 'bw'
          ? caps.compression.includes(f.coding) && resolutions.includes(f.resolution)
          : caps.compression.includes('JPEG') && (f.resolution === 'fine' || resolutions.some((r) => r === 'superfine' || r === 'ultrafine')));
      expect([f, featureSetsMatch(formatFeatureSet(f), parsed)]).toEqual([f, takes]);
      if (takes) admitted++;
    }
    expect(admitted).toBeGreaterThan(0);
    // And chooseFormat, given them, picks within them.
    const c = chooseFormat({ capabilities: parsed, maxResolution: 'ultrafine', mode: 'full', resolution: 'ultrafine', coding: 'MMR', colourCompression: 'jpeg-color', paper: 'A3', pagesHaveColour: false });
    expect(caps.paperSizes).toContain(c.format.paper);
    expect(caps.compression).toContain(c.format.coding);
    expect(resolutions).toContain(c.format.resolution);
  });

  test('reads the settings of a profile and refuses an empty announcement', () => {
    const caps = receiveCapabilitiesOf({ receiveCaps: { compression: ['MH'], paperSizes: ['A4'], resolutions: null }, ifaxAdvanced: { maxResolution: 'standard' } });
    expect(mediaAcceptFeatures(caps)).toContain('(& (dpi=204) (dpi-xyratio=204/98)) (& (dpi=200) (dpi-xyratio=200/100))');
    expect(() => mediaAcceptFeatures({ ...caps, resolutions: ['fine'] })).toThrow(IfaxError);
    expect(() => mediaAcceptFeatures({ ...caps, compression: [] })).toThrow(/receiveCaps.compression names no coding/);
  });
});
