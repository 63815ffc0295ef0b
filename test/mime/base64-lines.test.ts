/** base64Lines against Node's own base64, at every length around the 57-byte line boundary. */
import { base64Lines } from '../../src/mime/base64.js';

test('base64Lines equals Node base64 folded at 76 with CRLF, at every length near a line boundary', () => {
  const lengths = [0, 1, 2, 3, 4, 55, 56, 57, 58, 59, 113, 114, 115, 116, 170, 171, 172, 1000, 1001, 1002, 65536 + 1];
  for (const n of lengths) {
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = (i * 7919 + 13) & 255;
    const want = Buffer.from(data).toString('base64').replace(/.{1,76}/g, (line) => line + '\r\n');
    expect([n, Buffer.from(base64Lines(data)).toString('latin1')]).toEqual([n, want]);
  }
});
