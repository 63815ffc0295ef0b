/**
 * RFC 3461 §4 xtext (checked against the RFC's own rules byte by byte, and round trips over
 * every octet), ENVID and ORCPT limits, and Message-IDs: syntax, the station's domain,
 * uniqueness from the random bytes.
 */

import { IfaxError } from '../../src/errors.js';
import { createEnvelopeId, createMessageId, envelopeIdXtext } from '../../src/mime/message-id.js';
import { decodeXtext, encodeXtext, orcptValue } from '../../src/mime/xtext.js';
import { isMessageId } from '../../src/mime/header.js';
import { seededBytes } from './fixtures.js';

describe('xtext', () => {
  it('encodes "+", "=", space, controls and non-ASCII as +XX and leaves the rest', () => {
    expect(encodeXtext('fax@example.com')).toBe('fax@example.com');
    expect(encodeXtext('FAX=+49301234567@gw.example.com')).toBe('FAX+3D+2B49301234567@gw.example.com');
    expect(encodeXtext('a b\t~!')).toBe('a+20b+09~!');
    expect(encodeXtext('ü')).toBe('+C3+BC');
  });

  it('round-trips every ASCII character and a Unicode string', () => {
    const all = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).join('');
    const x = encodeXtext(all);
    expect(x).toMatch(/^([\x21-\x2a\x2c-\x3c\x3e-\x7e]|\+[0-9A-F]{2})*$/);
    expect(decodeXtext(x)).toBe(all);
    expect(decodeXtext(encodeXtext('Grüße 📠'))).toBe('Grüße 📠');
  });

  it.each(['a+2b', 'a+2', 'a=b', 'a b', 'a+G0', 'a\u00e9', '+FF'])('refuses malformed xtext %j with DATA_INVALID', (bad) => {
    expect(() => decodeXtext(bad)).toThrow(IfaxError);
  });

  it('writes ORCPT as rfc822;xtext and refuses more than 500 characters', () => {
    expect(orcptValue('FAX=+1202/T33S=1@gw.example.com')).toBe('rfc822;FAX+3D+2B1202/T33S+3D1@gw.example.com');
    expect(() => orcptValue(`${'+'.repeat(200)}@example.com`)).toThrow(/at most 500/);
  });
});

describe('ENVID', () => {
  it('creates an id that is its own xtext and well under 100 characters', () => {
    const id = createEnvelopeId({ random: seededBytes(1, 16), time: new Date(Date.UTC(2026, 11, 4)) });
    expect(id).toMatch(/^ifax\.[0-9a-z]+\.[a-z2-7]{26}$/);
    expect(encodeXtext(id)).toBe(id);
    expect(envelopeIdXtext(id)).toBe(id);
    expect(id.length).toBeLessThanOrEqual(100);
  });

  it('encodes a given job id as xtext and refuses one past 100 characters or not printable ASCII', () => {
    expect(envelopeIdXtext('job=42 a')).toBe('job+3D42+20a');
    expect(() => envelopeIdXtext('x'.repeat(101))).toThrow(/at most 100/);
    expect(() => envelopeIdXtext('+'.repeat(34))).toThrow(/102 characters/);
    expect(() => envelopeIdXtext('jöb')).toThrow(/printable US-ASCII/);
  });

  it('refuses fewer than 16 random bytes', () => {
    expect(() => createEnvelopeId({ random: new Uint8Array(8), time: new Date() })).toThrow(/at least 16/);
  });
});

describe('Message-ID', () => {
  const time = new Date(Date.UTC(2026, 11, 4, 22, 27, 20));

  it('is <...@domain> in msg-id syntax, in the station domain', () => {
    const id = createMessageId({ domain: 'ifax.test', random: seededBytes(3, 16), time });
    expect(id).toMatch(/^<[0-9a-z]+\.[a-z2-7]{26}\.ifax@ifax\.test>$/);
    expect(isMessageId(id)).toBe(true);
    expect(createMessageId({ domain: '[192.0.2.1]', random: seededBytes(3, 16), time })).toMatch(/@\[192\.0\.2\.1\]>$/);
  });

  it('differs for different random bytes at the same time (1000 ids, no repeat)', () => {
    const ids = new Set(Array.from({ length: 1000 }, (_, i) => createMessageId({ domain: 'example.com', random: seededBytes(100 + i, 16), time })));
    expect(ids.size).toBe(1000);
  });

  it('refuses a domain that is not one, and short randomness', () => {
    expect(() => createMessageId({ domain: 'exa mple.com', random: seededBytes(1, 16), time })).toThrow(/is not a domain/);
    expect(() => createMessageId({ domain: 'example.com>\r\nBcc: x', random: seededBytes(1, 16), time })).toThrow(IfaxError);
    expect(() => createMessageId({ domain: 'example.com', random: new Uint8Array(15), time })).toThrow(/at least 16/);
  });
});
