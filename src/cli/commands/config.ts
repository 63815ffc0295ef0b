/**
 * `ifax config`: the wizard (no subcommand, on a terminal) and the non-interactive
 * subcommands init, show, get, set, validate, path. This file parses flags and prints; the
 * work is src/config/commands.ts. Only light modules are imported here; the config library,
 * YAML and the prompts load when a subcommand runs.
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

/** `config set KEY -`: the value from standard input, without its final newline. */
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
    .option('--global', "write the user's profile, $XDG_CONFIG_HOME/ifax/config.yaml (~/.config/ifax/config.yaml): the one cron finds")
    .addHelpText(
      'after',
      examples([
        'ifax config init                          write ./.ifaxrc.yaml',
        'ifax config init --global                 write ~/.config/ifax/config.yaml (found from any folder)',
        'ifax --config /etc/ifax/office.yaml config init',
        'ifax config init --force                  start over (the old file is replaced)',
      ]) + '\n\nThe file is written with mode 0600: it may come to hold passwords.',
    )
    .action(async (opts: { force?: boolean; global?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { initProfile } = await import('../../config/commands.js');
      const { written } = await initProfile({ configPath: g.config, force: opts.force, global: opts.global });
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
      const { showSettings } = await import('../../config/commands.js');
      const shown = await showSettings({ configPath: g.config, profile: g.profile });
      printWarnings(out, shown.warnings);
      out.debug(`profile file: ${shown.filepath} (${shown.reasonText})`);
      for (const k of shown.fromEnv) out.debug(`${k}: from the environment`);
      const YAML = (await import('yaml')).default;
      out.result(shown.settings, () => `# ${shown.filepath}${shown.profile ? ` (profile ${shown.profile})` : ''}\n${YAML.stringify(shown.settings, { lineWidth: 0 })}`);
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
      const { getSetting } = await import('../../config/commands.js');
      const { formatValue } = await import('../../config/value.js');
      const { value, isSection, warnings } = await getSetting({ key, configPath: g.config, profile: g.profile });
      printWarnings(out, warnings);
      if (isSection) {
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
      const { setSetting } = await import('../../config/commands.js');
      const { formatValue } = await import('../../config/value.js');
      const done = await setSetting({ key, valueText, readStdin, configPath: g.config, profile: g.profile });
      printWarnings(out, done.warnings);
      out.result({ file: done.file, key: done.key, value: done.value }, `${done.key} = ${formatValue(done.value)}  (${done.file})`);
    });
}

function validateCommand(): Command {
  return new Command('validate')
    .description('check the profile file: every key, every named profile, the TLS files it names; exit 0 or 78 listing every problem')
    .option('--strict', 'a function switched on that cannot work (POP without pop.host, alerts without notify.adminEmail) is an error, not a warning')
    .addHelpText(
      'after',
      examples(['ifax config validate', 'ifax --config .ifaxrc.example config validate', 'ifax --profile office config validate --json', 'ifax --config deploy/site.yaml config validate --strict   (in a deploy script)']),
    )
    .action(async (opts: { strict?: boolean }, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { validateProfile } = await import('../../config/commands.js');
      const result = await validateProfile({ configPath: g.config, profile: g.profile ?? null, strict: opts.strict });
      printWarnings(out, result.warnings);
      if (!result.ok) throw result.error;
      const checked = result.profile ? `profile ${result.profile}` : result.profiles.length > 0 ? `top level and ${result.profiles.length} profile${result.profiles.length === 1 ? '' : 's'}: ${result.profiles.join(', ')}` : '';
      out.result(
        { valid: true, file: result.file, profile: result.profile, profiles: result.profiles, warnings: result.warnings },
        `${result.file}: valid${checked ? ` (${checked})` : ''}`,
      );
    });
}

function pathCommand(): Command {
  return new Command('path')
    .description("print which profile file is used and why, and the search order (project, user's, system's)")
    .addHelpText('after', examples(['ifax config path', 'ifax config path --json']))
    .action(async (_opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const { locateProfile } = await import('../../config/commands.js');
      const located = await locateProfile({ configPath: g.config });
      const order = located.searchOrder.map((p, i) => `  ${i + 1}. ${p}`).join('\n');
      const how = located.reason === 'config-option' ? '(given with --config: no search)' : `(${located.reasonText})`;
      out.result({ ...located, profile: g.profile ?? null }, `${located.file}\n${how}\nsearch order:\n${order}`);
    });
}

function testCommand(): Command {
  return new Command('test')
    .description('connect to the SMTP or POP server of the profile: TLS version, certificate and each check, mechanisms offered, login; each step marked')
    .argument('<service>', 'smtp or pop')
    .addHelpText('after', examples(['ifax config test smtp', 'ifax config test pop', 'ifax --profile branch config test smtp -vv   (with the protocol dialogue, passwords masked)', 'ifax config test smtp --json']))
    .action(async (service: string, _opts: unknown, cmd: Command) => {
      const out = outputFor(cmd);
      const g = globalOptions(cmd);
      const which = service.toLowerCase();
      if (which !== 'smtp' && which !== 'pop') {
        throw new IfaxError('USAGE', `config test failed: ${JSON.stringify(service)} is not a service ifax can test`, { hint: 'Use smtp or pop (ldap comes with directory search).' });
      }
      const { loadProfile } = await import('../profile.js');
      const { configTest } = await import('../server-test.js');
      await configTest(which, (await loadProfile(g, out)).config, out);
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
        'ifax config                               the wizard: the basic questions, or all settings',
        'ifax config --section smtp,auth           the wizard: only SMTP and SMTP AUTH',
        'ifax config init                          write a starter .ifaxrc.yaml',
        'ifax config set smtp.host mail.example.com',
        'ifax config validate                      exit 0, or 78 with every problem',
      ]) + '\n\nPasswords can come from the environment instead of the file:\nIFAX_SMTP_PASSWORD, IFAX_POP_PASSWORD, IFAX_LDAP_PASSWORD.',
    )
    .action(async (opts: { section?: string }, command: Command) => {
      const g = globalOptions(command);
      let sections: string[] | undefined;
      if (opts.section !== undefined) {
        const { parseSections } = await import('../../config/commands.js');
        sections = parseSections(opts.section);
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
  cmd.addCommand(testCommand());
  return cmd;
}
