import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { CONFIG_CACHE_SECONDS_ENV } from '../../functions/shared/env-names';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack, waitFor, webhookApi } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * "New sequence" in Chromium on the local stack, with the keyboard alone: the id checked as you
 * type (taken, then free), name, trigger and first step → the editor → save (a version, nothing
 * live) → the diff says it is added, the saved version's preview shows its first step → activate →
 * a demo request with consent enrolls into it. Then 390 px, the states, and no sequences at all.
 */
let stack: LocalStack;
let browser: Browser;
const run = Date.now().toString(36);
const ID = 'demo-follow-up';
const NAME = 'Demo follow-up';
const FRAME = '.seq-frame';
/** How long handlers keep the active nurture config (the local stack sets 2 s unless the env says otherwise). */
const configCacheMs = () => Number(process.env[CONFIG_CACHE_SECONDS_ENV] ?? 2) * 1000;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Focus `field` by Tab and replace its text by typing. */
async function typeInto(page: Page, label: string, text: string) {
  const field = page.getByLabel(label, { exact: true });
  await tabTo(page, field);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

describe('a new sequence from the console', () => {
  it('create → save → diff → activate → a sign-up on its form enrolls into it, keyboard only', async () => {
    const signedIn = await signInToConsole(browser, stack, 'maya', { path: '/console/sequences' });
    const { page } = signedIn;
    const start = page.getByRole('link', { name: 'New sequence' });
    await tabTo(page, start);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New sequence', level: 1 }).waitFor();

    // The id is checked as you type: a taken one is said at the field, then a free one clears it.
    const id = page.getByLabel('Id', { exact: true });
    await typeInto(page, 'Id', 'welcome');
    await expect
      .poll(() => page.locator('#seq-id-error').textContent())
      .toBe('a sequence “welcome” exists already: choose another id');
    expect(await id.getAttribute('aria-invalid')).toBe('true');
    expect(await id.getAttribute('aria-describedby')).toContain('seq-id-error');
    await typeInto(page, 'Id', 'Demo Follow');
    await expect.poll(() => page.locator('#seq-id-error').textContent()).toMatch(/^use lower-case letters/);
    await typeInto(page, 'Id', ID);
    await expect.poll(() => page.locator('#seq-id-error').count()).toBe(0);
    expect(await id.getAttribute('aria-invalid')).toBeNull();

    await typeInto(page, 'Name', NAME);
    await tabTo(page, page.getByLabel('Enroll when'));
    expect(await page.getByLabel('Enroll when').inputValue()).toBe('form_submitted');
    await typeInto(page, 'Form id', 'demo-request');
    await typeInto(page, 'Wait days', '1');
    await tabTo(page, page.getByLabel('Template', { exact: true }));
    await page.keyboard.type('Welcome');
    expect(await page.getByLabel('Template', { exact: true }).inputValue()).toBe('welcome');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-sequence-new');
    await tabTo(page, page.getByRole('button', { name: 'Continue to the editor' }));
    await page.keyboard.press('Enter');

    // The same editor as an existing sequence, on the new one.
    await page.getByRole('heading', { name: `New sequence: ${NAME}`, level: 1 }).waitFor();
    const step = page.getByRole('group', { name: 'Step 1 “welcome”', exact: true });
    expect(await step.getByLabel('Wait days').inputValue()).toBe('1');
    const save = page.getByRole('button', { name: 'Save as new version' });
    await expect
      .poll(() => page.locator('.seq-check-status').textContent(), { timeout: 20_000 })
      .toBe('No problems found.');
    await expect.poll(() => save.isEnabled()).toBe(true);
    const before = (await api(stack).get('/v1/admin/nurture', signedIn.token())).json;
    await tabTo(page, save);
    await page.keyboard.press('Enter');

    // Saved: a version that holds the new sequence, by Maya, not active; the diff says it is added.
    const activate = page.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    const saved = Number((await activate.textContent())?.replace(/\D+/g, ''));
    const after = (await api(stack).get('/v1/admin/nurture', signedIn.token())).json;
    expect(after.active.version).toBe(before.active.version);
    expect(after.active.document.sequences.map((s: { id: string }) => s.id)).not.toContain(ID);
    expect(after.versions.find((v: { version: number }) => v.version === saved)).toMatchObject({
      createdBy: { name: 'Maya Lindqvist', username: 'maya' },
      createdAt: expect.any(String),
    });
    const diff = page.getByRole('region', { name: /against the active version/ });
    await expect.poll(() => diff.locator('.seq-diff-summary').textContent()).toBe(`Sequences added: ${ID}`);
    expect(await diff.locator('.seq-diff-added').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`id: ${ID}`),
        expect.stringContaining('formId: demo-request'),
      ]),
    );
    expect(await diff.locator('.seq-diff-removed').count()).toBe(0);
    // The saved version's preview shows the first step for the sample profile.
    await page.locator(FRAME).first().waitFor();
    expect(await page.locator('.seq-preview .sub').first().textContent()).toMatch(
      new RegExp(`^For the sample profile, version ${saved}`),
    );
    expect(await page.locator(FRAME).count()).toBe(1);
    expect(await seriousViolations(page, { exclude: FRAME })).toEqual([]);

    await tabTo(page, activate);
    await page.keyboard.press('Enter');
    const done = page.locator('.seq-activated');
    await expect
      .poll(() => done.textContent())
      .toMatch(new RegExp(`^Version ${saved} is active: “${NAME}” is live`));
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toBe('seq-activated');
    const live = (await api(stack).get('/v1/admin/nurture', signedIn.token())).json;
    expect(live.active.version).toBe(saved);
    expect(live.versions.find((v: { version: number }) => v.version === saved)).toMatchObject({
      activatedBy: { name: 'Maya Lindqvist', username: 'maya' },
      activatedAt: expect.any(String),
    });
    expect(live.active.document.sequences.find((s: { id: string }) => s.id === ID)).toMatchObject({
      name: NAME,
      trigger: { on: 'form_submitted', formId: 'demo-request' },
      steps: [{ id: 'welcome', template: 'welcome', wait: { days: 1, hours: 0, minutes: 0 } }],
    });

    // Live: a demo request with consent (once the cached config has expired) enrolls into it.
    await new Promise((resolve) => setTimeout(resolve, configCacheMs() + 500));
    const email = `nina.${run}@new-sequence.example`;
    expect(
      (
        await api(stack).submit('demo-request', {
          email,
          firstName: 'Nina',
          lastName: 'Newman',
          company: 'Globex',
          consent: true,
        })
      ).status,
    ).toBe(202);
    const enrollment = await waitFor(
      'the enrollment into the new sequence',
      async () =>
        ((await webhookApi(stack).lead(email))?.enrollments as { sequenceId: string }[] | undefined)?.find(
          (e) => e.sequenceId === ID,
        ),
      20_000,
    );
    expect(enrollment).toMatchObject({ sequenceId: ID, status: 'active', step: 0 });

    await tabTo(page, page.getByRole('link', { name: 'See its timeline and preview' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: NAME, level: 1 }).waitFor();
    expect(await page.getByRole('region', { name: 'Timeline' }).textContent()).toContain('Wait 1 day');
    await page.goto(`${stack.apiUrl}/console/sequences`);
    await page.getByRole('row', { name: new RegExp(`^${NAME} When the form “demo-request”`) }).waitFor();
    await page.context().close();
  }, 240_000);

  it('fits a 390-px phone, and says loading, failed, no config and no sequences yet', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/sequences/new',
      viewport: PHONE,
    });
    await page.getByLabel('Id', { exact: true }).fill('back-to-nurture');
    await page.locator('#seq-id-error').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    // Continue with problems: each is said at its field and the focus goes to the first.
    await page.getByLabel('Id', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Continue to the editor' }).click();
    expect(await page.locator('.seq-field.invalid label').allTextContents()).toEqual(['Id', 'Name']);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('seq-id');
    // In the editor the YAML tab can change the id: one that is taken is said at the form's About.
    await page.getByLabel('Id', { exact: true }).fill('phone-check');
    await page.getByLabel('Name', { exact: true }).fill('Phone check');
    await page.getByRole('button', { name: 'Continue to the editor' }).click();
    await page.getByRole('heading', { name: 'New sequence: Phone check', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'YAML' }).click();
    const yaml = page.getByLabel('Sequence as YAML');
    await yaml.fill((await yaml.inputValue()).replace(/^id: phone-check$/m, 'id: welcome'));
    await page.getByRole('tab', { name: 'Form' }).click();
    await expect
      .poll(() => page.locator('.seq-form .field-error').first().textContent(), { timeout: 20_000 })
      .toBe('Id: sequence "welcome" is defined twice');
    expect(await page.getByRole('button', { name: 'Save as new version' }).isDisabled()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);

    const nurture = await holdThenFail(page, '**/v1/admin/nurture');
    await page.goto(`${stack.apiUrl}/console/sequences/new`);
    await page.getByText('Loading the sequences…').waitFor();
    nurture.fail();
    await expect.poll(() => page.locator('.error-state').textContent()).toContain('Try again soon.');
    nurture.recover();
    await page.unroute('**/v1/admin/nurture');

    const state = (await api(stack).get('/v1/admin/nurture', stack.tokens.marketing)).json;
    const answer = (body: unknown) =>
      page.route('**/v1/admin/nurture', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }),
      );
    await answer({
      ...state,
      active: { ...state.active, document: { ...state.active.document, sequences: [] } },
    });
    await page.goto(`${stack.apiUrl}/console/sequences`);
    await page.getByText('No sequences yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Create a sequence' }).click();
    await page.getByRole('heading', { name: 'New sequence', level: 1 }).waitFor();
    await page.unroute('**/v1/admin/nurture');
    await answer({ active: null, versions: [] });
    await page.goto(`${stack.apiUrl}/console/sequences/new`);
    await page.getByText('No nurture config is active yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 120_000);
});
