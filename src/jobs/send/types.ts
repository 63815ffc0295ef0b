/**
 * What `ifax send` works with: the request (files, destinations, wishes), the destinations as
 * resolved, the format chosen for each, the mails built, and the outside world it is given
 * (`SendDeps`: destination lookup, format choice, mail building, the job store, SMTP). The
 * orchestration (send.ts) knows no server, database or clock of its own, so it is tested
 * with real parts wired differently, not with mocks of them.
 */

import type { FaxCoding } from '../../codec/types.js';
import type { PaperName, ResolutionName } from '../../fax/vocabulary.js';
import type { FaxInput } from '../../image/document.js';
import type { PageReport } from '../../image/writers/index.js';
import type { FormatChoice } from '../../mime/features/index.js';
import type { PageChoices } from './document.js';

/** A destination as `--to` named it, resolved. */
export interface Destination {
  /** What the user typed. */
  input: string;
  /** The mail address the fax goes to (an RFC 3192 fax address is kept as it is). */
  address: string;
  kind: 'address' | 'fax' | 'book';
  /** Display name (address book). */
  name?: string;
  /** Known receive capabilities (an RFC 2533 expression) and when they were learned. */
  caps?: { expression: string; learnedAt?: string; source?: string };
}

/** What the job asks for; each bounded by the destination and the profile. */
export interface FormatWishes {
  resolution: ResolutionName;
  coding: FaxCoding;
  /** --color, --gray or --bw; undefined = as compression.color says. */
  colour?: 'bw' | 'gray' | 'color';
  paper: PaperName;
  /** `--paper` was given: no other paper may be sent instead. */
  paperFixed: boolean;
  /** `--mode` or send.mode. */
  mode: 'auto' | 'simple' | 'full';
}

/** The format chosen for one destination (mime/features), with the description it is sent with. */
export interface FormatDecision extends FormatChoice {
  /** The RFC 2912 description of the document (Content-features), when ifaxAdvanced.addContentInfo. */
  contentFeatures?: string;
}

export interface SendRequest {
  inputs: FaxInput[];
  /** `--to` values, in order. */
  to: string[];
  wishes: FormatWishes;
  pageChoices: PageChoices;
  /** Sender name (header line and From display name). */
  sender?: string;
  /** `--subject` (a template like send.subject). */
  subject?: string;
  /** Ask for an MDN (ifaxAdvanced.mdnRequest unless --no-mdn). */
  mdn: boolean;
  /** Ask for a DSN (ifaxAdvanced.dsnRequest or --dsn); an MDN request wins. */
  dsn: boolean;
  /** `--as-email`: the pages as an ordinary PDF for people (smtp.scanToEmail). */
  asEmail: boolean;
  /** Retries of temporary failures (4xx, network) before the job is left queued. */
  retries: number;
  /** Build only, send nothing, record nothing. */
  dryRun: boolean;
}

/** One mail of a job: a group of destinations that take the same document, or a fragment. */
export interface BuiltMail {
  messageId: string;
  /** Envelope recipients. */
  to: string[];
  raw: Uint8Array;
  /** 1-based fragment number and total for message/partial; absent for a whole mail. */
  part?: { number: number; total: number };
}

/** A group of destinations that get the same document. */
export interface MailGroup {
  destinations: Destination[];
  decision: FormatDecision;
  pages: PageReport[];
  /** Bytes of the document (TIFF or PDF). */
  documentBytes: number;
  /** How the size policy sent it: attached, split into fragments, or as a download URL. */
  delivery: 'attached' | 'split' | 'url';
  url?: string;
  mails: BuiltMail[];
}

/** The result of a send (or a dry run). */
export interface SendReport {
  /** Absent in a dry run (nothing is recorded). */
  jobId?: string;
  envid?: string;
  state: 'built' | 'sent' | 'queued' | 'failed';
  subject: string;
  groups: MailGroup[];
  /** Per destination: accepted by the server or not, with its reply. */
  recipients: { address: string; accepted: boolean; reply?: string }[];
  warnings: string[];
}
