import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Forms page in Chromium on the local stack: the forms with their active version and last
 * change, a new form written field by field (a wrong value shown at its field, in words), saved
 * and activated, its embed snippet copied and pasted into a page, where a person's post of it is
 * accepted; keyboard only, at 390 px, and its empty, loading and error states.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
const FORM_ID = `webinar-${run}`;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the Forms page', () => {
  it('creates a form, activates it, copies its snippet, and a post of the pasted snippet is accepted', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/forms' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.apiUrl });
    const newsletter = page.getByRole('row', { name: /Newsletter sign-up/ });
    await expect.poll(() => newsletter.getByRole('cell').nth(0).textContent()).toBe('Version 1');
    expect(await newsletter.getByRole('cell').nth(1).textContent()).toBe('0');
    expect(await newsletter.getByRole('cell').nth(2).textContent()).toMatch(/by leadflow local stack/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-forms');

    await page.getByRole('link', { name: 'New form' }).click();
    await page.getByRole('heading', { name: 'New form' }).waitFor();
    await page.getByLabel('Form name').fill('Webinar registration');
    await page.getByLabel(/^Id/).fill(FORM_ID);
    await page.getByLabel('Thank-you page URL').fill('thanks-page');
    await page.getByLabel(/^Allowed origins/).fill(stack.apiUrl);
    await page.getByRole('button', { name: 'Add field' }).click();
    const company = page.getByRole('group', { name: 'Field 2' });
    await company.getByLabel('Name').fill('company');
    await company.getByLabel('Label').fill('Company');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    // The wrong URL is named at its field, in words; nothing was saved.
    const thanks = page.getByLabel('Thank-you page URL');
    await expect.poll(() => thanks.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#form-thankYouUrl-error').textContent()).toMatch(/URL/i);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-forms-editor');

    await thanks.fill(`${stack.apiUrl}/thanks?form=${FORM_ID}`);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('button', { name: 'Activate version 1' }).click();
    await page.waitForURL(`${stack.apiUrl}/console/forms/${FORM_ID}`);
    await page.getByRole('heading', { name: 'Form: Webinar registration' }).waitFor();
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.getByText('Copied the snippet to the clipboard.').count()).toBe(1);
    const snippet = await page.evaluate(() => navigator.clipboard.readText());
    expect(snippet).toContain(`action="${stack.apiUrl}/v1/forms/${FORM_ID}/submissions"`);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-forms-snippet');

    // The snippet pasted into a page of an allowed origin, posted by a person without the script.
    const site = await page.context().newPage();
    await site.goto(`${stack.apiUrl}/v1/health`);
    await site.evaluate((html) => {
      document.body.innerHTML = html;
    }, snippet);
    await site.getByLabel('Work email').fill(`attendee.${run}@acme-widgets.com`);
    await site.getByLabel('Company').fill('Acme Widgets');
    await site.getByRole('button', { name: 'Webinar registration' }).click();
    await site.waitForURL(`${stack.apiUrl}/thanks?form=${FORM_ID}`);
    await site.getByRole('heading', { name: 'Thank you!' }).waitFor();
    const lead = await fetch(
      `${stack.apiUrl}/v1/admin/leads?email=${encodeURIComponent(`attendee.${run}@acme-widgets.com`)}`,
      { headers: { authorization: `Bearer ${stack.tokens.marketing}` } },
    );
    expect(lead.status).toBe(200);
    await page.context().close();
  }, 180_000);

  it('can be used with the keyboard alone: save and activate a new version, copy the snippet', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/forms/newsletter' });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.apiUrl });
    await tabTo(page, page.getByLabel('Form name'));
    await page.keyboard.press('End');
    await page.keyboard.type(' (footer)');
    await tabTo(page, page.getByRole('button', { name: 'Save as new version' }));
    await page.keyboard.press('Enter');
    const activate = page.getByRole('button', { name: 'Activate version 2' });
    await activate.waitFor();
    await tabTo(page, activate);
    await page.keyboard.press('Enter');
    await page.getByText('Version 2 is active: the form takes submissions with it now.').waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Copy' }));
    await page.keyboard.press('Enter');
    await page.getByText('Copied the snippet to the clipboard.').waitFor();
    await page.context().close();
  }, 120_000);

  it('fits a 390-px phone, and says when there are no forms, while it loads, and when loading fails', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/forms/demo-request',
      viewport: PHONE,
    });
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-forms-phone');

    const list = await holdThenFail(page, '**/v1/admin/forms');
    await page.getByRole('link', { name: 'All forms' }).click();
    await page.getByText('Loading forms…').waitFor();
    list.fail();
    await page.getByText('Could not load forms: Try again soon.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    list.recover();
    await page.unroute('**/v1/admin/forms');
    await page.route('**/v1/admin/forms', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ forms: [] }) }),
    );
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No forms yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
