import { describe, expect, it } from 'vitest';
import { indexWrites } from '../../bench/cost-meter';
import { ALTERNATIVES, minus, monthlyCost, noUsage, perUnit } from '../../bench/cost-model';

describe('cost model arithmetic (hand-computed)', () => {
  const busy = {
    count: 1_000_000,
    memoryMb: 1024,
    usage: {
      dynamoReadUnits: 2,
      dynamoWriteUnits: 4,
      sqsStandardRequests: 1,
      sqsFifoRequests: 2,
      sesEmails: 1,
      httpApiRequests: 1,
      lambdaInvocations: 2,
      lambdaMs: 250,
      logBytes: 1024,
    },
  };
  const tick = { count: 43_200, memoryMb: 512, usage: { ...noUsage(), lambdaInvocations: 1, lambdaMs: 100 } };

  it('prices each line as requests × list price', () => {
    const cost = monthlyCost([busy, tick]);
    // 1e6 × (2 × $0.125/M + 4 × $0.625/M) = $0.25 + $2.50
    expect(cost.dynamodb).toBeCloseTo(2.75, 10);
    // 1e6 × (2 × $0.20/M + 0.25 s × 1 GB × $0.0000133334) = $0.40 + $3.33335;
    // tick: 43,200 × ($0.20/M + 0.1 s × 0.5 GB × $0.0000133334) = $0.00864 + $0.0288001 (GB-s 2,160)
    expect(cost.lambda).toBeCloseTo(3.73335 + 0.00864 + 0.02880014, 8);
    expect(cost.httpApi).toBeCloseTo(1, 10);
    // 1e6 × ($0.40/M + 2 × $0.50/M)
    expect(cost.sqs).toBeCloseTo(1.4, 10);
    // 1e6 emails × $0.10 per 1,000
    expect(cost.ses).toBeCloseTo(100, 10);
    // 1,024,000,000 bytes = 0.95367431640625 GiB × $0.50
    expect(cost.logs).toBeCloseTo(0.476837158203125, 12);
    expect(cost.total).toBeCloseTo(
      2.75 + 3.73335 + 0.00864 + 0.02880014 + 1 + 1.4 + 100 + 0.476837158203125,
      8,
    );
  });

  it('costs nothing for no usage', () => {
    expect(monthlyCost([{ count: 1_000, memoryMb: 512, usage: noUsage() }]).total).toBe(0);
  });

  it('divides a window by its units and subtracts windows without going below zero', () => {
    const window = { ...noUsage(), dynamoWriteUnits: 60, sesEmails: 20 };
    expect(perUnit(window, 20)).toMatchObject({ dynamoWriteUnits: 3, sesEmails: 1 });
    expect(minus(perUnit(window, 20), { ...noUsage(), dynamoWriteUnits: 1, sesEmails: 2 })).toMatchObject({
      dynamoWriteUnits: 2,
      sesEmails: 0,
    });
  });

  it('prices the alternatives from their published figures', () => {
    // $800 with 2,000 contacts, then blocks of 5,000 at $250: 8,000 more is 2 blocks.
    expect(ALTERNATIVES.hubspotProfessional(2_000)).toBe(800);
    expect(ALTERNATIVES.hubspotProfessional(7_000)).toBe(1_050);
    expect(ALTERNATIVES.hubspotProfessional(10_000)).toBe(1_300);
    // $24 droplet + 50,000 emails × $0.10 per 1,000
    expect(ALTERNATIVES.mauticSelfHosted(50_000)).toBeCloseTo(29, 10);
  });

  it('counts index writes by DynamoDB rules from the item before and after a write', () => {
    // A new lead: gsi3 (leads), gsi12 (segment facts, same keys), the three list indexes (gsi4pk +
    // their sort keys), email and company search.
    const lead = {
      pk: 'LEAD#1',
      sk: 'LEAD',
      gsi3pk: 'L#1',
      gsi3sk: '1',
      gsi4pk: 'S#1',
      gsi4sk: 'a',
      gsi5sk: 'b',
      gsi6sk: 'c',
      gsi7pk: 've',
      gsi7sk: 'vera@x',
      gsi9pk: 'in',
      gsi9sk: 'initech',
      lrow: '{"score":1}',
    };
    expect(indexWrites(undefined, lead)).toBe(7);
    // Keys unchanged, nothing projected changed: KEYS_ONLY and INCLUDE entries cost nothing.
    expect(indexWrites(lead, { ...lead, aggregate: 'more' })).toBe(0);
    // A segment fact changed (the stage): the segment facts entry is rewritten, nothing else.
    expect(indexWrites(lead, { ...lead, stage: 'mql' })).toBe(1);
    // The copied lrow changed: the five INCLUDE entries the lead has are rewritten (no name, no gsi8
    // entry; gsi3 is keys only).
    expect(indexWrites(lead, { ...lead, lrow: '{"score":2}' })).toBe(5);
    // A score sort key moved (delete + put) and the row changed with it: 2 + 4.
    expect(indexWrites(lead, { ...lead, gsi5sk: 'z', lrow: '{"score":2}' })).toBe(6);
    // A step scheduled (the due index, keys only) and a hand-off opened (gsi1, ALL): 1 + 1.
    expect(
      indexWrites(lead, { ...lead, gsi2pk: 'DUE#1', gsi2sk: 't', gsi1pk: 'HANDOFF#open', gsi1sk: 't' }),
    ).toBe(2);
    // On gsi1 (ALL) any change rewrites the entry.
    const open = { ...lead, gsi1pk: 'HANDOFF#open', gsi1sk: 't' };
    expect(indexWrites(open, { ...open, note: 'x' })).toBe(1);
    // A timeline entry waiting for the reports, then counted (its gsi10 keys removed): 1 each.
    const entry = { pk: 'LEAD#1', sk: 'ACT#1', gsi10pk: 'RPT#1', gsi10sk: 'x' };
    expect(indexWrites(undefined, entry)).toBe(1);
    expect(indexWrites(entry, { pk: 'LEAD#1', sk: 'ACT#1' })).toBe(1);
    // Deleting a lead removes its seven entries.
    expect(indexWrites(lead, undefined)).toBe(7);
  });
});
