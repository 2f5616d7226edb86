import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { accessTokenFor, api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Import page in Chromium on the local stack: a CSV chosen in the browser (its header read
 * there), columns guessed and mapped, a consent basis with its proof, a dry run, the import with its
 * progress, the result and the error report; refused files, keyboard only, 390 px, the error state.
 */
let stack: LocalStack;
let browser: Browser;
let maya = '';
const run = Date.now().toString(36);
const email = (name: string) => `imp-ui-${run}-${name}@globex.example`;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  browser = await launchConsoleBrowser();
  maya = await accessTokenFor(stack, 'maya');
  const http = api(stack);
  // An address that unsubscribed: the import must leave it suppressed.
  expect((await http.submit('newsletter', { email: email('gone'), consent: true })).status).toBe(202);
  const gone = await http.post(`/v1/admin/leads/${leadIdFor(email('gone'))}/unsubscribe`, {}, maya);
  expect(gone.status).toBe(200);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const CSV = [
  'Email Address,First Name,Surname,Organization,Opted in,Plan tier',
  `${email('ann')},Ann,Ash,Globex,yes,Pro`,
  `${email('bob')},Bob,Birch,Globex,no,Free`,
  `${email('gone')},Gina,Gray,Globex,yes,Pro`,
  'not-an-email,Nobody,None,Globex,yes,Free',
].join('\n');
const csvFile = (text = CSV, name = 'globex-contacts.csv', mimeType = 'text/csv') => ({
  name,
  mimeType,
  buffer: Buffer.from(text),
});
const goTo = (page: Page) => page.getByLabel(/^Field for column /);
const countOf = (page: Page, row: RegExp) => page.getByRole('row', { name: row }).getByRole('cell');
const lead = (address: string) => api(stack).get(`/v1/admin/leads/${leadIdFor(address)}`, maya);

describe('the Import page', () => {
  it('maps a CSV, dry-runs it, imports it with progress, and gives the error report', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/leads' });
    await page.getByRole('link', { name: 'Import CSV' }).click();
    await page.getByRole('heading', { name: 'Import leads from CSV' }).waitFor();
    await expect.poll(() => page.getByText('No file chosen yet').isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-import-empty');

    await page.getByLabel(/^CSV file/).setInputFiles(csvFile());
    await page.getByRole('table', { name: /Columns of the file/ }).waitFor();
    expect(await goTo(page).evaluateAll((els) => els.map((el) => (el as HTMLSelectElement).value))).toEqual([
      'email',
      'firstName',
      'lastName',
      'company',
      'ignore',
      'ignore',
    ]);
    // A column no field is known for: kept as a new custom field named from its header.
    await page.getByLabel('Field for column Plan tier').selectOption('custom:planTier');
    expect(await page.getByLabel(/Each row's own consent/).inputValue()).toBe('Opted in');
    await page.getByLabel('They gave consent to marketing email').check();
    await page.getByLabel(/The text they agreed to/).fill('Yes, send me the Globex newsletter.');
    await page.getByLabel('Where they agreed').fill('Trade show sign-up sheet');
    await page.getByLabel('When they agreed').fill('2026-11-02');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-import-mapping');

    await page.getByRole('button', { name: 'Dry run (changes nothing)' }).click();
    await page
      .getByRole('heading', { name: 'Dry run: what the import would do' })
      .waitFor({ timeout: 30_000 });
    expect(await countOf(page, /New leads would be created/).textContent()).toBe('2');
    expect(await countOf(page, /Suppressed addresses would be skipped/).textContent()).toBe('1');
    expect(await countOf(page, /Rows with errors/).textContent()).toBe('1');
    expect((await lead(email('ann'))).status).toBe(404);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-import-dry-run');
    // An edit after the dry run makes it stale: the import waits for a new dry run.
    await page.getByLabel('Where they agreed').fill('Trade show sign-up sheet, Berlin');
    expect(await page.getByRole('button', { name: 'Import 4 rows' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Dry run (changes nothing)' }).click();
    await page
      .getByRole('heading', { name: 'Dry run: what the import would do' })
      .waitFor({ timeout: 30_000 });

    // The first progress answer is held, so the progress is seen before the import ends.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(/\/v1\/admin\/leads\/imports\/imp_[0-9A-Z]+$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Import 4 rows' }).click();
    const progress = page.getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /^Import: \d of about 4 rows read/ })
        .count(),
    ).toBe(1);
    await shot(page, 'console-import-progress');
    release();
    await page.getByRole('heading', { name: 'Import done' }).waitFor({ timeout: 30_000 });
    expect(await countOf(page, /New leads created/).textContent()).toBe('2');
    expect(await countOf(page, /Suppressed addresses skipped/).textContent()).toBe('1');
    expect(await countOf(page, /Rows with errors/).textContent()).toBe('1');
    expect(
      await page.getByRole('heading', { name: 'Import done' }).evaluate((h) => h === document.activeElement),
    ).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-import');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the error report (CSV)' }).click(),
    ]);
    const report = await readFile((await download.path()) as string, 'utf8');
    expect(report.split('\r\n')[0]).toBe('row,column,reason');
    expect(report).toMatch(/^5,Email Address,/m);
    expect(report).not.toContain('not-an-email');

    const ann = (await lead(email('ann'))).json;
    expect(ann.profile).toMatchObject({
      firstName: 'Ann',
      lastName: 'Ash',
      company: 'Globex',
      planTier: 'Pro',
    });
    expect(ann.consent[0]).toMatchObject({ granted: true, text: 'Yes, send me the Globex newsletter.' });
    expect((await lead(email('bob'))).json.consent).toEqual([]);
    const gone = (await lead(email('gone'))).json;
    expect(gone.suppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(gone.profile.firstName).toBeUndefined();
    await page.context().close();
  }, 180_000);

  it('refuses a file that is not CSV or has no header row, in words', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/leads/import' });
    const input = page.getByLabel(/^CSV file/);
    await input.setInputFiles(csvFile('\u0089PNG\r\n\u001a\n\u0000\u0000', 'photo.png', 'image/png'));
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/"photo.png" is not a CSV file/);
    await input.setInputFiles(csvFile(',,\nann@example.com,Ann,Ash\n', 'no-header.csv'));
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/has no header row/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: /Dry run/ }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('can be used with the keyboard alone, and shows the API refusing a mapping at its column', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/leads/import' });
    await page.getByLabel(/^CSV file/).setInputFiles(csvFile(CSV.replaceAll('imp-ui-', 'imp-kb-')));
    // Email Address → Do not import, typed on the select: no column goes to email.
    await tabTo(page, page.getByLabel('Field for column Email Address'));
    await page.keyboard.type('Do not');
    // The bases are one radio group: Tab reaches the chosen one (none), arrows choose another.
    await tabTo(page, page.getByLabel('No basis for marketing email'));
    await page.keyboard.press('ArrowUp');
    expect(await page.getByLabel('Legitimate interest (no consent asked)').isChecked()).toBe(true);
    await tabTo(page, page.getByLabel(/Each row's own consent/));
    await page.keyboard.type('No column');
    await tabTo(page, page.getByRole('button', { name: 'Dry run (changes nothing)' }));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 20_000 })
      .toMatch(/The column mapping does not fit the file/);
    await expect
      .poll(() => page.locator('.field-error').first().textContent())
      .toMatch(/one column must map to email/);

    await tabTo(page, page.getByLabel('Field for column Email Address'));
    await page.keyboard.type('Email');
    await tabTo(page, page.getByRole('button', { name: 'Dry run (changes nothing)' }));
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: 'Dry run: what the import would do' })
      .waitFor({ timeout: 30_000 });
    await tabTo(page, page.getByRole('button', { name: 'Import 4 rows' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Import done' }).waitFor({ timeout: 30_000 });
    // Legitimate interest for every row (no consent column): no consent is recorded.
    expect((await lead(email('ann').replace('imp-ui-', 'imp-kb-'))).json.consent).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('fits a 390-px phone, and says so when the API cannot be reached', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/leads/import',
      viewport: PHONE,
    });
    await page.getByLabel(/^CSV file/).setInputFiles(csvFile());
    await page.getByRole('table', { name: /Columns of the file/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-import-phone');

    const api = await holdThenFail(page, '**/v1/admin/leads/imports');
    await page.getByLabel('No basis for marketing email').check();
    await page.getByLabel(/Each row's own consent/).selectOption('');
    await page.getByRole('button', { name: 'Dry run (changes nothing)' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Preparing the upload' }).count())
      .toBe(1);
    api.fail();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Try again soon/);
    api.recover();
    await page.getByRole('button', { name: 'Dry run (changes nothing)' }).click();
    await page
      .getByRole('heading', { name: 'Dry run: what the import would do' })
      .waitFor({ timeout: 30_000 });
    await page.context().close();
  }, 180_000);

  it('is not offered to sales, whom the import API refuses', async () => {
    const { page } = await signInToConsole(browser, stack, 'ravi', {
      path: '/console/leads/import',
    });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await page.context().close();
  }, 120_000);
});
