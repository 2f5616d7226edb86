import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { DynamoUnpublishedEntries } from '../../functions/adapters/dynamodb/unpublished-entries';
import { SqsDeliveryQueue } from '../../functions/adapters/sqs/integration-delivery-queue';
import { parseDeliveryMessage } from '../../functions/core/integrations/delivery-message';
import type { PublishDeps } from '../../functions/core/integrations/publish';
import { publishPending } from '../../functions/core/integrations/publish';
import type { Activity } from '../../functions/core/leads/lead';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * The event feed over the real emulators: timeline entries written by the lead store carry the
 * "not yet published" key only when they stand for an event; the publisher fans them out on
 * integration-deliveries and then takes the key off, and a crash in between loses nothing.
 */
let env: EmulatorEnv;
beforeAll(async () => {
  env = await emulatorEnv();
});
afterAll(async () => env?.stop());

const OPTIONS = { shards: 4, batchSize: 50, maxBatches: 5 };
const entry = (id: string, type: string, over: Partial<Activity> = {}): Activity => ({
  activityId: `act_${id}`,
  leadId: `lead_${id}`,
  type,
  at: '2026-12-03T09:00:00.000Z',
  source: 'api',
  ...over,
});

async function drain(url: string) {
  const bodies: string[] = [];
  for (let round = 0; round < 5; round += 1) {
    const { Messages = [] } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    if (Messages.length === 0) break;
  }
  return bodies.map((body) => parseDeliveryMessage(body));
}

describe('event feed (gsi11) on the emulators', () => {
  it('publishes each event once per destination, survives a crash between the send and the key removal, and indexes only mapped entries', async () => {
    const leads = new DynamoLeadStore(env.db, TABLE);
    await leads.putActivity(entry('a1', 'sales_claimed', { properties: { handoff: 1, rep: 'ravi' } }));
    await leads.putActivity(entry('a2', 'unsubscribed'));
    await leads.putActivity(entry('a3', 'page_viewed'));
    const items = await env.items();
    const keyed = items.filter((item) => typeof item.gsi11pk === 'string').map((item) => item.sk);
    expect(keyed.sort()).toEqual(['ACT#act_a1', 'ACT#act_a2']);

    const queueUrl = env.queues['integration-deliveries'] ?? '';
    const queue = new SqsDeliveryQueue(
      env.sqs,
      queueUrl,
      () => env.queues['integration-deliveries-dlq'] ?? '',
    );
    const entries = new DynamoUnpublishedEntries(env.db, TABLE);
    const deps: PublishDeps = {
      entries: {
        next: (shard, limit) => entries.next(shard, limit),
        markPublished: async () => {
          throw new Error('crash after the SQS send');
        },
      },
      destinations: { active: async () => [{ id: 'wh_test', accepts: () => true }] },
      queue,
      clock: { now: () => new Date() },
    };
    await expect(publishPending(deps, OPTIONS)).rejects.toThrow('crash after the SQS send');
    const first = await drain(queueUrl);
    expect(first.map((m) => m?.event.id).sort()).toEqual([
      'evt_act_a1.lead.claimed',
      'evt_act_a2.lead.unsubscribed',
    ]);

    // The next run: the same events again, same ids; then the keys are gone and nothing more is sent.
    const result = await publishPending({ ...deps, entries }, OPTIONS);
    expect(result).toEqual({ entries: 2, events: 2, deliveries: 2 });
    const second = await drain(queueUrl);
    expect(second.map((m) => m?.event.id).sort()).toEqual(first.map((m) => m?.event.id).sort());
    expect(await publishPending({ ...deps, entries }, OPTIONS)).toEqual({
      entries: 0,
      events: 0,
      deliveries: 0,
    });
    expect((await env.items()).filter((item) => typeof item.gsi11pk === 'string')).toEqual([]);
  });
});
