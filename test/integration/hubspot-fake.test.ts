import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoContactLinks } from '../../functions/adapters/dynamodb/hubspot-contact-links';
import { HttpHubspotApi } from '../../functions/adapters/http/hubspot-client';
import { HubspotDestination } from '../../functions/core/integrations/hubspot/hubspot-destination';
import type { HubspotSettings } from '../../functions/core/integrations/hubspot/ports';
import { rateLimited, startFakeHubspot } from '../../functions/local/fakes/hubspot-api';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { eventOf, hotLead } from '../fixtures/integration-leads';

const settings: HubspotSettings = {
  fields: {
    email: 'email',
    firstName: 'firstname',
    lastName: 'lastname',
    company: 'company',
    jobTitle: 'jobtitle',
  },
  owners: { ravi: '7001' },
  lifecycle: { meeting_booked: 'opportunity', won: 'customer' },
  taskDueHours: 4,
  publicUrl: 'http://127.0.0.1:3000',
};
let fake: Awaited<ReturnType<typeof startFakeHubspot>>;
let env: EmulatorEnv;
let n = 0;

beforeAll(async () => {
  [fake, env] = await Promise.all([startFakeHubspot({ token: 'pat-test' }), emulatorEnv()]);
});
afterAll(async () => {
  await fake.close();
  await env.stop();
});
beforeEach(() => {
  fake.requests.length = 0;
  n++;
});

/** A destination over the wire with its links on the DynamoDB emulator; each test its own lead. */
function hubspot(token = 'pat-test', timeoutMs = 2000) {
  const links = new DynamoContactLinks(env.db, TABLE);
  const destination = new HubspotDestination(
    new HttpHubspotApi(async () => token, fake.url, timeoutMs),
    links,
    settings,
  );
  const lead = hotLead({
    leadId: `lead${n}`,
    email: `dana${n}@acme.io`,
    owner: { rep: 'ravi', repName: 'Ravi', since: '', handoff: 1 },
  });
  return { destination, links, lead };
}
const hot = (leadId: string, id = `evt_hot_${leadId}`) => ({ ...eventOf('lead.hot', {}, id), leadId });
const contactOf = (email: string) => [...fake.contacts].find(([, p]) => p.email === email);

describe('HubSpot over the wire (the fake follows HubSpot CRM v3 shapes and errors)', () => {
  it('a hot lead becomes a contact with the mapped fields and a task for its owner, linked by id', async () => {
    const { destination, links, lead } = hubspot();
    const result = await destination.deliver(hot(lead.leadId), lead, 1);
    expect(result).toMatchObject({ kind: 'delivered', status: 201 });
    const [id, properties] = contactOf(lead.email) ?? [];
    expect(properties).toMatchObject({
      email: lead.email,
      firstname: 'Dana',
      lastname: 'Scully',
      company: 'Acme',
      jobtitle: 'VP Sales',
    });
    expect(properties).not.toHaveProperty('phone');
    const task = fake.tasks.find((t) => t.contactId === id);
    expect(task?.properties).toMatchObject({
      hubspot_owner_id: '7001',
      hs_task_status: 'NOT_STARTED',
      hs_timestamp: '2026-12-03T13:00:00.000Z',
    });
    expect(task?.properties.hs_task_body).toContain('senior_title +40');
    expect(await links.get(lead.leadId)).toEqual({ contactId: id, tasks: [`evt_hot_${lead.leadId}`] });
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer pat-test')).toBe(true);
  });

  it('a retried hot event updates the contact and makes no second task; a new hand-off makes one', async () => {
    const { destination, lead } = hubspot();
    await destination.deliver(hot(lead.leadId), lead, 1);
    await destination.deliver(
      hot(lead.leadId),
      { ...lead, profile: { ...lead.profile, company: { value: 'Acme Corp', source: 'x', at: '' } } },
      2,
    );
    const [id, properties] = contactOf(lead.email) ?? [];
    expect(properties?.company).toBe('Acme Corp');
    expect(fake.tasks.filter((t) => t.contactId === id)).toHaveLength(1);
    await destination.deliver(hot(lead.leadId, 'evt_second_handoff'), lead, 1);
    expect(fake.tasks.filter((t) => t.contactId === id)).toHaveLength(2);
  });

  it('matches an existing HubSpot contact by email instead of creating one', async () => {
    const { destination, lead } = hubspot();
    fake.contacts.set('555', { email: lead.email, firstname: 'Old' });
    await destination.deliver(hot(lead.leadId), lead, 1);
    expect(fake.contacts.get('555')?.firstname).toBe('Dana');
    expect([...fake.contacts.values()].filter((p) => p.email === lead.email)).toHaveLength(1);
    fake.contacts.delete('555');
  });

  it('when search misses a contact made seconds ago, the 409 CONFLICT names it and it is updated', async () => {
    const { destination, links, lead } = hubspot();
    fake.contacts.set('556', { email: lead.email });
    fake.state.searchMisses = 1;
    expect(await destination.deliver(hot(lead.leadId), lead, 1)).toMatchObject({ kind: 'delivered' });
    expect(fake.requests.map((r) => r.method + r.path.replace(/\d+$/, ':id'))).toContain(
      'POST/crm/v3/objects/contacts',
    );
    expect(fake.contacts.get('556')?.lastname).toBe('Scully');
    expect((await links.get(lead.leadId))?.contactId).toBe('556');
  });

  it('an outcome moves the lifecycle stage by the mapping; an unmapped outcome sends nothing', async () => {
    const { destination, lead } = hubspot();
    await destination.deliver(hot(lead.leadId), lead, 1);
    const outcome = (o: string) => ({
      ...eventOf('lead.outcome', { outcome: o }, `evt_o_${o}`),
      leadId: lead.leadId,
    });
    expect(await destination.deliver(outcome('meeting_booked'), lead, 1)).toMatchObject({
      kind: 'delivered',
      excerpt: 'lifecyclestage=opportunity',
    });
    expect(contactOf(lead.email)?.[1].lifecyclestage).toBe('opportunity');
    const before = fake.requests.length;
    expect(await destination.deliver(outcome('contacted'), lead, 1)).toMatchObject({
      excerpt: expect.stringContaining('nothing to send'),
    });
    expect(fake.requests.length).toBe(before);
  });

  it('an erase GDPR-deletes the contact by its linked id (the lead is gone) and forgets the link; a retry is a no-op', async () => {
    const { destination, links, lead } = hubspot();
    await destination.deliver(hot(lead.leadId), lead, 1);
    const [id] = contactOf(lead.email) ?? [];
    const erased = { ...eventOf('lead.erased', {}, `evt_erase_${lead.leadId}`), leadId: lead.leadId };
    expect(await destination.deliver(erased, undefined, 1)).toMatchObject({ kind: 'delivered', status: 204 });
    expect(fake.gdprDeleted).toContain(id);
    expect(fake.requests.at(-1)?.body).toEqual({ objectId: id });
    expect(await links.get(lead.leadId)).toBeUndefined();
    expect(await destination.deliver(erased, undefined, 2)).toMatchObject({
      excerpt: expect.stringContaining('no HubSpot contact'),
    });
  });

  it('a GDPR delete of a contact HubSpot already lost (404) still forgets the link', async () => {
    const { destination, links, lead } = hubspot();
    await links.save(lead.leadId, '999999');
    const erased = { ...eventOf('lead.erased'), leadId: lead.leadId };
    expect(await destination.deliver(erased, undefined, 1)).toMatchObject({ kind: 'delivered', status: 404 });
    expect(await links.get(lead.leadId)).toBeUndefined();
  });

  it('429: a ten-secondly limit retries after Retry-After; the daily limit waits for the next day', async () => {
    const { destination, lead } = hubspot();
    fake.script(rateLimited('TEN_SECONDLY_ROLLING', 10));
    expect(await destination.deliver(hot(lead.leadId), lead, 1)).toMatchObject({
      kind: 'retry',
      status: 429,
      retryAfterSeconds: 10,
      excerpt: expect.stringContaining('policyName=TEN_SECONDLY_ROLLING'),
    });
    fake.script(rateLimited('DAILY'));
    const daily = await destination.deliver(hot(lead.leadId), lead, 2);
    expect(daily).toMatchObject({ kind: 'retry', reason: 'hubspot contact search: daily limit' });
    expect(daily.kind === 'retry' && daily.retryAfterSeconds).toBeGreaterThan(60);
    expect(contactOf(lead.email)).toBeUndefined();
  });

  it('401 (a revoked private app token) is refused, not retried', async () => {
    const { destination, lead } = hubspot('pat-revoked');
    expect(await destination.deliver(hot(lead.leadId), lead, 1)).toMatchObject({
      kind: 'rejected',
      status: 401,
      reason: 'hubspot contact search: token refused',
      excerpt: 'category=INVALID_AUTHENTICATION',
    });
  });

  it('a 5xx on the task retries; the retry finds the contact by its link and makes the task once', async () => {
    const { destination, lead } = hubspot();
    fake.script({}, {}, { status: 502, body: 'bad gateway' });
    expect(await destination.deliver(hot(lead.leadId), lead, 1)).toMatchObject({
      kind: 'retry',
      status: 502,
    });
    expect(await destination.deliver(hot(lead.leadId), lead, 2)).toMatchObject({ kind: 'delivered' });
    const [id] = contactOf(lead.email) ?? [];
    expect(fake.tasks.filter((t) => t.contactId === id)).toHaveLength(1);
    expect([...fake.contacts.values()].filter((p) => p.email === lead.email)).toHaveLength(1);
  });

  it('a HubSpot slower than the timeout is a retry; an unreachable one too', async () => {
    const { lead } = hubspot();
    const slow = new HubspotDestination(
      new HttpHubspotApi(async () => 'pat-test', fake.url, 150),
      new DynamoContactLinks(env.db, TABLE),
      settings,
    );
    fake.script({ delayMs: 400 });
    expect(await slow.deliver(hot(lead.leadId), lead, 1)).toMatchObject({
      kind: 'retry',
      reason: expect.stringContaining('timeout'),
    });
    const down = new HubspotDestination(
      new HttpHubspotApi(async () => 'pat-test', 'http://127.0.0.1:9', 500),
      new DynamoContactLinks(env.db, TABLE),
      settings,
    );
    expect(await down.deliver(hot(lead.leadId), lead, 1)).toMatchObject({
      kind: 'retry',
      reason: expect.stringContaining('network'),
    });
  });

  it('sends nothing for a hot lead erased before delivery', async () => {
    const { destination, lead } = hubspot();
    expect(await destination.deliver(hot(lead.leadId), undefined, 1)).toMatchObject({
      excerpt: 'nothing to send: the lead is erased',
    });
    expect(fake.requests).toHaveLength(0);
  });
});
