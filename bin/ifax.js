#!/usr/bin/env node
// Tiny launcher: the CLI lives in the built library (npm run build).
import { main } from '../dist/cli/main.js';
await main(process.argv);
