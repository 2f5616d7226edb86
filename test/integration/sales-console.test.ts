import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import {
  accessTokenFor,
  api,
  hotDemoRequest,
  type Json,
  startTestStack,
  tableItems,
} from '../fixtures/local-api';

/**
 * The sales API the console uses, on the whole local stack with people signed in at the local
 * OpenID provider: ravi and sofia (sales), mia (sales-manager), alex (admin), maya (marketing).
 * My claims, the manager view, reassign and release, and a lead owned by sales that turns hot again.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
const token: Record<string, string> = {};

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.LEADFLOW_SALES_SLA_MINUTES = '7';
  delete process.env.LEADFLOW_CLAIM_WINDOW_SECONDS;
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  for (const person of ['ravi', 'sofia', 'mia', 'alex', 'maya']) {
    token[person] = await accessTokenFor(stack, person);
  }
}, 60_000);
afterAll(async () => {
  delete process.env.LEADFLOW_SALES_SLA_MINUTES;
  await stack?.stop();
});

const as = (person: string) => token[person] as string;
const claimNext = (person: string) => http.post('/v1/sales/claims', {}, as(person));
const myClaims = (person: string) => http.get('/v1/sales/claims', as(person));
const team = (person = 'mia') => http.get('/v1/sales/team', as(person));
const extend = (claimToken: string, person: string) =>
  http.post(`/v1/sales/claims/${encodeURIComponent(claimToken)}/extend`, {}, as(person));
const outcome = (leadId: string, body: Json, person: string) =>
  http.post(`/v1/sales/leads/${leadId}/outcome`, body, as(person));
const reassign = (leadId: string, body: Json, person = 'mia') =>
  http.post(`/v1/sales/leads/${leadId}/reassign`, body, as(person));
const release = (leadId: string, person = 'mia') =>
  http.post(`/v1/sales/leads/${leadId}/release`, {}, as(person));

async function hot(email: string): Promise<string> {
  const answer = await http.submit('demo-request', hotDemoRequest(email));
  expect(answer.status).toBe(202);
  return answer.json.leadId;
}

/** Resolves every claim anyone can still take, so the next test starts from an empty queue. */
async function drain() {
  for (;;) {
    const card = await claimNext('alex');
    if (card.status === 204) return;
    await outcome(card.json.leadId, { claimToken: card.json.claimToken, outcome: 'recycled' }, 'alex');
  }
}

describe('sales console API', () => {
  let raviCard: Json;
  let sofiaCard: Json;
  let waitingLead: string;

  it('never gives two reps claiming at once the same lead', async () => {
    await hot('pair1@initech.de');
    await hot('pair2@initech.de');
    const [a, b] = await Promise.all([claimNext('ravi'), claimNext('sofia')]);
    expect(a?.status).toBe(200);
    expect(b?.status).toBe(200);
    expect(a?.json.leadId).not.toBe(b?.json.leadId);
    raviCard = a?.json;
    sofiaCard = b?.json;
    waitingLead = await hot('waiting@initech.de');
  });

  it("lists exactly the caller's claims, each with a claim token that works", async () => {
    const ravi = await myClaims('ravi');
    expect(ravi.status).toBe(200);
    expect(ravi.json.claims.map((c: Json) => c.leadId)).toEqual([raviCard.leadId]);
    const [listed] = ravi.json.claims;
    expect(listed).toMatchObject({
      email: raviCard.email,
      handoff: 1,
      claimExpiresAt: raviCard.claimExpiresAt,
      claimedAt: expect.any(String),
      whyHot: expect.any(Array),
    });
    // A rep who lost the token gets a working one from the list.
    expect((await extend(listed.claimToken, 'ravi')).status).toBe(200);
    const sofia = await myClaims('sofia');
    expect(sofia.json.claims.map((c: Json) => c.leadId)).toEqual([sofiaCard.leadId]);
    expect((await myClaims('mia')).json).toEqual({ claims: [], owned: [], ownedTotal: 0 });
  });

  it('shows the manager waiting leads with their age and the claims per rep', async () => {
    const view = await team();
    expect(view.status).toBe(200);
    expect(view.json.slaMinutes).toBe(7);
    expect(view.json.waiting).toEqual([
      expect.objectContaining({
        leadId: waitingLead,
        email: 'waiting@initech.de',
        name: 'Vera Price',
        handoff: 1,
        waitingSeconds: expect.any(Number),
        slaBreached: false,
      }),
    ]);
    const claims = Object.fromEntries(view.json.claims.map((c: Json) => [c.rep, c]));
    expect(claims.ravi).toMatchObject({ leadId: raviCard.leadId, repName: 'Ravi Patel', slaBreached: false });
    expect(claims.sofia).toMatchObject({ leadId: sofiaCard.leadId, repName: 'Sofia Reyes' });
    expect(claims.ravi.heldSeconds).toBeGreaterThanOrEqual(0);
    const reps = Object.fromEntries(view.json.reps.map((r: Json) => [r.rep, r]));
    expect(reps.ravi).toEqual({ rep: 'ravi', repName: 'Ravi Patel', claims: 1, owned: 0, slaBreaches: 0 });
    expect(reps.sofia).toMatchObject({ claims: 1 });
    expect((await team('alex')).status).toBe(200);
  });

  it('keeps the manager routes from reps and marketers (403), and anyone without a token (401)', async () => {
    for (const person of ['ravi', 'maya']) {
      expect((await team(person)).status).toBe(403);
      expect((await reassign(raviCard.leadId, { rep: person }, person)).status).toBe(403);
      expect((await release(raviCard.leadId, person)).status).toBe(403);
    }
    expect((await http.get('/v1/sales/team')).status).toBe(401);
    expect((await http.get('/v1/sales/claims', as('maya'))).status).toBe(403);
  });

  it("moves a claim to another rep: the old rep's token is refused, the new rep finds it in their claims", async () => {
    const moved = await reassign(raviCard.leadId, { rep: 'sofia', repName: 'Sofia Reyes' });
    expect(moved.status).toBe(200);
    expect(moved.json).toEqual({ leadId: raviCard.leadId, rep: 'sofia', repName: 'Sofia Reyes' });
    const stale = await extend(raviCard.claimToken, 'ravi');
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('claim_not_held');
    expect((await myClaims('ravi')).json.claims).toEqual([]);
    const sofia = (await myClaims('sofia')).json.claims;
    expect(sofia.map((c: Json) => c.leadId).sort()).toEqual([raviCard.leadId, sofiaCard.leadId].sort());
    const taken = sofia.find((c: Json) => c.leadId === raviCard.leadId);
    expect((await extend(taken.claimToken, 'sofia')).status).toBe(200);
    const lead = await http.get(`/v1/admin/leads/${raviCard.leadId}`, as('alex'));
    expect(lead.json.handoff.claim.rep).toBe('sofia');
    const items = await tableItems(stack);
    expect(items).toContainEqual(
      expect.objectContaining({
        entity: 'activity',
        leadId: raviCard.leadId,
        type: 'sales_reassigned',
        by: { name: 'Mia Okafor', username: 'mia' },
        properties: expect.objectContaining({ from: 'ravi', to: 'sofia' }),
      }),
    );
  });

  it('refuses to reassign a waiting lead (409), an unknown one (404) and a body without a rep (400)', async () => {
    const waiting = await reassign(waitingLead, { rep: 'ravi' });
    expect(waiting.status).toBe(409);
    expect(waiting.json.error.code).toBe('claim_not_held');
    expect((await reassign('ld_00000000000000000000abcd', { rep: 'ravi' })).status).toBe(404);
    const bad = await reassign(raviCard.leadId, { repName: 'Nobody' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toContainEqual(expect.objectContaining({ path: 'rep' }));
  });

  it("ends another rep's claim: the lead is back on the shared queue", async () => {
    const released = await release(sofiaCard.leadId);
    expect(released.json).toEqual({ leadId: sofiaCard.leadId, released: true });
    const stale = await extend(sofiaCard.claimToken, 'sofia');
    expect(stale.status).toBe(409);
    const again = await release(sofiaCard.leadId);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('claim_not_held');
    const claimed = new Set<string>();
    for (;;) {
      const card = await claimNext('ravi');
      if (card.status === 204) break;
      claimed.add(card.json.leadId);
      await outcome(card.json.leadId, { claimToken: card.json.claimToken, outcome: 'recycled' }, 'ravi');
    }
    expect(claimed).toEqual(new Set([sofiaCard.leadId, waitingLead]));
  });

  it('keeps a lead sales owns off the shared queue when it turns hot again; its owner sees the new activity', async () => {
    await drain();
    const leadId = await hot('owned@initech.de');
    const card = await claimNext('ravi');
    expect(card.json.leadId).toBe(leadId);
    const booked = await outcome(
      leadId,
      { claimToken: card.json.claimToken, outcome: 'meeting_booked', note: 'Demo Tuesday' },
      'ravi',
    );
    expect(booked.json).toMatchObject({ stage: 'opportunity', claimOpen: false });
    // The lead list follows the outcome's targeted write: the new stage and the owner.
    const listed = await http.get('/v1/admin/leads?owned=true&q=owned%40initech', as('maya'));
    expect(listed.json.leads).toEqual([
      expect.objectContaining({
        leadId,
        stage: 'opportunity',
        owner: { rep: 'ravi', repName: 'Ravi Patel' },
      }),
    ]);
    const before = (await myClaims('ravi')).json;
    expect(before.owned).toEqual([
      expect.objectContaining({ leadId, lastOutcome: 'meeting_booked', newActivity: [], name: 'Vera Price' }),
    ]);

    await hot('owned@initech.de');
    // tick runs every second: a new hand-off would be on the queue by now.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await claimNext('sofia')).status).toBe(204);
    const lead = await http.get(`/v1/admin/leads/${leadId}`, as('alex'));
    expect(lead.json.handoff).toMatchObject({ number: 1, status: 'closed' });
    expect(lead.json.score.hot).toBe(true);

    const mine = (await myClaims('ravi')).json;
    expect(mine.ownedTotal).toBe(1);
    expect(mine.owned[0]).toMatchObject({
      leadId,
      stage: 'opportunity',
      lastOutcome: 'meeting_booked',
      newActivity: [{ type: 'form_submitted', at: expect.any(String) }],
    });
    expect((await myClaims('sofia')).json.owned).toEqual([]);
    const view = (await team()).json;
    expect(view.ownedActivity).toContainEqual(
      expect.objectContaining({
        leadId,
        rep: 'ravi',
        lastActivity: expect.objectContaining({ type: 'form_submitted' }),
      }),
    );
    expect(view.reps.find((r: Json) => r.rep === 'ravi')).toMatchObject({ owned: 1 });
    expect(await tableItems(stack)).toContainEqual(
      expect.objectContaining({
        leadId,
        type: 'sales_meeting_booked',
        by: { name: 'Ravi Patel', username: 'ravi' },
      }),
    );
  });

  it('lets the owner, and only the owner, record an outcome on an owned lead without a claim token', async () => {
    const leadId = (await myClaims('ravi')).json.owned[0].leadId;
    const foreign = await outcome(leadId, { outcome: 'won' }, 'sofia');
    expect(foreign.status).toBe(409);
    expect(foreign.json.error.code).toBe('claim_not_held');
    const won = await outcome(leadId, { outcome: 'won', note: 'Signed' }, 'ravi');
    expect(won.json).toEqual({ leadId, outcome: 'won', stage: 'customer', claimOpen: false });
    expect((await myClaims('ravi')).json.owned).toEqual([
      expect.objectContaining({ leadId, stage: 'customer', lastOutcome: 'won', newActivity: [] }),
    ]);
  });

  it('moves an owned lead to another rep', async () => {
    const leadId = (await myClaims('ravi')).json.owned[0].leadId;
    expect((await reassign(leadId, { rep: 'sofia', repName: 'Sofia Reyes' })).status).toBe(200);
    expect((await myClaims('ravi')).json.owned).toEqual([]);
    expect((await myClaims('sofia')).json.owned).toEqual([expect.objectContaining({ leadId })]);
    const listed = await http.get('/v1/admin/leads?owned=true&q=owned%40initech', as('maya'));
    expect(listed.json.leads[0].owner).toEqual({ rep: 'sofia', repName: 'Sofia Reyes' });
  });

  it('hands the lead back on a lost deal: no owner, and its next hot moment goes to the shared queue', async () => {
    const leadId = (await myClaims('sofia')).json.owned[0].leadId;
    expect((await outcome(leadId, { outcome: 'lost', note: 'Went elsewhere' }, 'sofia')).json.stage).toBe(
      'recycled',
    );
    expect((await myClaims('sofia')).json).toMatchObject({ owned: [], ownedTotal: 0 });
    await hot('owned@initech.de');
    const card = await claimNext('ravi');
    expect(card.json).toMatchObject({ leadId, handoff: 2 });
  });

  it('records on the timeline who let a claim go', async () => {
    await drain();
    await hot('let.go@initech.de');
    const card = (await claimNext('sofia')).json;
    const released = await http.post(
      `/v1/sales/claims/${encodeURIComponent(card.claimToken)}/release`,
      {},
      as('sofia'),
    );
    expect(released.status).toBe(200);
    expect(await tableItems(stack)).toContainEqual(
      expect.objectContaining({
        leadId: card.leadId,
        type: 'sales_claim_released',
        by: { name: 'Sofia Reyes', username: 'sofia' },
      }),
    );
    const again = (await claimNext('alex')).json;
    expect(again.leadId).toBe(card.leadId);
    await outcome(card.leadId, { claimToken: again.claimToken, outcome: 'recycled' }, 'alex');
  });
});
