/**
 * Who the header line (TTI) names, as a fax machine decides it: the sender is `--sender`
 * (a name, or its 1-based number in `header.senderNames`), else the profile's
 * `header.defaultSender`; the station is `--station`, else `device.name`, else `device.email`.
 * A profile without names is fine: the header then shows what the flags give.
 */

import { IfaxError } from '../errors.js';
import type { IfaxConfig } from '../config/index.js';

/** What the command line says of the header line. */
export interface HeaderChoice {
  sender?: string;
  station?: string;
  timeZone?: string;
  date?: Date;
}

/** The header line's fields for `convert` (and `send`): the rules above. */
export function headerFields(config: Pick<IfaxConfig, 'header' | 'device'>, choice: HeaderChoice): HeaderChoice {
  const names = config.header.senderNames;
  let sender: string | undefined;
  if (choice.sender !== undefined) {
    const n = /^\d+$/.test(choice.sender) ? Number(choice.sender) : undefined;
    if (n !== undefined) {
      sender = names[n - 1];
      if (sender === undefined) {
        throw new IfaxError('USAGE', `Converting failed: --sender ${n}: header.senderNames has ${names.length} name(s)`, { hint: "List them with 'ifax config get header.senderNames'." });
      }
    } else {
      sender = choice.sender;
    }
  } else {
    sender = names[config.header.defaultSender - 1];
  }
  const station = choice.station ?? config.device.name ?? config.device.email ?? undefined;
  return {
    ...(sender ? { sender } : {}),
    ...(station ? { station } : {}),
    ...(choice.timeZone ? { timeZone: choice.timeZone } : {}),
    ...(choice.date ? { date: choice.date } : {}),
  };
}
