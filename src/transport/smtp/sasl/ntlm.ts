/**
 * NTLM for SMTP AUTH (MS-SMTPNTLM: "AUTH NTLM", 334, Type 1, 334 Type 2, Type 3, 235) with
 * httpntlm's message code (pure-JS MD4/DES: Node 20's OpenSSL has MD4 disabled).
 *
 * NTLMv1, as the MFPs do: the Type 2 "extended session security" flag is cleared before the
 * Type 3 message is made, so httpntlm answers with the NTLMv1 LM/NT responses. The domain is
 * smtp.auth.realm, else the target name the server announces in Type 2.
 */
import ntlm, { type Type2Message } from 'httpntlm/ntlm.js';
import { authFailure, decodeChallenge, type SaslMechanism } from './exchange.js';

/** NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY (MS-NLMP 2.2.2.5). */
const EXTENDED_SESSION_SECURITY = 0x00080000;
/** NTLMSSP_NEGOTIATE_UNICODE. */
const UNICODE = 0x00000001;

export const ntlmMechanism: SaslMechanism = async (x, creds) => {
  const where = creds.server;
  const start = await x.send('AUTH NTLM');
  if (start.status !== 334) throw authFailure('NTLM', where, 'the server did not accept AUTH NTLM', start);
  const type1 = ntlm.createType1Message({ domain: creds.realm, workstation: '' }).replace(/^NTLM /, '');
  const challenge = await x.send(type1);
  if (challenge.status !== 334) throw authFailure('NTLM', where, 'the server sent no Type 2 challenge', challenge);
  let type2: Type2Message | null = null;
  let parseError = '';
  try {
    decodeChallenge(challenge.text);
    type2 = ntlm.parseType2Message(`NTLM ${challenge.text.trim()}`, (err: Error) => {
      parseError = err.message;
    });
  } catch (err) {
    parseError = (err as Error).message;
  }
  if (!type2) {
    await x.send('*').catch(() => undefined);
    throw authFailure('NTLM', where, `malformed Type 2 message: ${parseError || 'unreadable'}`);
  }
  type2.negotiateFlags &= ~EXTENDED_SESSION_SECURITY;
  const domain = creds.realm || targetName(type2);
  const type3 = ntlm.createType3Message(type2, { username: creds.user, password: creds.password, domain, workstation: '' }).replace(/^NTLM /, '');
  const done = await x.send(type3);
  if (done.status !== 235) throw authFailure('NTLM', where, 'the server refused the credentials', done);
};

function targetName(msg: Type2Message): string {
  const raw = Buffer.from(msg.targetName ?? []);
  return (msg.negotiateFlags & UNICODE ? raw.toString('utf16le') : raw.toString('latin1')).replace(/\0+$/, '');
}
