import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Sequences pages in Chromium on the local stack: the list with each sequence's live numbers
 * (the sequences report), a sequence as a timeline, editing a wait and a condition in the form and
 * seeing them in the YAML tab, a problem shown at its field in words, save → diff → activate, and
 * the preview for a lead without consent saying why nothing would go; keyboard only, 390 px, states.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
const NO_CONSENT = `nora.${run}@noconsent.example`;
const FRAME = '.seq-frame';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  browser = await launchConsoleBrowser();
  const http = api(stack);
  // Two newsletter sign-ups enter the welcome series; one demo request without consent enters nothing.
  for (const name of ['ada', 'grace'])
    expect(
      (await http.submit('newsletter', { email: `${name}.${run}@welcome.example`, consent: true })).status,
    ).toBe(202);
  expect(
    (
      await http.submit('demo-request', {
        email: NO_CONSENT,
        firstName: 'Nora',
        lastName: 'Noconsent',
        company: 'Initech',
        consent: false,
      })
    ).status,
  ).toBe(202);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const step = (page: Page, n: number, id: string) =>
  page.getByRole('group', { name: `Step ${n} “${id}”`, exact: true });

describe('the Sequences pages', () => {
  it('list → timeline → edit a wait and a condition → YAML → an error at its field → save → diff → activate → preview', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/sequences' });
    const welcome = page.getByRole('row', { name: /Welcome series When the form “newsletter”/ });
    // Counted by the reports' aggregator on a tick: the page reads the report when it opens, so it
    // is opened again until the tick has counted both (slow under load: the tick is a poller).
    await expect
      .poll(
        async () => {
          await welcome.waitFor();
          const enrolled = await welcome.getByRole('cell').nth(1).textContent();
          if (enrolled !== '2') await page.reload();
          return enrolled;
        },
        { timeout: 90_000, interval: 1_000 },
      )
      .toBe('2');
    expect(await welcome.getByRole('cell').nth(2).textContent()).toBe('2');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-sequences');

    await welcome.getByRole('link', { name: 'Welcome series' }).click();
    await page.getByRole('heading', { name: 'Welcome series', level: 1 }).waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    expect(await timeline.textContent()).toContain('Wait 2 days');
    expect(await timeline.textContent()).toContain('Only if the lead has not had “webinar attended”');

    await page.getByRole('link', { name: 'Edit Welcome series' }).click();
    await page.getByRole('heading', { name: 'Edit Welcome series' }).waitFor();
    const second = step(page, 2, 'getting-started');
    const days = second.getByLabel('Wait days');
    // A wait too long for the schema: said at the field, in words, with the field marked.
    await days.fill('400');
    await expect
      .poll(() => second.locator('.field-error').first().textContent(), { timeout: 20_000 })
      .toBe('must be at most 365');
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Save as new version' }).isDisabled()).toBe(true);
    await days.fill('3');
    const third = step(page, 3, 'case-study');
    await third.getByLabel('Condition', { exact: true }).selectOption('score');
    await third.getByLabel('Score at least').fill('40');
    await expect
      .poll(() => page.locator('.seq-check-status').textContent(), { timeout: 20_000 })
      .toBe('No problems found.');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-sequence-editor');

    await page.getByRole('tab', { name: 'YAML' }).click();
    const yaml = (await page.getByLabel('Sequence as YAML').inputValue()).replace(/\s+/g, ' ');
    expect(yaml).toContain('id: getting-started wait: days: 3');
    expect(yaml).toContain('when: score: min: 40');
    // The YAML edits the same document: a wait changed here is in the form.
    const text = page.getByLabel('Sequence as YAML');
    await text.fill((await text.inputValue()).replace('days: 5', 'days: 6'));
    await shot(page, 'console-sequence-yaml');
    await page.getByRole('tab', { name: 'Form' }).click();
    expect(await step(page, 3, 'case-study').getByLabel('Wait days').inputValue()).toBe('6');
    await expect
      .poll(() => page.locator('.seq-check-status').textContent(), { timeout: 20_000 })
      .toBe('No problems found.');

    await page.getByRole('button', { name: 'Save as new version' }).click();
    const activate = page.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    const diff = page.getByRole('region', { name: /against the active version/ });
    await expect
      .poll(() => diff.locator('.seq-diff-summary').textContent())
      .toBe('Sequences changed: welcome');
    expect(await diff.locator('.seq-diff-added').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('days: 3'),
        expect.stringContaining('min: 40'),
        expect.stringContaining('days: 6'),
      ]),
    );
    // The saved version is previewed before it is activated.
    await page.locator(FRAME).first().waitFor();
    expect(await page.locator('.seq-preview .sub').first().textContent()).toMatch(
      /^For the sample profile, version \d+/,
    );
    expect(await seriousViolations(page, { exclude: FRAME })).toEqual([]);
    await shot(page, 'console-sequence-diff');
    await activate.click();
    await expect.poll(() => page.locator('.seq-activated').textContent()).toMatch(/^Version \d+ is active/);

    await page.getByRole('link', { name: 'See its timeline and preview' }).click();
    await page.getByRole('heading', { name: 'Welcome series', level: 1 }).waitFor();
    expect(await timeline.textContent()).toContain('Wait 3 days');
    expect(await timeline.textContent()).toContain('Only when the score is at least 40');
    await page.getByLabel('Find a lead by email or id').fill(NO_CONSENT);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: `Preview for ${NO_CONSENT}` }).click();
    const hold = page.locator('.seq-hold');
    await expect
      .poll(() => hold.textContent(), { timeout: 20_000 })
      .toMatch(/^Would not send: No marketing consent/);
    expect(await page.locator('.seq-preview-step').first().textContent()).toContain('Not sent (see above).');
    expect(await page.locator(FRAME).count()).toBe(3);
    expect(await page.locator(FRAME).first().getAttribute('sandbox')).toBe('');
    expect(await seriousViolations(page, { exclude: FRAME })).toEqual([]);
    await shot(page, 'console-sequence-preview');
    await page.context().close();
  }, 240_000);

  it('can be edited with the keyboard alone: tabs by arrow keys, fields by Tab', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/sequences/back-to-nurture/edit',
    });
    const days = step(page, 1, 'check-in').getByLabel('Wait days');
    await tabTo(page, days);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('21');
    await tabTo(page, page.getByRole('tab', { name: 'Form' }));
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('YAML');
    expect((await page.getByLabel('Sequence as YAML').inputValue()).replace(/\s+/g, ' ')).toContain(
      'days: 21',
    );
    const save = page.getByRole('button', { name: 'Save as new version' });
    await expect.poll(() => save.isEnabled(), { timeout: 20_000 }).toBe(true);
    await tabTo(page, save);
    await page.keyboard.press('Enter');
    const activate = page.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    await tabTo(page, activate);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.seq-activated').textContent()).toMatch(/^Version \d+ is active/);
    await page.context().close();
  }, 120_000);

  it('fits a 390-px phone, and says when it is loading, when loading fails and when there are none', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/sequences/welcome',
      viewport: PHONE,
    });
    await page.getByRole('region', { name: 'Timeline' }).waitFor();
    await page.locator(FRAME).first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page, { exclude: FRAME })).toEqual([]);
    await shot(page, 'console-sequence-phone');

    const nurture = await holdThenFail(page, '**/v1/admin/nurture');
    await page.goto(`${stack.apiUrl}/console/sequences`);
    await page.getByText('Loading sequences…').waitFor();
    nurture.fail();
    await expect.poll(() => page.locator('.error-state').textContent()).toContain('Try again soon.');
    expect(await seriousViolations(page)).toEqual([]);
    nurture.recover();
    await page.route('**/v1/admin/nurture', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ active: null, versions: [] }),
      }),
    );
    await page.goto(`${stack.apiUrl}/console/sequences`);
    await page.getByText('No nurture config is active yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
