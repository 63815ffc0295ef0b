/**
 * The POP3 commands, one file each, by the name the protocol gives them. `Pop3Client.run`
 * looks commands up here; a command is a function of the connection and its arguments.
 */
import { apop } from './apop.js';
import { capa } from './capa.js';
import { dele } from './dele.js';
import { list } from './list.js';
import { noop } from './noop.js';
import { quit } from './quit.js';
import { retr } from './retr.js';
import { rset } from './rset.js';
import { stat } from './stat.js';
import { stls } from './stls.js';
import { top } from './top.js';
import { uidl } from './uidl.js';
import { user } from './user.js';

export const COMMANDS = {
  CAPA: capa,
  STLS: stls,
  /** USER then PASS. */
  USER: user,
  APOP: apop,
  STAT: stat,
  LIST: list,
  UIDL: uidl,
  RETR: retr,
  TOP: top,
  DELE: dele,
  RSET: rset,
  NOOP: noop,
  QUIT: quit,
} as const;

export type Pop3CommandName = keyof typeof COMMANDS;
