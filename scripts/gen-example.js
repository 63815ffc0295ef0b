#!/usr/bin/env node
// Writes .ifaxrc.example from the profile schema (src/config/schema.ts, built into dist/).
// Run with `npm run gen:example`; test/config/example.test.ts fails when the committed file
// and the schema drift apart.
import { writeFileSync } from 'node:fs';
import { renderExample } from '../dist/config/example.js';

const target = new URL('../.ifaxrc.example', import.meta.url);
writeFileSync(target, renderExample());
console.log('wrote .ifaxrc.example');
