import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Segments page in Chromium on the local stack: the saved segments with their counts, a new
 * segment written condition by condition while the count and the sample follow, saved as a nurture
 * config version and activated; keyboard only, at 390 px, and its empty, loading and error states.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
const COMPANY = `Umbrella ${run}`;
const PEOPLE = [
  ['Ada', 'Lovelace', 'DE'],
  ['Grace', 'Hopper', 'DE'],
  ['Alan', 'Turing', 'DE'],
  ['Edsger', 'Dijkstra', 'FR'],
  ['Barbara', 'Liskov', 'FR'],
  ['Ken', 'Thompson', 'US'],
] as const;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  browser = await launchConsoleBrowser();
  const http = api(stack);
  for (const [firstName, lastName, country] of PEOPLE) {
    const email = `${firstName.toLowerCase()}.${run}@umbrella.example`;
    const body = { email, firstName, lastName, company: COMPANY, country, consent: true };
    expect((await http.submit('demo-request', body)).status).toBe(202);
  }
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const count = (page: Page) => page.locator('.seg-count');
const condition = (page: Page, n: number) => page.getByRole('group', { name: `Condition ${n}`, exact: true });

describe('the Segments page', () => {
  it('lists the saved segments with their counts, and builds a new one while the count and sample follow', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/segments' });
    const hot = page.getByRole('row', { name: /Hot leads in the EU/ });
    await expect.poll(() => hot.getByRole('cell').nth(2).textContent(), { timeout: 20_000 }).toMatch(/^\d+$/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-segments');

    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel('Name').fill(`German demo requests ${run}`);
    await page.getByLabel(/^Id/).fill(`de-${run}`);
    const first = condition(page, 1);
    await first.getByLabel('Looks at').selectOption('field');
    await first.getByLabel('Field').fill('company');
    await first.getByLabel('Operator').selectOption('contains');
    await first.getByLabel('Value').fill(COMPANY.toLowerCase());
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toBe('6 of 6 leads');

    await page.getByRole('button', { name: 'Add condition' }).click();
    const second = condition(page, 2);
    await second.getByLabel('Field').fill('country');
    await second.getByLabel('Value').fill('de');
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toBe('3 of 6 leads');
    const sample = page.getByRole('table', { name: /matching leads/ });
    expect((await sample.getByRole('row').allTextContents()).slice(1).sort()).toEqual(
      ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'].map((name) => expect.stringContaining(name)),
    );
    // all → any: either condition is enough, so everyone of the company is in again.
    await page.getByLabel('any condition').check();
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toBe('6 of 6 leads');
    await page.getByLabel('all conditions').check();
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toBe('3 of 6 leads');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-segment-editor');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    const activate = page.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    await activate.click();
    await expect.poll(() => page.locator('.seg-saved').textContent()).toMatch(/^Version \d+ is active/);
    const listed = await fetch(`${stack.apiUrl}/v1/admin/segments`, {
      headers: { authorization: `Bearer ${stack.tokens.marketing}` },
    }).then((r) => r.json());
    expect(
      listed.segments.find((s: { id: string }) => s.id === `de-${run}`)?.definition.conditions,
    ).toHaveLength(2);
    await page.context().close();
  }, 180_000);

  it('can be used with the keyboard alone, and shows a wrong value at its field', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/segments' });
    await tabTo(page, page.getByRole('link', { name: 'New segment' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New segment' }).waitFor();
    await tabTo(page, page.getByLabel('Name'));
    await page.keyboard.type(`Quiet ${run}`);
    await page.keyboard.press('Tab');
    await page.keyboard.type(`quiet-${run}`);
    // Condition 1 starts as a stage condition (MQL): Looks at → Activity, typed on the select.
    await tabTo(page, condition(page, 1).getByLabel('Looks at'));
    await page.keyboard.type('Activity');
    const days = condition(page, 1).getByLabel('In the last (days)');
    await tabTo(page, days);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('0');
    await expect
      .poll(() => condition(page, 1).locator('.field-error').textContent(), { timeout: 20_000 })
      .toMatch(/at least 1/);
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('30');
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toMatch(/^\d+ of 6 leads$/);
    await tabTo(page, page.getByRole('button', { name: 'Save as new version' }));
    await page.keyboard.press('Enter');
    const activate = page.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    await tabTo(page, activate);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.seg-saved').textContent()).toMatch(/^Version \d+ is active/);
    await page.context().close();
  }, 120_000);

  it('fits a 390-px phone, says when there are no segments, while it counts, and when counting fails', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/segments/new',
      viewport: PHONE,
    });
    await expect.poll(() => count(page).textContent(), { timeout: 20_000 }).toMatch(/of 6 leads$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-segment-editor-phone');

    const preview = await holdThenFail(page, '**/v1/admin/segments/preview');
    await condition(page, 1).getByLabel('Lead', { exact: true }).check();
    await expect.poll(() => count(page).textContent()).toBe('Counting…');
    preview.fail();
    await expect
      .poll(() => page.locator('.seg-preview [role="alert"]').textContent())
      .toBe('Try again soon.');
    expect(await seriousViolations(page)).toEqual([]);
    preview.recover();

    await page.route('**/v1/admin/segments', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ version: 1, segments: [] }),
      }),
    );
    await page.goto(`${stack.apiUrl}/console/segments`);
    await page.getByText('No saved segments yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
