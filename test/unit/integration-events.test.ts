import { describe, expect, it } from 'vitest';
import { eventsOf, publishes } from '../../functions/core/integrations/entry-events';
import type { DeliveryMessage } from '../../functions/core/integrations/ports';
import { publishEvent, publishPending } from '../../functions/core/integrations/publish';
import type { Activity } from '../../functions/core/leads/lead';

const entry = (over: Partial<Activity>): Activity => ({
  activityId: 'act_01JTEST0000000000000000001',
  leadId: 'lead_1',
  type: 'page_viewed',
  at: '2026-12-03T09:00:00.000Z',
  source: 'api',
  ...over,
});

describe('timeline entry → integration events', () => {
  it('makes lead.hot and lead.stage_changed from the entry whose effect starts a hand-off, each with its own stable id', () => {
    const events = eventsOf(
      entry({
        type: 'form_submitted',
        effect: {
          handoff: 2,
          hot: { total: 82, grade: 'A', modelVersion: 3, rules: ['vp_title', 'demo_form'] },
          stage: { from: 'mql', to: 'sql' },
        },
      }),
    );
    expect(events.map((e) => [e.type, e.id])).toEqual([
      ['lead.hot', 'evt_act_01JTEST0000000000000000001.lead.hot'],
      ['lead.stage_changed', 'evt_act_01JTEST0000000000000000001.lead.stage_changed'],
    ]);
    expect(events[0]?.data).toEqual({
      handoff: 2,
      rules: ['vp_title', 'demo_form'],
      score: 82,
      grade: 'A',
      activityType: 'form_submitted',
    });
    expect(eventsOf(entry({ type: 'form_submitted', effect: { handoff: 2 } }))).toEqual(
      eventsOf(entry({ type: 'form_submitted', effect: { handoff: 2 } })),
    );
  });

  it('maps claims, outcomes, unsubscribes, bounces and complaints, and carries no personal data', () => {
    const types = [
      entry({ type: 'sales_claimed', source: 'sales:ravi', properties: { handoff: 1, rep: 'ravi' } }),
      entry({ type: 'sales_won', source: 'sales:ravi', properties: { handoff: 1, note: 'Signed by Vera' } }),
      entry({ type: 'unsubscribed', source: 'email-link' }),
      entry({
        type: 'email_bounced',
        source: 'ses',
        properties: { bounceSubType: 'General', messageId: 'm' },
      }),
      entry({ type: 'email_complained', source: 'ses', properties: { feedbackType: 'abuse' } }),
    ].map((e) => eventsOf(e));
    expect(types.map((events) => events.map((e) => e.type))).toEqual([
      ['lead.claimed'],
      ['lead.outcome'],
      ['lead.unsubscribed'],
      ['email.bounced'],
      ['email.complained'],
    ]);
    expect(types[1]?.[0]?.data).toEqual({ outcome: 'won', rep: 'ravi', handoff: 1 });
    expect(JSON.stringify(types)).not.toContain('Vera');
  });

  it('makes lead.activity only for activity on a lead sales owned, never for sales’ own entries', () => {
    expect(eventsOf(entry({ effect: { ownedBy: 'sofia' } })).map((e) => e.data)).toEqual([
      { activityType: 'page_viewed', rep: 'sofia', source: 'api' },
    ]);
    expect(publishes(entry({}))).toBe(false);
    expect(publishes(entry({ type: 'note', effect: { ownedBy: 'sofia' } }))).toBe(false);
    expect(publishes(entry({ type: 'email_opened' }))).toBe(false);
  });
});

describe('publisher', () => {
  const target = (id: string, types: string[]) => ({ id, accepts: (type: string) => types.includes(type) });
  const clock = { now: () => new Date('2026-12-03T10:00:00Z') };

  it('queues one message per event and accepting destination, then takes the entries off the index', async () => {
    const pending = [
      entry({ type: 'sales_claimed', properties: { handoff: 1 } }),
      entry({ activityId: 'act_2', type: 'unsubscribed' }),
    ];
    const sent: DeliveryMessage[] = [];
    const calls: string[] = [];
    const result = await publishPending(
      {
        entries: {
          next: async (shard) => (shard === 0 ? pending.splice(0) : []),
          markPublished: async (refs) => void calls.push(`marked ${refs.length}`),
        },
        destinations: {
          active: async () => [
            target('wh_a', ['lead.claimed', 'lead.unsubscribed']),
            target('slack', ['lead.claimed']),
          ],
        },
        queue: {
          enqueue: async (messages) => {
            sent.push(...messages);
            calls.push(`queued ${messages.length}`);
          },
        },
        clock,
      },
      { shards: 2, batchSize: 10, maxBatches: 3 },
    );
    expect(result).toEqual({ entries: 2, events: 2, deliveries: 3 });
    expect(calls).toEqual(['queued 3', 'marked 2']);
    expect(sent.map((m) => `${m.event.type}→${m.destinationId}#${m.attempt}`)).toEqual([
      'lead.claimed→wh_a#1',
      'lead.claimed→slack#1',
      'lead.unsubscribed→wh_a#1',
    ]);
  });

  it('leaves the entries on the index when queueing fails, so the next run sends the same event ids', async () => {
    const marked: string[] = [];
    const deps = {
      entries: {
        next: async () => [entry({ type: 'unsubscribed' })],
        markPublished: async () => void marked.push('x'),
      },
      destinations: { active: async () => [target('wh_a', ['lead.unsubscribed'])] },
      queue: {
        enqueue: async () => {
          throw new Error('SQS down');
        },
      },
      clock,
    };
    await expect(publishPending(deps, { shards: 1, batchSize: 10, maxBatches: 1 })).rejects.toThrow(
      'SQS down',
    );
    expect(marked).toEqual([]);
  });

  it('publishEvent fans one event (lead.erased) out to the destinations that take it', async () => {
    const sent: DeliveryMessage[] = [];
    const queued = await publishEvent(
      {
        destinations: { active: async () => [target('wh_a', ['lead.erased']), target('wh_b', ['lead.hot'])] },
        queue: { enqueue: async (m) => void sent.push(...m) },
        clock,
      },
      {
        id: 'evt_lead_1.erased',
        type: 'lead.erased',
        occurredAt: '2026-12-03T10:00:00Z',
        leadId: 'lead_1',
        data: {},
      },
    );
    expect(queued).toBe(1);
    expect(sent[0]?.destinationId).toBe('wh_a');
  });
});
