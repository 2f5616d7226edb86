import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHandoffStore } from '../../functions/adapters/dynamodb/handoff-store';
import { leadKey, toLeadItem } from '../../functions/adapters/dynamodb/lead-item';
import { DynamoSlaMarks } from '../../functions/adapters/dynamodb/sla-marks';
import { slaEventId, watchSla } from '../../functions/core/handoff/sla-watch';
import type { IntegrationEvent } from '../../functions/core/integrations/events';
import type { LeadState } from '../../functions/core/leads/lead';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { hotLead } from '../fixtures/integration-leads';

let env: EmulatorEnv;
beforeAll(async () => {
  env = await emulatorEnv();
});
afterAll(() => env.stop());

const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const put = (lead: LeadState) => env.db.send(new PutCommand({ TableName: TABLE, Item: toLeadItem(lead) }));
const stored = async (leadId: string) =>
  (await env.db.send(new GetCommand({ TableName: TABLE, Key: leadKey(leadId) }))).Item;

function watcher(now: Date, publish: (e: IntegrationEvent) => Promise<unknown>) {
  return {
    handoffs: new DynamoHandoffStore(env.db, TABLE),
    marks: new DynamoSlaMarks(env.db, TABLE),
    publish,
    clock: { now: () => now },
  };
}

describe('SLA watcher (tick) on the DynamoDB emulator', () => {
  it('publishes one lead.sla_breached per hand-off waiting past the SLA, and a second tick repeats nothing', async () => {
    const now = new Date('2026-12-03T10:00:00.000Z');
    const late = (id: string, m: number, extra: Partial<LeadState> = {}) =>
      hotLead({
        leadId: id,
        handoff: { number: 2, status: 'sent', becameHotAt: minutesAgo(now, m), rules: ['demo_request'] },
        ...extra,
      });
    await put(late('late1', 20));
    await put(late('fresh1', 10));
    await put(late('erasing1', 30, { erasing: now.toISOString() }));
    await put(
      late('claimed1', 40, {
        handoff: {
          number: 1,
          status: 'claimed',
          becameHotAt: minutesAgo(now, 40),
          rules: [],
          claim: { nonce: 'n', rep: 'ravi', claimedAt: minutesAgo(now, 5), expiresAt: minutesAgo(now, -25) },
        },
      }),
    );
    await put(
      late('expired1', 50, {
        handoff: {
          number: 1,
          status: 'claimed',
          becameHotAt: minutesAgo(now, 50),
          rules: [],
          claim: { nonce: 'n', rep: 'ravi', claimedAt: minutesAgo(now, 45), expiresAt: minutesAgo(now, 15) },
        },
      }),
    );
    const events: IntegrationEvent[] = [];
    const first = await watchSla(
      watcher(now, async (e) => events.push(e)),
      15,
    );
    expect(first).toEqual({ breached: 2, republished: 0 });
    expect(events.map((e) => e.id).sort()).toEqual([slaEventId('expired1', 1), slaEventId('late1', 2)]);
    expect(events.find((e) => e.leadId === 'late1')).toMatchObject({
      type: 'lead.sla_breached',
      data: { handoff: 2, waitingMinutes: 20, slaMinutes: 15 },
    });
    expect(JSON.stringify(events)).not.toContain('acme.io');
    expect((await stored('late1'))?.handoff.slaBreach).toEqual({
      at: now.toISOString(),
      waitingMinutes: 20,
      published: true,
    });
    expect((await stored('late1'))?.version).toBe(5);

    const again = await watchSla(
      watcher(new Date(now.getTime() + 60_000), async (e) => events.push(e)),
      15,
    );
    expect(again).toEqual({ breached: 0, republished: 0 });
    expect(events).toHaveLength(2);
  });

  it('two ticks at once publish the breach once (the conditional mark)', async () => {
    const now = new Date('2026-12-03T11:00:00.000Z');
    await put(
      hotLead({
        leadId: 'race1',
        handoff: { number: 1, status: 'pending', becameHotAt: minutesAgo(now, 30), rules: [] },
      }),
    );
    const events: IntegrationEvent[] = [];
    const publish = async (e: IntegrationEvent) => {
      if (e.leadId === 'race1') events.push(e);
    };
    await Promise.all([watchSla(watcher(now, publish), 15), watchSla(watcher(now, publish), 15)]);
    expect(events).toHaveLength(1);
  });

  it('a crash between the mark and the publish: a later tick publishes it with the same event id', async () => {
    const now = new Date('2026-12-03T12:00:00.000Z');
    await put(
      hotLead({
        leadId: 'crash1',
        handoff: { number: 3, status: 'sent', becameHotAt: minutesAgo(now, 30), rules: [] },
      }),
    );
    const crashing = async (e: IntegrationEvent) => {
      if (e.leadId === 'crash1') throw new Error('crash after the mark');
    };
    await expect(watchSla(watcher(now, crashing), 15)).rejects.toThrow('crash after the mark');
    expect((await stored('crash1'))?.handoff.slaBreach.published).toBe(false);

    const events: IntegrationEvent[] = [];
    const collect = async (e: IntegrationEvent) => {
      if (e.leadId === 'crash1') events.push(e);
    };
    await watchSla(watcher(new Date(now.getTime() + 60_000), collect), 15);
    expect(events).toHaveLength(0);
    const later = await watchSla(watcher(new Date(now.getTime() + 180_000), collect), 15);
    expect(later.republished).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => [e.id, e.occurredAt])).toEqual([[slaEventId('crash1', 3), now.toISOString()]]);
    expect((await stored('crash1'))?.handoff.slaBreach.published).toBe(true);
  });
});
