import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LocalStack } from '../../functions/local/stack';
import {
  accessTokenFor,
  api,
  hotDemoRequest,
  type Json,
  startTestStack,
  waitFor,
} from '../fixtures/local-api';

/**
 * The lead page's API on the whole local stack, people signed in at the local OpenID provider:
 * what it would take to become hot (the shipped scoring model), the hand-off history with the
 * rep's claim and outcome, and the Unsubscribe action (marketing and admin; sales refused).
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
const token: Record<string, string> = {};

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  for (const person of ['ravi', 'alex', 'maya']) token[person] = await accessTokenFor(stack, person);
}, 60_000);
afterAll(() => stack?.stop());

const as = (person: string) => token[person] as string;
const view = async (leadId: string, person = 'maya') => {
  const answer = await http.get(`/v1/admin/leads/${leadId}`, as(person));
  expect(answer.status).toBe(200);
  return answer.json;
};
const unsubscribe = (leadId: string, person: string) =>
  http.post(`/v1/admin/leads/${leadId}/unsubscribe`, {}, as(person));

async function subscriber(email: string): Promise<string> {
  const answer = await http.submit('newsletter', { email, consent: true });
  expect(answer.status).toBe(202);
  return answer.json.leadId;
}

describe('what it would take to become hot', () => {
  it('names the fit gap to grade B and the engagement rest for a newsletter subscriber at a business address', async () => {
    const leadId = await subscriber('path.subscriber@initech.de');

    const lead = await view(leadId, 'ravi');

    // The shipped model: business email 15 fit (D) + newsletter 5 = 20; hot is 80 with grade B (40 fit).
    expect(lead.pathToHot).toMatchObject({
      status: 'reachable',
      now: { fit: 15, engagement: 5, total: 20, grade: 'D' },
      hot: { total: 80, minGrade: 'B', fitForGrade: 40 },
      gap: { total: 60, fit: 25, engagement: 35 },
    });
    expect(lead.pathToHot.steps.map((s: Json) => s.rule)).toEqual([
      'senior-title',
      'mid-market',
      'demo-request',
    ]);
    expect(lead.pathToHot.steps[2]).toMatchObject({ kind: 'engagement', points: 40, times: 1 });
  });

  it('says hot for a hot lead, and lists its hand-off with the claim and the outcome, by whom', async () => {
    const email = 'path.hot@initech.de';
    const submitted = await http.submit('demo-request', hotDemoRequest(email));
    const leadId = submitted.json.leadId as string;
    expect((await view(leadId)).pathToHot).toEqual({ status: 'hot', modelVersion: expect.any(Number) });

    const card = await waitFor('the hot lead on the queue', async () => {
      const claim = await http.post('/v1/sales/claims', {}, as('ravi'));
      return claim.status === 200 && claim.json.leadId === leadId ? claim.json : undefined;
    });
    let lead = await view(leadId);
    expect(lead.handoffs).toHaveLength(1);
    expect(lead.handoffs[0]).toMatchObject({
      number: 1,
      status: 'claimed',
      becameHotAt: card.becameHotAt,
      claim: { rep: 'ravi', expired: false },
      events: [{ type: 'claimed', at: expect.any(String), by: { username: 'ravi' }, rep: 'ravi' }],
    });
    expect(lead.handoffs[0].rules).toContain('demo-request');
    expect(JSON.stringify(lead.handoffs)).not.toContain('nonce');

    const recorded = await http.post(
      `/v1/sales/leads/${leadId}/outcome`,
      { claimToken: card.claimToken, outcome: 'meeting_booked', note: 'Tuesday 10:00' },
      as('ravi'),
    );
    expect(recorded.status).toBe(200);
    lead = await view(leadId);
    expect(lead.handoffs[0]).toMatchObject({ number: 1, outcome: 'meeting_booked' });
    expect(lead.handoffs[0].events).toEqual([
      {
        type: 'claimed',
        at: expect.any(String),
        by: { name: expect.any(String), username: 'ravi' },
        rep: 'ravi',
      },
      {
        type: 'outcome',
        at: expect.any(String),
        by: { name: expect.any(String), username: 'ravi' },
        rep: 'ravi',
        outcome: 'meeting_booked',
        note: 'Tuesday 10:00',
      },
    ]);
  });
});

describe('unsubscribe by a person', () => {
  it('withdraws consent like the link does: suppressed, enrollments ended, the entry names who did it; a repeat changes nothing', async () => {
    const leadId = await subscriber('unsub.console@initech.de');
    await waitFor('the welcome enrollment', async () =>
      (await view(leadId)).enrollments.length > 0 ? true : undefined,
    );

    const first = await unsubscribe(leadId, 'maya');

    expect(first).toEqual({ status: 200, json: { leadId, unsubscribed: true, changed: true } });
    const lead = await view(leadId);
    expect(lead.suppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(lead.marketingConsent).toMatchObject({ granted: false, source: 'unsubscribe' });
    const entry = lead.timeline.find((e: Json) => e.type === 'unsubscribed');
    expect(entry).toMatchObject({ by: { username: 'maya' }, properties: { method: 'by_person' } });
    const ended = await waitFor('the enrollment to end', async () => {
      const enrollments = (await view(leadId)).enrollments;
      return enrollments.every((e: Json) => e.status !== 'active') ? enrollments : undefined;
    });
    expect(ended[0]).toMatchObject({ status: 'exited', reason: 'unsubscribed' });

    expect((await unsubscribe(leadId, 'maya')).json).toEqual({ leadId, unsubscribed: true, changed: false });
    const entries = (await view(leadId)).timeline.filter((e: Json) => e.type === 'unsubscribed');
    expect(entries).toHaveLength(1);
  });

  it('lets an admin unsubscribe, refuses sales (403) and changes nothing then; 400 and 404 for a bad or unknown id', async () => {
    const leadId = await subscriber('unsub.roles@initech.de');

    const refused = await unsubscribe(leadId, 'ravi');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect((await view(leadId)).suppressed).toBeNull();

    expect((await unsubscribe(leadId, 'alex')).json.changed).toBe(true);
    expect((await unsubscribe('not-a-lead', 'maya')).status).toBe(400);
    const unknown = await unsubscribe(leadIdFor('nobody.here@initech.de'), 'maya');
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('lead_not_found');
  });
});
