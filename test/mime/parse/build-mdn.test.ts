import { spawnSync } from 'node:child_process';
import { buildMdn, classifyMail, type MdnInput } from '../../../src/mime/parse/index.js';
import { mediaAcceptFeatures, parseFeatureExpression } from '../../../src/mime/features/index.js';

/** Python's email (policy.default) reads the MDN: its structure and the report fields. */
function pythonMdn(raw: Uint8Array): { type: string; reportType: string; parts: string[]; fields: Record<string, string>; defects: string[]; text: string } {
  const code = `
import sys, json
from email import policy
from email.parser import BytesParser
m = BytesParser(policy=policy.default).parsebytes(sys.stdin.buffer.read())
parts = [p.get_content_type() for p in m.iter_parts()]
dn = [p for p in m.iter_parts() if p.get_content_type() == 'message/disposition-notification'][0]
block = dn.get_payload()[0]
fields = {k: str(v) for k, v in block.items()}
text = [p for p in m.iter_parts() if p.get_content_type() == 'text/plain'][0].get_content()
defects = [type(d).__name__ for p in m.walk() for d in p.defects]
print(json.dumps({'type': m.get_content_type(), 'reportType': m.get_param('report-type'), 'parts': parts, 'fields': fields, 'defects': defects, 'text': text}))
`;
  const r = spawnSync('python3', ['-c', code], { input: raw });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return JSON.parse(r.stdout.toString());
}

const caps = mediaAcceptFeatures({ compression: ['MH', 'MR', 'MMR'], paperSizes: ['A4', 'B4'], resolutions: null, maxResolution: 'superfine' });

function input(over: Partial<MdnInput> = {}): MdnInput {
  return {
    from: { name: 'Office Fax', address: 'fax@station.example' },
    to: 'sender@elsewhere.example',
    date: new Date('2026-12-04T10:00:00Z'),
    tzOffsetMinutes: 60,
    messageId: '<mdn.1@station.example>',
    originalSubject: 'Fax from Müller',
    reportingUa: 'station.example; ifax 0.1',
    originalRecipient: 'rfc822;fax@station.example',
    finalRecipient: 'fax@station.example',
    originalMessageId: '<orig.42@elsewhere.example>',
    result: { processed: true },
    mediaAcceptFeatures: caps,
    random: new Uint8Array(16).fill(7),
    ...over,
  };
}

describe('buildMdn (RFC 8098)', () => {
  test('Python reads a multipart/report with the disposition fields, and Media-Accept-Features parses as a feature expression', () => {
    const raw = buildMdn(input());
    const py = pythonMdn(raw);
    expect(py.type).toBe('multipart/report');
    expect(py.reportType).toBe('disposition-notification');
    expect(py.parts).toEqual(['text/plain', 'message/disposition-notification']);
    expect(py.defects).toEqual([]);
    expect(py.fields['Original-Message-ID']).toBe('<orig.42@elsewhere.example>');
    expect(py.fields['Disposition']).toBe('automatic-action/MDN-sent-automatically; processed');
    expect(py.fields['Final-Recipient']).toBe('rfc822;fax@station.example');
    expect(py.fields['Original-Recipient']).toBe('rfc822;fax@station.example');
    expect(py.fields['Reporting-UA']).toBe('station.example; ifax 0.1');
    const features = py.fields['Media-Accept-Features'].replace(/\s+/g, ' ');
    expect(features).toBe(caps.replace(/\s+/g, ' '));
    expect(() => parseFeatureExpression(features)).not.toThrow();
    expect(py.text).toMatch(/was received and processed/);
    // Folded to 76 columns, no DNT of its own, automatic.
    const head = new TextDecoder().decode(raw).split('\r\n\r\n')[0];
    expect(head).toMatch(/^Auto-Submitted: auto-replied$/m);
    expect(head).not.toMatch(/Disposition-Notification-To/i);
    for (const line of new TextDecoder().decode(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  });

  test('a failure is processed/error with the reason in Error; our own parser reads back what we wrote', () => {
    const raw = buildMdn(input({ result: { processed: false, error: 'TIFF part 2: not a TIFF file (bad byte order mark)' }, originalRecipient: undefined }));
    const py = pythonMdn(raw);
    expect(py.fields['Disposition']).toBe('automatic-action/MDN-sent-automatically; processed/error');
    expect(py.fields['Error']).toBe('TIFF part 2: not a TIFF file (bad byte order mark)');
    expect(py.fields['Original-Recipient']).toBeUndefined();
    const c = classifyMail(raw);
    expect(c.kind).toBe('mdn');
    if (c.kind !== 'mdn') return;
    expect(c.mdn.modifier).toBe('error');
    expect(c.mdn.errors).toEqual(['TIFF part 2: not a TIFF file (bad byte order mark)']);
    expect(c.mdn.originalMessageId).toBe('<orig.42@elsewhere.example>');
    expect(c.mdn.mediaAcceptFeatures?.replace(/\s+/g, ' ')).toBe(caps.replace(/\s+/g, ' '));
  });
});
