/**
 * The `ifax config` wizard: the sections of SETTINGS.md in order (or the ones asked for),
 * each answer checked in place by the schema, then the rules between keys on the whole
 * profile (asking again for what they need), a summary with passwords masked, and a
 * confirm. It returns the changes; the caller writes them (edit.ts). Pure: no `node:`
 * imports; prompts and output are passed in.
 */
import { SECRET_MASK } from '../../secrets.js';
import type { Change } from '../edit.js';
import { isSecretKey, keyInfo, splitProfileKey } from '../keys.js';
import { clone, getIn, setIn } from '../merge.js';
import { problemText, type Problem } from '../messages.js';
import { formatValue } from '../value.js';
import { askEnvelopeFrom, askKey, askResolutions, type AskContext } from './ask.js';
import type { WizardPrompts } from './prompts.js';
import { BASIC, SECTIONS, type Step } from './sections.js';
import { askDefaultSender, askSenderNames } from './sender-names.js';

export interface WizardOptions {
  prompts: WizardPrompts;
  /** The settings before the wizard: defaults, file, named profile (no environment). */
  current: Record<string, unknown>;
  /** Section ids to ask (`--section`); without, the wizard offers the basic path or all sections. */
  sections?: readonly string[];
  /** Without `sections`: skip the question, take this path. */
  path?: 'basic' | 'all';
  /** Keys the environment overrides (IFAX_*_PASSWORD). */
  fromEnv?: readonly string[];
  /** Where the wizard's text goes (summary, problems): the terminal. */
  print: (line: string) => void;
  /** Where the answers will be written, for the summary. */
  target: string;
  /** The key of the file a setting is written to (profiles.NAME.KEY under --profile). */
  fileKey?: (key: string) => string;
  /** The problems of the whole file with these changes applied ([] = valid). */
  check: (changes: Change[]) => Problem[];
  /** Rounds of "fix these now?" before giving up. */
  maxFixRounds?: number;
  /** A check beyond the schema for one answer (ask.ts), e.g. that a TLS file exists. */
  checkKey?: (key: string, value: unknown) => string | null;
  /**
   * What the profile with these changes would warn about (functions switched on that cannot
   * work, doubtful settings): shown before the confirm, so the admin can go back instead.
   */
  warnings?: (changes: Change[]) => string[];
}

export interface WizardResult {
  /** The changes to write, by file key. */
  changes: Change[];
  /** The user confirmed the write. */
  confirmed: boolean;
  /** Problems left when the user gave up fixing them. */
  problems: Problem[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Run the wizard. Rejects with the prompt library's error when the user presses Ctrl-C. */
export async function runWizard(options: WizardOptions): Promise<WizardResult> {
  const original = clone(options.current);
  let values = clone(options.current);
  const changes = new Map<string, { key: string; value: unknown }>();
  const toFile = options.fileKey ?? ((k: string) => k);
  const get = (key: string) => getIn(values, key.split('.'));
  const ctx: AskContext = { prompts: options.prompts, get, fromEnv: options.fromEnv ?? [], print: options.print, checkKey: options.checkKey };

  const record = (key: string, value: unknown, fileKey = toFile(key)) => {
    values = setIn(values, key.split('.'), value);
    if (same(value, getIn(original, key.split('.'))) && fileKey === toFile(key)) changes.delete(fileKey);
    else changes.set(fileKey, { key, value });
  };
  const list = (): Change[] => [...changes.entries()].map(([key, c]) => ({ key, value: c.value }));

  const askStep = async (step: Step, required?: string, fileKey?: string) => {
    if ('key' in step) return record(step.key, await askKey(step.key, ctx, required), fileKey);
    switch (step.custom) {
      case 'senderNames': {
        const r = await askSenderNames(ctx);
        record('header.senderNames', r.names);
        return record('header.defaultSender', r.defaultSender);
      }
      case 'defaultSender':
        return record('header.defaultSender', await askDefaultSender(ctx), fileKey);
      case 'envelopeFrom':
        return record('smtp.envelopeFrom', await askEnvelopeFrom(ctx), fileKey);
      case 'resolutions':
        return record('receiveCaps.resolutions', await askResolutions(ctx), fileKey);
    }
  };

  let chosen = options.sections ? SECTIONS.filter((s) => options.sections!.includes(s.id)) : null;
  if (!chosen) {
    const way =
      options.path ??
      (await options.prompts.select<'basic' | 'all'>({
        message: 'What to set up?',
        choices: [
          { name: `Basic: station, sending, receiving (about ${BASIC.steps.length} questions; the rest keeps its defaults)`, value: 'basic' },
          { name: 'All settings, section by section', value: 'all' },
        ],
        default: 'basic',
      }));
    chosen = way === 'basic' ? [BASIC] : SECTIONS;
    if (way === 'basic') options.print(`Other settings keep their defaults; later: 'ifax config --section NAME' (${SECTIONS.map((s) => s.id).join(', ')}), or all settings.`);
  }
  for (const section of chosen) {
    options.print(`\n== ${section.title} ==`);
    for (const step of section.steps) {
      if (step.when && !step.when(get)) continue;
      await askStep(step);
    }
  }

  // The rules between keys, on the whole file: ask again for what they name.
  const rounds = options.maxFixRounds ?? 5;
  for (let round = 0; ; round++) {
    const problems = options.check(list());
    if (problems.length === 0) break;
    options.print('\nThe profile is not valid yet:');
    for (const p of problems) options.print(`  ${problemText(p)}`);
    const fixable = problems.filter((p) => stepFor(splitProfileKey(p.key).key) !== undefined);
    const again = fixable.length > 0 && round < rounds && (await options.prompts.confirm({ message: 'Fix them now? (No: quit without writing)', default: true }));
    if (!again) return { changes: list(), confirmed: false, problems };
    for (const p of fixable) {
      const key = splitProfileKey(p.key).key;
      await askStep(stepFor(key)!, p.message, p.key);
    }
  }

  const final = list();
  if (final.length === 0) {
    options.print('\nNo changes.');
    return { changes: [], confirmed: false, problems: [] };
  }
  const warnings = options.warnings?.(final) ?? [];
  if (warnings.length > 0) {
    options.print('\nWarnings (the profile is valid, but):');
    for (const w of warnings) options.print(`  ${w}`);
  }
  options.print(`\nChanges for ${options.target}:`);
  // Keys in one column; a key longer than the column (profiles.NAME.ifaxAdvanced...) gets
  // a line of its own, so that one long key does not push every value to the right.
  const width = Math.min(Math.max(...[...changes.keys()].map((k) => k.length)), SUMMARY_KEY_WIDTH);
  for (const [fileKey, c] of changes) {
    const change = `${shown(c.key, getIn(original, c.key.split('.')))} -> ${shown(c.key, c.value)}`;
    options.print(fileKey.length > width ? `  ${fileKey}:\n  ${' '.repeat(width + 2)}${change}` : `  ${`${fileKey}:`.padEnd(width + 2)}${change}`);
  }
  const confirmed = await options.prompts.confirm({ message: `Write ${final.length} change${final.length === 1 ? '' : 's'} to ${options.target}?`, default: true });
  return { changes: final, confirmed, problems: [] };
}

/** The step that asks for `key` when a problem names it. */
function stepFor(key: string): Step | undefined {
  if (key === 'header.senderNames') return { custom: 'senderNames' };
  if (key === 'header.defaultSender') return { custom: 'defaultSender' };
  if (key === 'smtp.envelopeFrom') return { custom: 'envelopeFrom' };
  if (key === 'receiveCaps.resolutions') return { custom: 'resolutions' };
  const info = keyInfo(key);
  return info && info.meta.kind !== 'section' && info.meta.kind !== 'profiles' ? { key } : undefined;
}

/** The widest key column of the summary: the longest setting key (without profiles.NAME.) fits. */
const SUMMARY_KEY_WIDTH = 40;

/** A value for the summary: passwords as ********, an empty list as (none). */
function shown(key: string, v: unknown): string {
  if (isSecretKey(key)) return v === null || v === undefined ? 'null' : SECRET_MASK;
  if (Array.isArray(v) && v.length === 0) return '(none)';
  return formatValue(v);
}
