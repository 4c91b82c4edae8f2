/// <reference lib="dom" />
/**
 * Steps of the inspection code (issue 12) a browser journey takes before a result, as an inspector
 * does on its phone (375 px): 任务详情 -> 申请检查码 -> the code's page -> 签到. Other journeys that
 * record results (tasks, planning) take them first: 无码不检查.
 */
import type { Browser, Page } from 'playwright-core';
import { fillSignIn, openPage, PHONE } from './harness.js';

/** On a phone page signed in as the inspector: applies for the code of `taskId` and checks in. */
export async function applyAndCheckInOn(page: Page, taskId: number): Promise<number> {
  await page.goto(`/m/tasks/${taskId}`);
  await page.getByRole('button', { name: '申请检查码' }).click();
  await page.getByRole('button', { name: '申请', exact: true }).click();
  // the code's page, or the refusal in words beside the button
  const refused = page.locator('.task-code .m-error');
  const outcome = await Promise.race([
    page
      .waitForURL((u) => /^\/m\/codes\/\d+$/.test(u.pathname))
      .then(
        () => 'code' as const,
        () => 'no code page' as const,
      ),
    // (settles later when the page goes: harmless once the race is decided)
    refused.waitFor().then(
      () => 'refused' as const,
      () => 'gone' as const,
    ),
  ]);
  if (outcome !== 'code') throw new Error(`申请检查码 refused: ${(await refused.textContent()) ?? outcome}`);
  const codeId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.getByText('核验词', { exact: true }).waitFor();
  await page.getByRole('button', { name: '签到（开始检查）' }).click();
  await page.getByRole('button', { name: '确定', exact: true }).click();
  await page.locator('.code-head').getByText('检查中').waitFor();
  return codeId;
}

/**
 * Opens a phone, signs in as `who`, applies for the code of `taskId` and checks in, and closes it.
 * @returns the code's id
 * @throws Error when the phone page had a console error or failed request
 */
export async function applyAndCheckIn(
  browser: Browser,
  baseUrl: string,
  who: { username: string; password: string },
  taskId: number,
): Promise<number> {
  const w = await openPage(browser, baseUrl, PHONE);
  try {
    await w.page.goto('/m/login');
    await fillSignIn(w.page, who);
    await w.page.waitForURL((u) => u.pathname === '/m/tasks');
    const id = await applyAndCheckInOn(w.page, taskId);
    w.expectNoProblems();
    return id;
  } finally {
    await w.context.close();
  }
}
