import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmptyReport } from '../../console/src/reports/format';
import { addDays, daysBetween } from '../../console/src/reports/query';
import type { ReportBody } from '../../console/src/reports/types';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, hotDemoRequest, startTestStack, waitFor } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The console's report pages in Chromium on the local stack: leads captured through the real
 * forms are counted by tick's aggregator; a marketer reads the funnel (interval, range, compare
 * in the URL), downloads a table as CSV and opens the email report and a sequence's steps; a sales
 * manager reads the sales report; a rep has no reports (and the API refuses him). axe on every
 * page; the range controls by keyboard only; screenshots go to docs/screenshots.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let browser: Browser;
const run = Date.now().toString(36);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const table = (page: Page, title: string) => page.getByRole('table', { name: new RegExp(`^${title}`) });

/** A report as the API answers maya (marketing) for `query`. */
async function report(name: string, query = ''): Promise<ReportBody> {
  const res = await http.get(`/v1/admin/reports/${name}${query ? `?${query}` : ''}`, stack.tokens.marketing);
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as ReportBody;
}

/** Waits until the aggregator has counted what `ready` looks for in the report. */
function counted(name: string, query: string, ready: (body: ReportBody) => boolean): Promise<ReportBody> {
  return waitFor(
    `the ${name} report to count the new entries`,
    async () => {
      const body = await report(name, query);
      return ready(body) ? body : undefined;
    },
    30_000,
  );
}

describe('before any lead', () => {
  it('says the range is empty, shows loading, and an error with a retry that recovers', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { landing: '/console/leads' });
    // The first answer is held until the loading state is checked, then fails.
    const api503 = await holdThenFail(page, '**/v1/admin/reports/funnel?*');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(`${stack.apiUrl}/console/reports/funnel`);
    await page.getByRole('status').filter({ hasText: 'Loading the report' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    api503.fail();
    await page.getByRole('alert').filter({ hasText: 'Try again soon.' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    api503.recover();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { name: /^No leads in this range yet — / }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // A range the API refuses (a link typed by hand): its reason, per parameter.
    await page.goto(`${stack.apiUrl}/console/reports/funnel?range=custom&from=2024-01-01&to=2025-12-31`);
    await page.getByRole('alert').filter({ hasText: 'to: the range may span at most 366 days' }).waitFor();
    expect(await page.getByLabel('From').inputValue()).toBe('2024-01-01');
    await page.context().close();
  });
});

describe('with leads captured', () => {
  let hotEmail: string;
  beforeAll(async () => {
    hotEmail = `vera.${run}@example.org`;
    const submissions = [
      http.submit('demo-request', hotDemoRequest(hotEmail)),
      http.submit('demo-request', {
        email: `ada.${run}@example.org`,
        firstName: 'Ada',
        lastName: 'Lovelace',
        company: 'Engines Ltd',
      }),
      http.submit('demo-request', {
        email: `alan.${run}@example.org`,
        firstName: 'Alan',
        lastName: 'Turing',
        company: 'Bletchley',
      }),
      // A newsletter sign-up with consent: the welcome sequence sends its first step at once.
      http.submit('newsletter', { email: `grace.${run}@example.org`, firstName: 'Grace', consent: true }),
    ];
    const answers = await Promise.all(submissions);
    for (const res of answers) expect(res.status, JSON.stringify(res.json)).toBe(202);
    // Grace opens her welcome email (the local SES event API, as a mailbox's open pixel would).
    const grace = answers[3]?.json.leadId as string;
    const messageId = await waitFor('the welcome email on the timeline', async () => {
      const lead = await http.get(`/v1/admin/leads/${grace}`, stack.tokens.marketing);
      const sent = (lead.json.timeline as { type: string; properties?: { messageId?: string } }[]).find(
        (entry) => entry.type === 'email_sent',
      );
      return sent?.properties?.messageId;
    });
    expect((await http.post('/local/ses/events', { messageId, event: 'open' })).status).toBe(202);
    await counted('funnel', '', (body) => !isEmptyReport(body));
    await counted('email', '', (body) =>
      Boolean(body.tables.find((t) => t.id === 'sequences')?.rows.some((r) => Number(r.opened) > 0)),
    );
    await counted('sales', '', (body) => !isEmptyReport(body));
  }, 60_000);

  it('maya reads the funnel: interval, range, compare and a filter in the URL, a table as CSV', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/reports/funnel' });
    const stages = table(page, 'Stages');
    await stages.waitFor();
    // The page shows what the API counted: each stage's "entered" as the API answered it.
    const body = await report('funnel');
    const apiStages = body.tables.find((t) => t.id === 'stages');
    if (!apiStages) throw new Error('the funnel has no stages table');
    const lead = apiStages.rows.find((r) => r.stage === 'lead');
    expect(Number(lead?.entered)).toBeGreaterThanOrEqual(3);
    const leadRow = stages.getByRole('row', { name: /^Lead / });
    expect(await leadRow.getByRole('cell').first().textContent()).toBe(String(lead?.entered));
    await page.getByText(/^Data as of /).waitFor();
    await page
      .getByRole('img', { name: /^Leads entering each stage/ })
      .first()
      .waitFor();

    // Interval and range: the URL says so, the API is asked for the resolved days.
    const weekly = page.waitForRequest(/\/v1\/admin\/reports\/funnel\?.*interval=week/);
    await page.getByLabel('Interval').selectOption('week');
    await page.waitForURL(/interval=week/);
    await weekly;
    await page.getByText(/ · by week · /).waitFor();
    const ninety = page.waitForRequest(/\/v1\/admin\/reports\/funnel\?.*interval=week/);
    await page.getByLabel('Range').selectOption('last90');
    await page.waitForURL(/range=last90&interval=week/);
    const asked = new URL((await ninety).url());
    expect(daysBetween(asked.searchParams.get('from') ?? '', asked.searchParams.get('to') ?? '')).toBe(90);
    await page.getByLabel('Compare with the previous period').check();
    await page.waitForURL(/range=last90&interval=week&compare=previous/);
    await expect.poll(() => stages.textContent()).toContain('from the previous period');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-reports-funnel');

    // One table as CSV: its header row is the table's columns.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV of Stages' }).click();
    const csv = await readFile(await (await download).path(), 'utf8');
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    const columns = apiStages.columns;
    const cells = header?.split(',').map((c) => c.replace(/^"|"$/g, ''));
    expect([columns.map((c) => c.key), columns.map((c) => c.label)]).toContainEqual(cells);
    expect(lines.length).toBe(apiStages.rows.length);

    // The back button restores the previous view from the URL.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('compare='));
    expect(await page.getByLabel('Compare with the previous period').isChecked()).toBe(false);

    // A filter by form: in the URL, and the table shows what the API counts for that form only.
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('Form', { exact: true }).fill('newsletter');
    const filteredAsk = page.waitForRequest(/\/v1\/admin\/reports\/funnel\?.*form=newsletter/);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/range=last90&interval=week&form=newsletter/);
    const filtered = await report('funnel', new URL((await filteredAsk).url()).search.slice(1));
    const stageRows = filtered.tables.find((t) => t.id === 'stages')?.rows ?? [];
    // Grace signed up through the newsletter; the demo requests (and so every MQL) are left out.
    expect(Number(stageRows.find((r) => r.stage === 'subscriber')?.entered)).toBeGreaterThanOrEqual(1);
    expect(stageRows.find((r) => r.stage === 'mql')?.entered).toBe(0);
    await expect
      .poll(() => stages.getByRole('row', { name: /^MQL / }).getByRole('cell').first().textContent())
      .toBe('0');
    expect(await page.getByText('Filters (1)').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((url) => !url.search.includes('form='));
    await page.context().close();
  });

  it('maya opens the email report and a sequence with its steps as a funnel', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/reports/funnel' });
    await table(page, 'Stages').waitFor();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Email' }).click();
    await page.waitForURL(/\/console\/reports\/email$/);
    const sequences = table(page, 'Sequences');
    await sequences.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await sequences.getByRole('link').first().click();
    await page.waitForURL(/\/console\/reports\/email\?sequence=/);
    await page.getByRole('heading', { level: 1, name: /^Sequence / }).waitFor();
    await page.getByRole('heading', { name: "The sequence's steps" }).waitFor();
    const steps = table(page, 'Steps');
    await steps.waitFor();
    expect(await steps.getByRole('row').count()).toBeGreaterThan(1);
    // The open counted from the SES event shows on the step's bar and in its row.
    const funnel = page.getByRole('region', { name: "The sequence's steps" });
    expect(await funnel.getByRole('listitem').first().textContent()).toContain(
      '1 sent · 1 opened · 0 clicked',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-reports-email');
    await page.getByRole('link', { name: 'Email', exact: true }).first().click();
    await page.waitForURL(/\/console\/reports\/email$/);
    await page.context().close();
  });

  it('the range controls work by keyboard only', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/reports/sources' });
    await table(page, 'First touch').waitFor();
    const range = page.getByLabel('Range');
    await tabTo(page, range);
    // A closed select changes with the arrow keys: Last 30 days → Last 90 days. The page follows
    // the URL after it changes: wait for that report to arrive before the next key, or on a loaded
    // machine the late re-render for last90 would undo the custom range chosen next.
    const today = new Date().toISOString().slice(0, 10);
    const last90 = page.waitForResponse((r) =>
      r.url().includes(`/v1/admin/reports/sources?from=${addDays(today, -89)}&`),
    );
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/range=last90/);
    await last90;
    await expect.poll(() => range.inputValue()).toBe('last90');
    await tabTo(page, range);
    // End: the last option, a custom range; its dates are typed, then applied with Enter.
    await page.keyboard.press('End');
    const from = page.getByLabel('From');
    await from.waitFor();
    await page.keyboard.press('Tab');
    const start = addDays(today, -13);
    await page.keyboard.type(`${start.slice(5, 7)}${start.slice(8, 10)}${start.slice(0, 4)}`);
    expect(await from.inputValue()).toBe(start);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`range=custom&from=${start}&to=\\d{4}-\\d{2}-\\d{2}`));
    await tabTo(page, page.getByLabel('Interval'));
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/interval=week/);
    await tabTo(page, page.getByLabel('Compare with the previous period'));
    await page.keyboard.press('Space');
    await page.waitForURL(/compare=previous/);
    await page.getByRole('table').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('on a 390-px phone the funnel fits the screen', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/reports/funnel?compare=previous',
      viewport: PHONE,
    });
    await table(page, 'Stages').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-reports-phone');
    await page.context().close();
  });

  it('mia (sales manager) reads the sales report and the scoring model', async () => {
    const { page } = await signInToConsole(browser, stack, 'mia', { landing: '/console/inbox' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('navigation', { name: 'Reports' }).getByRole('link', { name: 'Sales' }).click();
    await page.waitForURL(/\/console\/reports\/sales$/);
    const summary = table(page, 'Hand-offs and claims');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/[1-9]/);
    expect(await seriousViolations(page)).toEqual([]);
    // The scoring model's quality: grades of the leads handed off.
    await page
      .getByRole('navigation', { name: 'Reports' })
      .getByRole('link', { name: 'Scoring model' })
      .click();
    await page.waitForURL(/\/console\/reports\/scoring$/);
    await table(page, 'Grades at hand-off').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('ravi (sales) has no Reports in the navigation, no report page, and the API answers 403', async () => {
    const ravi = await signInToConsole(browser, stack, 'ravi', { landing: '/console/inbox' });
    const nav = ravi.page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Reports' }).count()).toBe(0);
    await ravi.page.goto(`${stack.apiUrl}/console/reports/funnel`);
    await ravi.page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    const refused = await fetch(`${stack.apiUrl}/v1/admin/reports/funnel`, {
      headers: { authorization: `Bearer ${ravi.token()}` },
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBeTruthy();
    await ravi.page.context().close();
  });
});
