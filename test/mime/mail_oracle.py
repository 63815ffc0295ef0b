#!/usr/bin/env python3
"""Independent oracle for the mime tests: Python's `email` package (policy.default).

  mail_oracle.py parse < message.eml        -> JSON description of the message
  mail_oracle.py reassemble FRAG...         -> JSON description of the message/partial
                                               fragments put together (RFC 2046 §5.2.2.1),
                                               plus the reassembled bytes' sha256

The description: every header decoded to Unicode, every leaf part (content type,
parameters, filename, transfer encoding, decoded payload sha256 and length, text for text
parts), and every defect Python's parser and header parsers report.
"""
import hashlib
import json
import sys
from email import policy
from email.parser import BytesParser
from email.header import decode_header, make_header
from email.utils import getaddresses

ENCLOSED = ('content-', 'subject', 'message-id', 'encrypted', 'mime-version')


def header_defects(msg):
    out = []
    for name, value in msg.items():
        for d in getattr(value, 'defects', ()):
            out.append(f'{name}: {type(d).__name__}')
    return out


def describe(msg, raw=None):
    parts = []
    for i, part in enumerate(msg.walk()):
        entry = {
            'index': i,
            'content_type': part.get_content_type(),
            'params': {k: v for k, v in part.get_params(header='content-type', failobj=[])[1:]},
            'defects': [type(d).__name__ for d in part.defects] + header_defects(part),
            'headers': [[k, str(v)] for k, v in part.items()],
        }
        if part.is_multipart():
            entry['boundary'] = part.get_boundary()
        elif part.get_content_type() != 'message/partial':
            payload = part.get_payload(decode=True) or b''
            entry.update({
                'cte': part.get('Content-Transfer-Encoding'),
                'filename': part.get_filename(),
                'disposition': part.get_content_disposition(),
                'charset': part.get_content_charset(),
                'payload_sha256': hashlib.sha256(payload).hexdigest(),
                'payload_len': len(payload),
            })
            if part.get_content_maintype() == 'text':
                entry['text'] = part.get_content()
        parts.append(entry)
    addresses = {}
    for name in ('From', 'To', 'Disposition-Notification-To'):
        if msg[name] is not None:
            addresses[name] = [[n, a] for n, a in getaddresses([str(v) for v in msg.get_all(name)])]
    if msg['From'] is not None:
        addresses['From/parsed'] = [[a.display_name, a.addr_spec] for a in msg['From'].addresses]
    # RFC 2047 §6.2 reading: addresses taken from the raw field, then each display name
    # decoded by the legacy decoder, which drops white space between adjacent encoded-words
    # (policy.default's address parser keeps it: a known deviation, so both are reported).
    for name in ('From', 'To'):
        raws = [v.replace('\r\n', '').replace('\n', '') for k, v in msg.raw_items() if k.lower() == name.lower()]
        if raws:
            addresses[name + '/rfc2047'] = [[str(make_header(decode_header(n))), a] for n, a in getaddresses(raws)]
    out = {
        'headers': [[k, str(v)] for k, v in msg.items()],
        'addresses': addresses,
        'date': msg['Date'].datetime.isoformat() if msg['Date'] is not None else None,
        'defects': [type(d).__name__ for d in msg.defects] + header_defects(msg),
        'parts': parts,
    }
    if raw is not None:
        lines = raw.split(b'\r\n')
        out['raw'] = {
            'sha256': hashlib.sha256(raw).hexdigest(),
            'max_line': max(len(l) for l in lines),
            'bare_lf': raw.replace(b'\r\n', b'').count(b'\n'),
            'bare_cr': raw.replace(b'\r\n', b'').count(b'\r'),
        }
    return out


def body_of(raw):
    """Raw body bytes: everything after the first empty line."""
    for sep in (b'\r\n\r\n', b'\n\n'):
        at = raw.find(sep)
        if at >= 0:
            return raw[at + len(sep):]
    return b''


def reassemble(paths):
    frags = []
    for p in paths:
        raw = open(p, 'rb').read()
        msg = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        if msg.get_content_type() != 'message/partial':
            raise SystemExit(f'{p}: not message/partial')
        number = int(msg.get_param('number'))
        total = msg.get_param('total')
        frags.append((number, msg.get_param('id'), int(total) if total else None, msg, raw))
    frags.sort(key=lambda f: f[0])
    ids = {f[1] for f in frags}
    totals = {f[2] for f in frags if f[2] is not None}
    assert len(ids) == 1, ids
    assert len(totals) == 1, totals
    assert [f[0] for f in frags] == list(range(1, totals.pop() + 1))
    enclosed = b''.join(body_of(f[4]) for f in frags)
    inner = BytesParser(policy=policy.default).parsebytes(enclosed)
    outer = frags[0][3]
    # RFC 2046 §5.2.2.1 rules 2 and 3: outer fields of fragment 1 except the enclosed kind,
    # then the enclosed kind from the inner message.
    merged = [(k, v) for k, v in outer.raw_items() if not k.lower().startswith(ENCLOSED)]
    merged += [(k, v) for k, v in inner.raw_items() if k.lower().startswith(ENCLOSED)]
    inner._headers = merged  # raw (name, source value) pairs, as the parser stored them
    result = describe(inner)
    result['enclosed_sha256'] = hashlib.sha256(enclosed).hexdigest()
    return result


def main():
    if sys.argv[1] == 'parse':
        raw = sys.stdin.buffer.read()
        print(json.dumps(describe(BytesParser(policy=policy.default).parsebytes(raw), raw)))
    elif sys.argv[1] == 'reassemble':
        print(json.dumps(reassemble(sys.argv[2:])))
    else:
        raise SystemExit(__doc__)


main()
