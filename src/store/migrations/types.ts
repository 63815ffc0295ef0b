/** One step of the job store's schema. */
export interface Migration {
  /** The schema version this step brings the database to (PRAGMA user_version). */
  readonly version: number;
  /** Why the step exists, in one line (shown in errors and kept for the reader). */
  readonly why: string;
  /** The SQL, run in one transaction with the user_version bump. */
  readonly sql: string;
}
