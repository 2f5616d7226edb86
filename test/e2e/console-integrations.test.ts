import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { holdThenFail, launchConsoleBrowser, PHONE, shot, signInToConsole, tabTo } from '../fixtures/console';
import { api, hotDemoRequest, type Json, startTestStack } from '../fixtures/local-api';
import { seriousViolations } from './axe';

/**
 * The Integrations page in Chromium on the local stack, with a real webhook receiver on 127.0.0.1:
 * an admin adds an endpoint (the secret shown once), pings it, watches a lead.hot delivery fail
 * with a 500 in the log, retries it (the receiver now answers 200, same webhook-id), rotates the
 * secret and pauses the endpoint; keyboard only, 390 px, the empty, loading and error states.
 */
interface Received {
  path: string;
  id: string;
  type: string;
  body: string;
  headers: Record<string, string>;
}
const received: Received[] = [];
let receiver: Server;
let base = '';
let stack: LocalStack;
let browser: Browser;

async function read(req: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  // Test pings answer 200; a lead event's first delivery 500 (come back in an hour), then 200.
  receiver = createServer(async (req, res) => {
    const body = await read(req);
    const type = JSON.parse(body || '{}').type ?? '';
    const first = type !== 'webhook.test' && !received.some((r) => r.type === type && r.path === req.url);
    received.push({
      path: req.url ?? '',
      id: String(req.headers['webhook-id']),
      type,
      body,
      headers: req.headers as Record<string, string>,
    });
    if (req.url === '/gone') res.writeHead(410).end('this hook was removed');
    else if (req.url === '/many') res.writeHead(400).end('unknown tenant');
    else if (first) res.writeHead(500, { 'retry-after': '3600' }).end('database is down');
    else res.writeHead(200).end('ok, thanks');
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  stack = await startTestStack({ tickSeconds: 1 });
  browser = await launchConsoleBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  receiver?.close();
});

const admin = () => stack.tokens.admin;
const at = (path: string) => received.filter((r) => r.path === path);
const verified = (secret: string, r: Received | undefined) =>
  new Webhook(secret).verify(r?.body ?? '', r?.headers ?? {}) as Json;
async function waitForCount(count: () => Promise<number>, atLeast: number): Promise<number> {
  await expect.poll(count, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(atLeast);
  return count();
}
const logRows = (page: Page) =>
  page.getByRole('table', { name: 'Deliveries, newest first' }).getByRole('row');

describe('the Integrations page', () => {
  it('adds an endpoint (secret shown once), pings it, retries a failed delivery, rotates the secret and pauses it', async () => {
    const { page } = await signInToConsole(browser, stack, 'alex', { path: '/console/integrations' });
    await page.getByText('No webhook endpoints yet').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Add endpoint' }).click();
    // A private address is refused (SSRF), at its field.
    await page.getByLabel('Endpoint URL').fill('http://10.0.0.7/hook');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toMatch(/./);
    expect(await page.getByLabel('Endpoint URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').textContent()).toContain('The endpoint URL is not allowed.');
    await page.getByLabel('Endpoint URL').fill(`${base}/crm`);
    await page.getByLabel('Description (optional)').fill('Our CRM');
    expect(await page.getByRole('checkbox', { name: /lead\.hot/ }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: /lead\.erased/ }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoint added' }).waitFor();
    const secret = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('you will not see this secret again').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-integrations-secret');

    await page.getByRole('link', { name: 'I stored it: open the endpoint' }).click();
    await page.getByRole('heading', { name: 'Our CRM' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    const endpointId = decodeURIComponent(page.url().split('/').at(-1) ?? '');
    await page.getByText('No deliveries in the last 30 days').waitFor();

    await page.getByRole('button', { name: 'Send test ping' }).click();
    await expect
      .poll(() => page.locator('.wh-test').textContent(), { timeout: 15_000 })
      .toMatch(/^Test ping delivered: HTTP 200, \d+ ms — ok, thanks$/);
    expect(verified(secret, at('/crm')[0])).toMatchObject({ type: 'webhook.test' });

    // A hot lead: its first delivery meets the receiver's 500 and waits an hour (Retry-After).
    expect(
      (await api(stack).submit('demo-request', hotDemoRequest('vera.integrations@initech.example'))).status,
    ).toBe(202);
    const refresh = page.getByRole('button', { name: 'Refresh' });
    await expect
      .poll(
        async () => {
          await refresh.click();
          return (await logRows(page).allTextContents()).slice(1).join('\n');
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/lead\.hot.*Failed, retrying.*500.*database is down/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: /^Retry lead\.hot/ }).click();
    await expect
      .poll(() => page.locator('.wh-said').last().textContent())
      .toMatch(/^Queued lead\.hot again \(same webhook-id evt_/);
    await expect
      .poll(
        async () => {
          await refresh.click();
          return logRows(page).nth(1).textContent();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toMatch(/lead\.hot.*Delivered.*200/);
    // Delivered since: the failed attempt is no longer offered for a retry; the endpoint's last success shows.
    expect(await page.getByRole('button', { name: /^Retry lead\.hot/ }).count()).toBe(0);
    await expect.poll(() => page.locator('.fields').textContent()).toMatch(/Last success[A-Z][a-z]{2} \d/);
    const hot = at('/crm').filter((r) => r.type === 'lead.hot');
    expect(hot).toHaveLength(2);
    expect(hot[1]?.id).toBe(hot[0]?.id);
    expect(verified(secret, hot[1]).data.lead.email).toBe('vera.integrations@initech.example');
    await shot(page, 'console-integrations-endpoint');

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate the signing secret?' });
    await rotate.getByRole('button', { name: 'Rotate' }).click();
    await page.getByText('The old secret keeps signing every delivery too until').waitFor();
    const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await page.getByRole('button', { name: 'Send test ping' }).click();
    await expect
      .poll(() => page.locator('.wh-test').textContent(), { timeout: 15_000 })
      .toMatch(/^Test ping delivered/);
    const ping = at('/crm').at(-1);
    expect(verified(rotated, ping).type).toBe('webhook.test');
    expect(verified(secret, ping).type).toBe('webhook.test');

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByText('Paused: events from now on are neither sent to it nor kept for it.').waitFor();
    const stored = await fetch(`${stack.apiUrl}/v1/admin/webhooks/endpoints/${endpointId}`, {
      headers: { authorization: `Bearer ${admin()}` },
    }).then((r) => r.json());
    expect(stored).toMatchObject({ status: 'paused', updatedBy: { username: 'alex' } });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'All integrations' }).click();
    const row = page.getByRole('row', { name: /Our CRM/ });
    await expect.poll(() => row.textContent()).toMatch(/Paused.*paused by .*Delivered \(200\)lead\.hot/);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-integrations');
    await page.context().close();
  }, 180_000);

  it('can be used with the keyboard alone: open an endpoint, ping it, edit its types and delete it after confirming', async () => {
    const made = await api(stack).post(
      '/v1/admin/webhooks/endpoints',
      { url: `${base}/keys`, eventTypes: ['lead.outcome'], description: 'Keyboard hook' },
      admin(),
    );
    expect(made.status).toBe(201);
    const { page } = await signInToConsole(browser, stack, 'alex', { path: '/console/integrations' });
    await tabTo(page, page.getByRole('link', { name: `${base}/keys` }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Keyboard hook' }).waitFor();
    await tabTo(page, page.getByRole('button', { name: 'Send test ping' }));
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('.wh-test').textContent(), { timeout: 15_000 })
      .toMatch(/^Test ping delivered/);

    await tabTo(page, page.getByRole('button', { name: 'Edit' }));
    await page.keyboard.press('Enter');
    const stage = page.getByRole('checkbox', { name: /lead\.stage_changed/ });
    await tabTo(page, stage);
    await page.keyboard.press('Space');
    await tabTo(page, page.getByRole('button', { name: 'Save changes' }));
    await page.keyboard.press('Enter');
    await page.getByText('Saved.').waitFor();
    expect(await page.locator('.fields').textContent()).toContain('lead.outcome, lead.stage_changed');

    await tabTo(page, page.getByRole('button', { name: 'Delete' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete this endpoint?' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
    await page.keyboard.press('Enter');
    await tabTo(page, dialog.getByRole('button', { name: 'Yes, delete it' }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: `${base}/keys` }).count()).toBe(0);
    expect((await api(stack).get(`/v1/admin/webhooks/endpoints/${made.json.id}`, admin())).status).toBe(404);
    await page.goBack();
    await page.getByRole('heading', { name: 'No such endpoint' }).waitFor();
    await page.context().close();
  }, 120_000);

  it('pages the delivery log: 20 at a time, older ones on demand', async () => {
    const http = api(stack);
    const made = await http.post(
      '/v1/admin/webhooks/endpoints',
      { url: `${base}/many`, eventTypes: ['lead.hot', 'lead.stage_changed'], description: 'Busy hook' },
      admin(),
    );
    const deliveries = async () =>
      (await http.get(`/v1/admin/webhooks/endpoints/${made.json.id}/deliveries?limit=200`, admin())).json
        .deliveries.length as number;
    for (let n = 0; n < 20 && (await deliveries()) < 21; n += 1) {
      await http.submit('demo-request', hotDemoRequest(`busy.${n}@initech.example`));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    const total = await waitForCount(deliveries, 21);
    const { page } = await signInToConsole(browser, stack, 'alex', {
      path: `/console/integrations/${made.json.id}`,
    });
    await logRows(page).nth(20).waitFor();
    expect(await logRows(page).count()).toBe(21);
    await page.getByRole('button', { name: 'Show older deliveries' }).click();
    await expect.poll(() => logRows(page).count()).toBeGreaterThan(21);
    expect(
      (await logRows(page).allTextContents())
        .slice(1)
        .every((row) => /Failed.*400.*unknown tenant/.test(row)),
    ).toBe(true);
    expect(total).toBeGreaterThanOrEqual(21);
    await page.context().close();
  }, 120_000);

  it('fits a 390-px phone; says while it loads and when loading fails; is not offered to marketing', async () => {
    // Two endpoints the system itself marks: one answering 410 (disabled), one failing (500, retrying).
    for (const [path, description] of [
      ['/gone', 'Old Zap'],
      ['/down', 'Data warehouse'],
    ])
      await api(stack).post(
        '/v1/admin/webhooks/endpoints',
        { url: `${base}${path}`, eventTypes: ['lead.hot'], description },
        admin(),
      );
    await api(stack).submit('demo-request', hotDemoRequest('mo.phone@initech.example'));
    const { page } = await signInToConsole(browser, stack, 'alex', {
      path: '/console/integrations',
      viewport: PHONE,
    });
    await page.getByRole('row', { name: /Our CRM/ }).waitFor();
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('row', { name: /Our CRM/ }).waitFor();
          return [
            await page.getByRole('row', { name: /Old Zap/ }).textContent(),
            await page.getByRole('row', { name: /Data warehouse/ }).textContent(),
          ];
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toEqual([
        expect.stringMatching(/Disableddisabled by Leadflow: the receiver answered 410 Gone.*Failed \(410\)/),
        expect.stringMatching(/ActiveFailing since .*Failed, retrying \(500\)/),
      ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'console-integrations-phone');
    await page.getByRole('link', { name: `${base}/crm` }).click();
    await page.getByRole('heading', { name: 'Our CRM' }).waitFor();
    await logRows(page).nth(1).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(await seriousViolations(page)).toEqual([]);

    const list = await holdThenFail(page, '**/v1/admin/webhooks/endpoints');
    await page.getByRole('link', { name: 'All integrations' }).click();
    await page.getByText('Loading webhook endpoints…').waitFor();
    list.fail();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Could not load webhook endpoints: Try again soon.Try again');
    expect(await seriousViolations(page)).toEqual([]);
    list.recover();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('row', { name: /Our CRM/ }).waitFor();
    await page.context().close();

    const marketing = await signInToConsole(browser, stack, 'maya', { path: '/console/integrations' });
    await marketing.page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(await marketing.page.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain(
      'Integrations',
    );
    await marketing.page.context().close();
  }, 120_000);
});
