#!/usr/bin/env python3
"""Builds test mails with Python's `email` package (an independent MIME writer).

  make_mail.py SPEC.json > mail.eml

SPEC: {"from", "to", "subject", "message_id", "return_path"?, "dnt"?, "text"?,
       "container"?: "mixed" | "fax-message" | "related",
       "tiffs": [{"path", "name", "ctype"?: "image/tiff"}], "duplicate_ctype"?: bool}
"""
import json
import sys
from email.message import EmailMessage
from email import policy

spec = json.load(open(sys.argv[1]))
msg = EmailMessage(policy=policy.SMTP)
if spec.get('return_path'):
    msg['Return-Path'] = '<%s>' % spec['return_path']
msg['From'] = spec['from']
msg['To'] = spec['to']
msg['Subject'] = spec['subject']
msg['Message-ID'] = spec['message_id']
msg['Date'] = 'Fri, 04 Dec 2026 10:00:00 +0100'
if spec.get('dnt'):
    msg['Disposition-Notification-To'] = spec['dnt']
msg.set_content(spec.get('text', 'Fax attached.'))
for t in spec['tiffs']:
    data = open(t['path'], 'rb').read()
    maintype, subtype = t.get('ctype', 'image/tiff').split('/')
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=t['name'])
container = spec.get('container', 'mixed')
if container != 'mixed':
    msg.replace_header('Content-Type', msg['Content-Type'].replace('multipart/mixed', 'multipart/' + container))
sys.stdout.buffer.write(msg.as_bytes())
