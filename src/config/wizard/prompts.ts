/**
 * The prompt functions the wizard asks with. They are passed in, so tests drive the wizard
 * with @inquirer/testing or scripted answers, and the CLI loads @inquirer/prompts only when
 * the wizard actually runs. The shapes are the subset of @inquirer/prompts we use.
 */

export interface Choice<V> {
  name: string;
  value: V;
  description?: string;
  checked?: boolean;
}

type Validate<T> = (value: T) => boolean | string | Promise<string | boolean>;

export interface WizardPrompts {
  input(config: { message: string; default?: string; validate?: Validate<string>; theme?: { validationFailureMode?: 'keep' | 'clear' } }): Promise<string>;
  password(config: { message: string; mask?: string | boolean; validate?: Validate<string> }): Promise<string>;
  confirm(config: { message: string; default?: boolean }): Promise<boolean>;
  select<V>(config: { message: string; choices: ReadonlyArray<Choice<V>>; default?: V; pageSize?: number }): Promise<V>;
  checkbox<V>(config: { message: string; choices: ReadonlyArray<Choice<V>>; validate?: Validate<ReadonlyArray<{ value: V }>> }): Promise<V[]>;
}

/** The real prompts, loaded on first use (ESM-only, and not needed by any other command). */
export async function inquirerPrompts(): Promise<WizardPrompts> {
  const p = await import('@inquirer/prompts');
  return {
    input: (c) => p.input(c),
    password: (c) => p.password(c),
    confirm: (c) => p.confirm(c),
    select: (c) => p.select(c),
    checkbox: (c) => p.checkbox(c),
  };
}
