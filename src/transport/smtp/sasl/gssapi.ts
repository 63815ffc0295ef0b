/**
 * GSSAPI (Kerberos V5) for SMTP AUTH, RFC 4752, through the optional `kerberos` package
 * (loaded only when GSSAPI is chosen, so ifax runs without it).
 *
 * Credentials: with smtp.auth.source "user" the invoking user's ticket cache (kinit); with
 * "value" the client keytab named by KRB5_CLIENT_KTNAME, for the principal smtp.auth.user
 * (MIT Kerberos gets a ticket from that keytab itself). The service is "smtp@<smtp.host>".
 *
 * §3.1: after the context is set up the server sends a wrapped 4-octet message (the security
 * layers it offers and its buffer size). We answer "no security layer" (bit 1) with a maximum
 * buffer of 0, as the RFC requires when no layer is chosen, and an empty authorization
 * identity: TLS protects the session, not SASL.
 */
import { authFailure, unusableHere, decodeChallenge, type SaslCredentials, type SaslMechanism, type SaslReply } from './exchange.js';

/** The parts of kerberos@7's client we use. */
interface KerberosClient {
  step(challenge: string): Promise<string>;
  wrap(challenge: string, options?: { user?: string; protect?: boolean }): Promise<string>;
  unwrap(challenge: string): Promise<string>;
  contextComplete: boolean;
}
interface KerberosModule {
  initializeClient(service: string, options?: { principal?: string; mechOID?: number }): Promise<KerberosClient>;
  GSS_MECH_OID_KRB5: number;
}

/** RFC 4752 §3.1 security layer bits. */
const LAYER_NONE = 0x01;
/** Round trips of the context setup we allow: Kerberos needs one or two; a server looping is cut off. */
const MAX_GSS_STEPS = 10;

async function loadKerberos(creds: SaslCredentials): Promise<KerberosModule> {
  const load = creds.loadKerberos ?? (() => import('kerberos'));
  try {
    const mod = (await load()) as KerberosModule & { default?: KerberosModule };
    const k = typeof mod.initializeClient === 'function' ? mod : mod.default;
    if (!k || typeof k.initializeClient !== 'function') throw new Error('the module has no initializeClient');
    return k;
  } catch (err) {
    throw unusableHere(authFailure('GSSAPI', creds.server, `the optional package "kerberos" is not installed or does not load (${(err as Error).message})`, undefined, 'Install it with `npm install kerberos` (needs libkrb5-dev and a C++ compiler), or remove GSSAPI from smtp.auth.methods.'));
  }
}

export const gssapi: SaslMechanism = async (x, creds) => {
  const where = creds.server;
  const kerberos = await loadKerberos(creds);
  const options: { principal?: string; mechOID: number } = { mechOID: kerberos.GSS_MECH_OID_KRB5 };
  if (creds.source === 'value') {
    if (!creds.env.KRB5_CLIENT_KTNAME) {
      throw unusableHere(authFailure('GSSAPI', where, 'no keytab: KRB5_CLIENT_KTNAME is not set', undefined, 'Set KRB5_CLIENT_KTNAME to the keytab of smtp.auth.user, or set smtp.auth.source to "user" to use your Kerberos ticket (kinit).'));
    }
    if (creds.user) options.principal = creds.user;
  }
  let client: KerberosClient;
  let token: string;
  try {
    client = await kerberos.initializeClient(`smtp@${creds.host}`, options);
    token = (await client.step('')) ?? '';
  } catch (err) {
    throw unusableHere(
      authFailure('GSSAPI', where, `no Kerberos credentials for smtp@${creds.host}: ${(err as Error).message}`, undefined, creds.source === 'user' ? 'Get a ticket with kinit first.' : 'Check that the keytab in KRB5_CLIENT_KTNAME holds smtp.auth.user and that the KDC is reachable.'),
    );
  }
  let reply: SaslReply = await x.send(token ? `AUTH GSSAPI ${token}` : 'AUTH GSSAPI');
  for (let step = 0; !client.contextComplete; step++) {
    if (reply.status !== 334) throw authFailure('GSSAPI', where, 'the server refused the Kerberos ticket', reply);
    if (step >= MAX_GSS_STEPS) {
      await x.send('*').catch(() => undefined);
      throw authFailure('GSSAPI', where, `the context was not set up after ${MAX_GSS_STEPS} round trips`);
    }
    try {
      // kerberos@7 gives null, not "", when a step has no output token.
      token = (await client.step(reply.text.trim())) ?? '';
    } catch (err) {
      await x.send('*').catch(() => undefined);
      throw authFailure('GSSAPI', where, `the server's token was not accepted: ${(err as Error).message}`);
    }
    reply = await x.send(token);
  }
  // §3.1: the server's wrapped security-layer offer, answered with "no layer".
  if (reply.status !== 334) throw authFailure('GSSAPI', where, 'the server sent no security layer offer', reply);
  let answer: string;
  try {
    const offer = decodeChallenge(await client.unwrap(reply.text.trim()));
    if (offer.length !== 4) throw new Error(`the offer has ${offer.length} octets, not 4`);
    if (!(offer[0] & LAYER_NONE)) throw new Error('the server requires a security layer (integrity or privacy), which ifax does not use');
    answer = (await client.wrap(Buffer.from([LAYER_NONE, 0, 0, 0]).toString('base64'), { protect: false })) ?? '';
  } catch (err) {
    await x.send('*').catch(() => undefined);
    throw authFailure('GSSAPI', where, `security layer negotiation failed: ${(err as Error).message}`);
  }
  const done = await x.send(answer);
  if (done.status !== 235) throw authFailure('GSSAPI', where, 'the server refused after the security layer negotiation', done);
};
