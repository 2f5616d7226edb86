import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { DESKTOP, launchConsoleBrowser, PHONE, type SignedIn, signInToConsole } from '../fixtures/console';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The console's sales pages in Chromium on the local stack: reps sign in through the local OpenID
 * provider, claim hot leads from the Inbox (two at once never get the same lead), record
 * outcomes, keep their claims across a reload; the manager reassigns a claim on the Team page.
 * Every state is checked with axe and driven as a person would (keyboard only in one test).
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let browser: Browser;
const run = Date.now().toString(36);

/** The hot leads this file seeds: demo requests the shipped scoring model makes hot. */
const LEADS = [
  ['Vera', 'Price', 'We route 4,000 inbound leads a month across 40 reps and lose the hot ones.'],
  ['Omar', 'Haddad', 'Looking to replace our Marketo setup before renewal in March.'],
  ['Lena', 'Vogel', 'Can the hand-off go into our own CRM?'],
  ['Kenji', 'Sato', 'Interested in the SLA alarms for our EU team.'],
].map(([firstName, lastName, message]) => ({
  ...hotDemoRequest(`${firstName?.toLowerCase()}.${lastName?.toLowerCase()}.${run}@initech.de`),
  firstName: firstName as string,
  lastName: lastName as string,
  message: message as string,
}));

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

type Person = SignedIn;

/** Signs `username` in through the console's Sign in button and the local provider's page. */
const signIn = (username: string, path: string, viewport = DESKTOP): Promise<Person> =>
  signInToConsole(browser, stack, username, { path, viewport });

const nextLead = (page: Page) => page.getByRole('button', { name: 'Next hot lead' });
const status = (page: Page) => page.locator('.sales-announce');
const myClaims = (page: Page) => page.getByRole('region', { name: 'My claims' });
/** The open card's heading (the person's name). */
const cardHeading = (page: Page) => page.locator('article.sales-card h2');

async function leadByEmail(email: string): Promise<Json> {
  const res = await http.get(`/v1/admin/leads?email=${encodeURIComponent(email)}`, stack.tokens.marketing);
  expect(res.status).toBe(200);
  return res.json;
}

function emailOf(name: string): string {
  const lead = LEADS.find((l) => `${l.firstName} ${l.lastName}` === name);
  if (!lead) throw new Error(`no seeded lead named ${name}`);
  return lead.email;
}

let ravi: Person;
let sofia: Person;
/** Who each rep claimed in the concurrent test (names as the card shows them). */
const claimed: Record<'ravi' | 'sofia', string> = { ravi: '', sofia: '' };

describe('the sales inbox', () => {
  it('is empty before any lead is hot: says so, and what to expect', async () => {
    ravi = await signIn('ravi', '/console/inbox');
    const { page } = ravi;
    await expect.poll(() => myClaims(page).textContent()).toContain('You hold no claims');
    expect(await seriousViolations(page)).toEqual([]);
    await nextLead(page).click();
    await page.getByText('Nobody is waiting — you will see hot leads here as they come in').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('gives two reps claiming at the same moment two different leads', async () => {
    for (const lead of LEADS) expect((await http.submit('demo-request', lead)).status).toBe(202);
    await waitFor(
      'the seeded leads on the queue',
      async () => {
        const queue = await http.get('/v1/sales/queue', stack.tokens.sales);
        return queue.json.waiting >= LEADS.length ? queue.json : undefined;
      },
      20_000,
    );
    sofia = await signIn('sofia', '/console/inbox', PHONE);
    await ravi.page.reload();
    await nextLead(ravi.page).waitFor();

    await Promise.all([nextLead(ravi.page).click(), nextLead(sofia.page).click()]);
    for (const [who, person] of [
      ['ravi', ravi],
      ['sofia', sofia],
    ] as const) {
      await cardHeading(person.page).waitFor();
      claimed[who] = (await cardHeading(person.page).textContent()) ?? '';
      // Said in the live region, and focus moved to the card.
      await expect.poll(() => status(person.page).textContent()).toBe(`Claimed ${emailOf(claimed[who])}.`);
      expect(await person.page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    }
    expect(claimed.ravi).not.toBe(claimed.sofia);
    expect(LEADS.map((l) => `${l.firstName} ${l.lastName}`)).toEqual(
      expect.arrayContaining([claimed.ravi, claimed.sofia]),
    );

    // The card: why it is hot, the form's message, the claim's time left (a timer, not announced).
    const card = ravi.page.locator('article.sales-card');
    const lead = LEADS.find((l) => `${l.firstName} ${l.lastName}` === claimed.ravi);
    await card.getByRole('heading', { name: 'Why it is hot' }).waitFor();
    expect(await card.locator('blockquote').textContent()).toBe(lead?.message);
    expect(await card.getByRole('timer').textContent()).toMatch(/^(29|30):\d\d$/);
    expect(await card.getByRole('timer').getAttribute('aria-live')).toBe('off');

    expect(await seriousViolations(ravi.page)).toEqual([]);
    await ravi.page.screenshot({ path: 'docs/screenshots/console-inbox.png', fullPage: true });

    // The phone layout: one column, nothing wider than the screen.
    expect(await seriousViolations(sofia.page)).toEqual([]);
    expect(await sofia.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await sofia.page.screenshot({ path: 'docs/screenshots/console-inbox-phone.png' });
  });

  it('keeps a claim under My claims across a reload', async () => {
    const { page } = ravi;
    await page.reload();
    await myClaims(page)
      .getByRole('button', { name: new RegExp(claimed.ravi) })
      .waitFor();
    expect(await cardHeading(page).textContent()).toBe(claimed.ravi);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('records an outcome: a reason is required to disqualify, the stage changes, the lead is owned', async () => {
    const { page } = ravi;
    const email = emailOf(claimed.ravi);
    const card = page.locator('article.sales-card');
    // Disqualified without a reason: stopped here, said at the field, focus on it.
    await card.getByRole('button', { name: 'Disqualified' }).click();
    const reason = card.getByLabel('Reason (required to disqualify)');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(await reason.getAttribute('id'));
    expect(await card.locator('.sales-field__error').textContent()).toBe('Say why the lead is disqualified.');
    expect((await leadByEmail(email)).stage).not.toBe('disqualified');
    expect(await seriousViolations(page)).toEqual([]);

    // The API's 400 for a field is shown at that field (the answer stands in for a rule the console does not know).
    await page.route('**/outcome', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'validation_failed',
            message: 'The request is invalid.',
            details: [{ path: 'note', message: 'must not contain markup' }],
          },
        }),
      }),
    );
    await card.getByLabel('Note (optional)').fill('<b>bold</b>');
    await card.getByRole('button', { name: 'Contacted' }).click();
    await card.getByText('must not contain markup').waitFor();
    expect(await card.getByLabel('Note (optional)').getAttribute('aria-invalid')).toBe('true');
    await page.unroute('**/outcome');

    await card.getByLabel('Note (optional)').fill('Demo on Tuesday with their VP Sales');
    await card.getByRole('button', { name: 'Meeting booked' }).click();
    await expect
      .poll(() => status(page).textContent())
      .toBe(`Meeting booked recorded for ${email}; stage Opportunity.`);
    const lead = await leadByEmail(email);
    expect(lead.stage).toBe('opportunity');
    expect(lead.owner).toMatchObject({ rep: 'ravi', repName: 'Ravi Patel' });
    // The card is gone; the lead is under Owned leads.
    expect(await page.locator('article.sales-card').count()).toBe(0);
    const owned = page.getByRole('region', { name: 'Owned leads' });
    await owned.getByRole('link', { name: claimed.ravi }).waitFor();
    expect(await myClaims(page).textContent()).toContain('You hold no claims');
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('the team view', () => {
  let mia: Person;
  let moved = '';

  it('shows a rep no Team link, and the API refuses a rep the team', async () => {
    const { page } = ravi;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await page.getByRole('link', { name: 'Team' }).count()).toBe(0);
    const res = await http.get('/v1/sales/team', ravi.token());
    expect(res.status).toBe(403);
    expect(res.json.error.code).toEqual(expect.any(String));
    // Typing the address shows no Team page and no manager action.
    await page.goto(`${stack.apiUrl}/console/team`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).not.toBe('Team');
    expect(await page.getByRole('button', { name: /^(Reassign|Release) / }).count()).toBe(0);
    await page.goto(`${stack.apiUrl}/console/inbox`);
    await nextLead(page).waitFor();
  });

  it('lets the manager reassign a claim: the new rep has it, the old rep can no longer record an outcome', async () => {
    // Ravi claims the next lead; Mia sees it under Claims with its age.
    await nextLead(ravi.page).click();
    await cardHeading(ravi.page).waitFor();
    moved = (await cardHeading(ravi.page).textContent()) ?? '';
    const email = emailOf(moved);

    mia = await signIn('mia', '/console/team');
    const { page } = mia;
    const claims = page.getByRole('region', { name: /^Claims/ });
    const row = claims.getByRole('row', { name: new RegExp(moved) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ravi Patel');
    const reps = page.getByRole('region', { name: 'Reps' });
    await reps.getByRole('row', { name: /Sofia Reyes/ }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await row.getByRole('button', { name: `Reassign ${email} (held by Ravi Patel)` }).click();
    const dialog = page.getByRole('dialog', { name: 'Reassign a claim' });
    await dialog.getByLabel('Give it to').selectOption('sofia');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Reassign to Sofia Reyes' }).click();
    await expect.poll(() => status(page).textContent()).toBe(`${email} reassigned to Sofia Reyes.`);
    await expect
      .poll(() => claims.getByRole('row', { name: new RegExp(moved) }).textContent())
      .toContain('Sofia Reyes');

    // Sofia has it under My claims after a reload.
    await sofia.page.reload();
    await myClaims(sofia.page)
      .getByRole('button', { name: new RegExp(moved) })
      .waitFor();

    // Ravi's card is stale: his outcome is refused, said on the card, and the stage does not move.
    const before = (await leadByEmail(email)).stage;
    const card = ravi.page.locator('article.sales-card');
    await card.getByRole('button', { name: 'Qualified', exact: true }).click();
    await card.getByRole('alert').waitFor();
    expect((await leadByEmail(email)).stage).toBe(before);
    await ravi.page.reload();
    await myClaims(ravi.page).getByText('You hold no claims').waitFor();
  });

  it('lets the manager release a claim back to the queue', async () => {
    const { page } = mia;
    const email = emailOf(claimed.sofia);
    const claims = page.getByRole('region', { name: /^Claims/ });
    await claims.getByRole('button', { name: `Release ${email} (held by Sofia Reyes)` }).click();
    const dialog = page.getByRole('dialog', { name: 'Release a claim' });
    await dialog.getByRole('button', { name: 'Release the claim' }).click();
    await expect.poll(() => status(page).textContent()).toBe(`Released ${email}.`);
    // Back on the queue: under Waiting (the queue may take a moment; Refresh asks again).
    const waiting = page.getByRole('region', { name: /^Waiting/ });
    await expect
      .poll(async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return waiting.getByRole('row', { name: new RegExp(claimed.sofia) }).count();
      })
      .toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });
  it("brings an owned lead's new activity to its rep and the manager, not to the shared queue", async () => {
    // Ravi owns the lead he booked a meeting with; it sends another demo request.
    const lead = LEADS.find((l) => `${l.firstName} ${l.lastName}` === claimed.ravi);
    if (!lead) throw new Error('no lead owned by ravi');
    expect(
      (await http.submit('demo-request', { ...lead, message: 'Can we move the demo to Monday?' })).status,
    ).toBe(202);
    const { page } = ravi;
    const news = page.getByRole('list', { name: `New activity of ${claimed.ravi}` });
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByRole('region', { name: 'Owned leads' }).getByRole('link').first().waitFor();
        return news.count();
      })
      .toBe(1);
    expect(await news.textContent()).toContain('Form submitted');
    expect(await seriousViolations(page)).toEqual([]);

    await mia.page.getByRole('button', { name: 'Refresh' }).click();
    const owned = mia.page.getByRole('region', { name: /^New activity on owned leads/ });
    const row = owned.getByRole('row', { name: new RegExp(claimed.ravi) });
    await row.waitFor();
    expect(await row.textContent()).toContain('Ravi Patel');
    // Not waiting for another rep.
    const waiting = mia.page.getByRole('region', { name: /^Waiting/ });
    expect(await waiting.getByRole('row', { name: new RegExp(claimed.ravi) }).count()).toBe(0);
    expect(await seriousViolations(mia.page)).toEqual([]);
    await mia.page.screenshot({ path: 'docs/screenshots/console-team.png', fullPage: true });
    // On a phone the tables scroll inside their panels; the page itself is no wider than the screen.
    await mia.page.setViewportSize(PHONE);
    await mia.page.screenshot({ path: 'docs/screenshots/console-team-phone.png', fullPage: true });
    expect(await mia.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    expect(await seriousViolations(mia.page)).toEqual([]);

    // The owner records the next outcome on the owned lead, with no claim: won keeps it his.
    const ownedRow = page.locator('.sales-row--owned').filter({ hasText: claimed.ravi });
    await ownedRow.locator('summary').click();
    await ownedRow.getByLabel('Note (optional)').fill('Signed for 40 seats');
    expect(await seriousViolations(page)).toEqual([]);
    await ownedRow.getByRole('button', { name: 'Won' }).click();
    await expect
      .poll(() => status(page).textContent())
      .toBe(`Won recorded for ${lead.email}; stage Customer.`);
    expect((await leadByEmail(lead.email)).stage).toBe('customer');
    await expect.poll(() => news.count()).toBe(0);
    expect(await ownedRow.textContent()).toContain('last: Won');
  });
});

describe('the inbox by keyboard', () => {
  it('claims the next lead and records an outcome with the keyboard only', async () => {
    // Marketing left a note on every seeded lead: the card shows it with the claim.
    for (const lead of LEADS) {
      const { leadId } = await leadByEmail(lead.email);
      const note = await http.post(
        `/v1/admin/leads/${leadId}/notes`,
        { text: 'Asked for a German-speaking rep' },
        stack.tokens.marketing,
      );
      expect(note.status).toBe(201);
    }
    const { page } = ravi;
    await page.goto(`${stack.apiUrl}/console/inbox`);
    await nextLead(page).waitFor();
    /** Presses Tab until the focused element is the button named `name` (at most 60 times). */
    async function tabTo(name: string) {
      for (let i = 0; i < 60; i += 1) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el?.tagName === 'BUTTON' ? el.textContent?.trim() : null;
        });
        if (focused === name) return;
      }
      throw new Error(`Tab never reached the ${name} button`);
    }
    await tabTo('Next hot lead');
    await page.keyboard.press('Enter');
    await expect.poll(() => status(page).textContent()).toMatch(/^Claimed /);
    const name = (await cardHeading(page).textContent()) ?? '';
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');
    const notes = page.locator('article.sales-card').getByRole('region', { name: 'Notes' });
    await notes.getByText('Asked for a German-speaking rep').waitFor();
    await tabTo('Qualified');
    await page.keyboard.press('Enter');
    const email = emailOf(name);
    await expect.poll(() => status(page).textContent()).toBe(`Qualified recorded for ${email}; stage SQL.`);
    // The card is gone; focus is on the next thing to do, not lost.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Next hot lead');
    expect((await leadByEmail(email)).stage).toBe('sql');
  });
});

describe('the inbox when things go wrong, and the claim clock', () => {
  it('shows an error with a retry when the claims cannot be loaded', async () => {
    const { page } = ravi;
    await page.route('**/v1/sales/claims', (route) =>
      route.request().method() === 'GET'
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'unavailable', message: 'Try again shortly.', details: [] },
            }),
          })
        : route.fallback(),
    );
    await page.reload();
    const failed = myClaims(page).getByRole('alert');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('Could not load your claims: Try again shortly.');
    expect(await seriousViolations(page)).toEqual([]);
    await page.unroute('**/v1/sales/claims');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await myClaims(page).getByText('You hold no claims').waitFor();
  });

  it('speaks at one minute left (not every second), extends, and releases', async () => {
    const { page } = ravi;
    // The claim as the API gives it, except that it ends in 62 s: the last minute comes quickly.
    await page.route('**/v1/sales/claims', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      const res = await route.fetch();
      const card = await res.json();
      card.claimExpiresAt = new Date(Date.now() + 62_000).toISOString();
      return route.fulfill({ response: res, json: card });
    });
    await nextLead(page).click();
    await cardHeading(page).waitFor();
    await page.unroute('**/v1/sales/claims');
    const email = emailOf((await cardHeading(page).textContent()) ?? '');
    const card = page.locator('article.sales-card');
    const spoken = card.locator('.sales-countdown [aria-live="polite"]');
    expect(await spoken.textContent()).toBe('');
    await expect.poll(() => spoken.textContent(), { timeout: 8_000 }).toBe('One minute left on the claim.');
    expect(await card.getByRole('timer').textContent()).toMatch(/^(1:00|0:5\d)$/);

    await card.getByRole('button', { name: 'Extend claim' }).click();
    await expect.poll(() => status(page).textContent()).toBe(`Claim on ${email} extended.`);
    await expect.poll(() => card.getByRole('timer').textContent()).toMatch(/^(29|30):\d\d$/);
    // The spoken warning is withdrawn on the countdown's next second, which can follow the timer's redraw.
    await expect.poll(() => spoken.textContent(), { timeout: 3_000 }).toBe('');

    const before = (await http.get('/v1/sales/queue', stack.tokens.sales)).json.waiting;
    await card.getByRole('button', { name: 'Release' }).click();
    await expect.poll(() => status(page).textContent()).toBe(`Released ${email}; it is back in the queue.`);
    await expect
      .poll(async () => (await http.get('/v1/sales/queue', stack.tokens.sales)).json.waiting)
      .toBe(before + 1);
  });
});
