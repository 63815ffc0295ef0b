/**
 * Receiving over POP3 (RFC 1939, 2449, 2595, 8314): ifax's own client. `openPop` / `popLogin`
 * open a session from the pop.* settings (POP before SMTP uses `popLogin`); `Pop3Client` runs
 * the mailbox commands, streaming messages to a sink or an async iterator.
 */
export { openPop, popLogin, type PopSettings, type PopSessionOptions, type PopSessionInfo } from './login.js';
export { Pop3Client } from './client.js';
export type { Pop3ConnectOptions, Pop3Greeting, Pop3State, Pop3TraceSink } from './connection.js';
export { COMMANDS as POP3_COMMANDS, type Pop3CommandName } from './commands/index.js';
export { apopDigest } from './commands/apop.js';
export type { Pop3Capabilities } from './commands/capa.js';
export type { Pop3ListEntry } from './commands/list.js';
export type { Pop3UidlEntry } from './commands/uidl.js';
export type { Pop3Stat } from './commands/stat.js';
export type { Pop3QuitResult } from './commands/quit.js';
export type { Pop3Sink, Pop3BodyOptions, Pop3BodyResult } from './commands/stream-body.js';
export { refusalCode, type Pop3Response } from './response.js';
