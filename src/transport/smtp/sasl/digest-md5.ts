/**
 * DIGEST-MD5 (RFC 2831) for SMTP AUTH (RFC 4954): the challenge parser, the response of §2.1.2
 * and the check of the server's `rspauth` (§2.1.3), which proves the server knows the password
 * too. Only qop=auth: integrity and confidentiality layers are not negotiated (TLS does that).
 *
 * Why our own: the npm packages we looked at put a comma before an empty authzid and never
 * check rspauth, so a server that merely says "235" is believed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { authFailure, b64, cancel, decodeChallenge, type SaslMechanism } from './exchange.js';

/** The directives of a server's digest-challenge (§2.1.1) we act on. */
export interface DigestChallenge {
  /** Every realm the server offers (the directive may repeat). */
  realms: string[];
  nonce: string;
  /** qop-options; "auth" when the server names none (§2.1.1). */
  qop: string[];
  /** True when the server sent charset=utf-8: names and password are hashed as UTF-8 (or Latin-1 when they fit). */
  utf8: boolean;
  algorithm: string;
}

/**
 * Parse a digest-challenge leniently: quoted or unquoted values, backslash escapes inside
 * quotes, whitespace and empty list elements around commas, directive names in any case,
 * unknown directives ignored (§7.1 "#rule"). A missing nonce or an algorithm other than
 * md5-sess is refused: without them no response can be computed.
 */
export function parseDigestChallenge(text: string): DigestChallenge {
  const directives = parseDirectives(text);
  const realms: string[] = [];
  let nonce: string | undefined;
  let qop: string[] = [];
  let utf8 = false;
  let algorithm = '';
  for (const [name, value] of directives) {
    switch (name) {
      case 'realm':
        realms.push(value);
        break;
      case 'nonce':
        nonce = value;
        break;
      case 'qop':
        qop = value.split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
        break;
      case 'charset':
        utf8 = value.trim().toLowerCase() === 'utf-8';
        break;
      case 'algorithm':
        algorithm = value.trim().toLowerCase();
        break;
    }
  }
  if (nonce === undefined) throw new Error(`the challenge has no nonce: ${JSON.stringify(text)}`);
  if (algorithm !== 'md5-sess') throw new Error(`the challenge names algorithm ${JSON.stringify(algorithm)}, not md5-sess`);
  return { realms, nonce, qop: qop.length ? qop : ['auth'], utf8, algorithm };
}

/** Split `a="b",c=d` into pairs; names lower-cased. Tolerates stray commas and spaces. */
export function parseDirectives(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /[\s,]/.test(text[i])) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && text[i] !== '=' && text[i] !== ',') i++;
    const name = text.slice(nameStart, i).trim().toLowerCase();
    if (text[i] !== '=') continue; // a bare token without a value: skipped
    i++;
    while (i < n && /[ \t]/.test(text[i])) i++;
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i++];
      }
      i++; // the closing quote (or the end of an unterminated value)
      while (i < n && text[i] !== ',') i++;
    } else {
      const start = i;
      while (i < n && text[i] !== ',') i++;
      value = text.slice(start, i).trim();
    }
    if (name) out.push([name, value]);
  }
  return out;
}

/** What the client's digest-response is computed from. */
export interface DigestInput {
  username: string;
  password: string;
  realm: string;
  nonce: string;
  cnonce: string;
  /** "smtp/<host>" (§2.1.2 digest-uri: serv-type "/" host). */
  digestUri: string;
  utf8: boolean;
  /** Authorization identity; omitted from the response when empty. */
  authzid?: string;
  nc?: number;
}

/**
 * §2.1.2.1: with charset=utf-8, a value whose characters all fit ISO 8859-1 is hashed as
 * ISO 8859-1, any other as UTF-8 (each value on its own, as Cyrus SASL does); without
 * charset=utf-8 every value must be ISO 8859-1.
 */
function hashBytes(value: string, utf8: boolean, what: string): Buffer {
  const latin1 = [...value].every((c) => c.codePointAt(0)! <= 0xff);
  if (latin1) return Buffer.from(value, 'latin1');
  if (utf8) return Buffer.from(value, 'utf8');
  throw new Error(`the ${what} has characters outside ISO 8859-1 and the server did not offer charset=utf-8`);
}

const md5 = (...parts: Array<Buffer | string>): Buffer => {
  const h = createHash('md5');
  for (const p of parts) h.update(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
  return h.digest();
};

function a1(input: DigestInput): Buffer {
  const secret = md5(hashBytes(input.username, input.utf8, 'user name'), ':', hashBytes(input.realm, input.utf8, 'realm'), ':', hashBytes(input.password, input.utf8, 'password'));
  const tail = `:${input.nonce}:${input.cnonce}` + (input.authzid ? `:${input.authzid}` : '');
  return Buffer.concat([secret, Buffer.from(tail, 'utf8')]);
}

function kd(input: DigestInput, a2: string): string {
  const nc = ncString(input.nc ?? 1);
  const ha1 = md5(a1(input)).toString('hex');
  const ha2 = md5(a2).toString('hex');
  return md5(`${ha1}:${input.nonce}:${nc}:${input.cnonce}:auth:${ha2}`).toString('hex');
}

const ncString = (nc: number): string => nc.toString(16).padStart(8, '0');

/** The `response` value of §2.1.2.1 (32 hex digits), qop=auth. */
export function digestResponseValue(input: DigestInput): string {
  return kd(input, `AUTHENTICATE:${input.digestUri}`);
}

/** The `rspauth` value the server must send back (§2.1.3): A2 without "AUTHENTICATE". */
export function expectedRspauth(input: DigestInput): string {
  return kd(input, `:${input.digestUri}`);
}

const quote = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;

/**
 * The digest-response the client sends, as bytes (UTF-8 with charset=utf-8, else Latin-1).
 * Directives are joined with single commas; authzid is added only when there is one.
 */
export function buildDigestResponse(input: DigestInput): Buffer {
  const parts = [
    ...(input.utf8 ? ['charset=utf-8'] : []),
    `username=${quote(input.username)}`,
    `realm=${quote(input.realm)}`,
    `nonce=${quote(input.nonce)}`,
    `nc=${ncString(input.nc ?? 1)}`,
    `cnonce=${quote(input.cnonce)}`,
    `digest-uri=${quote(input.digestUri)}`,
    `response=${digestResponseValue(input)}`,
    'qop=auth',
    ...(input.authzid ? [`authzid=${quote(input.authzid)}`] : []),
  ];
  return Buffer.from(parts.join(','), input.utf8 ? 'utf8' : 'latin1');
}

/** True when the server's rspauth (from its second challenge) matches what the password gives. */
export function checkRspauth(input: DigestInput, serverText: string): boolean {
  const got = parseDirectives(serverText).find(([name]) => name === 'rspauth')?.[1];
  if (!got || !/^[0-9a-f]{32}$/i.test(got)) return false;
  return timingSafeEqual(Buffer.from(got.toLowerCase()), Buffer.from(expectedRspauth(input)));
}

/** The realm to use: the configured one, else the first the server offers, else empty (§2.1.2). */
export function chooseRealm(configured: string | undefined, offered: string[]): string {
  if (configured) return configured;
  return offered[0] ?? '';
}

/**
 * The DIGEST-MD5 exchange over SMTP: AUTH, challenge, response, rspauth (checked before the
 * empty line that completes it), 235. A server that says 235 without rspauth has not shown it
 * knows the password: refused as well.
 */
export const digestMd5: SaslMechanism = async (x, creds) => {
  const where = creds.server;
  const first = await x.send('AUTH DIGEST-MD5');
  if (first.status !== 334) throw authFailure('DIGEST-MD5', where, 'the server did not send a challenge', first);
  let challenge: DigestChallenge;
  try {
    challenge = parseDigestChallenge(decodeChallenge(first.text).toString('latin1'));
    if (!challenge.qop.includes('auth')) throw new Error(`the server offers qop ${JSON.stringify(challenge.qop.join(','))} without "auth"`);
  } catch (err) {
    await cancel(x);
    throw authFailure('DIGEST-MD5', where, `malformed challenge: ${(err as Error).message}`);
  }
  const input: DigestInput = {
    username: creds.user,
    password: creds.password,
    realm: chooseRealm(creds.realm, challenge.realms),
    nonce: challenge.nonce,
    cnonce: Buffer.from(creds.randomBytes(16)).toString('base64'),
    digestUri: `smtp/${creds.host}`,
    utf8: challenge.utf8,
  };
  let response: Buffer;
  try {
    response = buildDigestResponse(input);
  } catch (err) {
    await cancel(x);
    throw authFailure('DIGEST-MD5', where, (err as Error).message);
  }
  const second = await x.send(b64(response));
  if (second.status === 235) throw authFailure('DIGEST-MD5', where, 'the server accepted without sending rspauth, so it did not prove it knows the password', second);
  if (second.status !== 334) throw authFailure('DIGEST-MD5', where, 'the server refused the credentials', second);
  let ok = false;
  try {
    ok = checkRspauth(input, decodeChallenge(second.text).toString('latin1'));
  } catch {
    ok = false;
  }
  if (!ok) {
    await cancel(x);
    throw authFailure('DIGEST-MD5', where, 'the server\'s rspauth is wrong: it does not know the password (a server in the middle?)', undefined, 'Check that smtp.host is the server you mean; the login was cancelled.');
  }
  const done = await x.send('');
  if (done.status !== 235) throw authFailure('DIGEST-MD5', where, 'the server refused after rspauth', done);
};
