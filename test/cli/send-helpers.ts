/**
 * What the `ifax send` end-to-end tests (send.test.ts) share: a profile per test written as a
 * user would (YAML, mode 0600) pointing at the loopback mail stack, the built binary run with
 * it, a bounded wait for mail in a stack user's Maildir, and the independent oracles the mails
 * are judged by: Python's `email` package (parsing, defects, parts, an RFC 2046 §5.2.2
 * reassembly of its own) and libtiff/netpbm for the TIFF pages.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { stringify } from 'yaml';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import type { MailStack } from '../interop/stack-types.js';

type Tree = { [key: string]: unknown };

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isTree(v) && isTree(out[k]) ? merge(out[k] as Tree, v) : v;
  return out;
}

/**
 * A profile for fax1@ifax.test sending through the stack's STARTTLS port with AUTH and every
 * certificate check on (revocation included), the stack's CA trusted; `over` is merged into it
 * (deep). Written as `dir/NAME.yaml` with mode 0600; the state directory is `dir/state`.
 */
export function writeProfile(dir: string, stack: MailStack, over: Tree = {}, name = 'profile'): string {
  const fax1 = stack.users[0];
  const base: Tree = {
    ifax: { enabled: true },
    device: { name: 'SENDTEST', email: fax1.email },
    smtp: {
      host: stack.host,
      port: stack.smtp.starttls,
      sslPort: stack.smtp.smtps,
      tls: 'starttls',
      timeout: 20,
      certVerify: { validity: true, cn: true, keyUsage: true, chain: true, revocation: true },
      auth: { enabled: true, methods: ['PLAIN'], user: fax1.login, password: fax1.password },
    },
    tls: { caFile: stack.pki.caFile },
    stateDir: path.join(dir, 'state'),
  };
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(merge(base, over)), { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** `ifax --config PROFILE ARGS...` with the built binary (a generous bound: sends retry with backoff). */
export function ifax(profile: string, args: string[], timeoutMs = 120_000): CliResult {
  return runCli(['--config', profile, ...args], { timeoutMs });
}

/** stdout of a --json run, parsed (failing with the whole output when it is not JSON). */
export function json<T = Record<string, unknown>>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr\n${r.stderr}`);
  }
}

/** A loopback port nothing listens on (bound, then released). */
export function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Files of `login`'s Maildir (new/ and cur/) whose bytes contain `token`. */
export function mailsWith(stack: MailStack, login: string, token: string): string[] {
  const found: string[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(stack.maildir(login), sub);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const file = path.join(dir, f);
      if (readFileSync(file).includes(token)) found.push(file);
    }
  }
  return found.sort();
}

/**
 * Waits (bounded: about 30 s) until `login`'s Maildir holds `count` mails containing `token`;
 * returns them (fewer when the wait ran out, for the test to say so).
 */
export async function waitForMail(stack: MailStack, login: string, token: string, count = 1): Promise<string[]> {
  let found: string[] = [];
  for (let i = 0; i < 300; i++) {
    found = mailsWith(stack, login, token);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return found;
}

/** Runs a Python program (stdin-less) and parses the one JSON document it prints. */
export function python<T>(program: string, args: string[]): T {
  const r = spawnSync('python3', ['-c', program, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** One leaf part of a mail, as Python's email package decodes it. */
export interface PyPart {
  type: string;
  params: Record<string, string>;
  filename: string | null;
  disposition: string | null;
  cte: string | null;
  /** The decoded payload, written to this file. */
  file: string;
  bytes: number;
  sha256: string;
  /** The text of a text/* part. */
  text: string | null;
}

/** A mail as Python's email package (policy.default) reads it. */
export interface PyMail {
  /** Every defect Python registered, of the message, its parts and its header fields. */
  defects: string[];
  /** Header fields (lower-case names), each with every value, decoded. */
  headers: Record<string, string[]>;
  type: string;
  params: Record<string, string>;
  from: string[];
  to: string[];
  /** The Date field as ISO 8601, or null when Python cannot read it. */
  date: string | null;
  parts: PyPart[];
  lines: { max: number; bareLf: boolean; bareCr: boolean; endsWithCrlf: boolean };
}

const MAIL_PY = String.raw`
import email, hashlib, json, os, sys
from email import policy
raw = open(sys.argv[1], 'rb').read()
outdir = sys.argv[2]
os.makedirs(outdir, exist_ok=True)
msg = email.message_from_bytes(raw, policy=policy.default)
defects = []
headers = {}
for part in msg.walk():
    defects += [type(d).__name__ for d in part.defects]
    for k, v in part.items():
        defects += [type(d).__name__ + ' in ' + k for d in getattr(v, 'defects', ())]
for k, v in msg.items():
    headers.setdefault(k.lower(), []).append(str(v))
def addrs(name):
    h = msg[name]
    return [a.addr_spec for a in h.addresses] if h is not None else []
try:
    date = msg['Date'].datetime.isoformat() if msg['Date'] is not None else None
except Exception:
    date = None
parts = []
for i, part in enumerate(msg.walk()):
    if part.is_multipart():
        continue
    payload = part.get_payload(decode=True) or b''
    f = os.path.join(outdir, 'part-%d.bin' % i)
    open(f, 'wb').write(payload)
    parts.append({'type': part.get_content_type(), 'params': dict((k, str(v)) for k, v in part.get_params()[1:]) if part.get_params() else {},
                  'filename': part.get_filename(), 'disposition': part.get_content_disposition(),
                  'cte': part.get('Content-Transfer-Encoding'), 'file': f, 'bytes': len(payload),
                  'sha256': hashlib.sha256(payload).hexdigest(),
                  'text': part.get_content() if part.get_content_maintype() == 'text' else None})
segments = raw.split(b'\r\n')
lines = {'max': max(len(s) for s in segments), 'bareLf': any(b'\n' in s for s in segments),
         'bareCr': any(b'\r' in s for s in segments), 'endsWithCrlf': raw.endswith(b'\r\n')}
params = dict((k, str(v)) for k, v in msg.get_params()[1:]) if msg.get_params() else {}
print(json.dumps({'defects': defects, 'headers': headers, 'type': msg.get_content_type(), 'params': params,
                  'from': addrs('From'), 'to': addrs('To'), 'date': date, 'parts': parts, 'lines': lines}))
`;

/** Parses `file` with Python's email package; decoded payloads go to `outDir`. */
export function pyMail(file: string, outDir: string): PyMail {
  return python<PyMail>(MAIL_PY, [file, outDir]);
}

/** What Python's own RFC 2046 §5.2.2 reassembly of a set of fragments gives. */
export interface PyReassembly {
  fragments: { id: string; number: number; total: string | null; bytes: number }[];
  /** The Message-ID and Subject of the enclosed (reassembled) message. */
  messageId: string | null;
  subject: string | null;
  defects: string[];
  /** Its image/tiff payload, written to this file (null when it has none). */
  tiff: string | null;
}

const PARTIAL_PY = String.raw`
import email, json, os, sys
from email import policy
from email.parser import BytesParser
out, files = sys.argv[1], sys.argv[2:]
frags = []
for f in files:
    raw = open(f, 'rb').read()
    # headersonly: the body of a fragment is a piece of a message, not one to parse.
    m = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
    assert m.get_content_type() == 'message/partial', (f, m.get_content_type())
    frags.append({'id': m.get_param('id'), 'number': int(m.get_param('number')), 'total': m.get_param('total'),
                  'bytes': len(raw), 'body': m.get_payload()})
frags.sort(key=lambda x: x['number'])
assert [x['number'] for x in frags] == list(range(1, len(frags) + 1)), [x['number'] for x in frags]
assert len(set(x['id'] for x in frags)) == 1
assert frags[-1]['total'] == str(len(frags)), frags[-1]['total']
# RFC 2046 5.2.2.1: the enclosed message is the bodies in order; its Content-*, Subject,
# Message-ID come from the enclosed header, which starts the body of fragment 1.
enclosed = ''.join(x['body'] for x in frags)
msg = email.message_from_string(enclosed, policy=policy.default)
defects = []
for part in msg.walk():
    defects += [type(d).__name__ for d in part.defects]
tiff = None
for part in msg.walk():
    if part.get_content_type() in ('image/tiff', 'image/tiff-fx'):
        tiff = os.path.join(out, 'py-reassembled.tif')
        open(tiff, 'wb').write(part.get_payload(decode=True))
for x in frags:
    del x['body']
print(json.dumps({'fragments': frags, 'messageId': msg['Message-ID'], 'subject': msg['Subject'], 'defects': defects, 'tiff': tiff}))
`;

/** Reassembles the fragment files with Python (its own code, not ours); the TIFF goes to `outDir`. */
export function pyReassemble(outDir: string, files: string[]): PyReassembly {
  mkdirSync(outDir, { recursive: true });
  return python<PyReassembly>(PARTIAL_PY, [outDir, ...files]);
}

/** A delivery status notification as Python's email package reads it. */
export interface PyDsn {
  type: string;
  reportType: string | null;
  envid: string | null;
  recipients: { final: string | null; original: string | null; action: string | null; status: string | null }[];
}

const DSN_PY = String.raw`
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

/** Reads a DSN (RFC 3464) with Python. */
export function pyDsn(file: string): PyDsn {
  return python<PyDsn>(DSN_PY, [file]);
}
