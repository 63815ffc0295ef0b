import { EXIT_CODES, IfaxError, config, decodeFax, encodeFax, readTiff, writeFaxTiff, fitPage, renderHeader, toBilevel, openPdf, encodeColorPage } from '../src/index.js';

describe('the library entry point', () => {
  it('encodes, wraps in TIFF, reads back and decodes through the public names', () => {
    const width = 1728;
    const height = 3;
    const stride = width / 8;
    const data = new Uint8Array(stride * height);
    data.fill(0xf0, stride, 2 * stride); // row 1: a comb
    const coded = encodeFax({ width, height, data }, { coding: 'MMR', width });
    expect(decodeFax(coded, { coding: 'MMR', width, height }).bitmap.data).toEqual(data);
    expect(typeof writeFaxTiff).toBe('function');
    expect(typeof readTiff).toBe('function');
  });

  it('exposes the page steps', async () => {
    const header = renderHeader({ sender: 'ifax', date: new Date('2026-11-27T12:00:00Z'), timeZone: 'UTC', page: 1, pages: 1 }, 1728, 204, 196);
    expect(header.width).toBe(1728);
    const grey = { width: 8, height: 1, channels: 1 as const, data: new Uint8Array([0, 0, 0, 0, 255, 255, 255, 255]) };
    expect(Array.from(toBilevel(grey, 'threshold', 128).data)).toEqual([0xf0]);
    const [page] = await fitPage({ kind: 'bitmap', bitmap: header }, { xRes: 204, yRes: 196 }, { xRes: 204, yRes: 196, paper: 'A4', rotate: 'none', longPage: 'split', colour: 'bw', halftone: 'threshold' });
    expect(page.scaled).toBe(false);
    expect(typeof openPdf).toBe('function');
    expect(typeof encodeColorPage).toBe('function');
  });

  it('exposes the error model and the profile schema', () => {
    expect(EXIT_CODES.USAGE).toBe(64);
    expect(new IfaxError('USAGE', 'x').code).toBe('USAGE');
    expect(config.validateConfig(config.defaultConfig()).ok).toBe(true);
  });
});
