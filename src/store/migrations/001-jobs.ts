/**
 * Version 1: sent jobs, the mails each one became, its destinations, its history and the
 * MDN/DSN reports that moved it (SETTINGS.md §10; RFC 3249 §4.2-4.3 for the correlation keys).
 * Times are ISO 8601 UTC text with milliseconds (`toISOString`): fixed width, so they sort and
 * compare as text, and a person reading the file with sqlite3 can read them.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 1,
  why: 'jobs, their mails (Message-ID), destinations, transition log and MDN/DSN reports',
  sql: `
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  -- RFC 3461 ENVID: DSNs come back with it as Original-Envelope-Id (RFC 3249 §4.3).
  envid         TEXT NOT NULL UNIQUE,
  state         TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'processed', 'failed', 'timeout')),
  -- What answer the job waits for: an MDN, a DSN, or none (nothing asked, nothing to time out).
  watch         TEXT NOT NULL CHECK (watch IN ('mdn', 'dsn', 'none')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  -- When the server last accepted the job's mail: the start of the responseWatch wait.
  sent_at       TEXT,
  subject       TEXT,
  sender_name   TEXT,
  mode          TEXT,
  pages         INTEGER NOT NULL DEFAULT 0 CHECK (pages >= 0),
  bytes         INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0),
  -- The format chosen and why, as JSON text (the sender's own shape).
  format_json   TEXT,
  -- The stored mail (outbox) a retry sends again.
  outbox_path   TEXT,
  attempts      INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  error_code    TEXT,
  error_message TEXT,
  -- 1 when the last failure is worth another try (4xx, network), 0 when permanent.
  error_temporary INTEGER CHECK (error_temporary IN (0, 1))
);
CREATE INDEX jobs_created ON jobs (created_at);
CREATE INDEX jobs_state_sent ON jobs (state, sent_at);

-- One row per mail of a job: a broadcast may need several, message/partial makes fragments,
-- a full-mode resend (RFC 4142 §5) adds one that names the first as its Original-Message-ID.
CREATE TABLE job_messages (
  message_id          TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
  job_id              TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq                 INTEGER NOT NULL,
  part_number         INTEGER,
  part_total          INTEGER,
  original_message_id TEXT COLLATE NOCASE,
  created_at          TEXT NOT NULL,
  UNIQUE (job_id, seq)
);
CREATE INDEX job_messages_original ON job_messages (original_message_id);

CREATE TABLE job_destinations (
  job_id     TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  address    TEXT NOT NULL COLLATE NOCASE,
  kind       TEXT NOT NULL CHECK (kind IN ('address', 'fax', 'book')),
  -- What the user gave: the address, FAX=+number@gateway, or the address-book name.
  given      TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'delivered', 'processed', 'failed', 'timeout')),
  smtp_reply TEXT,
  temporary  INTEGER CHECK (temporary IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (job_id, seq),
  UNIQUE (job_id, address)
);

-- Every change of a job's or a destination's state: when, from, to, why.
CREATE TABLE job_events (
  id          INTEGER PRIMARY KEY,
  job_id      TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  address     TEXT,
  from_state  TEXT,
  to_state    TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_events_job ON job_events (job_id, id);

-- The MDNs and DSNs that answered a job, as far as they matter to a person or a retry.
CREATE TABLE job_reports (
  id              INTEGER PRIMARY KEY,
  job_id          TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  type            TEXT NOT NULL CHECK (type IN ('mdn', 'dsn')),
  received_at     TEXT NOT NULL,
  message_id      TEXT,
  address         TEXT,
  -- MDN: the Disposition (processed, processed/error, deleted/alternative-preferred...);
  -- DSN: the Action (delivered, relayed, expanded, failed, delayed).
  disposition     TEXT NOT NULL,
  status          TEXT,
  diagnostic      TEXT,
  -- Media-Accept-Features (MDN) or X-Accept-Features (DSN), as sent.
  features        TEXT,
  -- 1 when the report came after the job had already ended (e.g. after its timeout): kept, ignored.
  ignored         INTEGER NOT NULL DEFAULT 0 CHECK (ignored IN (0, 1))
);
CREATE INDEX job_reports_job ON job_reports (job_id, id);
`,
};
