import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { renderExample } from '../../src/config/example.js';
import { validateConfig } from '../../src/config/validate.js';
import { getIn } from '../../src/config/merge.js';
import { listKeys } from '../../src/config/keys.js';
import { SETTINGS_KEYS } from './settings-keys.js';

const committed = readFileSync(new URL('../../.ifaxrc.example', import.meta.url), 'utf8');

describe('.ifaxrc.example', () => {
  test('is what the schema generates (run `npm run gen:example` after changing the schema)', () => {
    expect(committed).toBe(renderExample());
  });

  test('is valid YAML that validates without problems or warnings', () => {
    const r = validateConfig(YAML.parse(committed));
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  test.each(SETTINGS_KEYS.map(([k]) => [k]))('has %s with a one-line comment above it', (key) => {
    const doc = YAML.parse(committed) as Record<string, unknown>;
    expect(getIn(doc, key.split('.'))).not.toBeUndefined();
    const name = key.split('.').pop()!;
    const lines = committed.split('\n');
    const i = lines.findIndex((l, n) => new RegExp(`^\\s*${name}:`).test(l) && lines[n - 1].trim().startsWith('#'));
    expect(i).toBeGreaterThan(0);
  });

  test('gives every key its schema default', () => {
    const doc = YAML.parse(committed) as Record<string, unknown>;
    for (const k of listKeys()) expect(getIn(doc, k.path)).toEqual(k.default);
  });

  test('marks the deviations from the device', () => {
    expect(committed.match(/Deviation: device default false/g)).toHaveLength(6);
  });
});
