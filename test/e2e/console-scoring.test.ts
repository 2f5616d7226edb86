import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Scoring page in Chromium on the local stack (the shipped model is version 1): the rules as
 * a table in words, a rule changed, simulated against a lead, backtested, saved as version 2 and
 * activated while the rescore runs to done; keyboard only, at 390 px, and its empty, loading and
 * error states.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
// A manager at a German company with a free mailbox who asked for a demo: fit 25 (grade C) and
// engagement 40, so an MQL but not hot. Managers at 30 points instead of 10 make them grade B and hot.
const MANAGER = `mia.manager.${run}@gmail.com`;
const STUDENT = `sam.student.${run}@gmail.com`;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  browser = await launchConsoleBrowser();
  const http = api(stack);
  const lead = { lastName: 'Example', company: `Hooli ${run}`, country: 'DE' };
  expect(
    (
      await http.submit('demo-request', {
        ...lead,
        email: MANAGER,
        firstName: 'Mia',
        jobTitle: 'Marketing Manager',
      })
    ).status,
  ).toBe(202);
  expect(
    (await http.submit('demo-request', { ...lead, email: STUDENT, firstName: 'Sam', jobTitle: 'Student' }))
      .status,
  ).toBe(202);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const leadView = async (email: string) =>
  (await api(stack).get(`/v1/admin/leads?email=${encodeURIComponent(email)}`, stack.tokens.marketing)).json;
const column = (page: Page, name: RegExp) => page.getByRole('region', { name });
const metric = (page: Page, name: string) =>
  page
    .locator('.sc-backtest .metrics div')
    .filter({ has: page.getByText(name, { exact: true }) })
    .locator('dd');

describe('the Scoring page', () => {
  it('changes a rule, simulates it on a lead, backtests it, saves and activates it while every lead is rescored', async () => {
    expect((await leadView(MANAGER)).score).toMatchObject({ grade: 'C', hot: false });
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/scoring' });
    await page.getByRole('heading', { name: 'Scoring' }).waitFor();
    await expect
      .poll(() => page.getByLabel('Id of fit rule 2', { exact: true }).inputValue())
      .toBe('manager-title');
    const fit = page.getByRole('table', { name: /Fit rules/ });
    await expect(
      fit.getByRole('row', { name: /\+10 points when jobTitle contains any of the words/ }).count(),
    ).resolves.toBeGreaterThan(0);
    await page
      .getByText('Grade by fit points: A from 55, B from 40, C from 25, D from 10; below 10 is F.')
      .waitFor();
    expect(await page.getByRole('row', { name: /^1 active/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-scoring');

    // A wrong value is shown at its field, in words, then fixed.
    await page.getByLabel('Points of fit rule 2', { exact: true }).fill('5000');
    await expect
      .poll(() => page.locator('#sc-fit-1-points-err').textContent(), { timeout: 20_000 })
      .toMatch(/1000/);
    expect(await page.getByLabel('Points of fit rule 2', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await page.getByRole('alert').filter({ hasText: 'Fit rule 2 (manager-title), points' }).waitFor();
    await page.getByLabel('Points of fit rule 2', { exact: true }).fill('30');
    await expect.poll(() => page.locator('#sc-fit-1-points-err').count(), { timeout: 20_000 }).toBe(0);
    await page
      .getByRole('row', { name: /\+30 points when jobTitle contains any of the words “manager”/ })
      .waitFor();

    await page.getByLabel("Lead's email").fill(MANAGER);
    await page.getByRole('button', { name: 'Simulate' }).click();
    const now = column(page, /^Now \(active version 1\)$/);
    const draft = column(page, /^With the draft$/);
    await expect
      .poll(() => now.locator('.sc-total').textContent(), { timeout: 20_000 })
      .toMatch(/65 points · grade C/);
    expect(await draft.locator('.sc-total').textContent()).toMatch(/85 points · grade B .* hot$/);
    expect(await draft.getByRole('row', { name: /manager-title \+30 \(was \+10\)/ }).count()).toBe(1);
    expect(await now.getByRole('row', { name: /manager-title \+10/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-scoring-simulate');

    await page.getByRole('button', { name: 'Run backtest' }).click();
    await expect.poll(() => metric(page, 'Leads checked').textContent(), { timeout: 30_000 }).toBe('2');
    expect(await metric(page, 'Turn hot').textContent()).toBe('1');
    expect(await metric(page, 'Change grade').textContent()).toBe('1');
    expect(await metric(page, 'Stop being hot').textContent()).toBe('0');
    const manager = await leadView(MANAGER);
    const changed = page
      .getByRole('table', { name: /Leads that change/ })
      .getByRole('row', { name: /turns hot/ });
    const link = changed.getByRole('link', { name: MANAGER });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/console/leads/${manager.leadId}`);
    expect(await changed.textContent()).toMatch(/65 → 85.*C → B/);
    await shot(page, 'console-scoring-backtest');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page
      .getByText('Saved as version 2. It is not active: nothing changes until you activate it.')
      .waitFor();
    expect((await leadView(MANAGER)).score).toMatchObject({ grade: 'C', hot: false, modelVersion: 1 });
    await page.getByRole('button', { name: 'Activate version 2', exact: true }).first().click();
    await expect
      .poll(() => page.locator('.sc-rescore').textContent(), { timeout: 60_000 })
      .toMatch(/^Rescore of version 2 done at .*: 2 leads checked \(\d+ pages\), 2 rescored, \d+ changed\.$/);
    await page.getByText('Active model: version 2').waitFor();
    // Who saved and who activated it, as the version records them.
    const row = page.getByRole('row', { name: /^2 active/ });
    expect((await row.getByRole('cell').nth(1).textContent()) ?? '').toMatch(/by Maya Lindqvist$/);
    expect((await row.getByRole('cell').nth(2).textContent()) ?? '').toMatch(/by Maya Lindqvist$/);
    expect((await leadView(MANAGER)).score).toMatchObject({ grade: 'B', hot: true, modelVersion: 2 });
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-scoring-rescore');
    await page.context().close();
  }, 240_000);

  it('can be used with the keyboard alone: a threshold error at its field, a new rule saved, a rollback to version 1', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/scoring' });
    const mql = page.getByLabel('MQL at (points)');
    await expect.poll(() => mql.inputValue()).toMatch(/^\d+$/);
    // A new engagement rule: the jump link, its Add button, and the focus lands in the new row.
    await tabTo(page, page.getByRole('link', { name: 'Engagement rules' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('button', { name: 'Add engagement rule' }));
    await page.keyboard.press('Enter');
    const id = page.getByLabel(/^Id of engagement rule \d+$/).last();
    await expect.poll(() => id.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type(`webinar-${run}`);
    await page.keyboard.press('Tab');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('12');
    // A threshold error shows at its field, then goes once fixed.
    await tabTo(page, page.getByRole('link', { name: 'Grades and thresholds' }));
    await page.keyboard.press('Enter');
    await tabTo(page, mql);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('500');
    await expect
      .poll(() => page.locator('#sc-thresholds-mql-err').textContent(), { timeout: 20_000 })
      .toMatch(/must not be above the hot threshold/);
    expect(await mql.getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('45');
    await expect.poll(() => page.locator('#sc-thresholds-mql-err').count(), { timeout: 20_000 }).toBe(0);
    await page.getByText(/\+12 points each time: page viewed/).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Save as new version' }));
    await page.keyboard.press('Enter');
    await page.getByText(/^Saved as version \d+\. It is not active/).waitFor();
    // A rollback: activating version 1 again from the versions list rescores every lead under it.
    await tabTo(page, page.getByRole('button', { name: 'Activate version 1', exact: true }));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.sc-rescore').textContent(), { timeout: 60_000 })
      .toMatch(/^Rescore of version 1 done/);
    await page.getByText('Active model: version 1').waitFor();
    expect((await leadView(MANAGER)).score).toMatchObject({ grade: 'C', hot: false, modelVersion: 1 });
    await page.context().close();
  }, 120_000);

  it('fits a 390-px phone, and says when it loads, when loading fails and when no model is active', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/scoring',
      viewport: PHONE,
    });
    await page.getByLabel('Id of fit rule 1', { exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-scoring-phone');

    // A backtest belongs to the draft it ran on; discarding the edit brings the active model back.
    const points = page.getByLabel('Points of fit rule 1', { exact: true });
    const before = await points.inputValue();
    await page.getByRole('button', { name: 'Run backtest' }).click();
    await page.getByText(/leads would get another score, grade or stage/).waitFor({ timeout: 30_000 });
    await points.fill('99');
    await page
      .getByText('The draft changed since this backtest: run it again to see what the draft does now.')
      .waitFor();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    expect(await points.inputValue()).toBe(before);
    expect(await page.getByText(/The draft changed since this backtest/).count()).toBe(0);

    const versions = await holdThenFail(page, '**/v1/admin/scoring');
    await page.goto(`${stack.apiUrl}/console/scoring`);
    await page.getByText('Loading the scoring model…').waitFor();
    versions.fail();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Could not load the scoring model: Try again soon.' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    versions.recover();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByLabel('Id of fit rule 1', { exact: true }).waitFor();

    await page.route('**/v1/admin/scoring', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ active: null, versions: [] }),
      }),
    );
    await page.goto(`${stack.apiUrl}/console/scoring`);
    await page.getByText(/No scoring model is active yet, so leads are not scored/).waitFor();
    await page.getByText('No version is stored yet.').waitFor();
    expect(await page.getByRole('button', { name: 'Add fit rule' }).isEnabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('is not offered to sales', async () => {
    const { page } = await signInToConsole(browser, stack, 'ravi', { path: '/console/scoring' });
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Scoring' }).count()).toBe(0);
    await page.context().close();
  });
});
