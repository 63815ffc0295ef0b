/**
 * Version 2: what is known of each destination's receive capabilities (RFC 2532 §3: learned
 * from MDNs and DSNs, overridable by hand), and the table of where such knowledge comes from.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 2,
  why: 'destination capabilities learned from MDN/DSN or set by hand, for later sends',
  sql: `
-- Where a destination's capabilities came from. A table rather than a CHECK list, so that the
-- address book and the directory (later versions) add their sources as rows, without the
-- table rebuild SQLite needs to change a CHECK constraint.
CREATE TABLE capability_sources (
  name        TEXT PRIMARY KEY,
  description TEXT NOT NULL
);
INSERT INTO capability_sources (name, description) VALUES
  ('mdn', 'Media-Accept-Features of an MDN (RFC 2530 §3)'),
  ('dsn', 'X-Accept-Features of a DSN from a fax gateway'),
  ('manual', 'set by hand (ifax caps set); learned answers do not replace it');

CREATE TABLE destinations (
  address      TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
  display_name TEXT,
  -- The RFC 2533 feature expression, as received or typed.
  caps         TEXT NOT NULL,
  source       TEXT NOT NULL REFERENCES capability_sources (name),
  learned_at   TEXT NOT NULL,
  -- The job whose MDN/DSN taught it, while that job is kept.
  job_id       TEXT REFERENCES jobs (id) ON DELETE SET NULL
);
`,
};
