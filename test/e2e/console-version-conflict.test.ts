import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { launchConsoleBrowser, PHONE, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * Two people editing the same sequence in Chromium, both from the same active version: Alex saves
 * and activates first; Maya's save is refused in words (who activated which version when), her
 * change is kept, and "Reload and re-apply my change" (by keyboard) puts it on Alex's version, so
 * activating hers keeps his; the wait both changed is named as the form labels it. Axe clean,
 * 390 px. The same on Scoring (a rule's points both changed named), a segment (keyboard only), a
 * form (a label both changed is named) and a template, each checked in the stored version.
 */
let stack: LocalStack;
let browser: Browser;
const EDIT = '/console/sequences/welcome/edit';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const days = (page: Page, n: number, id: string) =>
  page.getByRole('group', { name: `Step ${n} “${id}”`, exact: true }).getByLabel('Wait days');

async function edited(page: Page, n: number, id: string, value: string) {
  await days(page, n, id).fill(value);
  const save = page.getByRole('button', { name: 'Save as new version' });
  await expect.poll(() => save.isEnabled(), { timeout: 20_000 }).toBe(true);
  return save;
}

describe('two people editing the same sequence', () => {
  it('the second save says who activated what, keeps the change, and re-applies it on the latest version', async () => {
    const alex = (await signInToConsole(browser, stack, 'alex', { path: EDIT })).page;
    const maya = (await signInToConsole(browser, stack, 'maya', { path: EDIT, viewport: PHONE })).page;
    await alex.getByRole('heading', { name: 'Edit Welcome series' }).waitFor();
    await maya.getByRole('heading', { name: 'Edit Welcome series' }).waitFor();

    // Alex changes two waits; Maya (below) one of them too.
    await days(alex, 3, 'case-study').fill('7');
    await (await edited(alex, 2, 'getting-started', '4')).click();
    await alex.getByRole('button', { name: /^Activate version \d+$/ }).click();
    const alexActive = await alex.locator('.seq-activated').textContent({ timeout: 20_000 });
    const alexVersion = alexActive?.match(/^Version (\d+) is active/)?.[1];
    expect(alexVersion).toBeDefined();

    // Maya started from the version before Alex's; her save must not drop his change.
    await (await edited(maya, 3, 'case-study', '9')).click();
    const conflict = maya.getByRole('region', { name: 'Someone else changed this since you started' });
    await conflict.waitFor();
    expect(await conflict.getByRole('alert').textContent()).toMatch(
      new RegExp(
        `^Alex Novak \\(alex\\) activated nurture config version ${alexVersion} at .+, after your edit started from version \\d+\\. `,
      ),
    );
    expect(await days(maya, 3, 'case-study').inputValue()).toBe('9');
    expect(await maya.getByRole('button', { name: /^Activate version/ }).count()).toBe(0);
    expect(await maya.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(maya)).toEqual([]);
    expect(await conflict.locator('pre').textContent()).toContain('days: 9');
    await conflict.screenshot({ path: 'docs/screenshots/console-version-conflict.png' });

    // By keyboard (focus lands on the notice): reload the latest version with her change re-applied.
    const reapply = conflict.getByRole('button', { name: 'Reload and re-apply my change' });
    await tabTo(maya, reapply);
    await maya.keyboard.press('Enter');
    await conflict.waitFor({ state: 'detached' });
    const note = maya.locator('.seq-reapplied');
    expect(await note.textContent()).toBe(
      `Your change is re-applied on version ${alexVersion}: check it, then save. You both changed Step 3 “case-study”: Wait days: yours is kept there.`,
    );
    // The note takes the focus from the notice it replaces: keyboard users go on from there.
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await days(maya, 2, 'getting-started').inputValue()).toBe('4');
    expect(await days(maya, 3, 'case-study').inputValue()).toBe('9');
    expect(await maya.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(maya)).toEqual([]);
    const save = maya.getByRole('button', { name: 'Save as new version' });
    await expect.poll(() => save.isEnabled(), { timeout: 20_000 }).toBe(true);
    await save.click();
    // Activation carries basedOn too: Alex's version is still the active one, so it goes through.
    await maya.getByRole('button', { name: /^Activate version \d+$/ }).click();
    await expect.poll(() => maya.locator('.seq-activated').textContent()).toMatch(/^Version \d+ is active/);

    const { active } = (await (
      await fetch(`${stack.apiUrl}/v1/admin/nurture`, {
        headers: { authorization: `Bearer ${stack.tokens.marketing}` },
      })
    ).json()) as {
      active: {
        version: number;
        document: { sequences: { id: string; steps: { wait?: { days?: number } }[] }[] };
      };
    };
    // Maya's version is the active one: his wait kept, hers where both changed one.
    expect(active.version).toBeGreaterThan(Number(alexVersion));
    const welcome = active.document.sequences.find((s) => s.id === 'welcome');
    expect(welcome?.steps[1]?.wait?.days).toBe(4);
    expect(welcome?.steps[2]?.wait?.days).toBe(9);
    await alex.context().close();
    await maya.context().close();
  }, 180_000);

  it('scoring: the second save is refused in words, and re-applying keeps both thresholds and names the points both changed', async () => {
    const alex = (await signInToConsole(browser, stack, 'alex', { path: '/console/scoring' })).page;
    const maya = (await signInToConsole(browser, stack, 'maya', { path: '/console/scoring' })).page;
    const managerPoints = (page: Page) => page.getByLabel('Points of fit rule 2', { exact: true });
    for (const page of [alex, maya]) {
      await expect.poll(() => page.getByLabel('MQL at (points)').inputValue()).toMatch(/^\d+$/);
      await expect.poll(() => managerPoints(page).inputValue()).toBe('10');
    }

    await alex.getByLabel('MQL at (points)').fill('35');
    await managerPoints(alex).fill('12');
    await alex.getByRole('button', { name: 'Save as new version' }).click();
    await alex.getByText(/^Saved as version \d+\./).waitFor();
    await alex
      .getByRole('button', { name: /^Activate version \d+$/ })
      .first()
      .click();
    const alexActive = await alex.getByText(/^Version \d+ is active\.$/).textContent();
    const alexVersion = alexActive?.match(/^Version (\d+)/)?.[1];
    expect(alexVersion).toBeDefined();

    await maya.getByLabel('Hot at (points)').fill('75');
    await managerPoints(maya).fill('15');
    await maya.getByRole('button', { name: 'Save as new version' }).click();
    const conflict = maya.getByRole('region', { name: 'Someone else changed this since you started' });
    await conflict.waitFor();
    expect(await conflict.getByRole('alert').textContent()).toMatch(
      new RegExp(`^Alex Novak \\(alex\\) activated scoring model version ${alexVersion} at `),
    );
    expect(await seriousViolations(maya)).toEqual([]);
    await conflict.getByRole('button', { name: 'Reload and re-apply my change' }).click();
    await conflict.waitFor({ state: 'detached' });
    const note = maya.locator('.sc-reapplied');
    expect(await note.textContent()).toBe(
      `Your change is re-applied on version ${alexVersion}: check it, then save. You both changed Fit rule 2 (manager-title): Points: yours is kept there.`,
    );
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await maya.getByLabel('MQL at (points)').inputValue()).toBe('35');
    expect(await maya.getByLabel('Hot at (points)').inputValue()).toBe('75');
    expect(await managerPoints(maya).inputValue()).toBe('15');
    expect(await seriousViolations(maya)).toEqual([]);
    await maya.getByRole('button', { name: 'Save as new version' }).click();
    await maya.getByText(/^Saved as version \d+\./).waitFor();
    // Activation is based on Alex's version, still the active one: it goes through.
    await maya
      .getByRole('button', { name: /^Activate version \d+$/ })
      .first()
      .click();
    await maya.getByText(/^Version \d+ is active\.$/).waitFor();

    const stored = await api(stack).get('/v1/admin/scoring', stack.tokens.marketing);
    const { version, document: model } = stored.json.active;
    expect(version).toBeGreaterThan(Number(alexVersion));
    expect(model.thresholds).toMatchObject({ mql: 35, hot: 75 });
    expect(model.fit[1]).toMatchObject({ id: 'manager-title', points: 15 });
    await alex.context().close();
    await maya.context().close();
  }, 120_000);

  it('segments: by keyboard, the refused save is re-applied on the latest version, and both changes are stored', async () => {
    const path = '/console/segments/hot-eu';
    const alex = (await signInToConsole(browser, stack, 'alex', { path })).page;
    const maya = (await signInToConsole(browser, stack, 'maya', { path })).page;
    const withinDays = (page: Page) =>
      page.getByRole('group', { name: 'Condition 3', exact: true }).getByLabel('In the last (days)');
    for (const page of [alex, maya]) await expect.poll(() => withinDays(page).inputValue()).toBe('30');

    await alex.getByLabel('Description').fill('EU leads scored B or better who read our email (Alex).');
    await alex.getByRole('button', { name: 'Save as new version' }).click();
    await alex.getByRole('button', { name: /^Activate version \d+$/ }).click();
    const alexActive = await alex
      .locator('.seg-saved')
      .getByText(/^Version \d+ is active/)
      .textContent();
    const alexVersion = alexActive?.match(/^Version (\d+)/)?.[1];

    // Maya, keyboard only: her edit started before Alex activated his.
    await tabTo(maya, withinDays(maya));
    await maya.keyboard.press('ControlOrMeta+A');
    await maya.keyboard.type('14');
    await tabTo(maya, maya.getByRole('button', { name: 'Save as new version' }));
    await maya.keyboard.press('Enter');
    const conflict = maya.getByRole('region', { name: 'Someone else changed this since you started' });
    await conflict.waitFor();
    expect(await conflict.getByRole('alert').textContent()).toMatch(
      new RegExp(
        `^Alex Novak \\(alex\\) activated nurture config version ${alexVersion} at .+, after your edit`,
      ),
    );
    expect(await withinDays(maya).inputValue()).toBe('14');
    expect(await conflict.locator('pre').textContent()).toContain('withinDays: 14');
    expect(await seriousViolations(maya)).toEqual([]);

    await tabTo(maya, conflict.getByRole('button', { name: 'Reload and re-apply my change' }));
    await maya.keyboard.press('Enter');
    await conflict.waitFor({ state: 'detached' });
    const note = maya.locator('.seg-reapplied');
    expect(await note.textContent()).toBe(
      `Your change is re-applied on version ${alexVersion}: check it, then save. Their change is kept.`,
    );
    expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await maya.getByLabel('Description').inputValue()).toBe(
      'EU leads scored B or better who read our email (Alex).',
    );
    expect(await withinDays(maya).inputValue()).toBe('14');
    expect(await seriousViolations(maya)).toEqual([]);
    await tabTo(maya, maya.getByRole('button', { name: 'Save as new version' }));
    await maya.keyboard.press('Enter');
    const activate = maya.getByRole('button', { name: /^Activate version \d+$/ });
    await activate.waitFor();
    await tabTo(maya, activate);
    await maya.keyboard.press('Enter');
    await maya
      .locator('.seg-saved')
      .getByText(/^Version \d+ is active/)
      .waitFor();

    const stored = await api(stack).get('/v1/admin/segments', stack.tokens.marketing);
    const hotEu = stored.json.segments.find((s: { id: string }) => s.id === 'hot-eu');
    expect(hotEu.description).toBe('EU leads scored B or better who read our email (Alex).');
    expect(hotEu.definition.conditions[2]).toMatchObject({ type: 'email', engaged: true, withinDays: 14 });
    expect(stored.json.version).toBeGreaterThan(Number(alexVersion));
    await alex.context().close();
    await maya.context().close();
  }, 180_000);

  it('forms: re-applying keeps his name, names the label both changed, and stores hers there', async () => {
    const path = '/console/forms/demo-request';
    const alex = (await signInToConsole(browser, stack, 'alex', { path })).page;
    const maya = (await signInToConsole(browser, stack, 'maya', { path, viewport: PHONE })).page;
    const companyLabel = (page: Page) =>
      page.getByRole('group', { name: 'Field 4: company', exact: true }).getByLabel('Label', { exact: true });

    await alex.getByLabel('Form name').fill('Book a demo');
    await companyLabel(alex).fill('Company name');
    await alex.getByRole('button', { name: 'Save as new version' }).click();
    await alex.getByRole('button', { name: /^Activate version \d+$/ }).click();
    await alex.getByText(/^Version \d+ is active: the form takes submissions/).waitFor();

    await companyLabel(maya).fill('Organisation');
    await maya.getByLabel('Description').fill('The demo page, with the organisation asked (Maya).');
    await maya.getByRole('button', { name: 'Save as new version' }).click();
    const conflict = maya.getByRole('region', { name: 'Someone else changed this since you started' });
    await conflict.waitFor();
    expect(await conflict.getByRole('alert').textContent()).toMatch(
      /^Alex Novak \(alex\) activated .+ version \d+ at /,
    );
    expect(await seriousViolations(maya)).toEqual([]);
    await conflict.getByRole('button', { name: 'Reload and re-apply my change' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await maya.locator('.forms-reapplied').textContent()).toMatch(
      /^Your change is re-applied on version \d+: check it, then save\. You both changed Field 4: company, Label: yours is kept there\.$/,
    );
    expect(await maya.getByLabel('Form name').inputValue()).toBe('Book a demo');
    expect(await companyLabel(maya).inputValue()).toBe('Organisation');
    expect(await maya.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(maya)).toEqual([]);
    await maya.getByRole('button', { name: 'Save as new version' }).click();
    await maya.getByRole('button', { name: /^Activate version \d+$/ }).click();
    await maya.getByText(/^Version \d+ is active: the form takes submissions/).waitFor();

    const stored = await api(stack).get('/v1/admin/forms/demo-request', stack.tokens.marketing);
    const form = stored.json.active.document;
    expect(form.name).toBe('Book a demo');
    expect(form.description).toBe('The demo page, with the organisation asked (Maya).');
    expect(form.fields[3]).toMatchObject({ name: 'company', label: 'Organisation' });
    await alex.context().close();
    await maya.context().close();
  }, 180_000);

  it('templates: re-applying keeps his subject and stores her text body with it', async () => {
    const path = '/console/templates/check-in';
    const alex = (await signInToConsole(browser, stack, 'alex', { path })).page;
    const maya = (await signInToConsole(browser, stack, 'maya', { path })).page;
    for (const page of [alex, maya])
      await expect.poll(() => page.getByLabel('Subject').inputValue()).toMatch(/^Still losing leads/);

    await alex.getByLabel('Subject').fill('A month on: what changed at Leadflow');
    await alex.getByRole('button', { name: 'Save as new version' }).click();
    await alex.getByRole('button', { name: /^Activate version \d+$/ }).click();
    await alex.getByText(/^Version \d+ is active: this template goes out/).waitFor();

    await maya.getByLabel('Text body').fill('Hi {{ firstName }}, here is what changed since we talked.');
    await maya.getByRole('button', { name: 'Save as new version' }).click();
    const conflict = maya.getByRole('region', { name: 'Someone else changed this since you started' });
    await conflict.waitFor();
    // The email's own frame is not the console's page (as in console-templates.test.ts).
    expect(await seriousViolations(maya, { exclude: 'iframe.tpl-frame' })).toEqual([]);
    await conflict.getByRole('button', { name: 'Reload and re-apply my change' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await maya.locator('.tpl-reapplied').textContent()).toMatch(
      /^Your change is re-applied on version \d+: check it, then save\. Their change is kept\.$/,
    );
    expect(await maya.getByLabel('Subject').inputValue()).toBe('A month on: what changed at Leadflow');
    const save = maya.getByRole('button', { name: 'Save as new version' });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await maya.getByRole('button', { name: /^Activate version \d+$/ }).click();
    await maya.getByText(/^Version \d+ is active: this template goes out/).waitFor();

    const stored = await api(stack).get('/v1/admin/nurture', stack.tokens.marketing);
    const checkIn = stored.json.active.document.templates.find((t: { id: string }) => t.id === 'check-in');
    expect(checkIn.subject).toBe('A month on: what changed at Leadflow');
    expect(checkIn.text).toBe('Hi {{ firstName }}, here is what changed since we talked.');
    await alex.context().close();
    await maya.context().close();
  }, 180_000);
});
