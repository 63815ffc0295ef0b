/**
 * The receive job's inputs and outcome: what `ifax receive` is given (the profile, the stores,
 * the MDN sender, the clock) and what it reports (`--json`).
 */
import type { IfaxConfig } from '../../config/index.js';
import type { DestinationStore } from '../../store/destinations.js';
import type { JobStore } from '../../store/jobs.js';

/** Everything receiveMail needs from outside. */
export interface ReceiveDeps {
  config: IfaxConfig;
  /** The state directory (inbox/, other/, partials/ live there). */
  stateDir: string;
  jobs: JobStore;
  destinations: DestinationStore;
  /** Sends an MDN: the raw mail with the null envelope sender (RFC 8098 §2.1, RFC 5321 §4.5.5). */
  sendMail(raw: Uint8Array, envelope: { from: ''; to: string[] }): Promise<void>;
  now(): Date;
  io: { warn(message: string): void; debug(message: string): void };
  /** Copies of each received fax: `--out DIR --format tiff|pdf|png`. */
  out?: { dir: string; format: 'tiff' | 'pdf' | 'png' };
  /** Product version for the MDN's Reporting-UA; default "ifax". */
  version?: string;
}

/** One fax stored in the inbox. */
export interface ReceivedFax {
  id: string;
  from: string | null;
  subject: string | null;
  messageId: string | null;
  pages: number;
  /** The files of the fax: inbox folder files, then --out copies. */
  files: string[];
  /** Full mode: the Content-alternative the MDN asked for (deleted/alternative-preferred); the fax is stored all the same. */
  alternativePreferred?: string;
}

/** One MDN or DSN matched (or not) to a job. */
export interface ReceivedReport {
  type: 'mdn' | 'dsn';
  /** The job it answers; null when none was found. */
  job: string | null;
  /** The job's state after it; null when no job was found. */
  state: string | null;
  /** The destination it names. */
  address: string | null;
  /** Whether it moved a state. */
  applied: boolean;
  /** Why it changed nothing, when it did not. */
  ignoredReason?: string;
  /** Whether the destination's capabilities were stored from it. */
  capabilitiesLearned: boolean;
}

/** What went wrong with a mail that was still kept (in other/). */
export interface ReceiveError {
  messageId: string | null;
  code: string;
  message: string;
}

/** The outcome of one receive (`--json`). */
export interface ReceiveOutcome {
  received: ReceivedFax[];
  reports: ReceivedReport[];
  /** MDNs sent. */
  mdnSent: number;
  /** message/partial fragments taken in by this run (kept, or completing their set). */
  partial: number;
  /** Mails kept in other/ (this mail, or fragments of sets that expired). */
  other: number;
  errors: ReceiveError[];
  /** 0 when the mail was handled, 65 when it was unreadable or its fax could not be processed (kept in other/). */
  exitCode: 0 | 65;
}
