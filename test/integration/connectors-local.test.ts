import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectorFakes } from '../../functions/local/connector-fakes';
import type { LocalStack } from '../../functions/local/stack';
import {
  accessTokenFor,
  api,
  hotDemoRequest,
  startTestStack,
  tableItems,
  waitFor,
} from '../fixtures/local-api';

/**
 * Slack and HubSpot on the local stack: the fakes npm start uses, the feed in tick, the
 * integration-deliveries worker. A lead turns hot → a Slack card and a HubSpot contact with a task;
 * an outcome → the lifecycle stage; an erase → HubSpot's GDPR delete; nothing sent twice.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let fakes: Awaited<ReturnType<typeof startConnectorFakes>>;
let slackUrl: string;
let hubspotUrl: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  const dir = mkdtempSync(join(tmpdir(), 'leadflow-connectors-local-'));
  writeFileSync(
    join(dir, 'integrations.yaml'),
    [
      'slack: {enabled: true, channels: {sales: C0SALES001, managers: C0MANAGERS1}, users: {ravi: U0RAVI0001}}',
      'hubspot: {enabled: true, owners: {ravi: "90000001"}, lifecycle: {meeting_booked: opportunity}}',
    ].join('\n'),
  );
  fakes = await startConnectorFakes(dir);
  slackUrl = (process.env.LEADFLOW_SLACK_API_URL ?? '').replace(/\/api$/, '');
  hubspotUrl = process.env.LEADFLOW_HUBSPOT_API_URL ?? '';
  stack = await startTestStack({ tickSeconds: 1 });
  http = api(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await fakes?.stop();
});

const slackMessages = async () =>
  (await (await fetch(`${slackUrl}/_fake/messages`)).json()) as {
    channel: string;
    text: string;
    blocks: unknown[];
  }[];
const hubspot = async () =>
  (await (await fetch(`${hubspotUrl}/_fake/state`)).json()) as {
    contacts: Record<string, Record<string, string>>;
    tasks: { properties: Record<string, string>; contactId: string }[];
    gdprDeleted: string[];
  };

describe('Slack and HubSpot on the local stack', () => {
  it('a hot lead posts the why-hot card to the sales channel and becomes a HubSpot contact with a task; an outcome moves its lifecycle stage; an erase GDPR-deletes it', async () => {
    const email = 'vera.price@initech.example';
    expect((await http.submit('demo-request', hotDemoRequest(email))).status).toBe(202);

    const card = await waitFor(
      'the Slack card',
      async () => (await slackMessages()).find((m) => m.text.includes('Vera Price')),
      20_000,
    );
    expect(card?.channel).toBe('C0SALES001');
    expect(JSON.stringify(card?.blocks)).toContain('/console/inbox');
    const contact = await waitFor(
      'the HubSpot contact',
      async () => Object.entries((await hubspot()).contacts).find(([, p]) => p.email === email),
      20_000,
    );
    expect(contact?.[1]).toMatchObject({
      firstname: 'Vera',
      lastname: 'Price',
      company: 'Initech GmbH',
      jobtitle: 'VP Sales',
    });
    await waitFor(
      'the HubSpot task',
      async () => (await hubspot()).tasks.find((t) => t.contactId === contact?.[0]),
      20_000,
    );

    // The card's event id is kept (ids only, a week), so a re-published event is not posted again.
    const postedItems = async () =>
      (await tableItems(stack)).filter((item) => String(item.pk).startsWith('SLACK#evt_'));
    const posted = await waitFor(
      'the posted record',
      async () => ((await postedItems()).length > 0 ? postedItems() : undefined),
      10_000,
    );
    expect(posted).toHaveLength(1);
    expect(Object.keys(posted[0] ?? {}).sort()).toEqual(['expiresAt', 'pk', 'sk']);

    const rep = await accessTokenFor(stack, 'ravi');
    const claimed = await http.post('/v1/sales/claims', {}, rep);
    expect(claimed.status).toBe(200);
    const outcome = await http.post(
      `/v1/sales/leads/${claimed.json.leadId}/outcome`,
      { claimToken: claimed.json.claimToken, outcome: 'meeting_booked' },
      rep,
    );
    expect(outcome.status).toBeLessThan(300);
    await waitFor(
      'the lifecycle stage',
      async () =>
        (await hubspot()).contacts[contact?.[0] as string]?.lifecyclestage === 'opportunity'
          ? true
          : undefined,
      20_000,
    );

    // A few more ticks: the feed and worker send nothing twice.
    await stack.afterTicks(3);
    expect(
      (await slackMessages()).filter((m) => m.text.includes('Vera Price') && m.channel === 'C0SALES001'),
    ).toHaveLength(1);
    const state = await hubspot();
    expect(Object.values(state.contacts).filter((p) => p.email === email)).toHaveLength(1);
    expect(state.tasks.filter((t) => t.contactId === contact?.[0])).toHaveLength(1);

    // Erase: the lead and its email are gone; HubSpot's GDPR delete goes by the kept contact id.
    const erase = await fetch(`${stack.apiUrl}/v1/admin/leads/${claimed.json.leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.tokens.marketing}`, origin: stack.apiUrl },
    });
    expect(erase.status).toBeLessThan(300);
    await waitFor(
      'the GDPR delete',
      async () => ((await hubspot()).gdprDeleted.includes(contact?.[0] as string) ? true : undefined),
      20_000,
    );
    expect((await hubspot()).contacts[contact?.[0] as string]).toBeUndefined();
  });
});
