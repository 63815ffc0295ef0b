/**
 * The python3 programs the stack's self-tests run (stack.test.ts): Python's own smtplib, poplib
 * and ssl against the stack, each printing one JSON document. Kept apart from the tests so that
 * each test reads as what it proves.
 */

/** Shared prelude: a verifying TLS context for the stack's CA, and error text without noise. */
const prelude = String.raw`
import json, smtplib, poplib, socket, ssl, sys
def context(ca, crl=None):
    c = ssl.create_default_context(cafile=ca)
    if crl:
        c.load_verify_locations(crl)
        c.verify_flags |= ssl.VERIFY_CRL_CHECK_CHAIN
    return c
def reason(e):
    if isinstance(e, ssl.SSLCertVerificationError):
        return 'verify: ' + str(e.verify_message)
    if isinstance(e, smtplib.SMTPResponseException):
        return '%d %s' % (e.smtp_code, e.smtp_error.decode('latin1'))
    return type(e).__name__ + ': ' + str(e)
`;

/**
 * argv: host ca login password to subject-prefix then "port:mode:mechanism" cases (mode ssl or
 * starttls). Logs in with exactly that mechanism, sends one mail, prints {case: "ok" | reason}.
 */
export const smtpAuthCases = String.raw`${prelude}
host, ca, login, password, to, prefix = sys.argv[1:7]
out = {}
for case in sys.argv[7:]:
    port, mode, mech = case.split(':')
    try:
        if mode == 'ssl':
            s = smtplib.SMTP_SSL(host, int(port), context=context(ca), timeout=15)
        else:
            s = smtplib.SMTP(host, int(port), timeout=15)
            s.starttls(context=context(ca))
        s.ehlo('client.ifax.test')
        s.user, s.password = login, password
        auth = {'PLAIN': s.auth_plain, 'LOGIN': s.auth_login, 'CRAM-MD5': s.auth_cram_md5}[mech]
        code, _ = s.auth(mech, auth)
        s.sendmail(login, [to], 'From: %s\r\nTo: %s\r\nSubject: %s %s\r\n\r\nbody\r\n' % (login, to, prefix, case))
        s.quit()
        out[case] = 'ok'
    except Exception as e:
        out[case] = reason(e)
print(json.dumps(out))
`;

/**
 * argv: host starttls-port submission-port ca login password. What a client sees of the
 * policies: AUTH offered before TLS or not, a wrong password, mail without AUTH.
 */
export const smtpPolicies = String.raw`${prelude}
host, plain_port, submission_port, ca, login, password = sys.argv[1:7]
out = {}
s = smtplib.SMTP(host, int(plain_port), timeout=15)
s.ehlo('client.ifax.test')
out['authBeforeTls'] = s.has_extn('auth')
try:
    s.login(login, 'not-' + password)
    out['wrongPassword'] = 'accepted'
except Exception as e:
    out['wrongPassword'] = reason(e)
s.quit()
s = smtplib.SMTP(host, int(plain_port), timeout=15)
s.ehlo('client.ifax.test')
s.mail(login)
code, msg = s.rcpt(login)
out['withoutAuth'] = '%d %s' % (code, msg.decode('latin1'))
s.quit()
s = smtplib.SMTP(host, int(submission_port), timeout=15)
s.ehlo('client.ifax.test')
out['submissionAuthBeforeTls'] = s.has_extn('auth')
code, msg = s.mail(login)
out['submissionMailBeforeTls'] = '%d %s' % (code, msg.decode('latin1'))
s.rset()
s.starttls(context=context(ca))
s.ehlo('client.ifax.test')
out['submissionAuthAfterTls'] = s.esmtp_features.get('auth', '')
s.quit()
print(json.dumps(out))
`;

/**
 * argv: host plain-port pop3s-port ca login password subject. Logs in four ways and reports
 * whether each mailbox listing holds a message with that subject.
 */
export const popCases = String.raw`${prelude}
host, plain_port, pop3s_port, ca, login, password, subject = sys.argv[1:8]
def holds(p):
    count, _ = p.stat()
    for i in range(count, 0, -1):  # newest first: the mail looked for is recent
        if any(l.decode('latin1') == 'Subject: ' + subject for l in p.top(i, 0)[1]):
            return 'found'
    return 'logged in, %d messages, none with the subject' % count
out = {}
def attempt(name, connect, login_with):
    try:
        p = connect()
        login_with(p)
        out[name] = holds(p)
        p.quit()
    except Exception as e:
        out[name] = reason(e)
plain = lambda: poplib.POP3(host, int(plain_port), timeout=15)
def stls():
    p = plain()
    p.stls(context=context(ca))
    return p
pop3s = lambda: poplib.POP3_SSL(host, int(pop3s_port), context=context(ca), timeout=15)
def userpass(p):
    p.user(login); p.pass_(password)
attempt('userPass', plain, userpass)
attempt('apop', plain, lambda p: p.apop(login, password))
attempt('stls', stls, userpass)
attempt('pop3s', pop3s, userpass)
attempt('apopOverPop3s', pop3s, lambda p: p.apop(login, password))
attempt('wrongPassword', plain, lambda p: (p.user(login), p.pass_('not-' + password)))
print(json.dumps(out))
`;

/**
 * argv: host ca crl then "name:port:mode:certfile" cases (mode ssl: implicit TLS; smtp:
 * STARTTLS). For each server: the SHA-256 of the certificate it presents, and what a
 * verifying client says without and with the CRLs.
 */
export const tlsProbe = String.raw`${prelude}
import hashlib
host, ca, crl = sys.argv[1:4]
def handshake(port, mode, ctx):
    raw = socket.create_connection((host, int(port)), timeout=15)
    try:
        if mode == 'smtp':
            f = raw.makefile('rb')
            f.readline()
            raw.sendall(b'EHLO client.ifax.test\r\n')
            while True:
                line = f.readline()
                if line[3:4] != b'-':
                    break
            raw.sendall(b'STARTTLS\r\n')
            f.readline()
        tls = ctx.wrap_socket(raw, server_hostname='localhost')
        der = tls.getpeercert(binary_form=True)
        tls.close()
        return der
    finally:
        raw.close()
none = ssl.create_default_context()
none.check_hostname = False
none.verify_mode = ssl.CERT_NONE
out = {}
for case in sys.argv[4:]:
    name, port, mode, certfile = case.split(':')
    result = {}
    der = handshake(port, mode, none)
    expected = ssl.PEM_cert_to_DER_cert(open(certfile).read())
    result['presents'] = hashlib.sha256(der).hexdigest() == hashlib.sha256(expected).hexdigest()
    for label, ctx in (('verify', context(ca)), ('verifyWithCrl', context(ca, crl))):
        try:
            handshake(port, mode, ctx)
            result[label] = 'ok'
        except Exception as e:
            result[label] = reason(e)
    out[name] = result
print(json.dumps(out))
`;

/**
 * argv: host port ca login password from to envid. Sends one mail asking for DSNs (RFC 3461:
 * RET, ENVID, NOTIFY, ORCPT) and prints the server's last reply.
 */
export const sendWithDsn = String.raw`${prelude}
host, port, ca, login, password, sender, to, envid = sys.argv[1:9]
s = smtplib.SMTP(host, int(port), timeout=15)
s.starttls(context=context(ca))
s.login(login, password)
s.sendmail(sender, [to], 'From: %s\r\nTo: %s\r\nSubject: dsn %s\r\n\r\nbody\r\n' % (sender, to, envid),
           mail_options=['RET=HDRS', 'ENVID=' + envid],
           rcpt_options=['NOTIFY=SUCCESS,FAILURE', 'ORCPT=rfc822;' + to])
s.quit()
print(json.dumps('sent'))
`;

/** argv: file. Python's email package reads a DSN (RFC 3464) as the report it claims to be. */
export const parseDsn = String.raw`
import email, json, sys
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.compat32)
out = {'type': msg.get_content_type(), 'reportType': msg.get_param('report-type'), 'envid': None, 'recipients': []}
for part in msg.walk():
    if part.get_content_type() == 'message/delivery-status':
        blocks = part.get_payload()
        out['envid'] = blocks[0].get('Original-Envelope-Id')
        for b in blocks[1:]:
            out['recipients'].append({'final': b.get('Final-Recipient'), 'original': b.get('Original-Recipient'),
                                      'action': b.get('Action'), 'status': b.get('Status')})
print(json.dumps(out))
`;

/**
 * argv: host smtp-port pop-port client-address login password to subject record window.
 * POP-before-SMTP as a client sees it, everything from one client address: mail refused, POP3
 * login, mail accepted; then the login record is backdated past the window (the stack's own
 * record file, as the login hook writes it) and mail is refused again.
 */
export const popBeforeSmtp = String.raw`${prelude}
import time
host, smtp_port, pop_port, address, login, password, to, subject, record, window = sys.argv[1:11]
def attempt():
    s = smtplib.SMTP(host, int(smtp_port), timeout=15, source_address=(address, 0))
    try:
        s.sendmail(login, [to], 'From: %s\r\nTo: %s\r\nSubject: %s\r\n\r\nbody\r\n' % (login, to, subject))
        return 'accepted'
    except smtplib.SMTPRecipientsRefused as e:
        code, msg = list(e.recipients.values())[0]
        return '%d %s' % (code, msg.decode('latin1'))
    finally:
        s.close()
class Pop3From(poplib.POP3):
    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(address, 0))
out = {'before': attempt()}
p = Pop3From(host, int(pop_port), timeout=15)
p.user(login); p.pass_(password); p.quit()
out['after'] = attempt()
with open(record, 'w') as f:
    f.write('%d %s\n' % (time.time() - int(window) - 5, login))
out['expired'] = attempt()
print(json.dumps(out))
`;
