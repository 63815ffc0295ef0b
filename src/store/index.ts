/**
 * The job store (SETTINGS.md §10): sent jobs and their MDN/DSN state, destinations'
 * capabilities, and the outbox, in the state directory. Node only (SQLite, files).
 */
export { defaultStateDir, resolveStateDir, ensureStateDir, STATE_DIR_MODE, DATABASE_MODE, DATABASE_FILE, type StateDirOptions } from './state-dir.js';
export { openStore, openDatabase, storeFailed, STORE_BUSY_TIMEOUT_MS, APPLICATION_ID, type StoreDatabase, type OpenDatabaseOptions } from './database.js';
export { migrate, schemaVersion, SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';
export { JobStore, notFound, MIN_ID_PREFIX, type JobStoreOptions, type ListQuery, type NewReport, type ReportResult, type SendOutcome } from './jobs.js';
export { retryRefusal } from './job-writer.js';
export { JOB_STATES, TRANSITIONS, isLegalTransition, isFinal, aggregateState, reportOutcome, type JobState, type ReportWatch, type ReportOutcome } from './job-states.js';
export { newJobId, envidFor, normalizeMessageId, decodeXtext, JOB_ID_PATTERN } from './job-ids.js';
export type { Job, JobSummary, JobEvent, JobReport, JobError, JobDestination, JobMessage, NewJob, NewDestination, NewMessage, DestinationKind } from './job-types.js';
export { DestinationStore, type DestinationCaps, type CapabilitySource, type UpsertCaps, type UpsertResult } from './destinations.js';
export { saveOutboxMail, readOutboxMail, removeOutboxMail, outboxDir } from './outbox.js';
