/**
 * Version 3: the poll journal. One row per POP account and unique-id (RFC 1939 §7 UIDL), so
 * that `ifax poll` never fetches a mail twice (pop.leaveOnServer, or a crash between the spool
 * write and QUIT) and never processes a spooled mail twice. A row goes through:
 * fetching (spool name chosen) -> fetched (spool file durable) -> deleted (QUIT confirmed the
 * DELE) and, independently, processed (the spool file was handed to receive and removed).
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 3,
  why: 'poll journal: POP unique-ids fetched into the spool, deleted on the server, processed',
  sql: `
CREATE TABLE poll_journal (
  -- "user@host:port" of the POP account (pop.user, pop.host and the port used).
  account      TEXT NOT NULL,
  -- The UIDL unique-id; "mid:<Message-ID>" or "hdr:<sha256>" for a server without UIDL.
  uid          TEXT NOT NULL,
  -- The mail's Message-ID, once it is in the spool (NULL when it has none).
  message_id   TEXT COLLATE NOCASE,
  -- The spool file's name (in stateDir/spool/), chosen before RETR.
  spool_file   TEXT NOT NULL UNIQUE,
  state        TEXT NOT NULL CHECK (state IN ('fetching', 'fetched', 'deleted')),
  fetched_at   TEXT,
  deleted_at   TEXT,
  processed_at TEXT,
  -- What processing did: 'done', or 'other' (moved to stateDir/other/ after a permanent failure).
  outcome      TEXT,
  PRIMARY KEY (account, uid)
);
CREATE INDEX poll_journal_message ON poll_journal (message_id);
`,
};
