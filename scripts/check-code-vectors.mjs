#!/usr/bin/env node
// Writes the test vectors of docs/check-code-format.md (between its markers) from the compiled
// rules: `npm run build:server && node scripts/check-code-vectors.mjs`. The unit test
// src/check-codes/rules/check-code-vectors.spec.ts fails when the doc and the code disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  VECTORS_BEGIN,
  VECTORS_END,
  vectorsMarkdown,
} from '../dist/src/check-codes/rules/check-code-vectors.js';

const file = new URL('../docs/check-code-format.md', import.meta.url);
const doc = readFileSync(file, 'utf8');
const a = doc.indexOf(VECTORS_BEGIN);
const b = doc.indexOf(VECTORS_END);
if (a < 0 || b < 0) throw new Error('markers not found in docs/check-code-format.md');
writeFileSync(file, doc.slice(0, a) + vectorsMarkdown() + doc.slice(b + VECTORS_END.length));
console.log('docs/check-code-format.md: test vectors written');
