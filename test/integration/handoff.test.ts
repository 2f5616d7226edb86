import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { sqs } from '../../functions/shared/aws/sqs';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';
import { messagesHeld } from '../fixtures/queues';

/** Hot leads to sales on the whole local stack: forms, scoring, the FIFO queue, tick, claims. */
let stack: LocalStack;
let http: ReturnType<typeof api>;
const reps: string[] = [];
const CLAIM_WINDOW = 3;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  process.env.LEADFLOW_CLAIM_WINDOW_SECONDS = String(CLAIM_WINDOW);
  process.env.LEADFLOW_HANDOFF_RESEND_AFTER_SECONDS = '1';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 10_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  const tokens = new DynamoTokenStore(dynamo, stack.tableName);
  for (const n of [1, 2, 3, 4, 5]) reps.push(await tokens.create('sales', `rep ${n}`));
}, 30_000);
afterAll(async () => stack?.stop());

const claim = (rep: string) => http.post('/v1/sales/claims', {}, rep);
const outcome = (leadId: string, body: Json, rep: string) =>
  http.post(`/v1/sales/leads/${leadId}/outcome`, body, rep);
async function drain() {
  for (;;) {
    const res = await claim(reps[4] as string);
    if (res.status === 204) return;
    await outcome(
      res.json.leadId,
      { claimToken: res.json.claimToken, outcome: 'qualified' },
      reps[4] as string,
    );
  }
}

describe('hand-off to sales', () => {
  it('takes a hot demo request from the form to a claim and an outcome, end to end', async () => {
    expect((await http.submit('demo-request', hotDemoRequest('vera@initech.de'))).status).toBe(202);
    const card = await claim(reps[0] as string);
    expect(card.status).toBe(200);
    expect(card.json).toMatchObject({
      email: 'vera@initech.de',
      handoff: 1,
      profile: { jobTitle: 'VP Sales', company: 'Initech GmbH' },
      score: { grade: expect.stringMatching(/^[AB]$/) },
      whyHot: expect.arrayContaining([
        expect.objectContaining({ rule: 'demo-request', reason: expect.any(String) }),
      ]),
      recentActivity: [expect.objectContaining({ type: 'form_submitted', formId: 'demo-request' })],
      claimToken: expect.any(String),
      claimExpiresAt: expect.any(String),
    });
    const lead = await http.get(`/v1/admin/leads/${card.json.leadId}`, stack.tokens.marketing);
    expect(lead.json.handoff).toMatchObject({ status: 'claimed', claim: { rep: 'rep 1' } });
    // Who holds it and until when; never what proves the claim (its id, the SQS receipt).
    expect(lead.json.handoff.claim).toEqual({
      rep: 'rep 1',
      claimedAt: expect.any(String),
      expiresAt: card.json.claimExpiresAt,
    });
    expect(lead.json.ownedBySales).toBe(true);

    const done = await outcome(
      card.json.leadId,
      { claimToken: card.json.claimToken, outcome: 'qualified', note: 'Budget Q1' },
      reps[0] as string,
    );
    expect(done.json).toEqual({
      leadId: card.json.leadId,
      outcome: 'qualified',
      stage: 'sql',
      claimOpen: false,
    });
    const after = await http.get(`/v1/admin/leads/${card.json.leadId}`, stack.tokens.marketing);
    expect(after.json.stage).toBe('sql');
    expect(after.json.handoff).toMatchObject({ status: 'closed', outcome: 'qualified' });
    expect(after.json.ownedBySales).toBe(false);
    expect(after.json.timeline[0]).toMatchObject({
      type: 'sales_qualified',
      source: 'sales:rep 1',
      properties: { note: 'Budget Q1' },
    });
    expect((await claim(reps[0] as string)).status).toBe(204);
  });

  it('never gives two of five reps claiming at once the same lead', async () => {
    for (const n of [1, 2, 3]) await http.submit('demo-request', hotDemoRequest(`race${n}@initech.de`));
    const cards = await Promise.all(reps.map((rep) => claim(rep)));
    const claimed = cards.filter((c) => c.status === 200).map((c) => c.json.leadId);
    expect(claimed).toHaveLength(3);
    expect(new Set(claimed).size).toBe(3);
    expect(cards.filter((c) => c.status === 204)).toHaveLength(2);
    await Promise.all(
      cards
        .map((c, i) => ({ c, rep: reps[i] as string }))
        .filter(({ c }) => c.status === 200)
        .map(({ c, rep }) => outcome(c.json.leadId, { claimToken: c.json.claimToken, outcome: 'won' }, rep)),
    );
  });

  it('answers 409 to a foreign claim token, a token for another lead, and after release', async () => {
    await http.submit('demo-request', hotDemoRequest('conflict@initech.de'));
    const card = (await claim(reps[0] as string)).json;
    const foreign = await outcome(
      card.leadId,
      { claimToken: card.claimToken, outcome: 'won' },
      reps[1] as string,
    );
    expect(foreign.status).toBe(409);
    expect(foreign.json.error.code).toBe('claim_not_held');
    const other = await outcome(
      'ld_000000000000000000000000',
      { claimToken: card.claimToken, outcome: 'won' },
      reps[0] as string,
    );
    expect(other.status).toBe(409);
    const released = await http.post(`/v1/sales/claims/${card.claimToken}/release`, {}, reps[0] as string);
    expect(released.status).toBe(200);
    expect(
      (await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' }, reps[0] as string)).status,
    ).toBe(409);
    const again = await claim(reps[1] as string);
    expect(again.json.leadId).toBe(card.leadId);
    await outcome(
      again.json.leadId,
      { claimToken: again.json.claimToken, outcome: 'recycled' },
      reps[1] as string,
    );
  });

  it('requires a reason to disqualify, and refuses a malformed claim token with 400', async () => {
    await http.submit('demo-request', hotDemoRequest('dq@initech.de'));
    const card = (await claim(reps[0] as string)).json;
    const noReason = await outcome(
      card.leadId,
      { claimToken: card.claimToken, outcome: 'disqualified' },
      reps[0] as string,
    );
    expect(noReason.status).toBe(400);
    expect(
      (await outcome(card.leadId, { claimToken: 'not-a-token!!', outcome: 'won' }, reps[0] as string)).status,
    ).toBe(400);
    const ok = await outcome(
      card.leadId,
      { claimToken: card.claimToken, outcome: 'disqualified', reason: 'student' },
      reps[0] as string,
    );
    expect(ok.json.stage).toBe('disqualified');
  });

  it('keeps the claim open on contacted, and extends it', async () => {
    await http.submit('demo-request', hotDemoRequest('contacted@initech.de'));
    const card = (await claim(reps[2] as string)).json;
    const contacted = await outcome(
      card.leadId,
      { claimToken: card.claimToken, outcome: 'contacted' },
      reps[2] as string,
    );
    expect(contacted.json.claimOpen).toBe(true);
    const extended = await http.post(`/v1/sales/claims/${card.claimToken}/extend`, {}, reps[2] as string);
    expect(Date.parse(extended.json.claimExpiresAt)).toBeGreaterThanOrEqual(Date.parse(card.claimExpiresAt));
    const queue = await http.get('/v1/sales/queue', reps[2] as string);
    expect(queue.json).toMatchObject({ claimed: 1 });
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'meeting_booked' }, reps[2] as string);
  });

  it('puts an unresolved claim back on the queue when the window ends; the old token is then stale', async () => {
    await drain();
    await http.submit('demo-request', hotDemoRequest('slow@initech.de'));
    const first = (await claim(reps[0] as string)).json;
    await new Promise((r) => setTimeout(r, (CLAIM_WINDOW + 0.5) * 1000));
    const second = await waitFor('the lead back on the queue', async () => {
      const res = await claim(reps[1] as string);
      return res.status === 200 ? res.json : undefined;
    });
    expect(second.leadId).toBe(first.leadId);
    expect(
      (await outcome(first.leadId, { claimToken: first.claimToken, outcome: 'won' }, reps[0] as string))
        .status,
    ).toBe(409);
    await outcome(second.leadId, { claimToken: second.claimToken, outcome: 'won' }, reps[1] as string);
  }, 20_000);

  it('moves a lead whose claim ran out five times to the DLQ', async () => {
    await drain();
    const inDlq = await messagesHeld(stack, 'hot-leads-dlq');
    await http.submit('demo-request', hotDemoRequest('bounced@initech.de'));
    // Claims run out rather than being released: the emulator also counts ChangeMessageVisibility
    // as a receive, which AWS does not, so releases would reach the DLQ sooner here than there.
    // Each window is left to run out in full: a claim tried while the last one is still held in
    // the table would receive the message again (one more receive) and leave it alone.
    for (let n = 0; n < 5; n += 1) {
      const card = await waitFor(`claim ${n + 1}`, async () => {
        const res = await claim(reps[n % 5] as string);
        return res.status === 200 ? res.json : undefined;
      });
      expect(card.email).toBe('bounced@initech.de');
      await new Promise((r) => setTimeout(r, CLAIM_WINDOW * 1000 + 200));
    }
    // The fifth window ends with the message in the DLQ, not back on the queue.
    await waitFor('the hand-off in the DLQ', async () =>
      (await messagesHeld(stack, 'hot-leads-dlq')) > inDlq ? true : undefined,
    );
    expect((await claim(reps[0] as string)).status).toBe(204);
    const dlq = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.queues['hot-leads-dlq'], MaxNumberOfMessages: 10 }),
    );
    expect(dlq.Messages?.map((m) => JSON.parse(m.Body ?? '{}').email)).toContain('bounced@initech.de');
  }, 40_000);

  it('does not hand off an open lead again, and hands off a recycled lead that turns hot again', async () => {
    await drain();
    await http.submit('demo-request', hotDemoRequest('again@initech.de'));
    await http.post(
      '/v1/activities',
      { email: 'again@initech.de', type: 'trial_started', idempotencyKey: 'again-1' },
      stack.tokens.ingest,
    );
    const card = (await claim(reps[0] as string)).json;
    expect(card.handoff).toBe(1);
    expect((await claim(reps[1] as string)).status).toBe(204);
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'recycled' }, reps[0] as string);
    await http.post(
      '/v1/activities',
      { email: 'again@initech.de', type: 'webinar_attended', idempotencyKey: 'again-2' },
      stack.tokens.ingest,
    );
    const second = (await claim(reps[1] as string)).json;
    expect(second).toMatchObject({ leadId: card.leadId, handoff: 2 });
    await outcome(second.leadId, { claimToken: second.claimToken, outcome: 'won' }, reps[1] as string);
  });

  it('sends a hand-off whose first send failed from the outbox (tick), exactly once', async () => {
    await drain();
    let failures = 1;
    sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageCommand' && failures > 0) {
          failures -= 1;
          throw Object.assign(new Error('injected send failure'), {
            name: 'InternalError',
            $fault: 'server',
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'fail-send' },
    );
    try {
      expect((await http.submit('demo-request', hotDemoRequest('outbox@initech.de'))).status).toBe(202);
    } finally {
      sqs.middlewareStack.remove('fail-send');
    }
    expect(failures).toBe(0);
    const lead = (await http.get('/v1/admin/leads?email=outbox@initech.de', stack.tokens.marketing)).json;
    expect(lead.handoff.status).toBe('pending');
    const card = await waitFor('tick to send the hand-off', async () => {
      const res = await claim(reps[0] as string);
      return res.status === 200 ? res.json : undefined;
    });
    expect(card.email).toBe('outbox@initech.de');
    await outcome(card.leadId, { claimToken: card.claimToken, outcome: 'won' }, reps[0] as string);
    // Two whole tick rounds after the outcome: a second send from the outbox would be on the queue by now.
    await stack.afterTicks(2);
    expect((await claim(reps[0] as string)).status).toBe(204);
  });

  it('answers 401 without a token and 403 for marketing', async () => {
    expect((await http.post('/v1/sales/claims', {})).status).toBe(401);
    expect((await claim(stack.tokens.marketing)).status).toBe(403);
  });
});
