import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { launchConsoleBrowser, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * Export of a large filter in Chromium on the local stack: the synchronous export answers 422
 * export_too_large (stood in for here: seeding 10,001 leads through the API would take minutes), so
 * the console starts a real background export, follows it and offers the file, which the local
 * stack's worker wrote and the API serves to the person who asked. axe on each state.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
const LEADS = 12;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  browser = await launchConsoleBrowser();
  const http = api(stack);
  for (let i = 0; i < LEADS; i += 1)
    expect(
      (await http.submit('newsletter', { email: `bulk.${run}.${i}@initech.de`, consent: true })).status,
    ).toBe(202);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const tooLarge = (page: Page) =>
  page.route('**/v1/admin/leads/export?*', (route) =>
    route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'export_too_large',
          message: 'The filter matches more than 10000 leads.',
          details: [],
        },
      }),
    }),
  );

describe('exporting a large filter', () => {
  it('runs the export in the background, shows it, and offers the file when ready (keyboard only)', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: `/console/leads?q=bulk.${run}` });
    await page.locator('table.leads tbody tr').first().waitFor();
    await tooLarge(page);

    await tabTo(page, page.getByRole('button', { name: 'Export CSV' }));
    await page.keyboard.press('Enter');
    const status = page.locator('.export').getByRole('status');
    // Running: the progress and what it means, for at least one poll interval (1.5 s).
    await expect.poll(() => status.textContent()).toContain('exporting in the background');
    expect(await page.getByRole('progressbar', { name: 'Export progress' }).count()).toBe(1);
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toBe(`Your export is ready: ${LEADS} rows.`);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-leads-export-ready');

    const download = page.waitForEvent('download');
    await tabTo(page, page.getByRole('button', { name: 'Download CSV' }));
    await page.keyboard.press('Enter');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}-[0-9a-z]{6}\.csv$/);
    const lines = (await readFile((await file.path()) as string, 'utf8')).trimEnd().split('\r\n');
    expect(lines).toHaveLength(LEADS + 1);
    expect(lines.slice(1).every((line) => line.includes(`bulk.${run}.`))).toBe(true);
    await expect.poll(() => status.textContent()).toBe(`Downloaded ${LEADS} rows.`);
    await page.context().close();
  });

  it('goes straight to the background when the list counted more than 10,000 leads (no direct export tried)', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: `/console/leads` });
    // The list's answer, its total raised: what the page shows of a filter over the direct export's bound.
    await page.route('**/v1/admin/leads?*', async (route) => {
      const answer = await route.fetch();
      const body = await answer.json();
      await route.fulfill({ response: answer, json: { ...body, total: 20_000 } });
    });
    await page.goto(`${stack.apiUrl}/console/leads?q=bulk.${run}`);
    await page.locator('table.leads tbody tr').first().waitFor();
    const direct: string[] = [];
    page.on('request', (request) => {
      if (
        request.url().includes('/v1/admin/leads/export?') ||
        request.url().endsWith('/v1/admin/leads/export')
      )
        direct.push(request.url());
    });

    await page.getByRole('button', { name: 'Export CSV' }).click();

    const status = page.locator('.export').getByRole('status');
    await expect
      .poll(() => status.textContent(), { timeout: 20_000 })
      .toBe(`Your export is ready: ${LEADS} rows.`);
    expect(direct).toEqual([]);
    await page.context().close();
  });

  it('says so when the background export cannot start, and lets the person try again', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: `/console/leads?q=bulk.${run}` });
    await page.locator('table.leads tbody tr').first().waitFor();
    await tooLarge(page);
    await page.route('**/v1/admin/leads/exports', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again soon.', details: [] } }),
      }),
    );
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const status = page.locator('.export').getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Export failed: Try again soon.');
    expect(await page.getByRole('button', { name: 'Export CSV' }).isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
