/**
 * The date and time a fax prints on its header line (TTI) and in its subject: `YYYY-MM-DD
 * HH:MM`, in an IANA time zone or the local one. Pure (Intl only): the header renderer and the
 * send job's subject use the same text.
 */
import { IfaxError } from '../errors.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function usage(message: string, options: { hint?: string; cause?: unknown } = {}): IfaxError {
  return new IfaxError('USAGE', message, options);
}

/** `YYYY-MM-DD HH:MM` of `date` in `timeZone` (IANA name) or in the local zone. */
export function formatHeaderDate(date: Date, timeZone?: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw usage(`Formatting the header line failed: invalid date ${JSON.stringify(String(date))}`);
  }
  if (timeZone === undefined) {
    // The local zone needs no Intl formatter (whose set-up costs ~20 ms of a short run).
    const p2 = (n: number): string => String(n).padStart(2, '0');
    return `${String(date.getFullYear()).padStart(4, '0')}-${p2(date.getMonth() + 1)}-${p2(date.getDate())} ${p2(date.getHours())}:${p2(date.getMinutes())}`;
  }
  const key = timeZone;
  let fmt = formatters.get(key);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        numberingSystem: 'latn',
      });
    } catch (cause) {
      throw usage(`Formatting the header line failed: unknown time zone ${JSON.stringify(timeZone)}`, {
        hint: 'Use an IANA time zone name such as "Europe/Berlin" or "UTC".',
        cause,
      });
    }
    formatters.set(key, fmt);
  }
  const part: Record<string, string> = {};
  for (const p of fmt.formatToParts(date)) part[p.type] = p.value;
  return `${part.year.padStart(4, '0')}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}
