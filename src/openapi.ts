/**
 * Writes the service's OpenAPI description (JSON, the same as GET /docs-json) to a file or stdout,
 * without a database: Nest builds the module graph in preview mode (no provider is instantiated,
 * so nothing connects), which is all the document needs. `npm run openapi -- <file>`;
 * `npm run lint:openapi` writes dist/openapi.json and runs `redocly lint` on it (redocly.yaml).
 * Exits 1 with a one-line reason when the document cannot be made or written.
 */
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/configuration.js';
import { openApiDocument } from './http/openapi.js';

async function main(): Promise<void> {
  const out = process.argv[2];
  // the document depends on no setting: fixed ones, whatever this shell's environment holds
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', DEMO_DATA: 'off' });
  const app = await NestFactory.create(
    AppModule.forRoot({ databaseUrl: 'postgres://unused@127.0.0.1:1/none', config, scheduler: false }),
    { preview: true, logger: false, abortOnError: false },
  );
  const json = JSON.stringify(openApiDocument(app), null, 2) + '\n';
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
  await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`openapi: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
