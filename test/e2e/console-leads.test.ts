import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, startTestStack, waitFor } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The console's Leads and Lead pages in Chromium on the local stack: people sign in through the
 * local OpenID provider, search, filter, open and export leads, add a note (it shows on the
 * timeline with their name), and only an admin sees and uses erase (the API refuses the others).
 * Every page and state is checked with axe; screenshots go to docs/screenshots.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let browser: Browser;
const run = Date.now().toString(36);

const PEOPLE = [
  { firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical Engines Ltd', jobTitle: 'Head of Growth' },
  { firstName: 'Grace', lastName: 'Hopper', company: 'Compiler Works', jobTitle: 'VP Engineering' },
  { firstName: 'Alan', lastName: 'Turing', company: 'Bletchley Data', jobTitle: 'Analyst' },
  { firstName: 'Mary', lastName: 'Somerville', company: 'Somerville Press', jobTitle: 'Intern' },
].map((p) => ({ ...p, email: `${p.firstName.toLowerCase()}.${run}@example.org` }));
const ada = PEOPLE[0] as (typeof PEOPLE)[number];

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 } });
  http = api(stack);
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const rows = (page: Page) => page.locator('table.leads tbody tr');

let seeded: Promise<void> | undefined;
/** The leads the list tests read, submitted once for the file. */
const seed = () => {
  seeded ??= submitPeople();
  return seeded;
};

async function submitPeople(): Promise<void> {
  for (const person of PEOPLE) {
    const res = await http.submit('demo-request', { ...person, country: 'GB', consent: true });
    expect(res.status).toBe(202);
  }
  await waitFor('the seeded leads in the list', async () => {
    const res = await http.get(
      `/v1/admin/leads?q=${encodeURIComponent(run)}&limit=10`,
      stack.tokens.marketing,
    );
    return res.status === 200 && res.json.leads.length === 0
      ? undefined
      : res.status === 200
        ? true
        : undefined;
  }).catch(() => undefined);
}

describe('the console as the local server serves it', () => {
  it('answers every console path with index.html, its hashed assets cached for a year, config.json', async () => {
    for (const path of [
      '/console',
      '/console/',
      '/console/leads',
      '/console/leads/ld_x',
      '/console/callback',
    ]) {
      const res = await fetch(`${stack.apiUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`connect-src 'self' ${stack.auth.issuer}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      const script = /src="(\/console\/assets\/app-[\w]+\.js)"/.exec(html)?.[1];
      const css = /href="(\/console\/assets\/styles-[\w]+\.css)"/.exec(html)?.[1];
      if (!script || !css) throw new Error(`index.html names no hashed assets: ${html}`);
      const js = await fetch(`${stack.apiUrl}${script}`);
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toContain('immutable');
      expect((await fetch(`${stack.apiUrl}${css}`)).headers.get('content-type')).toBe(
        'text/css; charset=utf-8',
      );
    }
    expect((await fetch(`${stack.apiUrl}/console/assets/app-NOPE.js`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/console/logo.png`)).status).toBe(404);
    const config = await (await fetch(`${stack.apiUrl}/console/config.json`)).json();
    expect(config).toEqual({
      apiUrl: stack.apiUrl,
      auth: {
        issuer: stack.auth.issuer,
        clientId: stack.auth.clientId,
        scopes: ['openid', 'email', 'profile'],
      },
    });
  });
});

describe('signing in and out', () => {
  it('shows the sign-in screen to someone not signed in, and signs out at the provider', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    await page.goto(`${stack.apiUrl}/console/leads`);
    await page.getByRole('heading', { level: 1, name: 'Leadflow Console' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-sign-in');
    // Cancelling at the provider comes back to the console's callback with an error it explains.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Cancel and go back' }).click();
    await page.waitForURL(`${stack.apiUrl}/console/callback?**`);
    await page.getByRole('heading', { name: 'Sign-in did not complete' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in again' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    // A deployment without an OpenID provider: the console says sign-in is not configured.
    await page.route('**/console/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ apiUrl: stack.apiUrl, auth: null }),
      }),
    );
    await page.goto(`${stack.apiUrl}/console/leads`);
    await page.getByRole('alert').filter({ hasText: 'Sign-in is not configured' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();

    const { page: signedIn } = await signInToConsole(browser, stack, 'maya', { path: '/console/leads' });
    expect(await signedIn.evaluate(() => sessionStorage.getItem('leadflow.session'))).toContain(
      'accessToken',
    );
    expect(await signedIn.evaluate(() => localStorage.length)).toBe(0);
    await signedIn.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks; its "Sign out" ends its session and sends the browser back to the console.
    await signedIn.waitForURL(`${stack.auth.issuer}/**`);
    await signedIn.getByRole('button', { name: 'Sign out' }).click();
    await signedIn.waitForURL(`${stack.apiUrl}/console/`);
    await signedIn.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await signedIn.evaluate(() => sessionStorage.getItem('leadflow.session'))).toBeNull();
    await signedIn.context().close();
  });
});

describe('the console before any lead', () => {
  it('signs a marketer in and says what to do when there are no leads yet', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { landing: '/console/leads' });
    await page.getByRole('heading', { name: 'No leads yet' }).waitFor();
    expect(await page.locator('.who').textContent()).toContain('Maya Lindqvist');
    expect(await page.locator('.who').textContent()).toContain('Marketing');
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-leads-empty');
    await page.context().close();
  });
});

describe('the Leads page', () => {
  beforeAll(seed, 30_000);

  it('lists, searches (filters in the URL), opens a lead; loading and error states', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { landing: '/console/leads' });
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBeGreaterThanOrEqual(PEOPLE.length);
    expect(await page.locator('.pager p').textContent()).toMatch(/^1–\d+ of (about )?\d+/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-leads');

    await page.getByLabel('Search by email, name or company').fill('grace');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=grace/);
    await expect.poll(() => rows(page).count()).toBe(1);
    expect(await rows(page).first().textContent()).toContain('Grace Hopper');

    // A filter that matches nothing says so and offers to clear the filters.
    await page.goto(`${stack.apiUrl}/console/leads?q=nobody-${run}`);
    await page.getByRole('heading', { name: 'No lead matches these filters' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'clear filters' }).click();
    await rows(page).first().waitFor();

    // The API slow, then failing: a skeleton, then an error with Retry that recovers.
    // The first answer is held until the loading state is checked, then fails.
    const api503 = await holdThenFail(page, '**/v1/admin/leads?*');
    await page.reload();
    await page.locator('.skeleton').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-leads-loading');
    api503.fail();
    await page.getByRole('alert').filter({ hasText: 'Try again soon.' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-leads-error');
    api503.recover();
    await page.getByRole('button', { name: 'Retry' }).click();
    await rows(page).first().waitFor();
    await page.unroute('**/v1/admin/leads?*');

    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    expect(await page.getByRole('region', { name: 'Profile' }).textContent()).toContain(
      'Analytical Engines Ltd',
    );
    await page.context().close();
  });

  it('filters by stage and exports the current filter as CSV', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: `/console/leads?q=${encodeURIComponent(ada.email)}`,
    });
    await rows(page).first().waitFor();
    expect(await rows(page).count()).toBe(1);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readDownload(await file.path());
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header?.split(',')).toEqual(expect.arrayContaining(['leadId', 'email', 'stage', 'ownerRep']));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(ada.email);

    // Stage filter through the panel: the URL carries it, the list obeys it.
    await page.goto(`${stack.apiUrl}/console/leads`);
    await rows(page).first().waitFor();
    await page.getByText('Filters', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'Customer' }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/stage=customer/);
    await page.getByRole('heading', { name: 'No lead matches these filters' }).waitFor();
    await page.context().close();
  });

  it('works by keyboard only: search, open a lead, add a note', async () => {
    const { page } = await signInToConsole(browser, stack, 'maya', { landing: '/console/leads' });
    await rows(page).first().waitFor();
    await tabTo(page, page.getByLabel('Search by email, name or company'));
    await page.keyboard.type('ada');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=ada/);
    await expect.poll(() => rows(page).count()).toBe(1);
    await tabTo(page, page.getByRole('link', { name: 'Ada Lovelace' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await tabTo(page, page.getByLabel('Add a note'));
    await page.keyboard.type('Asked for a demo next week.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent()).toContain('Asked for a demo next week.');
    expect(await timeline.textContent()).toContain('by Maya Lindqvist');
    // Newest first, and filterable by type.
    const entries = timeline.locator('ol.timeline > li');
    expect(await entries.first().textContent()).toContain('Asked for a demo next week.');
    await timeline.getByLabel('Show').selectOption('form_submitted');
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain('Form submitted');
    expect(await entries.first().textContent()).toMatch(/score — → \d+/);
    // Each profile field with where it came from.
    expect(await page.getByRole('region', { name: 'Profile' }).textContent()).toContain('form:demo-request');
    // A marketer sees no erase.
    expect(await page.getByText('Erase this lead').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-lead');
    await page.context().close();
  });

  it('pages through a search 25 at a time with the total', async () => {
    const bulk = Array.from({ length: 27 }, (_, i) => `bulk${String(i).padStart(2, '0')}.${run}@example.org`);
    await Promise.all(
      bulk.map(async (email) =>
        expect(
          (
            await http.submit('demo-request', {
              email,
              firstName: 'Bulk',
              lastName: 'Buyer',
              company: 'Bulk Co',
            })
          ).status,
        ).toBe(202),
      ),
    );
    const { page } = await signInToConsole(browser, stack, 'maya', { path: '/console/leads?q=bulk' });
    const range = page.locator('.pager p');
    await expect.poll(() => range.textContent()).toBe('1–25 of 27');
    expect(await rows(page).count()).toBe(25);
    expect(await page.getByRole('button', { name: 'Previous' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => range.textContent()).toBe('26–27 of 27');
    expect(await rows(page).count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => range.textContent()).toBe('1–25 of 27');
    await page.context().close();
  });

  it('on a 390-px phone: the list as cards and the lead in one column', async () => {
    // Ada by name: newer leads (the paging test's) may push her off the first page.
    const { page } = await signInToConsole(browser, stack, 'maya', {
      path: '/console/leads?q=ada',
      viewport: PHONE,
    });
    await rows(page).first().waitFor();
    await shot(page, 'console-leads-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await shot(page, 'console-lead-phone');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});

describe('actions by role', () => {
  beforeAll(seed, 30_000);

  it('a rep has no Leads page in the navigation and no enroll or erase on a lead', async () => {
    const lead = await http.get(
      `/v1/admin/leads?email=${encodeURIComponent(ada.email)}`,
      stack.tokens.marketing,
    );
    const ravi = await signInToConsole(browser, stack, 'ravi', {
      path: `/console/leads/${lead.json.leadId}`,
    });
    await ravi.page.getByRole('region', { name: 'Timeline' }).waitFor();
    const nav = ravi.page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Leads' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Inbox' }).count()).toBe(1);
    expect(await ravi.page.getByText('Erase this lead').count()).toBe(0);
    expect(await ravi.page.getByLabel('Enroll in a sequence').count()).toBe(0);
    expect(await ravi.page.getByLabel('Add a note').count()).toBe(1);
    const refused = await fetch(`${stack.apiUrl}/v1/admin/sequences/welcome/enrollments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ravi.token()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leadId: lead.json.leadId }),
    });
    expect(refused.status).toBe(403);
    const erase = await fetch(`${stack.apiUrl}/v1/admin/leads/${lead.json.leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ravi.token()}` },
    });
    expect(erase.status).toBe(403);
    await ravi.page.context().close();
  });

  it('a marketer enrolls a lead in a sequence; an expired token is refreshed without a new sign-in', async () => {
    const mary = PEOPLE[3] as (typeof PEOPLE)[number];
    const lead = await http.get(
      `/v1/admin/leads?email=${encodeURIComponent(mary.email)}`,
      stack.tokens.marketing,
    );
    const maya = await signInToConsole(browser, stack, 'maya', {
      path: `/console/leads/${lead.json.leadId}`,
    });
    const { page } = maya;
    await page.getByLabel('Enroll in a sequence').selectOption({ label: 'Welcome series' });
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await page.getByText('Enrolled.').waitFor();
    const nurture = page.getByRole('region', { name: 'Nurture' });
    await expect.poll(() => nurture.textContent()).toContain('welcome');
    expect(await nurture.textContent()).toContain('Active');

    // The access token runs out: the console uses the refresh token, the person stays signed in.
    const before = maya.token();
    const toProvider: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(stack.auth.issuer)) {
        toProvider.push(`${new URL(request.url()).pathname} ${request.postData() ?? ''}`);
      }
    });
    await page.evaluate(() => {
      const stored = JSON.parse(sessionStorage.getItem('leadflow.session') ?? '{}');
      sessionStorage.setItem('leadflow.session', JSON.stringify({ ...stored, expiresAt: Date.now() - 1000 }));
    });
    await page.reload();
    await page.getByRole('region', { name: 'Timeline' }).waitFor();
    expect(page.url()).toContain('/console/leads/');
    expect(maya.token()).not.toBe(before);
    // No trip through the sign-in page: one token request, with the refresh token.
    expect(toProvider.filter((line) => line.startsWith('/auth'))).toEqual([]);
    expect(toProvider.some((line) => line.includes('grant_type=refresh_token'))).toBe(true);
    await page.context().close();
  });

  it('an admin erases a lead after typing its email', async () => {
    const turing = PEOPLE[2] as (typeof PEOPLE)[number];
    const lead = await http.get(
      `/v1/admin/leads?email=${encodeURIComponent(turing.email)}`,
      stack.tokens.marketing,
    );
    const { page } = await signInToConsole(browser, stack, 'alex', {
      path: `/console/leads/${lead.json.leadId}`,
    });
    await page.getByText('Erase this lead').click();
    const erase = page.getByRole('button', { name: 'Erase lead' });
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill('someone.else@example.org');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel(/to confirm/).fill(turing.email);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-lead-erase');
    await erase.click();
    await page.waitForURL(/\/console\/leads\?erased=/);
    await page.getByText(`${turing.email} was erased.`).waitFor();
    const gone = await http.get(`/v1/admin/leads/${lead.json.leadId}`, stack.tokens.marketing);
    expect(gone.status).toBe(404);
    await page.context().close();
  });
});

/** Presses Tab until `target` has the focus (fails after 40 presses): it is reachable by keyboard. */
async function readDownload(path: string | null): Promise<string> {
  if (!path) throw new Error('the download has no file');
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}
