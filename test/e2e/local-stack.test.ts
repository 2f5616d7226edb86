import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { readForms } from '../../functions/adapters/files/config-dir';
import type { FormField } from '../../functions/core/capture/form';
import { seriousViolations } from './axe';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  type StartedStack,
  startLocalStackProcess,
  uniqueEmail,
} from './local-stack';

/**
 * End to end: the real `npm start` (tsx functions/local/start.ts) as a child process on free
 * ports, driven over HTTP and through its demo page in headless Chromium, JavaScript on and off.
 */

const WAIT_MS = 15_000;
const THANK_YOU = 'Thank you! We received your details.';

interface TimelineEntry {
  type: string;
  formId?: string;
  attribution?: Record<string, string>;
  consentGranted?: boolean;
}
interface LeadViewBody {
  leadId: string;
  email: string;
  profile: Record<string, unknown>;
  consent: { granted: boolean; text: string; source: string }[];
  marketingConsent: { granted: boolean } | null;
  optIn: { formId: string; status: string } | null;
  firstTouch: Record<string, string> | null;
  timeline: TimelineEntry[];
}

let stack: StartedStack | undefined;

function api(): string {
  if (!stack) throw new Error('the local stack did not start');
  return stack.apiUrl;
}

function tokens() {
  if (!stack) throw new Error('the local stack did not start');
  return stack.tokens;
}

/** GET /v1/admin/leads?email= with the given token (the marketing one unless told). */
function lookUp(email: string, token: string | null = tokens().MARKETING): Promise<Response> {
  return fetch(`${api()}/v1/admin/leads?email=${encodeURIComponent(email)}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

async function lookUpLead(email: string): Promise<LeadViewBody> {
  const res = await lookUp(email);
  expect(res.status, `lookup of ${email}`).toBe(200);
  return (await res.json()) as LeadViewBody;
}

beforeAll(async () => {
  stack = await startLocalStackProcess();
});

afterAll(async () => {
  if (!stack) return;
  const result = await stack.stop(10_000);
  if (result.code !== 0 || result.killed || result.leftovers.length > 0) {
    console.error(`local stack stop: ${JSON.stringify(result)}\n--- output ---\n${stack.output()}`);
  }
  expect(result, 'the local stack exits 0 within 10 s of SIGINT').toMatchObject({ code: 0, killed: false });
  expect(result.leftovers, 'no process of the local stack is left running').toEqual([]);
  // Jobs still in flight may log between the two lines (an email job finishing); "stopped." comes last.
  expect(stack.output()).toMatch(/SIGINT: stopping the local stack\.\.\.\n[\s\S]*^stopped\.\s*$/m);
});

beforeEach(() => {
  onTestFailed(() => {
    console.error(`--- local stack output (pid ${stack?.pid}) ---\n${stack?.output() ?? '(not started)'}`);
  });
});

describe('local stack over HTTP', () => {
  it('prints the API, the demo page and the dev tokens given by env in its summary', () => {
    expect(stack?.apiUrl).toMatch(/^http:\/\/localhost:\d+$/);
    expect(stack?.apiUrl).not.toBe('http://localhost:0');
    expect(stack?.output()).toContain(`  Demo forms   ${api()}/`);
    expect(stack?.printedTokens).toEqual(tokens());
  });

  it('answers the health check with status ok', async () => {
    const res = await fetch(`${api()}/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI 3.1 document that describes form submissions', async () => {
    const res = await fetch(`${api()}/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/forms/{formId}/submissions');
  });

  it('serves the embed script as JavaScript', async () => {
    const res = await fetch(`${api()}/v1/embed.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript\b/);
    const body = await res.text();
    expect(body).toContain('form[data-leadflow]');
    expect(() => new Function(body)).not.toThrow();
  });

  it('accepts a JSON newsletter sign-up and returns it from the lead lookup with its form activity', async () => {
    const email = uniqueEmail('json');
    const res = await fetch(`${api()}/v1/forms/newsletter/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${email}` },
      body: JSON.stringify({ email, firstName: 'Ada', consent: true }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { leadId: string; status: string };
    expect(accepted).toEqual({ leadId: expect.stringMatching(/^ld_[0-9a-f]{24}$/), status: 'accepted' });

    const lead = await lookUpLead(email);
    expect(lead.leadId).toBe(accepted.leadId);
    expect(lead.email).toBe(email);
    expect(lead.profile).toMatchObject({ email, firstName: 'Ada' });
    expect(lead.timeline).toContainEqual(
      expect.objectContaining({ type: 'form_submitted', formId: 'newsletter' }),
    );
  });

  it('refuses the lead lookup without a token (401)', async () => {
    const res = await lookUp('someone@example.com', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('refuses the lead lookup with an ingest token (403)', async () => {
    const res = await lookUp('someone@example.com', tokens().INGEST);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });

  it('answers 404 when looking up an email that was never captured', async () => {
    const res = await lookUp(uniqueEmail('unknown'));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: expect.any(String) } });
  });
});

describe('npm start with a dev token the API would refuse', () => {
  it('refuses to start when LEADFLOW_DEV_TOKEN_* is shorter than 16 characters, saying the rule', async () => {
    const error = await startLocalStackProcess({ env: { LEADFLOW_DEV_TOKEN_SALES: 'short-token' } }).then(
      async (started) => {
        await started.stop(10_000);
        return new Error('started');
      },
      (e: Error) => e,
    );
    expect(error.message).toMatch(/exited early \(code 1/);
    expect(error.message).toMatch(/LEADFLOW_DEV_TOKEN_SALES must be 16 to 256 characters/);
    expect(error.message).not.toContain('short-token');
    expect(error.message).not.toContain('Leadflow local stack is running');
  });
});

describe('demo forms in headless Chromium', () => {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  let pageLog: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(() => {
    pageLog = [];
    onTestFailed(() => {
      console.error(`--- browser log ---\n${pageLog.join('\n') || '(empty)'}`);
    });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  async function openDemoPage(options: { javaScript: boolean; query?: string }): Promise<Page> {
    if (!browser) throw new Error('Chromium did not start');
    const context = await browser.newContext({ javaScriptEnabled: options.javaScript });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on('console', (msg) => pageLog.push(`console.${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (error) => pageLog.push(`pageerror: ${error.message}`));
    page.on('requestfailed', (req) =>
      pageLog.push(`requestfailed: ${req.method()} ${req.url()} ${req.failure()?.errorText}`),
    );
    page.on('response', (res) =>
      pageLog.push(`response: ${res.status()} ${res.request().method()} ${res.url()}`),
    );
    const res = await page.goto(`${api()}/${options.query ?? ''}`);
    expect(res?.status()).toBe(200);
    if (options.javaScript) {
      // The embed script adds the hidden _page field when it takes a form over: it is ready then.
      await page.locator('#form-newsletter input[name=_page]').waitFor({ state: 'attached' });
      await page.locator('#form-demo-request input[name=_page]').waitFor({ state: 'attached' });
    }
    return page;
  }

  /** Where a plain form post ends up: the thank-you page, or back on a page with `?error=`. */
  const leftTheForm = (url: URL) => url.pathname === '/thanks' || url.searchParams.has('error');

  const submissionTo = (page: Page, formId: string) =>
    page.waitForRequest(
      (req) => req.method() === 'POST' && req.url() === `${api()}/v1/forms/${formId}/submissions`,
    );

  it('has no serious or critical axe violation on the demo page, before and after a field error', async () => {
    // axe needs JavaScript; the markup is the same with it off (the embed script only adds behaviour).
    const page = await openDemoPage({ javaScript: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'docs/screenshots/demo-forms.png', fullPage: true });
    const form = page.locator('#form-demo-request');
    await form.locator('[name=email]').fill('x@mailinator.com');
    await form.locator('button[type=submit]').click();
    await page.locator('#form-demo-request[data-leadflow-state="error"]').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await form.screenshot({ path: 'docs/screenshots/demo-form-errors.png' });
  });

  it('stores a newsletter sign-up sent by the embed script and shows the success message', async () => {
    const page = await openDemoPage({ javaScript: true });
    const email = uniqueEmail('js');
    const form = page.locator('#form-newsletter');
    await form.locator('[name=email]').fill(email);
    await form.locator('[name=firstName]').fill('Ada');
    await form.locator('[name=consent]').check();

    const request = submissionTo(page, 'newsletter');
    await form.locator('button[type=submit]').click();
    const sent = await request;
    expect(sent.headers()['content-type']).toMatch(/^application\/json/);
    expect(sent.headers()['idempotency-key']).toBeTruthy();
    expect((await sent.response())?.status()).toBe(202);

    await page.locator('#form-newsletter[data-leadflow-state="success"]').waitFor();
    await expect(form.locator('[data-leadflow-message]').textContent()).resolves.toBe(THANK_YOU);
    expect(page.url()).toBe(`${api()}/`);
    await expect(form.locator('[name=email]').inputValue()).resolves.toBe('');

    const lead = await lookUpLead(email);
    expect(lead.profile).toMatchObject({ email, firstName: 'Ada' });
    expect(lead.consent).toContainEqual(
      expect.objectContaining({ granted: true, source: 'form:newsletter' }),
    );
    expect(lead.marketingConsent).toMatchObject({ granted: true });
    const activity = lead.timeline.find((entry) => entry.type === 'form_submitted');
    expect(activity).toMatchObject({ formId: 'newsletter', consentGranted: true });
    expect(activity?.attribution?.page).toBe(`${api()}/`);
  });

  it('shows inline field errors for a disposable email and a missing company, and stores nothing', async () => {
    const page = await openDemoPage({ javaScript: true });
    const email = 'x@mailinator.com';
    const form = page.locator('#form-demo-request');
    await form.locator('[name=email]').fill(email);
    await form.locator('[name=firstName]').fill('Xavier');
    await form.locator('[name=lastName]').fill('Example');

    const request = submissionTo(page, 'demo-request');
    await form.locator('button[type=submit]').click();
    expect((await (await request).response())?.status()).toBe(400);

    await page.locator('#form-demo-request[data-leadflow-state="error"]').waitFor();
    const emailError = form.locator('.leadflow-error[data-leadflow-error-for=email]');
    const companyError = form.locator('.leadflow-error[data-leadflow-error-for=company]');
    await emailError.waitFor({ state: 'visible' });
    await companyError.waitFor({ state: 'visible' });
    await expect(emailError.textContent()).resolves.toMatch(/disposable/i);
    await expect(companyError.textContent()).resolves.toMatch(/required/i);
    await expect(form.locator('[name=email]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form.locator('[name=company]').getAttribute('aria-invalid')).resolves.toBe('true');
    // Fields that were fine are not marked, and the other form is untouched.
    await expect(form.locator('.leadflow-error').count()).resolves.toBe(2);
    await expect(form.locator('[name=firstName]').getAttribute('aria-invalid')).resolves.toBeNull();
    await expect(page.locator('#form-newsletter .leadflow-error').count()).resolves.toBe(0);
    // The typed values stay so the visitor can correct them.
    await expect(form.locator('[name=firstName]').inputValue()).resolves.toBe('Xavier');

    expect((await lookUp(email)).status).toBe(404);
  });

  it('stores a demo request posted with JavaScript off and shows the thank-you page', async () => {
    const query = '?utm_source=e2e&utm_campaign=no-js';
    const page = await openDemoPage({ javaScript: false, query });
    const email = uniqueEmail('nojs');
    const form = page.locator('#form-demo-request');
    await form.locator('[name=email]').fill(email);
    await form.locator('[name=firstName]').fill('Grace');
    await form.locator('[name=lastName]').fill('Hopper');
    await form.locator('[name=company]').fill('Navy Labs');
    await form.locator('[name=jobTitle]').fill('Rear Admiral');
    await form.locator('[name=country]').fill('US');
    await form.locator('[name=companySize]').selectOption('51-200');
    await form.locator('[name=message]').fill('Show me\nthe pipeline.');
    await form.locator('[name=consent]').check();

    const request = submissionTo(page, 'demo-request');
    // Wait for wherever the post leads (thank-you page, or back with ?error=), so a refusal fails fast and says why.
    await Promise.all([page.waitForURL(leftTheForm), form.locator('button[type=submit]').click()]);
    const sent = await request;
    expect(sent.headers()['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect((await sent.response())?.status()).toBe(303);

    expect(page.url()).toBe(`${api()}/thanks?form=demo-request`);
    const thanks = page.locator('#thanks');
    await thanks.waitFor({ state: 'visible' });
    await expect(thanks.textContent()).resolves.toBe('Thank you!');

    const lead = await lookUpLead(email);
    expect(lead.profile).toMatchObject({
      email,
      firstName: 'Grace',
      lastName: 'Hopper',
      company: 'Navy Labs',
      jobTitle: 'Rear Admiral',
      country: 'US',
      companySize: '51-200',
    });
    expect(lead.consent).toContainEqual(
      expect.objectContaining({ granted: true, source: 'form:demo-request' }),
    );
    const demoPage = `${api()}/${query}`;
    const activity = lead.timeline.find((entry) => entry.type === 'form_submitted');
    expect(activity).toMatchObject({ formId: 'demo-request' });
    expect(activity?.attribution).toMatchObject({ page: demoPage, utm_source: 'e2e', utm_campaign: 'no-js' });
    expect(lead.firstTouch).toMatchObject({ page: demoPage, utm_source: 'e2e', source: 'form:demo-request' });
  });

  it('sends a newsletter sign-up with an invalid email posted with JavaScript off back to the page with the error', async () => {
    const page = await openDemoPage({ javaScript: false });
    const form = page.locator('#form-newsletter');
    await form.locator('[name=email]').fill('not-an-email');
    await form.locator('[name=firstName]').fill('Nobody');

    await Promise.all([page.waitForURL(leftTheForm), form.locator('button[type=submit]').click()]);
    const url = new URL(page.url());
    expect(url.origin + url.pathname).toBe(`${api()}/`);
    expect(url.searchParams.get('error')).toBe('validation_failed');
    expect(url.searchParams.get('error_message')).toBeNull();
    expect(url.searchParams.get('error_fields')?.split(',')).toContain('email');
    expect(url.searchParams.get('error_form')).toBe('newsletter');
    // Back on the demo page, forms and all, with the error shown at the form that failed only.
    await expect(page.locator('#form-newsletter').count()).resolves.toBe(1);
    const notices = page.locator('.leadflow-notice');
    await expect(notices.count()).resolves.toBe(1);
    await expect(notices.first().textContent()).resolves.toMatch(/invalid fields.*email/);
  });

  it('shows only its own message for an error redirect, never text from the query (JavaScript off and on)', async () => {
    const crafted =
      '?error=validation_failed&error_form=newsletter&error_message=URGENT%3A+verify+at+https%3A%2F%2Fevil.example' +
      '&error_fields=email,URGENT+call+us,_gotcha';
    const noJs = await openDemoPage({ javaScript: false, query: crafted });
    const notices = noJs.locator('.leadflow-notice');
    await expect(notices.count()).resolves.toBe(1);
    await expect(notices.first().textContent()).resolves.toBe(
      'The submission has invalid fields. Check: Work email.',
    );
    await expect(noJs.content()).resolves.not.toContain('URGENT');

    const unknown = await openDemoPage({
      javaScript: false,
      query: '?error=call_us_now&error_form=newsletter&error_message=Call+555-0100',
    });
    await expect(unknown.locator('.leadflow-notice').first().textContent()).resolves.toBe(
      'Something went wrong. Please try again.',
    );

    const js = await openDemoPage({ javaScript: true, query: crafted });
    const form = js.locator('#form-newsletter');
    await expect(form.locator('[data-leadflow-message]').textContent()).resolves.toBe(
      'The submission has invalid fields.',
    );
    await expect(form.locator('[name=email]').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(form.locator('.leadflow-error').count()).resolves.toBe(1);
    await expect(form.textContent()).resolves.not.toContain('URGENT');
    const jsUnknown = await openDemoPage({
      javaScript: true,
      query: '?error=call_us_now&error_form=newsletter&error_message=Call+555-0100',
    });
    await expect(jsUnknown.locator('#form-newsletter [data-leadflow-message]').textContent()).resolves.toBe(
      'Something went wrong. Please try again.',
    );
  });

  it('shows the double opt-in form too, and its plain post lands on a thank-you page that asks to confirm by email', async () => {
    const page = await openDemoPage({ javaScript: false });
    await expect(page.locator('form[data-leadflow]').count()).resolves.toBe(3);
    const form = page.locator('#form-newsletter-eu');
    const email = uniqueEmail('doi');
    await form.locator('[name=email]').fill(email);
    await form.locator('[name=consent]').check();

    await Promise.all([page.waitForURL(leftTheForm), form.locator('button[type=submit]').click()]);
    expect(page.url()).toBe(`${api()}/thanks?form=newsletter-eu`);
    await expect(page.locator('#confirm-notice').textContent()).resolves.toMatch(/check your inbox/);

    const lead = await lookUpLead(email);
    expect(lead.marketingConsent).toBe(null);
    expect(lead.optIn).toMatchObject({ formId: 'newsletter-eu', status: 'pending' });
    expect(lead.consent).toContainEqual(
      expect.objectContaining({ granted: true, pendingConfirmation: true, source: 'form:newsletter-eu' }),
    );
  });

  /** The ARIA role a demo form gives each field type. */
  const roleOf = (field: FormField) =>
    field.type === 'boolean'
      ? 'checkbox'
      : field.type === 'select'
        ? 'combobox'
        : field.type === 'number'
          ? 'spinbutton'
          : 'textbox';

  it('has unique ids, labels tied to fields of their own form, and a name for every field (JavaScript off and on)', async () => {
    const forms = await readForms('config');
    for (const javaScript of [false, true]) {
      const page = await openDemoPage({ javaScript });
      // What the browser itself resolves: repeated ids, labels whose control is missing or in
      // another form (label.control), and visible fields without a label or aria-label.
      const report = await page.evaluate(() => {
        const ids = Array.from(document.querySelectorAll('[id]'), (el) => el.id);
        const fields = Array.from(
          document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
            'form input, form select, form textarea',
          ),
        ).filter((el) => el.type !== 'hidden' && el.getAttribute('aria-hidden') !== 'true');
        return {
          ids: ids.length,
          repeatedIds: ids.filter((id, i) => ids.indexOf(id) !== i),
          strayLabels: Array.from(document.querySelectorAll('label'))
            .filter((label) => !label.control || label.control.closest('form') !== label.closest('form'))
            .map((label) => label.htmlFor || (label.textContent ?? '').trim()),
          fields: fields.length,
          unnamed: fields
            .filter(
              (el) =>
                !el.getAttribute('aria-label')?.trim() &&
                !Array.from(el.labels ?? []).some((label) => (label.textContent ?? '').trim() !== ''),
            )
            .map((el) => `${el.form?.id} ${el.name}`),
        };
      });
      const declared = forms.reduce((n, f) => n + f.fields.length, 0);
      expect(report, `JavaScript ${javaScript ? 'on' : 'off'}`).toEqual({
        ids: expect.any(Number),
        repeatedIds: [],
        strayLabels: [],
        fields: declared,
        unnamed: [],
      });
      // Each form's own fields carry their labels as accessible names (as a screen reader gets them).
      for (const form of forms) {
        for (const field of form.fields) {
          const named = page
            .locator(`#form-${form.id}`)
            .getByRole(roleOf(field), { name: field.label ?? field.name, exact: true });
          await expect(named.count(), `${form.id} ${field.name}`).resolves.toBe(1);
          await expect(named.getAttribute('name')).resolves.toBe(field.name);
        }
      }
    }
  });
});
