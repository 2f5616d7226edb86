import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { accessTokenFor, api, hotDemoRequest, startTestStack, waitFor } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The lead page's score path, hand-offs and Unsubscribe in Chromium on the local stack: a marketer
 * reads what a subscriber needs to become hot and unsubscribes them after a confirmation (keyboard
 * only, a failed call first); a hot lead a rep claimed and booked a meeting for shows its hand-off;
 * a rep on a 390-px phone has no Unsubscribe (the API refuses it anyway). axe on every state.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let browser: Browser;
const run = Date.now().toString(36);
const subscriberEmail = `lin.${run}@initech.de`;
const hotEmail = `vera.${run}@initech.de`;
let subscriberId = '';
let hotId = '';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  browser = await launchConsoleBrowser();
  subscriberId = (await http.submit('newsletter', { email: subscriberEmail, consent: true })).json.leadId;
  hotId = (await http.submit('demo-request', hotDemoRequest(hotEmail))).json.leadId;
  // Ravi claims the hot lead and books a meeting: hand-off #1 with a claim and an outcome.
  const ravi = await accessTokenFor(stack, 'ravi');
  const card = await waitFor('the hot lead on the queue', async () => {
    const claim = await http.post('/v1/sales/claims', {}, ravi);
    return claim.status === 200 && claim.json.leadId === hotId ? claim.json : undefined;
  });
  const outcome = { claimToken: card.claimToken, outcome: 'meeting_booked', note: 'Demo on Tuesday at 10' };
  expect((await http.post(`/v1/sales/leads/${hotId}/outcome`, outcome, ravi)).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the lead page', () => {
  it('shows a marketer what a subscriber needs to become hot, and unsubscribes them after a confirmation, by keyboard', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: `/console/leads/${subscriberId}`,
    });
    const score = page.getByRole('region', { name: 'Score' });
    await score.getByRole('heading', { name: 'What it would take to become hot' }).waitFor();
    const path = await score.textContent();
    expect(path).toContain('60 points short, 25 of them fit for the grade');
    expect(path).toMatch(/\+20 fit · senior-title: jobTitle with/);
    expect(path).toContain('+40 engagement · demo-request: form_submitted "demo-request"');
    const handoffs = page.getByRole('region', { name: 'Hand-offs and claims' });
    expect(await handoffs.textContent()).toContain('Never handed to sales');
    expect(await seriousViolations(page)).toEqual([]);

    // Open the confirmation by keyboard; Cancel gives the focus back to the button.
    const opener = page.getByRole('button', { name: 'Unsubscribe…' });
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('button', { name: 'Yes, unsubscribe' });
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await page.getByRole('group').textContent()).toContain(subscriberEmail);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-lead-unsubscribe');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // The API failing: the error is said, nothing changes; then it works.
    await page.route('**/unsubscribe', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'Try again soon.', details: [] } }),
      }),
    );
    await page.keyboard.press('Enter');
    await expect.poll(() => confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Not unsubscribed: Try again soon.' }).waitFor();
    await page.unroute('**/unsubscribe');
    expect(await confirm.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions
      .getByRole('status')
      .filter({ hasText: /^Unsubscribed / })
      .waitFor();
    expect(await actions.getByRole('button', { name: 'Unsubscribe…' }).count()).toBe(0);
    const consent = page.getByRole('region', { name: 'Consent' });
    await expect.poll(() => consent.textContent()).toContain('Suppressed (Unsubscribed)');
    const timeline = page.getByRole('region', { name: 'Timeline' });
    expect(await timeline.textContent()).toContain('by Maya Lindqvist');
    expect(await seriousViolations(page)).toEqual([]);

    const lead = await http.get(`/v1/admin/leads/${subscriberId}`, stack.tokens.marketing);
    expect(lead.json.suppressed).toMatchObject({ reason: 'unsubscribed' });
    await page.context().close();
  });

  it('shows a hot lead’s hand-off: why, sent, who claimed it, the outcome and its note', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: `/console/leads/${hotId}` });
    const handoffs = page.getByRole('region', { name: 'Hand-offs and claims' });
    const first = handoffs.getByRole('listitem', { name: 'Hand-off 1' });
    await first.waitFor();
    const text = await first.textContent();
    expect(text).toContain('why: ');
    expect(text).toContain('demo-request');
    expect(text).toContain('Outcome: Meeting booked');
    expect(text).toContain('Ravi Patel claimed it');
    expect(text).toContain('Ravi Patel: Meeting booked');
    expect(text).toContain('Demo on Tuesday at 10');
    expect(await handoffs.textContent()).toContain('Owned by Ravi Patel');
    expect(await page.getByRole('region', { name: 'Score' }).textContent()).toContain(
      'Hot: nothing more is needed',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-lead-handoffs');
    await page.context().close();
  });

  it('gives a rep on a 390-px phone no Unsubscribe, in one column; the API refuses a rep anyway', async () => {
    const ravi = await signInToConsole(browser, stack, 'ravi', {
      path: `/console/leads/${hotId}`,
      viewport: PHONE,
    });
    await ravi.page.getByRole('region', { name: 'Hand-offs and claims' }).waitFor();
    expect(await ravi.page.getByRole('button', { name: 'Unsubscribe…' }).count()).toBe(0);
    expect(await ravi.page.getByLabel('Add a note').count()).toBe(1);
    expect(await ravi.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(await seriousViolations(ravi.page)).toEqual([]);
    const refused = await fetch(`${stack.apiUrl}/v1/admin/leads/${hotId}/unsubscribe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ravi.token()}` },
    });
    expect(refused.status).toBe(403);
    await ravi.page.context().close();
  });
});
