import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadPlace, testVariant } from '../../functions/core/nurture/broadcast-ab';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The console's Broadcasts in Chromium on the local stack: the list's loading, error and empty
 * states; a marketer creates a broadcast with an A/B subject test by keyboard only, the test share
 * goes out, opens posted through the local SES events route make a variant win after the wait,
 * the rest gets it and the page shows the results per variant; a scheduled broadcast is cancelled
 * through its confirmation; the list at 390 px; a draft to a saved segment picked with its live
 * count; a sales rep has no Broadcasts. axe on every page.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let browser: Browser;
const run = Date.now().toString(36);
const leadIds: string[] = [];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  browser = await launchConsoleBrowser();
  // The shipped cap (one marketing email a day) would hold every broadcast behind the welcome email.
  const token = stack.tokens.marketing;
  const config = structuredClone((await http.get('/v1/admin/nurture', token)).json.active.document);
  config.settings.frequencyCap = { perDay: 10, perWeek: 20 };
  const version = await http.post('/v1/admin/nurture/versions', { config }, token);
  await http.post(`/v1/admin/nurture/versions/${version.json.version}/activate`, {}, token);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function subscribe(count: number) {
  for (let i = 0; i < count; i += 1) {
    const res = await http.submit('newsletter', {
      email: `ada.${i}.${run}@example.org`,
      firstName: 'Ada',
      consent: true,
    });
    expect(res.status).toBe(202);
    leadIds.push(res.json.leadId);
  }
}

describe('Broadcasts in the console', () => {
  it('shows loading, an error with a retry, then the empty list', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { landing: '/console/leads' });
    const held = await holdThenFail(page, '**/v1/admin/broadcasts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('status').filter({ hasText: 'Loading broadcasts' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    held.fail();
    await page.getByRole('alert').filter({ hasText: 'Try again soon.' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    held.recover();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByText('No broadcasts yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('creates an A/B subject test by keyboard; the test share goes out, opens pick the winner, the rest gets it', async () => {
    await subscribe(8);
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/broadcasts/new' });
    const type = async (label: string, text: string) => {
      const field = page.getByLabel(label, { exact: true });
      await tabTo(page, field);
      await page.keyboard.press('Control+A');
      await page.keyboard.type(text);
    };
    await type('Name', 'Spring check-in');
    await tabTo(page, page.getByLabel('Template'));
    await page.keyboard.press('End'); // the last template of the list
    const template = await page.getByLabel('Template').inputValue();
    await tabTo(page, page.getByRole('button', { name: 'Count recipients' }));
    await page.keyboard.press('Enter');
    await page.getByText(`${leadIds.length} recipients`).waitFor();
    await tabTo(page, page.getByLabel('Send outside the send window too'));
    await page.keyboard.press('Space');
    await tabTo(page, page.getByLabel('A/B test the subject line'));
    await page.keyboard.press('Space');
    await type('Subject A', 'Spring is here, {{ firstName }}');
    await type('Subject B', 'Our spring pricing');
    await type('Test share (% of recipients, split evenly)', '50');
    await type('Wait before choosing (hours)', '0.01');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-broadcast-new');
    await tabTo(page, page.getByRole('button', { name: 'Send now' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Spring check-in' }).waitFor();
    const broadcastId = decodeURIComponent(page.url().split('/').pop() ?? '');

    // Who got which subject is the lead's place in this broadcast; open every B send (A's if B got none).
    const plan = new Map(
      leadIds.map((id) => [
        id,
        testVariant(
          { testShare: 50, variants: [{ id: 'a' }, { id: 'b' }] } as never,
          leadPlace(broadcastId, id),
        )?.id,
      ]),
    );
    const favourite = [...plan.values()].includes('b') ? 'b' : 'a';
    for (const [leadId, variant] of plan) {
      if (variant !== favourite) continue;
      const messageId = await waitFor(
        'the test send',
        async () => {
          const lead = await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing);
          return (lead.json.timeline as Json[]).find(
            (e) => e.type === 'email_sent' && e.properties?.broadcastId === broadcastId,
          )?.properties?.messageId;
        },
        20_000,
      );
      expect((await http.post('/local/ses/events', { messageId, event: 'open' })).status).toBe(202);
    }
    const decided = await waitFor(
      'the winner',
      async () => {
        const r = (await http.get(`/v1/admin/broadcasts/${broadcastId}/results`, stack.tokens.marketing))
          .json;
        return r.abTest?.winner ? r : undefined;
      },
      60_000,
    );
    expect(decided.abTest, JSON.stringify(decided)).toMatchObject({ winner: favourite });
    await page
      .getByText(`Variant ${favourite.toUpperCase()} won and went to everyone else.`)
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('table', { name: 'Results per variant' })
      .getByRole('rowheader', { name: `${favourite.toUpperCase()} (winner)` })
      .waitFor();
    await waitFor(
      'every send counted',
      async () => {
        const r = (await http.get(`/v1/admin/broadcasts/${broadcastId}/results`, stack.tokens.marketing))
          .json;
        return r.progress.sent === leadIds.length ? r : undefined;
      },
      30_000,
    );
    await expect
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps each count apart
      .poll(() => page.getByLabel('Progress').innerText(), { timeout: 15_000 })
      .toMatch(
        new RegExp(`Sent\\s+${leadIds.length}\\s+Skipped\\s+0\\s+Failed\\s+0\\s+Waiting to send\\s+0`),
      );
    await page.getByText(/not yet significant|leads at 95% confidence/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-broadcast-results');
    expect(template).not.toBe('');
    await page.context().close();
  }, 150_000);

  it('cancels a scheduled broadcast after a confirmation; the list by status at 390 px', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await http.post(
      '/v1/admin/broadcasts',
      {
        name: 'Summer webinar',
        template: 'check-in',
        segment: { stages: ['subscriber'], consent: true },
        sendAt,
      },
      stack.tokens.marketing,
    );
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: `/console/broadcasts/${scheduled.json.broadcastId}`,
    });
    await page.getByText('Scheduled', { exact: true }).waitFor();
    const cancel = page.getByRole('button', { name: 'Cancel broadcast' });
    await tabTo(page, cancel);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cancel “Summer webinar”?' });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.keyboard.press('Enter'); // focus is back on the button
    await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Cancelled: nothing more of this broadcast goes out.' })
      .waitFor();
    await page.getByText('Cancelled by').waitFor();
    expect(await page.getByRole('button', { name: 'Cancel broadcast' }).count()).toBe(0);

    await page.setViewportSize(PHONE);
    await page.goto(`${stack.apiUrl}/console/broadcasts?status=cancelled`);
    await page.getByRole('link', { name: 'Summer webinar' }).waitFor();
    expect(await page.getByRole('link', { name: 'Spring check-in' }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-broadcasts-phone');
    await page.goto(`${stack.apiUrl}/console/broadcasts`);
    await page.getByRole('link', { name: 'Spring check-in' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 900 });
    await shot(page, 'console-broadcasts');
    await page.context().close();
  });

  it('sends to a saved segment picked with its live count; the stage choices still work', async () => {
    const token = stack.tokens.marketing;
    const company = `Pied Piper ${run}`;
    for (const name of ['Richard', 'Jared', 'Monica']) {
      const email = `${name.toLowerCase()}.${run}@piedpiper.example`;
      const body = { email, firstName: name, lastName: 'Hendricks', company, consent: true };
      expect((await http.submit('demo-request', body)).status).toBe(202);
    }
    const segmentId = `piper-${run}`;
    const config = structuredClone((await http.get('/v1/admin/nurture', token)).json.active.document);
    const condition = { type: 'field', field: 'company', op: 'contains', value: company.toLowerCase() };
    config.segments = [
      ...(config.segments ?? []),
      { id: segmentId, name: company, definition: { match: 'all', conditions: [condition] } },
    ];
    const version = await http.post('/v1/admin/nurture/versions', { config }, token);
    expect(version.status).toBe(201);
    await http.post(`/v1/admin/nurture/versions/${version.json.version}/activate`, {}, token);

    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/broadcasts/new' });
    await page.getByLabel('Name', { exact: true }).fill(`Piper news ${run}`);
    await page.getByLabel('A saved segment').check();
    await page.getByLabel('Saved segment', { exact: true }).selectOption({ label: company });
    await expect
      .poll(() => page.locator('#bc-segment-count').textContent(), { timeout: 20_000 })
      .toBe('3 leads match this segment now');
    // Back to stages and again: the stage choices are kept as they were.
    await page.getByLabel('Leads at these stages').check();
    expect(await page.getByLabel('Subscriber').isChecked()).toBe(true);
    await page.getByLabel('A saved segment').check();
    await page.getByLabel('Saved segment', { exact: true }).selectOption({ label: company });
    await page.getByRole('button', { name: 'Count recipients' }).click();
    const template = await page.getByLabel('Template').inputValue();
    const asked = await http.post(
      '/v1/admin/broadcasts/preview',
      { template, segment: { segmentId, consent: true } },
      token,
    );
    const n = asked.json.recipients as number;
    await page.getByText(`${n} ${n === 1 ? 'recipient' : 'recipients'}`, { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-broadcast-segment');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('heading', { level: 1, name: `Piper news ${run}` }).waitFor();
    await page.getByText(`Saved segment ${segmentId}`).waitFor();
    const broadcastId = decodeURIComponent(page.url().split('/').pop() ?? '');
    const saved = (await http.get(`/v1/admin/broadcasts/${broadcastId}`, token)).json;
    expect(saved.segment).toMatchObject({ segmentId, consent: true });
    expect(saved.segment.stages).toBeUndefined();
    await page.context().close();
  }, 120_000);

  it('has no Broadcasts for a sales rep', async () => {
    const { page } = await signInToConsole(browser, stack, 'ravi', { landing: '/console/inbox' });
    expect(
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Broadcasts' }).count(),
    ).toBe(0);
    await page.context().close();
  });
});
