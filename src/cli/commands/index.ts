/**
 * The commands that work today, in the order `ifax --help` lists them. A command is
 * registered only once it is built (issue rule): later issues add send, receive, poll...
 */
import type { Command } from 'commander';

export const commandList: Array<() => Command> = [];
