/**
 * The shapes of the job store: what a sender gives (`NewJob`), what the store gives back
 * (`Job`, `JobSummary`, `JobEvent`, `JobReport`), and their rows. These objects are also the
 * `--json` of `ifax jobs`, so their keys are stable; none holds a secret.
 */
import type { JobState, ReportWatch } from './job-states.js';

/** How a destination was given: an address, `FAX=+number@gateway`, or an address-book name. */
export type DestinationKind = 'address' | 'fax' | 'book';

export interface NewDestination {
  /** The mail address the fax goes to. */
  address: string;
  kind: DestinationKind;
  /** What the user typed (default: the address). */
  given?: string;
}

export interface NewMessage {
  /** The mail's Message-ID, with or without angle brackets. */
  messageId: string;
  /** message/partial (RFC 2046 §5.2.2): this fragment's number and the total. */
  partNumber?: number;
  partTotal?: number;
  /** A full-mode resend (RFC 4142 §5): the Message-ID it replaces. */
  originalMessageId?: string;
}

export interface NewJob {
  destinations: NewDestination[];
  /** One per mail of the job (a broadcast group, a message/partial fragment); more with addMessage. */
  messages?: Array<NewMessage | string>;
  /** The answer the job waits for; see ReportWatch. */
  watch: ReportWatch;
  subject?: string | null;
  senderName?: string | null;
  mode?: string | null;
  pages?: number;
  bytes?: number;
  /** The format chosen and why (any JSON value; stored as JSON text). */
  format?: unknown;
  /** The stored mail a retry sends again (see outbox.ts). */
  outboxPath?: string | null;
}

/** A failure, as kept with a job: an IfaxError code (or the report's), a message, and whether a retry may help. */
export interface JobError {
  code: string;
  message: string;
  temporary: boolean;
}

export interface JobDestination {
  address: string;
  kind: DestinationKind;
  given: string;
  state: JobState;
  /** The server's reply to RCPT/DATA, or the report's diagnostic. */
  smtpReply: string | null;
  /** For a failed destination: whether the failure was temporary (4xx, network). */
  temporary: boolean | null;
  updatedAt: string;
}

export interface JobMessage {
  messageId: string;
  seq: number;
  partNumber: number | null;
  partTotal: number | null;
  originalMessageId: string | null;
  createdAt: string;
}

/** A job with everything known of it. Times are ISO 8601 UTC. */
export interface Job {
  id: string;
  envid: string;
  state: JobState;
  watch: ReportWatch;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  subject: string | null;
  senderName: string | null;
  mode: string | null;
  pages: number;
  bytes: number;
  format: unknown;
  outboxPath: string | null;
  attempts: number;
  error: JobError | null;
  messages: JobMessage[];
  destinations: JobDestination[];
}

/** One line of `ifax jobs`. */
export interface JobSummary {
  id: string;
  state: JobState;
  createdAt: string;
  updatedAt: string;
  subject: string | null;
  pages: number;
  attempts: number;
  destinations: string[];
}

/** One change of state: of the job (address null) or of one destination. */
export interface JobEvent {
  at: string;
  address: string | null;
  from: JobState | null;
  to: JobState;
  detail: string;
}

/** An MDN or DSN that answered the job. */
export interface JobReport {
  type: 'mdn' | 'dsn';
  receivedAt: string;
  messageId: string | null;
  address: string | null;
  disposition: string;
  status: string | null;
  diagnostic: string | null;
  features: string | null;
  /** Came too late or would have moved a state backwards: kept, changed nothing. */
  ignored: boolean;
}

export interface JobRow {
  id: string;
  envid: string;
  state: JobState;
  watch: ReportWatch;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  subject: string | null;
  sender_name: string | null;
  mode: string | null;
  pages: number;
  bytes: number;
  format_json: string | null;
  outbox_path: string | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  error_temporary: number | null;
}

export interface DestinationRow {
  seq: number;
  address: string;
  kind: DestinationKind;
  given: string;
  state: JobState;
  smtp_reply: string | null;
  temporary: number | null;
  updated_at: string;
}

export interface MessageRow {
  message_id: string;
  seq: number;
  part_number: number | null;
  part_total: number | null;
  original_message_id: string | null;
  created_at: string;
}

export function destinationOf(r: DestinationRow): JobDestination {
  return { address: r.address, kind: r.kind, given: r.given, state: r.state, smtpReply: r.smtp_reply, temporary: r.temporary === null ? null : r.temporary === 1, updatedAt: r.updated_at };
}

export function messageOf(r: MessageRow): JobMessage {
  return { messageId: r.message_id, seq: r.seq, partNumber: r.part_number, partTotal: r.part_total, originalMessageId: r.original_message_id, createdAt: r.created_at };
}

export function jobOf(r: JobRow, messages: JobMessage[], destinations: JobDestination[]): Job {
  let format: unknown = null;
  if (r.format_json !== null) {
    try {
      format = JSON.parse(r.format_json);
    } catch {
      format = r.format_json; // written by hand? show the text rather than lose it
    }
  }
  return {
    id: r.id,
    envid: r.envid,
    state: r.state,
    watch: r.watch,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    subject: r.subject,
    senderName: r.sender_name,
    mode: r.mode,
    pages: r.pages,
    bytes: r.bytes,
    format,
    outboxPath: r.outbox_path,
    attempts: r.attempts,
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '', temporary: r.error_temporary === 1 },
    messages,
    destinations,
  };
}
