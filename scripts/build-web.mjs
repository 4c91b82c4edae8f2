#!/usr/bin/env node
/**
 * Builds the pages (src/web, Vite) into dist/web, unless dist/web was built from the same inputs:
 * a stamp (dist/web/.build-stamp) holds the SHA-256 of every file under src/web and of
 * package-lock.json, so a second `npm start` or `npm test` does not rebuild unchanged pages.
 * `--force` (or FORCE_WEB_BUILD=1) builds anyway. The CLI never runs this (package.json precli
 * builds the server only).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webSrc = path.join(root, 'src/web');
const outDir = path.join(root, 'dist/web');
const stampFile = path.join(outDir, '.build-stamp');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const hash = createHash('sha256');
for (const f of [...files(webSrc), path.join(root, 'package-lock.json')]) {
  hash.update(path.relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
}
const digest = hash.digest('hex');
const force = process.argv.includes('--force') || process.env.FORCE_WEB_BUILD === '1';
if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === digest) {
  process.stdout.write('pages: dist/web is up to date\n');
  process.exit(0);
}
const started = Date.now();
const { build } = await import('vite');
await build({ configFile: path.join(webSrc, 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(stampFile, digest + '\n');
process.stdout.write(`pages: built dist/web in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
