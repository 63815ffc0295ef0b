/**
 * The sender-name list of the wizard: add, edit and delete names (numbered from 1, as the
 * device and `send --sender N` count them), then pick the default one. Deleting a name
 * renumbers the ones after it, and the default follows its name. Pure: no `node:` imports.
 */
import { keyInfo } from '../keys.js';
import { checkValue, label, type AskContext } from './ask.js';

export interface SenderAnswer {
  names: string[];
  defaultSender: number;
}

/** Check one name as an entry of the list (the schema's message, without "entry N"). */
function nameValidator(names: string[], index: number) {
  const info = keyInfo('header.senderNames')!;
  return (text: string): true | string => {
    const list = [...names];
    list[index] = text;
    const r = checkValue(info, list);
    return r === true ? true : r.replace(/ \(entry \d+\)$/, '');
  };
}

/** Run the add/edit/delete loop; resolves to the new list and default number. */
export async function askSenderNames(ctx: AskContext): Promise<SenderAnswer> {
  const info = keyInfo('header.senderNames')!;
  const max = 20;
  let names = [...((ctx.get('header.senderNames') as string[]) ?? [])];
  let def = Number(ctx.get('header.defaultSender') ?? 1);
  for (;;) {
    ctx.print(names.length === 0 ? '  Sender names: (none)' : names.map((n, i) => `  ${i + 1}. ${n}${i + 1 === def ? '  (default)' : ''}`).join('\n'));
    const action = await ctx.prompts.select<string>({
      message: label(info),
      choices: [
        ...(names.length < max ? [{ name: 'Add a name', value: 'add' }] : []),
        ...names.map((n, i) => ({ name: `Edit ${i + 1}. ${n}`, value: `edit:${i}` })),
        ...names.map((n, i) => ({ name: `Delete ${i + 1}. ${n}`, value: `delete:${i}` })),
        { name: 'Done', value: 'done' },
      ],
      default: 'done',
      pageSize: 12,
    });
    if (action === 'done') break;
    if (action === 'add') {
      const name = await ctx.prompts.input({ message: `Sender name ${names.length + 1}`, validate: nameValidator(names, names.length) });
      names = [...names, name];
      continue;
    }
    const [verb, n] = action.split(':');
    const i = Number(n);
    if (verb === 'edit') {
      const name = await ctx.prompts.input({ message: `Sender name ${i + 1}`, default: names[i], validate: nameValidator(names, i) });
      names = names.map((old, j) => (j === i ? name : old));
    } else {
      names = names.filter((_, j) => j !== i);
      if (def > i + 1) def -= 1;
      else if (def === i + 1) def = 1;
    }
  }
  if (names.length === 0) def = 1;
  return { names, defaultSender: Math.min(Math.max(def, 1), Math.max(names.length, 1)) };
}

/** Pick the default sender among the registered names (nothing to ask without names). */
export async function askDefaultSender(ctx: AskContext): Promise<number> {
  const names = (ctx.get('header.senderNames') as string[]) ?? [];
  const current = Number(ctx.get('header.defaultSender') ?? 1);
  if (names.length === 0) return current;
  return ctx.prompts.select<number>({
    message: label(keyInfo('header.defaultSender')!),
    choices: names.map((n, i) => ({ name: `${i + 1}. ${n}`, value: i + 1 })),
    default: current <= names.length ? current : 1,
    pageSize: 12,
  });
}
