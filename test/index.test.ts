import { EXIT_CODES, IfaxError, config, decodeFax, encodeFax, readTiff, writeFaxTiff } from '../src/index.js';

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

  it('exposes the error model and the profile schema', () => {
    expect(EXIT_CODES.USAGE).toBe(64);
    expect(new IfaxError('USAGE', 'x').code).toBe('USAGE');
    expect(config.validateConfig(config.defaultConfig()).ok).toBe(true);
  });
});
