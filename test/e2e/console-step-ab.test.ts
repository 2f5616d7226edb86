import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variantFor } from '../../functions/core/nurture/step-variants';
import type { LocalStack } from '../../functions/local/stack';
import { launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { AB_STEP, configWithAbStep } from '../fixtures/step-ab';
import { seriousViolations } from './axe';

/**
 * An A/B sequence step in the console's email report, in Chromium on the local stack: newsletter
 * sign-ups mailed the welcome step's variants, variant a's mail opened (the local SES event API),
 * and maya reads the sequence's "A/B variants" table — each variant's sends, unique opens and the
 * significance in words; axe on the page, the table's scroll region by keyboard, a 390-px phone.
 */
const LEADS = 10;
let stack: LocalStack;
let browser: Browser;
let config: Awaited<ReturnType<typeof configWithAbStep>>;
const run = Date.now().toString(36);
const ofA: string[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  config = await configWithAbStep();
  stack = await startTestStack({
    configDir: config.dir,
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  browser = await launchConsoleBrowser();
  const http = api(stack);
  for (let i = 0; i < LEADS; i += 1) {
    const res = await http.submit('newsletter', { email: `ab.${i}.${run}@example.org`, consent: true });
    expect(res.status).toBe(202);
    const leadId = res.json.leadId as string;
    const messageId = await waitFor(
      'the welcome email on the timeline',
      async () => {
        const lead = await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing);
        return lead.json.timeline.find((e: Json) => e.type === 'email_sent')?.properties?.messageId;
      },
      30_000,
    );
    if (variantFor('welcome', AB_STEP, leadId)?.name !== 'a') continue;
    ofA.push(leadId);
    expect((await http.post('/local/ses/events', { messageId, event: 'open' })).status).toBe(202);
  }
  // Both variants sent (10 leads at 50/50: one-sided once in 512 runs).
  expect(ofA.length).toBeGreaterThan(0);
  expect(ofA.length).toBeLessThan(LEADS);
  await waitFor(
    'the email report to count the opens',
    async () => {
      const res = await http.get('/v1/admin/reports/email?sequence=welcome', stack.tokens.marketing);
      const a = res.json.tables
        .find((t: Json) => t.id === 'variants')
        ?.rows.find((r: Json) => r.variant === 'a');
      return a?.opened === ofA.length ? true : undefined;
    },
    30_000,
  );
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await config?.remove();
});

describe('an A/B sequence step in the email report', () => {
  it('maya reads each variant: sent, unique opens, the open rate, and which leads at 95%', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/reports/email?sequence=welcome',
    });
    const table = page.getByRole('table', { name: /^A\/B variants/ });
    await table.waitFor();
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(3);
    const cells = async (i: number) =>
      (await rows.nth(i).locator('th, td').allTextContents()).map((c) => c.trim());
    const a = await cells(1);
    const b = await cells(2);
    expect(a.slice(0, 4)).toEqual(['welcome', 'a', String(ofA.length), String(ofA.length)]);
    expect(b.slice(0, 4)).toEqual(['welcome', 'b', String(LEADS - ofA.length), '0']);
    // z = sqrt(10) = 3.16 when every a and no b was opened: significant, whatever the split.
    expect(a).toContain('variant A leads at 95% confidence');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-reports-variants');
    // The table scrolls sideways in its own region, which the keyboard reaches.
    await tabTo(page, page.getByRole('region', { name: /^A\/B variants/ }).last());
    await page.context().close();
  });

  it('on a 390-px phone the page fits and the variants table scrolls inside its card', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/reports/email?sequence=welcome',
      viewport: PHONE,
    });
    await page.getByRole('table', { name: /^A\/B variants/ }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByRole('region', { name: /^A\/B variants/ })
      .last()
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'docs/screenshots/console-reports-variants-phone.png' });
    await page.context().close();
  });
});
