import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { DynamoHandoffStore } from '../../functions/adapters/dynamodb/handoff-store';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { CachedScoringModels } from '../../functions/adapters/dynamodb/scoring-models';
import { SqsHotLeadQueue } from '../../functions/adapters/sqs/hot-lead-queue';
import {
  type ClaimDeps,
  claimNext,
  repOf,
  sendHandoff,
  sendPendingHandoffs,
} from '../../functions/core/handoff/sales';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { Activity } from '../../functions/core/leads/lead';
import { type RecordDeps, recordActivity } from '../../functions/core/leads/record-activity';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { signingKeyRing } from '../../functions/shared/signing-secrets';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * Injected faults on the paths that run side by side: a hot activity's timeline put beside the
 * hand-off's send, and a claim's timeline entry after the conditional claim (real emulators).
 */
let env: EmulatorEnv;
let queueUrl: string;
const CLAIM_WINDOW = 2;
beforeAll(async () => {
  env = await emulatorEnv();
  await publishShippedConfig(env);
  queueUrl = env.queues['hot-leads'] as string;
});
afterAll(async () => env?.stop());

const failing = (store: DynamoLeadStore, failures: { left: number }) =>
  Object.assign(Object.create(store) as DynamoLeadStore, {
    putActivity: async (activity: Activity) => {
      if (failures.left > 0) {
        failures.left -= 1;
        throw Object.assign(new Error('injected put failure'), { name: 'InternalServerError' });
      }
      return store.putActivity(activity);
    },
  });

function deps(leads = new DynamoLeadStore(dynamo, TABLE)) {
  const queue = new SqsHotLeadQueue(env.sqs, queueUrl);
  const handoffs = new DynamoHandoffStore(dynamo, TABLE);
  const clock = { now: () => new Date() };
  const sales = { handoffs, queue, clock };
  const record: RecordDeps = {
    leads,
    models: new CachedScoringModels(new DynamoConfigStore(dynamo, TABLE), 0),
    clock,
    sendHandoff: (lead) => sendHandoff(sales, lead),
  };
  const claims: ClaimDeps = {
    leads,
    handoffs,
    queue,
    clock,
    claimWindowSeconds: CLAIM_WINDOW,
    claimKeys: async () => signingKeyRing({ current: 'k'.repeat(32) }),
  };
  return { record, claims, sales };
}

function hotChange(email: string, activityId: string) {
  const leadId = leadIdFor(email);
  const at = new Date().toISOString();
  return {
    leadId,
    email,
    activity: {
      activityId,
      leadId,
      type: 'form_submitted',
      formId: 'demo-request',
      at,
      source: 'form:demo-request',
    },
    merge: {
      leadId,
      email,
      fields: { email, jobTitle: 'VP Sales', country: 'DE', company: 'Initech', companySize: '201-1000' },
      attribution: {},
      stage: 'lead' as const,
    },
  } as const;
}

async function queued(): Promise<number> {
  const { Attributes = {} } = await env.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  // The emulator's count takes in messages in flight (received, not deleted) too.
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}

/** Takes every waiting message off the queue (the earlier tests' leads). */
async function sweep() {
  const queue = new SqsHotLeadQueue(env.sqs, queueUrl);
  for (let received = await queue.receive(30); received; received = await queue.receive(30))
    await queue.remove(received.receipt);
}

/** Takes a claimed lead's message off the queue, so it does not come back when the claim ends. */
async function forget(leadId: string) {
  const lead = await new DynamoLeadStore(dynamo, TABLE).load(leadId);
  const receipt = (lead?.handoff?.claim as { receipt?: string } | undefined)?.receipt ?? '';
  await new SqsHotLeadQueue(env.sqs, queueUrl).remove(receipt);
}

const rep = (name: string) => repOf({ name, username: name });

describe('hand-off and claims under injected faults', () => {
  it('queues a hot lead once when its timeline put fails beside the send; the retry stores the activity once', async () => {
    const change = hotChange('putfails@initech.de', 'act_putfails_1');
    const before = await queued();
    const failures = { left: 1 };
    await expect(
      recordActivity(deps(failing(new DynamoLeadStore(dynamo, TABLE), failures)).record, change, {
        createIfMissing: true,
      }),
    ).rejects.toThrow('injected put failure');
    expect(failures.left).toBe(0);
    const leads = new DynamoLeadStore(dynamo, TABLE);
    // The send settled before the request failed: on the queue and marked sent.
    expect((await leads.load(change.leadId))?.handoff).toMatchObject({ number: 1, status: 'sent' });
    expect(await queued()).toBe(before + 1);

    const retried = await recordActivity(deps().record, change, { createIfMissing: true });
    expect(retried.duplicate).toBe(true);
    const found = await leads.find(change.leadId);
    expect(found?.activities.map((a) => a.activityId)).toEqual(['act_putfails_1']);
    // Nothing pending for tick, nothing more on the queue.
    const { sales } = deps();
    expect(
      await sendPendingHandoffs({ ...sales, clock: { now: () => new Date(Date.now() + 120_000) } }, 60),
    ).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(await queued()).toBe(before + 1);
  });

  it('keeps a claim whose timeline entry failed to one rep until its window ends, then lets the next rep claim it', async () => {
    const { claims } = deps();
    await sweep();
    const change = hotChange('claimfails@initech.de', 'act_claimfails_1');
    await recordActivity(deps().record, change, { createIfMissing: true });
    const failures = { left: 1 };
    await expect(
      claimNext(deps(failing(new DynamoLeadStore(dynamo, TABLE), failures)).claims, rep('ravi')),
    ).rejects.toThrow('injected put failure');
    const leads = new DynamoLeadStore(dynamo, TABLE);
    expect((await leads.load(change.leadId))?.handoff).toMatchObject({
      status: 'claimed',
      claim: { rep: 'ravi' },
    });
    // Held by ravi: sofia gets nothing while the window runs.
    expect(await claimNext(claims, rep('sofia'))).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, (CLAIM_WINDOW + 0.5) * 1000));
    const card = await claimNext(claims, rep('sofia'));
    expect(card).toMatchObject({ leadId: change.leadId, handoff: 1 });
    expect(card?.recentActivity.map((a) => a.type)).toEqual(['form_submitted']);
    const { activities = [] } = (await leads.find(change.leadId)) ?? {};
    const entries = activities.filter((a) => a.type === 'sales_claimed');
    // Ravi's entry was never stored; sofia's names the claim that lapsed before it.
    expect(entries).toHaveLength(1);
    expect(entries[0]?.properties).toMatchObject({ rep: 'sofia', previousClaim: { rep: 'ravi' } });
    await forget(change.leadId);
  });

  it("leaves a redelivered message whose hand-off another rep holds on the queue, in that rep's hands", async () => {
    const { claims, sales } = deps();
    await sweep();
    const change = hotChange('race@initech.de', 'act_race_1');
    await recordActivity(deps().record, change, { createIfMissing: true });
    const card = await claimNext({ ...claims, claimWindowSeconds: 60 }, rep('ravi'));
    expect(card?.leadId).toBe(change.leadId);
    const lead = await new DynamoLeadStore(dynamo, TABLE).load(change.leadId);
    const receipt = (lead?.handoff?.claim as { receipt?: string } | undefined)?.receipt ?? '';
    // SQS hands the message out again while ravi's claim is live (a redelivery race).
    expect(await sales.queue.changeVisibility(receipt, 0)).toBe(true);
    const held = await queued();
    expect(await claimNext(claims, rep('sofia'))).toBeUndefined();
    expect(await queued()).toBe(held);
    expect((await new DynamoLeadStore(dynamo, TABLE).load(change.leadId))?.handoff?.claim).toMatchObject({
      rep: 'ravi',
    });
  });
});
