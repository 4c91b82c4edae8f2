/**
 * Times pages in a real browser (Debian's Chromium through playwright-core), as a person meets
 * them: the regulator home (驾驶舱) and the enterprise list, from navigation until their figures
 * are on screen. Each round opens a new browser context (empty cache, its own session made by
 * POST /api/auth/session), so "cold" includes downloading the scripts and styles; "warm" is a
 * reload in the same context. Issue 10: at 1M enterprises the 驾驶舱 loads in under 2 s.
 *
 *   npm run bench:pages -- --url http://127.0.0.1:3000 --username demo-regulator --password …
 *
 * Point it at a running service (for 1M: the database kept by `npm run bench:dashboard -- --n
 * 1000000 --keep`, with a regulator user created by `npm run cli -- user create`). Prints the
 * figures only (docs/performance.md).
 */
import { Command } from 'commander';
import { chromium, type Page } from 'playwright-core';

const opts = new Command('bench:pages')
  .requiredOption('--url <url>', 'the service, e.g. http://127.0.0.1:3000')
  .requiredOption('--username <name>', 'a regulator')
  .option('--password <password>', 'its password (or BENCH_PASSWORD)', process.env.BENCH_PASSWORD)
  .option('--repeat <n>', 'rounds', (v) => Number(v), 10)
  .option('--chromium <path>', 'the browser', process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
  .parse()
  .opts<{ url: string; username: string; password?: string; repeat: number; chromium: string }>();

/** The pages timed: where to go, and what shows that the page has its data. */
const PAGES: { name: string; path: string; ready: (page: Page) => Promise<unknown> }[] = [
  {
    name: '驾驶舱 /dashboard',
    path: '/dashboard',
    ready: async (page) => {
      await page.locator('[data-test="enterprises"]').waitFor();
      await page.locator('canvas').first().waitFor();
    },
  },
  {
    name: '企业名录 /enterprises',
    path: '/enterprises',
    ready: (page) => page.locator('.el-table__row').first().waitFor(),
  },
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  if (!opts.password) throw new Error('give --password or BENCH_PASSWORD');
  const browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    for (const target of PAGES) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let i = 0; i < opts.repeat + 1; i++) {
        const context = await browser.newContext({
          baseURL: opts.url,
          viewport: { width: 1440, height: 900 },
        });
        const signIn = await context.request.post('/api/auth/session', {
          data: { username: opts.username, password: opts.password },
        });
        if (!signIn.ok()) throw new Error(`sign-in answered ${signIn.status()}: ${await signIn.text()}`);
        const page = await context.newPage();
        let t = performance.now();
        await page.goto(target.path);
        await target.ready(page);
        const first = performance.now() - t;
        t = performance.now();
        await page.reload();
        await target.ready(page);
        const again = performance.now() - t;
        await context.close();
        if (i === 0) continue; // the first round warms the service and the database
        cold.push(first);
        warm.push(again);
      }
      const f = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms, p95 ${pct(xs, 95).toFixed(0)} ms`;
      process.stdout.write(`${target.name}: cold (empty cache) ${f(cold)}; warm (reload) ${f(warm)}\n`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
