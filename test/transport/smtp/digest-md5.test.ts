import { buildDigestResponse, checkRspauth, chooseRealm, digestMd5, digestResponseValue, expectedRspauth, parseDigestChallenge, parseDirectives, type DigestInput } from '../../../src/transport/smtp/sasl/digest-md5.js';
import type { SaslCredentials, SaslReply } from '../../../src/transport/smtp/sasl/exchange.js';
import { IfaxError } from '../../../src/errors.js';

// RFC 2831 §4, the IMAP example: password "secret".
const rfcChallenge = 'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",algorithm=md5-sess,charset=utf-8';
const rfcInput: DigestInput = {
  username: 'chris',
  password: 'secret',
  realm: 'elwood.innosoft.com',
  nonce: 'OA6MG9tEQGm2hh',
  cnonce: 'OA6MHXh6VqTrRk',
  digestUri: 'imap/elwood.innosoft.com',
  utf8: true,
};

describe('DIGEST-MD5 against the RFC 2831 §4 example', () => {
  test('the challenge of the example parses to its realm, nonce, qop and charset', () => {
    const c = parseDigestChallenge(rfcChallenge);
    expect(c).toEqual({ realms: ['elwood.innosoft.com'], nonce: 'OA6MG9tEQGm2hh', qop: ['auth'], utf8: true, algorithm: 'md5-sess' });
  });

  test('the response value is the example\'s d388dad90d4bbd760a152321f2143af7', () => {
    expect(digestResponseValue(rfcInput)).toBe('d388dad90d4bbd760a152321f2143af7');
  });

  test('the expected rspauth is the example\'s ea40f60335c427b5527b84dbabcdfffd and a changed digit is refused', () => {
    expect(expectedRspauth(rfcInput)).toBe('ea40f60335c427b5527b84dbabcdfffd');
    expect(checkRspauth(rfcInput, 'rspauth=ea40f60335c427b5527b84dbabcdfffd')).toBe(true);
    expect(checkRspauth(rfcInput, 'rspauth=ea40f60335c427b5527b84dbabcdfffe')).toBe(false);
    expect(checkRspauth(rfcInput, 'rspauth=')).toBe(false);
    expect(checkRspauth(rfcInput, 'realm="x"')).toBe(false);
  });

  test('the response carries the example\'s directives, single commas, no authzid when there is none', () => {
    const text = buildDigestResponse(rfcInput).toString('utf8');
    const pairs = Object.fromEntries(parseDirectives(text));
    expect(pairs).toEqual({
      charset: 'utf-8',
      username: 'chris',
      realm: 'elwood.innosoft.com',
      nonce: 'OA6MG9tEQGm2hh',
      nc: '00000001',
      cnonce: 'OA6MHXh6VqTrRk',
      'digest-uri': 'imap/elwood.innosoft.com',
      response: 'd388dad90d4bbd760a152321f2143af7',
      qop: 'auth',
    });
    expect(text).not.toMatch(/,,|,$|authzid/);
  });

  test('an authzid is appended after one comma and changes the response (A1 includes it)', () => {
    const text = buildDigestResponse({ ...rfcInput, authzid: 'fax' }).toString('utf8');
    expect(text).toMatch(/qop=auth,authzid="fax"$/);
    expect(Object.fromEntries(parseDirectives(text)).response).not.toBe('d388dad90d4bbd760a152321f2143af7');
  });
});

describe('DIGEST-MD5 challenge parsing is lenient', () => {
  test('unquoted values, spaces, stray commas, several realms, escapes and unknown directives', () => {
    const c = parseDigestChallenge(' realm="a.example" , ,realm=b.example,NONCE="n\\"1",qop="auth,auth-int",cipher="rc4",maxbuf=65536,algorithm=MD5-sess,');
    expect(c.realms).toEqual(['a.example', 'b.example']);
    expect(c.nonce).toBe('n"1');
    expect(c.qop).toEqual(['auth', 'auth-int']);
    expect(c.utf8).toBe(false);
  });

  test('no qop means auth; no realm leaves the choice to the profile', () => {
    const c = parseDigestChallenge('nonce="x",algorithm=md5-sess');
    expect(c.qop).toEqual(['auth']);
    expect(chooseRealm('', c.realms)).toBe('');
    expect(chooseRealm('CORP', ['a'])).toBe('CORP');
    expect(chooseRealm('', ['a', 'b'])).toBe('a');
  });

  test('a challenge without nonce or with another algorithm is refused', () => {
    expect(() => parseDigestChallenge('realm="x",algorithm=md5-sess')).toThrow(/no nonce/);
    expect(() => parseDigestChallenge('nonce="x",algorithm=md5')).toThrow(/md5-sess/);
  });
});

describe('DIGEST-MD5 character sets (RFC 2831 §2.1.2.1)', () => {
  const base = { ...rfcInput, username: 'müller' };
  test('with charset=utf-8 a Latin-1 user name is hashed as ISO 8859-1, but sent as UTF-8', () => {
    const latin = digestResponseValue(base);
    // The same bytes as hashing the ISO 8859-1 form when charset is absent.
    expect(digestResponseValue({ ...base, utf8: false })).toBe(latin);
    expect(buildDigestResponse(base).toString('utf8')).toContain('username="müller"');
    expect(buildDigestResponse({ ...base, utf8: false }).includes(Buffer.from('m\xfcller', 'latin1'))).toBe(true);
  });
  test('a name outside Latin-1 needs charset=utf-8', () => {
    const greek = { ...rfcInput, username: 'φαξ' };
    expect(digestResponseValue(greek)).toMatch(/^[0-9a-f]{32}$/);
    expect(() => digestResponseValue({ ...greek, utf8: false })).toThrow(/ISO 8859-1/);
  });
});

describe('the DIGEST-MD5 exchange', () => {
  const creds: SaslCredentials = { user: 'chris', password: 'secret', realm: '', host: 'elwood.innosoft.com', server: 'elwood.innosoft.com:25', source: 'value', randomBytes: (n) => new Uint8Array(n).fill(7), env: {} };
  const reply = (status: number, text: string): SaslReply => ({ status, text, response: `${status} ${text}` });

  /** A server that computes the right rspauth from the client's response, or a wrong one. */
  function server(rspauth: 'right' | 'wrong' | 'none') {
    const sent: string[] = [];
    return {
      sent,
      send: async (line: string): Promise<SaslReply> => {
        sent.push(line);
        if (line === 'AUTH DIGEST-MD5') return reply(334, Buffer.from(rfcChallenge).toString('base64'));
        if (sent.length === 2) {
          const d = Object.fromEntries(parseDirectives(Buffer.from(line, 'base64').toString('utf8')));
          const input = { ...rfcInput, cnonce: d.cnonce, digestUri: d['digest-uri'] };
          if (d.response !== digestResponseValue(input)) return reply(535, '5.7.8 bad');
          if (rspauth === 'none') return reply(235, '2.7.0 ok');
          const value = rspauth === 'right' ? expectedRspauth(input) : '0'.repeat(32);
          return reply(334, Buffer.from(`rspauth=${value}`).toString('base64'));
        }
        if (line === '*') return reply(501, '5.7.0 cancelled');
        return reply(235, '2.7.0 ok');
      },
    };
  }

  test('a server that knows the password is accepted; cnonce from the injected bytes, digest-uri smtp/<host>', async () => {
    const s = server('right');
    await digestMd5(s, creds);
    const d = Object.fromEntries(parseDirectives(Buffer.from(s.sent[1], 'base64').toString('utf8')));
    expect(d.cnonce).toBe(Buffer.from(new Uint8Array(16).fill(7)).toString('base64'));
    expect(d['digest-uri']).toBe('smtp/elwood.innosoft.com');
    expect(d.realm).toBe('elwood.innosoft.com');
    expect(s.sent[2]).toBe('');
  });

  test('a wrong rspauth is AUTH_FAILED and the exchange is cancelled with "*"', async () => {
    const s = server('wrong');
    const err = await digestMd5(s, creds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IfaxError);
    expect((err as IfaxError).code).toBe('AUTH_FAILED');
    expect((err as IfaxError).message).toMatch(/AUTH DIGEST-MD5 .*rspauth is wrong/);
    expect(s.sent[2]).toBe('*');
  });

  test('a 235 without rspauth is refused too', async () => {
    const err = await digestMd5(server('none'), creds).catch((e: unknown) => e);
    expect((err as IfaxError).code).toBe('AUTH_FAILED');
    expect((err as IfaxError).message).toMatch(/without sending rspauth/);
  });

  test('a wrong password is AUTH_FAILED naming the mechanism and the reply, not the password', async () => {
    const err = (await digestMd5(server('right'), { ...creds, password: 'wrong-pass' }).catch((e: unknown) => e)) as IfaxError;
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toContain('AUTH DIGEST-MD5 at elwood.innosoft.com:25');
    expect(err.message).toContain('535 5.7.8 bad');
    expect(JSON.stringify({ m: err.message, h: err.hint, c: err.context })).not.toContain('wrong-pass');
  });
});
