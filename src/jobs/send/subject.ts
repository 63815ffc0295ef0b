/**
 * The Subject of a sent fax from `send.subject` (SETTINGS.md §13): `{device}` (device.name),
 * `{sender}` (the sender name), `{pages}`, `{date}` (YYYY-MM-DD HH:MM in the job's time zone),
 * `{to}` (the first destination, "+n" for more). `--subject TEXT` replaces the template, with
 * the same placeholders. The profile schema already refuses unknown placeholders; a `--subject`
 * with one is refused here, so a typo never reaches the receiver as "{devcie}".
 */

import { IfaxError } from '../../errors.js';
import { SUBJECT_PLACEHOLDERS } from '../../config/enums.js';
import { formatHeaderDate } from '../../fax/header-date.js';

export interface SubjectFields {
  device?: string;
  sender?: string;
  pages: number;
  date: Date;
  timeZone?: string;
  to: string[];
}

/** Subjects longer than this are cut: a header line stays readable on a device's panel. */
const MAX_SUBJECT_CHARS = 200;

/** Renders `template`; unknown placeholders are USAGE errors naming them. */
export function renderSubject(template: string, f: SubjectFields): string {
  const values: Record<(typeof SUBJECT_PLACEHOLDERS)[number], string> = {
    device: f.device ?? '',
    sender: f.sender ?? '',
    pages: String(f.pages),
    date: formatHeaderDate(f.date, f.timeZone),
    to: f.to.length === 0 ? '' : f.to.length === 1 ? f.to[0] : `${f.to[0]} +${f.to.length - 1}`,
  };
  // "{pages} pages" reads "1 pages" for one page: the template's own plural is made singular.
  const singular = f.pages === 1 ? template.replace(/\{pages\} pages\b/g, '{pages} page') : template;
  const text = singular.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!(name in values)) {
      throw new IfaxError('USAGE', `Making the subject failed: unknown placeholder ${JSON.stringify(whole)} in ${JSON.stringify(template)}`, {
        hint: `Placeholders: ${SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`,
      });
    }
    return values[name as keyof typeof values];
  });
  // Empty placeholders leave "Fax from  (2 pages)": collapse the doubled spaces they leave.
  const tidy = text.replace(/\s+/g, ' ').replace(/\(\s+/g, '(').replace(/\s+\)/g, ')').trim();
  return [...tidy].slice(0, MAX_SUBJECT_CHARS).join('');
}
