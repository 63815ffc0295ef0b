/**
 * Drives the wizard without a terminal: every prompt the wizard asks is rendered by the real
 * @inquirer/prompts function through @inquirer/testing's render(), and answered by the next
 * step of a script (keystrokes), after checking the prompt is the one the script expects.
 */
import { render } from '@inquirer/testing';
import { checkbox, confirm, input, password, select } from '@inquirer/prompts';
import type { WizardPrompts } from '../../src/config/wizard/prompts.js';

type Rendered = Awaited<ReturnType<typeof render>>;

export interface Step {
  /** The prompt's message must match this (the key in brackets, usually). */
  match: RegExp;
  /** Keystrokes that answer it. */
  act: (r: Rendered) => Promise<void> | void;
}

export interface Driver {
  prompts: WizardPrompts;
  /** Every prompt asked, by message, in order. */
  asked: string[];
  /** The screens seen after each answer. */
  screens: string[];
  /** Scripted steps not used. */
  left(): number;
}

/**
 * Prompts answered from `steps`. A prompt that has no step is answered with Enter (keep
 * the default), unless `strict`, when it fails the test.
 */
export function drive(steps: Step[], options: { strict?: boolean } = {}): Driver {
  const queue = [...steps];
  const asked: string[] = [];
  const screens: string[] = [];
  const run = async <T>(fn: (config: never) => Promise<T>, config: { message: string }): Promise<T> => {
    asked.push(config.message);
    const r = (await render(fn as never, config as never)) as Rendered;
    const next = queue[0];
    if (next && next.match.test(config.message)) {
      queue.shift();
      await next.act(r);
    } else if (options.strict) {
      throw new Error(`no scripted answer for prompt: ${config.message}`);
    } else {
      r.events.keypress('enter');
    }
    const answer = (await r.answer) as T;
    screens.push(r.getScreen());
    return answer;
  };
  const prompts: WizardPrompts = {
    input: (c) => run(input as never, c),
    password: (c) => run(password as never, c),
    confirm: (c) => run(confirm as never, c),
    select: (c) => run(select as never, c),
    checkbox: (c) => run(checkbox as never, c),
  };
  return { prompts, asked, screens, left: () => queue.length };
}

/** Type `text` and press Enter. */
export const type = (text: string) => (r: Rendered) => {
  r.events.type(text);
  r.events.keypress('enter');
};

/** Press Enter: keep the default. */
export const enter = () => (r: Rendered) => r.events.keypress('enter');

/** Answer a confirm. */
export const yes = () => type('y');
export const no = () => type('n');

/** Move a select's cursor to the choice whose line contains `name`, then Enter. */
export const choose = (name: string) => (r: Rendered) => {
  for (let i = 0; i < 40; i++) {
    const active = r.getScreen().split('\n').find((l) => l.startsWith('❯'));
    if (active && active.slice(1).trim() === name) {
      r.events.keypress('enter');
      return;
    }
    r.events.keypress('down');
  }
  throw new Error(`no choice ${name} in:\n${r.getScreen()}`);
};

/** Set a checkbox so that exactly `names` are checked, then Enter. */
export const checkOnly = (names: string[]) => (r: Rendered) => {
  const lines = () => r.getScreen().split('\n').filter((l) => /[◉◯]/.test(l));
  const count = lines().length;
  for (let i = 0; i < count; i++) {
    const line = lines()[i];
    const name = line.replace(/^[❯ ]?[◉◯]\s*/, '').trim();
    const checked = line.includes('◉');
    if (checked !== names.includes(name)) r.events.keypress('space');
    r.events.keypress('down');
  }
  r.events.keypress('enter');
};

/**
 * Type a wrong answer, check the prompt shows `message` (the schema's) and stays open,
 * then erase it and type the right one.
 */
export const correctedInPlace = (wrong: string, message: RegExp, right: string, seen?: string[]) => async (r: Rendered) => {
  r.events.type(wrong);
  r.events.keypress('enter');
  await r.nextRender();
  const screen = r.getScreen();
  seen?.push(screen);
  if (!message.test(screen)) throw new Error(`expected ${message} on screen:\n${screen}`);
  for (let i = 0; i < wrong.length; i++) r.events.keypress('backspace');
  r.events.type(right);
  r.events.keypress('enter');
};
