import { it } from '@jest/globals';
import { launchBrowser, openPage, startService, DESKTOP } from './harness.js';
it('debug', async () => {
  const service = await startService(20);
  const browser = await launchBrowser();
  const w = await openPage(browser, service.baseUrl, DESKTOP);
  await w.page.goto('/login?redirect=/admin/users');
  await w.page.getByLabel('用户名').fill(service.demo.admin.username);
  await w.page.getByLabel('密码').fill(service.demo.admin.password);
  await w.page.getByRole('button', { name: '登录' }).click();
  await w.page.locator('table').getByText('demo-regulator').waitFor();
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  await w.page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
  const out = await w.page.evaluate(async () => {
    const r = await (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n: any) => n.html + ' :: ' + (n.failureSummary ?? '')) }));
  });
  console.log(JSON.stringify(out, null, 1));
  await browser.close();
  await service.close();
}, 60000);
