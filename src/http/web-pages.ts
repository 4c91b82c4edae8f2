import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Paths the service answers itself (API, OpenAPI page, health, the server-rendered public pages
 * under /public, the inspection-code page /v and the well-known documents such as the codes' trust
 * list): never a workbench page. In any case, as express routes them (the QR code of an inspection
 * code carries an upper-cased URL: /V/JC1....).
 */
const SERVICE_PATHS = /^\/(api|docs|docs-json|health|public|v|\.well-known)(\/|$)/i;

/** The project folder: the nearest folder above this module holding package.json (src/ or dist/src/). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** Where `npm run build` puts the pages (scripts/build-web.mjs, src/web/vite.config.ts). */
export function webPagesDir(): string {
  return path.join(projectRoot(), 'dist/web');
}

/**
 * Serves the built pages beside /api (architecture.md "Pages"): files of dist/web (hashed assets
 * cached for a year, everything else revalidated), and the history fallback: a GET for a page
 * path that is no file answers the single-page app that owns it: /m and /m/... the enterprise's
 * phone pages (m/index.html), any other path the staff workbench (index.html). /api, /docs and
 * /health are never answered with a page (an unknown API path stays a JSON 404). Without built
 * pages, a page path answers 503 with a plain sentence saying how to build them.
 */
export function serveWebPages(app: INestApplication, dir = webPagesDir()): void {
  const server = app.getHttpAdapter().getInstance() as express.Express;
  const built = existsSync(path.join(dir, 'index.html'));
  server.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    }),
  );
  // never for the service's own paths: a file lookup (a stat in the thread pool) per API request
  // cost about 6 % of a request's time and a round trip through the thread pool
  const files = express.static(dir, { index: false, maxAge: 0, dotfiles: 'ignore' });
  server.use((req: Request, res: Response, next: NextFunction) =>
    SERVICE_PATHS.test(req.path) ? next() : files(req, res, next),
  );
  server.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVICE_PATHS.test(req.path)) return next();
    if (req.path.startsWith('/assets/')) return next(); // a missing asset is a 404, not a page
    if (!built) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('页面尚未构建 (the pages are not built): run `npm run build`, then start the service again.\n');
      return;
    }
    const page = /^\/m(\/|$)/.test(req.path) ? 'm/index.html' : 'index.html';
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dir, page));
  });
}
