import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { api, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { mailTo, type SentEmail, type TimelineEntry } from '../fixtures/nurture';

/**
 * Opens and clicks on the local stack: the welcome email's links go through the local tracking
 * route and carry an open pixel; following them, and `leadflow email event`, publish SES Open and
 * Click events that ses-events records with the send's sequence, step and template.
 */
const run = promisify(execFile);
let stack: LocalStack;
let http: ReturnType<typeof api>;
const tag = Date.now().toString(36);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  stack = await startTestStack({ tickSeconds: 1 });
  http = api(stack);
});
afterAll(async () => stack?.stop());

const decode = (s: string) => s.replace(/&amp;/g, '&');

async function timeline(leadId: string): Promise<TimelineEntry[]> {
  const res = await http.get(`/v1/admin/leads/${leadId}`, stack.tokens.marketing);
  expect(res.status).toBe(200);
  return res.json.timeline;
}
const entriesOf = (leadId: string, type: string, count = 1) =>
  waitFor(`${count} × ${type} on ${leadId}`, async () => {
    const found = (await timeline(leadId)).filter((e) => e.type === type);
    return found.length >= count ? found : undefined;
  });

async function welcomed(email: string): Promise<{ leadId: string; mail: SentEmail; messageId: string }> {
  const res = await http.submit('newsletter', { email, firstName: 'Ada', consent: true });
  expect(res.status).toBe(202);
  const leadId = res.json.leadId as string;
  const mail = await waitFor('the welcome email', async () => (await mailTo(stack.endpoints.ses, email))[0]);
  const [sent] = await entriesOf(leadId, 'email_sent');
  return { leadId, mail, messageId: (sent?.properties as Json | undefined)?.messageId };
}

describe('opens and clicks on the local stack', () => {
  it('a welcome email is opened and clicked in the mailbox; the timeline shows both with the sequence and step', async () => {
    const { leadId, mail, messageId } = await welcomed(`ada.open.${tag}@acme-industries.de`);
    const html = mail.body.html ?? '';
    // Content links are tracked, Leadflow's own (unsubscribe) are not; one open pixel.
    const click = /href="([^"]*\/local\/ses\/click\?[^"]+)"/.exec(html)?.[1];
    const pixel = /<img src="([^"]*\/local\/ses\/open\?m=[^"]+)"/.exec(html)?.[1];
    expect(click, html).toBeDefined();
    expect(pixel, html).toBeDefined();
    expect(html).toMatch(new RegExp(`href="${stack.apiUrl}/v1/unsubscribe\\?t=`));
    expect(html).not.toContain('href="http://localhost:3000/docs/quick-start"');

    const opened = await fetch(decode(pixel ?? ''));
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('image/gif');
    const followed = await fetch(decode(click ?? ''), { redirect: 'manual' });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe('http://localhost:3000/docs/quick-start');

    const attribution = { messageId, sequenceId: 'welcome', step: 'welcome', templateId: 'welcome' };
    const [open] = await entriesOf(leadId, 'email_opened');
    const [clicked] = await entriesOf(leadId, 'email_clicked');
    expect(open).toMatchObject({ source: 'ses', properties: attribution });
    expect(clicked).toMatchObject({
      source: 'ses',
      properties: { ...attribution, link: 'http://localhost:3000/docs/quick-start' },
    });
    // The delivery the local SES events publish carries the send's tags too.
    const [delivered] = await entriesOf(leadId, 'email_delivered');
    expect(delivered?.properties).toMatchObject(attribution);
  });

  it('redirects only to a link of the message itself (no open redirect), and 404s an unknown reference', async () => {
    const { mail } = await welcomed(`ada.redirect.${tag}@acme-industries.de`);
    const click = decode(/href="([^"]*\/local\/ses\/click\?[^"]+)"/.exec(mail.body.html ?? '')?.[1] ?? '');
    const evil = new URL(click);
    evil.searchParams.set('u', 'https://evil.example/phish');
    const refused = await fetch(evil, { redirect: 'manual' });
    expect(refused.status).toBe(404);
    expect(refused.headers.get('location')).toBe(null);
    expect((await refused.json()).error.code).toBe('link_not_found');
    const unknown = await fetch(`${stack.apiUrl}/local/ses/open?m=AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(unknown.status).toBe(404);
  });

  it('the local event API and `leadflow email event` publish opens and clicks for a message id', async () => {
    const { leadId, messageId } = await welcomed(`ada.cli.${tag}@acme-industries.de`);
    const bad = await http.post('/local/ses/events', { messageId, event: 'bounce' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_event');
    const missing = await http.post('/local/ses/events', { messageId: 'no-such-message', event: 'open' });
    expect(missing.status).toBe(404);
    const opened = await http.post('/local/ses/events', { messageId, event: 'open' });
    expect(opened).toMatchObject({ status: 202, json: { messageId, event: 'open', status: 'published' } });

    const { stdout } = await run(
      process.execPath,
      ['bin/leadflow.mjs', 'email', 'event', messageId, 'click', '--url', stack.apiUrl],
      { env: { ...process.env } },
    );
    expect(stdout).toContain(`published a click on http://localhost:3000/docs/quick-start of ${messageId}`);
    const [clicked] = await entriesOf(leadId, 'email_clicked');
    expect(clicked?.properties).toMatchObject({ messageId, sequenceId: 'welcome', step: 'welcome' });

    // Refusals say why, with exit code 1: an unknown message id, an event SES does not track here.
    const refused = (args: string[]) =>
      run(process.execPath, ['bin/leadflow.mjs', 'email', 'event', ...args, '--url', stack.apiUrl]).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    expect(await refused(['no-such-message', 'open'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no email with this message id'),
    });
    expect(await refused([messageId, 'bounce'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('one of: open, click'),
    });
    expect(await entriesOf(leadId, 'email_opened')).toHaveLength(1);
  }, 60_000);

  it('the email report counts them: per sequence and step, unique opens and clicks per message', async () => {
    // This file sent three welcome emails (all delivered); the first and the third were each opened
    // and clicked (the first in the mailbox, the third by the local event API and the CLI).
    const expected = { sent: 3, delivered: 3, opened: 2, clicked: 2, bounced: 0 };
    const body = await waitFor(
      'the email report to count the opens and clicks',
      async () => {
        const res = await http.get('/v1/admin/reports/email?sequence=welcome', stack.tokens.marketing);
        expect(res.status).toBe(200);
        const row = res.json.tables.find((t: Json) => t.id === 'sequences')?.rows[0];
        return row?.clicked === 2 && row?.delivered === 3 ? res.json : undefined;
      },
      20_000,
    );
    const table = (id: string) => body.tables.find((t: Json) => t.id === id);
    expect(table('sequences').rows).toEqual([expect.objectContaining({ sequence: 'welcome', ...expected })]);
    expect(table('steps').rows).toEqual([expect.objectContaining({ step: 'welcome', ...expected })]);
    expect(table('templates').rows).toEqual([expect.objectContaining({ template: 'welcome', ...expected })]);
    expect(table('sequences').rows[0]).toMatchObject({ openRate: 0.6667, clickToOpenRate: 1 });
  });
});
