import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import { unsubscribe } from '../../functions/core/consent/unsubscribe';
import { aggregateReports } from '../../functions/core/reports/aggregate';
import { reportDefinitions } from '../../functions/core/reports/definitions';
import { recount } from '../../functions/core/reports/recount';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { nurtureHarness } from '../fixtures/nurture';
import {
  AGGREGATE_OPTIONS,
  CRASHES,
  type Crash,
  crashingAggregator,
  sortRows,
  storedRows,
  storedTimelines,
} from '../fixtures/report-crashes';

/**
 * Invariant 8 over weeks on a fake clock: people sign up (some without consent) over five days,
 * the welcome sequence runs its steps through tick and send-email on the real emulators (sends,
 * send-window reschedules, the frequency cap, completions), some addresses bounce and some people
 * unsubscribe mid-sequence (later steps skipped, sequences exited); an aggregator that crashes at
 * each of its step boundaries runs every few ticks. Recounting every stored timeline naively
 * equals the rollups.
 */
const TZ = 'America/New_York';
let env: EmulatorEnv;
const run = Date.now().toString(36);

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_UNSUBSCRIBE_KEY: 'unsubscribe-key-for-report-days',
    LEADFLOW_PUBLIC_URL: 'https://leadflow.example',
  });
});
afterAll(async () => env?.stop());

interface Person {
  signUpHour: number;
  consent: boolean;
  fate: 'none' | 'bounce' | 'unsubscribe';
  fateHour: number;
}
const personArb: fc.Arbitrary<Person> = fc.record({
  signUpHour: fc.integer({ min: 0, max: 120 }),
  consent: fc.constantFrom(true, true, true, false),
  fate: fc.constantFrom('none', 'none', 'bounce', 'unsubscribe'),
  fateHour: fc.integer({ min: 24, max: 24 * 12 }),
});

const HOUR = 3_600_000;
const START = Date.parse('2025-01-06T00:00:00.000Z'); // a Monday

describe('reports equal the timeline over weeks (invariant 8, fake clock)', () => {
  it('sequences over days with reschedules, skips, bounces, unsubscribes and aggregator crashes recount to the same rollups', async () => {
    const h = await nurtureHarness(env, 'reports-days');
    const definitions = Object.values(reportDefinitions({ slaMinutes: 15 }));
    const people =
      fc.sample(fc.array(personArb, { minLength: 10, maxLength: 10 }), { numRuns: 1, seed: 14 })[0] ?? [];
    const suppressions = new DynamoSuppressionStore(env.db, h.table);
    const leadIds = new Map<number, string>();
    const fired: Crash[] = [];
    const aggregator = (crash: Crash | undefined) =>
      crashingAggregator(env.db, h.table, { crash, fired, definitions, timeZone: TZ, clock: h.clock });
    let crashNo = 0;

    for (let hour = 0; hour <= 24 * 21; hour += 3) {
      h.clock.set(new Date(START + hour * HOUR));
      for (const [i, person] of people.entries()) {
        if (person.signUpHour >= hour - 2 && person.signUpHour <= hour && !leadIds.has(i))
          leadIds.set(i, await h.signUp(`ada.days.${i}.${run}@acme-industries.de`, person.consent));
        const leadId = leadIds.get(i);
        if (!leadId || person.fate === 'none') continue;
        const fateAt = person.signUpHour + person.fateHour;
        if (fateAt < hour - 2 || fateAt > hour) continue;
        if (person.fate === 'bounce')
          await suppressions.suppress(
            `ada.days.${i}.${run}@acme-industries.de`,
            'bounced',
            'ses:bounce',
            h.clock.now().toISOString(),
          );
        else await unsubscribe({ leads: h.leads, suppressions, clock: h.clock }, leadId);
      }
      await h.tick();
      if (hour % 12 === 0) {
        const crash = CRASHES[crashNo % CRASHES.length];
        crashNo += 1;
        await aggregateReports(aggregator(crash), AGGREGATE_OPTIONS).catch(() => undefined);
      }
    }
    expect(new Set(fired).size, `crashes fired: ${fired.join(', ')}`).toBeGreaterThanOrEqual(3);

    const clean = aggregator(undefined);
    await aggregateReports(clean, { ...AGGREGATE_OPTIONS, maxBatches: 1000 });
    const { entries, contexts } = await storedTimelines(env.db, h.table);
    // The workload did what it is for: steps sent, moved by the window or the cap, skipped, ended.
    const types = new Set(entries.map((entry) => entry.type));
    for (const type of [
      'email_sent',
      'email_rescheduled',
      'email_skipped',
      'sequence_completed',
      'sequence_exited',
    ])
      expect(types, type).toContain(type);

    const expected = recount(definitions, entries, contexts, TZ);
    const days = expected.map((row) => row.day).sort();
    const stored = await storedRows(clean, days[0] ?? '2025-01-01', days.at(-1) ?? '2025-12-31');
    expect(sortRows(stored)).toEqual(sortRows(expected));
    expect(days.length).toBeGreaterThan(10);
  }, 240_000);
});
