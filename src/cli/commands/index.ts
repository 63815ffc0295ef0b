/**
 * The commands that work today, in the order `ifax --help` lists them. A command is
 * registered only once it is built (issue rule): later issues add send, receive, poll...
 */
import type { Command } from 'commander';
import { configCommand } from './config.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { jobsCommand } from './jobs.js';
import { inboxCommand } from './inbox.js';
import { pollCommand } from './poll.js';
import { receiveCommand } from './receive.js';
import { sendCommand } from './send.js';
import { serveCommand } from './serve.js';

export const commandList: Array<() => Command> = [
  sendCommand,
  receiveCommand,
  pollCommand,
  serveCommand,
  inboxCommand,
  configCommand,
  convertCommand,
  demoCommand,
  () => jobsCommand({ retry: async (command) => (await import('../send-wiring.js')).retrySender(command) }),
];
