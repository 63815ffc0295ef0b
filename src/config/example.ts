/**
 * `.ifaxrc.example`, generated from the schema: every key with its default and a one-line
 * comment (description, rule, deviation). `npm run gen:example` writes it; a test compares
 * the committed file with this output, so the two cannot drift. `ifax config init` writes
 * the same text as a starter profile. Pure: no `node:` imports.
 */
import YAML from 'yaml';
import type { z } from 'zod';
import { keyMeta, type KeyMeta } from './fields.js';
import { profilesInfo, rawDefaults } from './keys.js';
import { getIn } from './merge.js';
import { settingsShape } from './schema.js';

const HEADER = `# ifax profile: every setting with its default and a one-line comment.
# Generated from src/config/schema.ts by \`npm run gen:example\`; do not edit by hand.
# Copy it to .ifaxrc.yaml (or run \`ifax config init\`), keep what you change, check with
# \`ifax config validate\`. null means "not set". Passwords: prefer the environment
# (IFAX_SMTP_PASSWORD, IFAX_POP_PASSWORD, IFAX_LDAP_PASSWORD); a file that holds one must
# be readable by you alone (chmod 600).
`;

const STARTER_HEADER = `# ifax profile, written by \`ifax config init\`: every setting with its default.
# Change values here, with \`ifax config set KEY VALUE\` or the wizard (\`ifax config\`);
# check with \`ifax config validate\`. null means "not set". Passwords: prefer the
# environment (IFAX_SMTP_PASSWORD, IFAX_POP_PASSWORD, IFAX_LDAP_PASSWORD); keep this file
# readable by you alone (chmod 600).
`;

function scalar(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(scalar).join(', ')}]`;
  return YAML.stringify(v).trimEnd();
}

function comment(meta: KeyMeta): string {
  let line = meta.description;
  if (meta.rule && meta.kind !== 'boolean' && meta.kind !== 'section') line += `; ${meta.rule}`;
  if (meta.deviation) line += `. Deviation: ${meta.deviation}`;
  return line + '.';
}

function render(shape: Record<string, z.ZodType>, path: string[], indent: string, lines: string[], defaults: Record<string, unknown>): void {
  for (const [name, schema] of Object.entries(shape)) {
    const meta = keyMeta.get(schema)!;
    const here = [...path, name];
    if (meta.kind === 'section') {
      if (path.length === 0) lines.push('');
      lines.push(`${indent}# ${meta.description}`);
      lines.push(`${indent}${name}:`);
      const inner = (schema as unknown as z.ZodPrefault<z.ZodObject>).unwrap();
      render(inner.shape as Record<string, z.ZodType>, here, indent + '  ', lines, defaults);
    } else {
      if (path.length === 0) lines.push('');
      lines.push(`${indent}# ${comment(meta)}`);
      lines.push(`${indent}${name}: ${scalar(getIn(defaults, here))}`);
    }
  }
}

/** The text of `.ifaxrc.example` (or, with `starter`, of the profile `ifax config init` writes). */
export function renderExample(options: { starter?: boolean } = {}): string {
  const lines: string[] = [(options.starter ? STARTER_HEADER : HEADER).trimEnd()];
  render(settingsShape as unknown as Record<string, z.ZodType>, [], '', lines, rawDefaults());
  const p = profilesInfo().meta;
  lines.push(
    '',
    `# ${p.description}.`,
    '# For example:',
    '#   office:',
    '#     smtp: { host: mail.example.com, port: 587, tls: starttls }',
    '#   branch:',
    '#     device: { name: branch-fax, email: fax-branch@example.com }',
    'profiles: {}',
    '',
  );
  return lines.join('\n');
}
