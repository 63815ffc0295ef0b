/**
 * `ifax inbox [ID] [--json]` (CLI.md): the received faxes of the state directory, newest
 * first (from, date, pages, files); one in full by its id or a unique part of it. A terminal
 * gets a table, a pipe tab-separated lines (id, received, pages, from, subject).
 *
 * --json: list `{ "faxes": [InboxEntry] }`, one `{ "fax": InboxEntry, "files": [paths] }`
 * (src/store/inbox.ts shapes).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { wholeNumberParser } from '../choices.js';
import { globalOptions, outputFor } from '../context.js';
import { loadProfile } from '../profile.js';
import type { InboxEntry } from '../../store/inbox.js';

const parseLimit = wholeNumberParser(1, 100_000);

function fromText(e: InboxEntry): string {
  if (!e.from) return '-';
  return e.from.name ? `${e.from.name} <${e.from.address}>` : e.from.address;
}

/** One fax in full. */
function entryText(e: InboxEntry, files: string[]): string {
  const lines = [
    `id:         ${e.id}`,
    `received:   ${e.receivedAt}`,
    `from:       ${fromText(e)}`,
    `to:         ${e.to.map((t) => t.address).join(', ') || '-'}`,
    `subject:    ${e.subject ?? '-'}`,
    `date:       ${e.date ?? '-'}`,
    `message-id: ${e.messageId ?? '-'}`,
    `pages:      ${e.pages.length}`,
  ];
  for (const p of e.pages) {
    lines.push(`  page ${p.page}: ${p.width} x ${p.height} px, ${p.xRes ?? '?'} x ${p.yRes ?? '?'} dpi${p.resolution ? ` (${p.resolution})` : ''}, ${p.compression}${p.damagedRows ? `, ${p.damagedRows} damaged rows` : ''}${p.missingRows ? `, ${p.missingRows} missing rows` : ''}`);
  }
  if (e.note) lines.push('note:', ...e.note.split('\n').map((l) => `  ${l}`));
  for (const w of e.warnings) lines.push(`warning: ${w}`);
  lines.push('files:', ...files.map((f) => `  ${f}`));
  return lines.join('\n');
}

/** `ifax inbox`. */
export function inboxCommand(): Command {
  return new Command('inbox')
    .description('received faxes (from, date, pages, files); one in full by its id')
    .argument('[id]', 'a fax id, or at least 4 characters of its start or of its last 8 characters')
    .option('--limit <n>', 'at most this many, newest first (default 50)', parseLimit)
    .addHelpText(
      'after',
      `
Faxes are kept in <stateDir>/inbox/<id>/: original.eml, the TIFF as received, fax.pdf, meta.json.
Mails that were neither a fax nor a report are in <stateDir>/other/, each with a note.json.

Examples:
  $ ifax inbox                        the last 50 faxes (tab-separated in a pipe)
  $ ifax inbox k3q9                   one fax by a part of its id: pages, resolution, files
  $ ifax inbox --json | jq '.faxes[0].pages'`,
    )
    .action(async (id: string | undefined, opts: { limit?: number }, command: Command) => {
      const out = outputFor(command);
      const loaded = await loadProfile(globalOptions(command), out, { allowMissing: true });
      const { resolveStateDir } = await import('../../store/state-dir.js');
      const { getInbox, listInbox } = await import('../../store/inbox.js');
      const stateDir = resolveStateDir(loaded.config.stateDir, { profileFile: loaded.filepath });
      out.debug(`state directory: ${stateDir}`);
      if (id !== undefined) {
        const e = getInbox(stateDir, id);
        const files = readdirSync(e.dir).filter((f) => !f.startsWith('.')).sort().map((f) => path.join(e.dir, f));
        out.result({ fax: e, files }, () => entryText(e, files));
        return;
      }
      const faxes = listInbox(stateDir, opts.limit ?? 50);
      if (faxes.length === 0 && !out.json) out.info(`no received faxes in ${stateDir}`);
      out.result({ faxes }, () =>
        faxes.map((e) => [e.id, e.receivedAt, String(e.pages.length), fromText(e), e.subject ?? ''].join('\t')).join('\n'),
      );
    });
}
