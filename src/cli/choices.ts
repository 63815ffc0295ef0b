/**
 * Options that take one of a list of values. CLI.md: values are taken case-insensitively
 * (`--resolution Fine`, `--paper a4`), and some have the other names people know them by
 * (`--compression G4`). commander's own `.choices()` compares exactly, so each such option
 * gets a parser that folds case and aliases onto the canonical value, and fails with
 * commander's own wording ("Allowed choices are ...") so every bad value reads the same.
 */
import { InvalidArgumentError, Option } from 'commander';
import { FAX_CODINGS, type FaxCoding } from '../fax/vocabulary.js';

/**
 * The names fax administrators use for the codings (CLI.md): Group 3 is T.4, whose 1-D
 * coding is MH and 2-D coding MR ("G3" alone means 1-D: every Group 3 machine has it, 2-D is
 * an option); Group 4 is T.6, MMR.
 */
export const CODING_ALIASES: Readonly<Record<string, FaxCoding>> = { G3: 'MH', 'G3-1D': 'MH', 'G3-2D': 'MR', G4: 'MMR' };

/**
 * A parser taking any case of `values` or of an alias's name and returning the canonical
 * value; anything else is InvalidArgumentError, which commander reports as a usage error (64).
 */
export function choiceParser<T extends string>(values: readonly T[], aliases: Readonly<Record<string, T>> = {}): (value: string) => T {
  const byKey = new Map<string, T>();
  for (const v of values) byKey.set(v.toLowerCase(), v);
  for (const [alias, v] of Object.entries(aliases)) byKey.set(alias.toLowerCase(), v);
  const aliasText = Object.entries(aliases).map(([a, v]) => `${a} = ${v}`);
  return (value: string): T => {
    const found = byKey.get(value.trim().toLowerCase());
    if (found !== undefined) return found;
    throw new InvalidArgumentError(`Allowed choices are ${values.join(', ')}${aliasText.length > 0 ? ` (also ${aliasText.join(', ')})` : ''}.`);
  };
}

/**
 * An option taking one of `values` (any case, or an alias). The choices still show in
 * `--help`, as `.choices()` would show them.
 */
export function choiceOption<T extends string>(flags: string, description: string, values: readonly T[], aliases: Readonly<Record<string, T>> = {}): Option {
  const option = new Option(flags, description).argParser(choiceParser(values, aliases));
  // What commander's help prints as "(choices: ...)": the canonical names (a description
  // mentions the aliases worth knowing); the parser above does the checking.
  option.argChoices = [...values];
  return option;
}

/** `--compression`: MH, MR, MMR, or G3, G3-1D, G3-2D, G4. */
export const codingOption = (flags: string, description: string): Option => choiceOption(flags, description, FAX_CODINGS, CODING_ALIASES);

/**
 * A parser for a whole-number option from `min` to `max` (digits only: no sign, no exponent);
 * anything else is InvalidArgumentError with `message` (a usage error, 64).
 */
export function wholeNumberParser(min: number, max: number, message = `A whole number from ${min} to ${max}.`): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d{1,9}$/.test(value) || n < min || n > max) throw new InvalidArgumentError(message);
    return n;
  };
}
