/**
 * `ifax config`: the wizard (no subcommand, on a terminal) and the non-interactive
 * subcommands init, show, get, set, validate, path. Only light modules are imported here;
 * the config library, YAML and the prompts load when a subcommand runs.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { IfaxError } from '../../errors.js';
import { globalOptions, outputFor } from '../context.js';
import type { Output } from '../output.js';

const SECTION_LIST = 'ifax, device, header, smtp, tls, auth, pop-before-smtp, pop, advanced, receive-caps, compression, ldap, notify, send';

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}

function printWarnings(out: Output, warnings: readonly string[]): void {
  for (const w of warnings) out.warn(w);
}

/** Resolve a key typed on the command line: a setting, or profiles.NAME.setting. */
async function resolveKey(key: string, operation: string, allowSection: boolean) {
  const { keyInfo, suggestKey } = await import('../../config/keys.js');
  const { PROFILE_NAME } = await import('../../config/schema.js');
  let profile: string | null = null;
  let bare = key;
  const m = /^profiles\.([^.]+)\.(.+)$/.exec(key);
  if (m) {
    if (!PROFILE_NAME.test(m[1])) throw new IfaxError('USAGE', `${operation} failed: ${JSON.stringify(m[1])} is not a profile name (letters, digits, "-", "_", ".")`);
    profile = m[1];
    bare = m[2];
  }
  if (key === 'profiles' || key.startsWith('profiles.') && !m) {
    throw new IfaxError('USAGE', `${operation} failed: ${JSON.stringify(key)} is not a setting; name one inside a profile, e.g. profiles.office.smtp.host`, {
      hint: "'ifax --profile NAME config show' prints a named profile's settings",
    });
  }
  const info = keyInfo(bare);
  if (!info) {
    const hint = suggestKey(key);
    throw new IfaxError('USAGE', `${operation} failed: unknown key ${JSON.stringify(key)}${hint ? `; did you mean ${hint}?` : ''}`, {
      hint: "'ifax config show' lists every key with its value; .ifaxrc.example describes them",
      context: { key, suggestion: hint },
    });
  }
  if (info.meta.kind === 'section' && !allowSection) {
    const { listKeys } = await import('../../config/keys.js');
    const inside = listKeys().filter((k) => k.key.startsWith(`${bare}.`)).map((k) => k.key);
    throw new IfaxError('USAGE', `${operation} failed: ${key} is a group of settings; name one of them: ${inside.slice(0, 8).join(', ')}${inside.length > 8 ? ', ...' : ''}`);
  }
  return { info, profile, bare };
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  } catch (err) {
    throw new IfaxError('INPUT_NOT_FOUND', 'config set failed: cannot read the value from standard input', { cause: err });
  }
}

function initCommand(): Command {
  return new Command('init')
    .description('write a starter profile: every setting with its default and a comment (mode 0600)')
    .option('--force', 'overwrite an existing file')
    .addHelpText(
      'after',
      examples([
        'ifax config init                          write ./.ifaxrc.yaml',
        'ifax --config /etc/ifax/office.yaml config init',
        'ifax config init --force                  start over (the old file is replaced)',
      ]) + '\n\nThe file is written with mode 0600: it may come to hold passwords.',
    )
    .action(async (opts: { force?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const path = await import('node:path');
      const { existsSync } = await import('node:fs');
      const { renderExample } = await import('../../config/example.js');
      const { rawDefaults } = await import('../../config/keys.js');
      const { atomicWrite, PROFILE_MODE } = await import('../../config/write.js');
      const target = path.resolve(g.config ?? '.ifaxrc.yaml');
      if (/\.(?:[cm]?js|[cm]?ts)$/i.test(target)) {
        throw new IfaxError('USAGE', `config init failed: ${target}: init writes YAML or JSON profiles`, { hint: 'name a .yaml, .yml or .json file' });
      }
      if (existsSync(target) && !opts.force) {
        throw new IfaxError('OUTPUT_FAILED', `config init failed: ${target} exists`, {
          hint: "use --force to overwrite it, or change single settings with 'ifax config set KEY VALUE'",
          context: { file: target },
        });
      }
      const text = /\.json$/i.test(target) ? JSON.stringify(rawDefaults(), null, 2) + '\n' : renderExample({ starter: true });
      const written = await atomicWrite(target, text, { mode: PROFILE_MODE, exclusive: !opts.force });
      out.result({ written, mode: '0600' }, `wrote ${written} (mode 0600)\nnext: 'ifax config' (wizard) or 'ifax config set KEY VALUE'; check with 'ifax config validate'`);
    });
}

function showCommand(): Command {
  return new Command('show')
    .description('print the effective profile (defaults, file, --profile, environment); passwords as ********')
    .addHelpText(
      'after',
      examples(['ifax config show', 'ifax config show --profile branch', 'ifax config show --json | jq .smtp']),
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { loadConfig } = await import('../../config/load.js');
      const { maskSecrets } = await import('../../config/mask.js');
      const loaded = await loadConfig({ configPath: g.config, profile: g.profile });
      printWarnings(out, loaded.warnings);
      out.debug(`profile file: ${loaded.filepath} (${loaded.reasonText})`);
      for (const k of loaded.fromEnv) out.debug(`${k}: from the environment`);
      const masked = maskSecrets(loaded.config);
      const YAML = (await import('yaml')).default;
      out.result(masked, () => `# ${loaded.filepath}${loaded.profile ? ` (profile ${loaded.profile})` : ''}\n${YAML.stringify(masked, { lineWidth: 0 })}`);
    });
}

function getCommand(): Command {
  return new Command('get')
    .description('print the effective value of one setting (a password prints as ********)')
    .argument('<key>', 'dotted key, e.g. smtp.host')
    .addHelpText('after', examples(['ifax config get smtp.host', 'ifax config get smtp.certVerify', 'ifax --profile branch config get device.name --json']))
    .action(async (key: string, _opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { info, profile } = await resolveKey(key, 'config get', true);
      const { loadConfig } = await import('../../config/load.js');
      const { getIn } = await import('../../config/merge.js');
      const { maskSecrets } = await import('../../config/mask.js');
      const { formatValue } = await import('../../config/value.js');
      const loaded = await loadConfig({ configPath: g.config, profile: profile ?? g.profile });
      printWarnings(out, loaded.warnings);
      const value = getIn(maskSecrets(loaded.config), info.path);
      if (info.meta.kind === 'section') {
        const YAML = (await import('yaml')).default;
        out.result({ key, value }, () => YAML.stringify(value, { lineWidth: 0 }));
      } else {
        out.result({ key, value }, formatValue(value));
      }
    });
}

function setCommand(): Command {
  return new Command('set')
    .description('set one setting in the profile file, keeping its format and comments')
    .argument('<key>', 'dotted key, e.g. smtp.port, or profiles.NAME.KEY')
    .argument('<value>', "the value: true/false, a number, null, a list (a,b or JSON), text; '-' reads it from stdin")
    .addHelpText(
      'after',
      examples([
        'ifax config set smtp.host mail.example.com',
        'ifax config set smtp.port 587',
        'ifax config set smtp.auth.methods CRAM-MD5,LOGIN',
        'ifax config set header.senderNames \'["Sales","Support"]\'',
        'ifax config set device.name null                  unset',
        'ifax --profile branch config set smtp.host mail.branch.example.com',
        "printf %s \"$PW\" | ifax config set smtp.auth.password -    (keeps it out of ps and history)",
      ]) +
        '\n\nThe whole profile is validated before anything is written (exit 78 if the result would be invalid);\nthe file is replaced atomically and keeps its mode (0600 when it holds a password).',
    )
    .action(async (key: string, valueText: string, _opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { info, profile: keyProfile } = await resolveKey(key, 'config set', false);
      const { parseValue } = await import('../../config/value.js');
      const { registerSecret, SECRET_MASK } = await import('../../secrets.js');
      const secret = info.meta.secret === true;
      const fromStdin = valueText === '-';
      const text = fromStdin ? readStdin() : valueText;
      if (secret) registerSecret(text);
      const value = parseValue(info.meta, text);
      const { openForEdit, fileKey, checkChanges, commitChanges } = await import('../../config/edit.js');
      const { problemText } = await import('../../config/messages.js');
      const { formatValue } = await import('../../config/value.js');
      const session = await openForEdit({ configPath: g.config, profile: keyProfile !== null ? null : g.profile });
      const target = fileKey(session, key);
      const changes = [{ key: target, value }];
      const check = checkChanges(session, changes, process.env);
      if (!check.ok) {
        throw new IfaxError('CONFIG_INVALID', `config set failed: ${session.filepath} would not be valid; nothing written:\n  ${check.problems.map(problemText).join('\n  ')}`, {
          hint: `'${info.key}' and its limit are described in .ifaxrc.example (and 'ifax config set --help')`,
          context: { file: session.filepath, key: target, problems: check.problems },
        });
      }
      const done = await commitChanges(session, changes);
      if (secret && !fromStdin) out.warn(`a password on the command line shows in ps and shell history; prefer ${info.meta.env ?? 'the environment'} or '-' (read from stdin)`);
      if (done.tightened) out.warn(`${done.filepath} now holds a password: its mode is now ${done.mode.toString(8).padStart(4, '0')}`);
      const shown = secret && value !== null ? SECRET_MASK : value;
      out.result({ file: done.filepath, key: target, value: shown }, `${target} = ${formatValue(shown)}  (${done.filepath})`);
    });
}

function validateCommand(): Command {
  return new Command('validate')
    .description('check the profile file: every key, every named profile; exit 0 or 78 listing every problem')
    .addHelpText('after', examples(['ifax config validate', 'ifax --config .ifaxrc.example config validate', 'ifax --profile office config validate --json']))
    .action(async (_opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const load = await import('../../config/load.js');
      const { validateConfig } = await import('../../config/validate.js');
      const located = await load.locateConfig({ configPath: g.config });
      if (!located) throw load.notFoundError(process.cwd());
      const file = await load.readProfile(located);
      load.registerSecrets(file.raw, process.env);
      const result = validateConfig(file.raw, { profile: g.profile ?? null, env: process.env });
      const perm = load.permissionWarning(file.filepath, file.mode, file.raw);
      const warnings = [...(file.raw === undefined ? [`${file.filepath} is empty: every setting takes its default`] : []), ...(perm ? [perm] : []), ...result.warnings];
      if (!result.ok) {
        printWarnings(out, warnings.filter((w) => w === perm));
        throw load.invalidError(result, file.filepath, 'config validate');
      }
      printWarnings(out, warnings);
      const checked = result.profile ? `profile ${result.profile}` : result.profiles.length > 0 ? `top level and ${result.profiles.length} profile${result.profiles.length === 1 ? '' : 's'}: ${result.profiles.join(', ')}` : '';
      out.result(
        { valid: true, file: file.filepath, profile: result.profile, profiles: result.profiles, warnings },
        `${file.filepath}: valid${checked ? ` (${checked})` : ''}`,
      );
    });
}

function pathCommand(): Command {
  return new Command('path')
    .description('print which profile file is used and why (--config, search from the working directory, package.json key)')
    .addHelpText('after', examples(['ifax config path', 'ifax config path --json']))
    .action(async (_opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const load = await import('../../config/load.js');
      const { existsSync } = await import('node:fs');
      const located = await load.locateConfig({ configPath: g.config });
      if (!located) throw load.notFoundError(process.cwd());
      if (!existsSync(located.filepath)) {
        throw new IfaxError('CONFIG_NOT_FOUND', `config path failed: ${located.filepath} (given with --config) does not exist`, { hint: "write it with 'ifax config init'" });
      }
      const why = load.reasonText(located.reason, located.searchedFrom);
      out.result(
        { file: located.filepath, reason: located.reason, reasonText: why, format: located.format, searchedFrom: located.searchedFrom, profile: g.profile ?? null },
        `${located.filepath}\n(${why})`,
      );
    });
}

/** `ifax config`: the wizard, and its non-interactive subcommands. */
export function configCommand(): Command {
  const cmd = new Command('config')
    .description('set up the profile: the wizard (on a terminal), or init|show|get|set|validate|path')
    .option('--section <names>', `wizard: only these sections, comma-separated (${SECTION_LIST})`)
    .addHelpText(
      'after',
      examples([
        'ifax config                               the wizard: every section in order',
        'ifax config --section smtp,auth           the wizard: only SMTP and SMTP AUTH',
        'ifax config init                          write a starter .ifaxrc.yaml',
        'ifax config set smtp.host mail.example.com',
        'ifax config validate                      exit 0, or 78 with every problem',
      ]) + '\n\nPasswords can come from the environment instead of the file:\nIFAX_SMTP_PASSWORD, IFAX_POP_PASSWORD, IFAX_LDAP_PASSWORD.',
    )
    .action(async (opts: { section?: string }, command: Command) => {
      const g = globalOptions(command);
      const { SECTION_IDS } = await import('../../config/wizard/sections.js');
      let sections: string[] | undefined;
      if (opts.section !== undefined) {
        sections = opts.section.split(',').map((s) => s.trim()).filter(Boolean);
        const { nearest } = await import('../../config/suggest.js');
        for (const s of sections) {
          if (!SECTION_IDS.includes(s)) {
            const near = nearest(s, SECTION_IDS);
            throw new IfaxError('USAGE', `config wizard failed: unknown section ${JSON.stringify(s)}${near ? `; did you mean ${near}?` : ''}`, { hint: `sections: ${SECTION_IDS.join(', ')}` });
          }
        }
      }
      if (g.json) {
        throw new IfaxError('USAGE', 'config wizard failed: the wizard is interactive and prints no JSON', {
          hint: '--json works with config init|show|get|set|validate|path',
        });
      }
      if (!process.stdin.isTTY) {
        throw new IfaxError('NOT_A_TTY', 'config wizard failed: standard input is not a terminal', {
          hint: "set keys with 'ifax config set KEY VALUE', or write a starter profile with 'ifax config init'",
        });
      }
      const { runWizardSession } = await import('../../config/wizard/session.js');
      const { inquirerPrompts } = await import('../../config/wizard/prompts.js');
      const out = outputFor(command);
      try {
        const r = await runWizardSession({
          prompts: await inquirerPrompts(),
          configPath: g.config,
          profile: g.profile ?? null,
          sections,
          print: (line) => process.stdout.write(line + '\n'),
        });
        if (r.written) {
          if (r.written.tightened) out.warn(`${r.written.filepath} now holds a password: its mode is now 0600`);
          out.result({ written: r.written.filepath, changes: r.changes }, `wrote ${r.written.filepath} (${r.changes} change${r.changes === 1 ? '' : 's'})`);
        } else {
          out.result({ written: null, changes: 0 }, 'nothing written');
        }
      } catch (err) {
        if (err instanceof Error && err.name === 'ExitPromptError') {
          throw new IfaxError('USAGE', 'config wizard cancelled: nothing written');
        }
        throw err;
      }
    });
  cmd.addCommand(initCommand());
  cmd.addCommand(showCommand());
  cmd.addCommand(getCommand());
  cmd.addCommand(setCommand());
  cmd.addCommand(validateCommand());
  cmd.addCommand(pathCommand());
  return cmd;
}
