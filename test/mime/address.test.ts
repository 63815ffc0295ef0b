/**
 * One destination parsed: RFC 5322 addr-specs (dot-atom and quoted local parts, domains and
 * address literals) and RFC 3192 fax addresses with sub-address, other qualif-type1
 * elements, written separators and the optional quotes and slashes; everything else refused
 * with USAGE and a reason.
 */

import { IfaxError } from '../../src/errors.js';
import { parseDestination } from '../../src/mime/address.js';

function refusal(input: string): IfaxError {
  try {
    parseDestination(input);
  } catch (e) {
    if (e instanceof IfaxError) return e;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('e-mail destinations', () => {
  it.each([
    ['fax@example.com', 'fax@example.com', 'fax', 'example.com'],
    ['  Reception.Desk+fax@mail.example.co.uk ', 'Reception.Desk+fax@mail.example.co.uk', 'Reception.Desk+fax', 'mail.example.co.uk'],
    ['"john smith"@example.com', '"john smith"@example.com', 'john smith', 'example.com'],
    ['"plain"@example.com', 'plain@example.com', 'plain', 'example.com'],
    ['"a\\"b"@example.com', '"a\\"b"@example.com', 'a"b', 'example.com'],
    ['user@[192.0.2.7]', 'user@[192.0.2.7]', 'user', '[192.0.2.7]'],
    ['user@[IPv6:2001:db8::1]', 'user@[IPv6:2001:db8::1]', 'user', '[IPv6:2001:db8::1]'],
    ['fax1@localhost', 'fax1@localhost', 'fax1', 'localhost'],
  ])('%j is the mailbox %j', (input, address, localPart, domain) => {
    expect(parseDestination(input)).toEqual({ kind: 'email', address, localPart, domain });
  });

  it.each([
    ['', 'is empty'],
    ['Reception', 'has no "@"'],
    ['Reception <fax@example.com>', 'white space in the local part'],
    ['a@b@example.com', 'more than one "@"'],
    ['.a@example.com', 'misplaced dot'],
    ['a..b@example.com', 'misplaced dot'],
    ['a(b)@example.com', 'needs quoting'],
    ['fax@', 'has no domain'],
    ['fax@-example.com', 'invalid domain label'],
    ['fax@example..com', 'empty label'],
    ['fax@[300.1.1.1]', 'malformed address literal'],
    ['fax@[IPv6:1::2::3]', 'malformed address literal'],
    ['fäx@example.com', 'outside printable US-ASCII'],
    ['fax@bücher.example', 'outside printable US-ASCII'],
    ['fax@example.com, other@example.com', 'white space in the local part'],
    ['"unterminated@example.com', 'unterminated'],
    [`${'a'.repeat(65)}@example.com`, 'local part of 65 characters'],
    [`a@${'b'.repeat(64)}.com`, 'label of 64 characters'],
  ])('refuses %j (%s) with USAGE', (input, reason) => {
    const err = refusal(input);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(reason);
    expect(err.message).toMatch(/^parse (fax )?address failed: /);
    expect(err.hint).toBeDefined();
  });
});

describe('RFC 3192 fax destinations', () => {
  it('takes apart FAX=+number/T33S=sub@gateway', () => {
    expect(parseDestination('FAX=+12027653000/T33S=1387@faxworld.org')).toEqual({
      kind: 'fax',
      address: 'FAX=+12027653000/T33S=1387@faxworld.org',
      phone: '+12027653000',
      written: '+12027653000',
      subAddress: '1387',
      parameters: {},
      gateway: 'faxworld.org',
    });
  });

  it('removes written separators from the number but keeps them in the address', () => {
    const d = parseDestination('FAX=+33-1-88.33.52.15@gw.example.com');
    expect(d).toMatchObject({ kind: 'fax', phone: '+33188335215', written: '+33-1-88.33.52.15', address: 'FAX=+33-1-88.33.52.15@gw.example.com' });
    expect(d).not.toHaveProperty('subAddress');
  });

  it('accepts the optional quotes and slashes of §4 and does not write them', () => {
    expect(parseDestination('/FAX=+33-1-88335215/@faxworld.org')).toMatchObject({ phone: '+33188335215', address: 'FAX=+33-1-88335215@faxworld.org' });
    expect(parseDestination('"/FAX=+3940226338/"@faxworld.org')).toMatchObject({ phone: '+3940226338', address: 'FAX=+3940226338@faxworld.org' });
  });

  it('quotes a local part that is no dot-atom (two separators in a row)', () => {
    expect(parseDestination('"FAX=+49..30-1234"@gw.example.com')).toMatchObject({ phone: '+49301234', address: '"FAX=+49..30-1234"@gw.example.com' });
  });

  it('keeps other qualif-type1 elements (RFC 3191) and reads the selector case-insensitively', () => {
    expect(parseDestination('fax=+49301234567/T33S=12/POSTD=pp3@gw.example.com')).toMatchObject({
      phone: '+49301234567',
      subAddress: '12',
      parameters: { POSTD: 'pp3' },
      gateway: 'gw.example.com',
    });
  });

  it.each([
    ['FAX=0301234567@gw.example.com', 'no "+" and country code'],
    ['FAX=+49 30 1234@gw.example.com', 'white space in the local part'],
    ['FAX=+49(30)1234@gw.example.com', 'needs quoting'],
    ['FAX=+49x301234@gw.example.com', 'other than digits'],
    ['FAX=+@gw.example.com', 'no digits'],
    ['FAX=+1234567890123456@gw.example.com', '16 digits'],
    ['FAX=+49301234567/T33S=12a@gw.example.com', 'not all digits'],
    ['FAX=+49301234567/T33S=1/T33S=2@gw.example.com', 'twice'],
    ['FAX=+49301234567/T33S@gw.example.com', 'malformed element'],
    ['FAX=+49301234567@', 'no domain'],
  ])('refuses %j (%s) with USAGE', (input, reason) => {
    const err = refusal(input);
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(reason);
  });

  it('points at one address per sub-address when two are given (RFC 3192 §4.1)', () => {
    expect(refusal('FAX=+49301234567/T33S=1/T33S=2@gw.example.com').hint).toMatch(/one address each/);
  });
});
