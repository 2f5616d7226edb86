import { describe, expect, it } from 'vitest';
import {
  leadPlace,
  pickWinner,
  significance,
  testVariant,
  twoProportionZ,
} from '../../functions/core/nurture/broadcast-ab';

const ab = {
  variants: [
    { id: 'a' as const, subject: 'A' },
    { id: 'b' as const, subject: 'B' },
  ],
  testShare: 20,
};

describe('A/B test share', () => {
  it('gives the same lead the same place in a broadcast, and another place in another broadcast', () => {
    expect(leadPlace('bc_1', 'ld_1')).toBe(leadPlace('bc_1', 'ld_1'));
    expect(leadPlace('bc_1', 'ld_1')).not.toBe(leadPlace('bc_2', 'ld_1'));
  });

  it('puts about the test share in the test, split evenly between the variants', () => {
    const picks: Record<string, number> = { a: 0, b: 0, held: 0 };
    for (let i = 0; i < 10_000; i += 1) {
      const v = testVariant(ab, leadPlace('bc_share', `ld_${i}`));
      const key = v ? v.id : 'held';
      picks[key] = (picks[key] ?? 0) + 1;
    }
    expect(picks.held).toBeGreaterThan(7_800);
    expect(picks.held).toBeLessThan(8_200);
    expect(Math.abs((picks.a ?? 0) - (picks.b ?? 0))).toBeLessThan(200);
  });

  it('splits the share at its edges: just under the share is the last variant, at the share is held', () => {
    expect(testVariant(ab, 0)?.id).toBe('a');
    expect(testVariant(ab, 0.0999)?.id).toBe('a');
    expect(testVariant(ab, 0.1)?.id).toBe('b');
    expect(testVariant(ab, 0.1999)?.id).toBe('b');
    expect(testVariant(ab, 0.2)).toBeUndefined();
  });
});

describe('A/B winner and significance', () => {
  it('picks the highest rate per send, and the first variant on a tie or with no data', () => {
    const c = (id: string, sent: number, opened: number, clicked = 0) => ({ id, sent, opened, clicked });
    expect(pickWinner([c('a', 10, 2), c('b', 10, 5)], 'opened')).toBe('b');
    expect(pickWinner([c('a', 10, 5), c('b', 20, 10)], 'opened')).toBe('a');
    expect(pickWinner([c('a', 0, 0), c('b', 0, 0)], 'opened')).toBe('a');
    expect(pickWinner([c('a', 10, 9, 1), c('b', 10, 1, 3)], 'clicked')).toBe('b');
  });

  it('computes the pooled two-proportion z and says "not yet significant" under 95%', () => {
    // 200/1000 against 150/1000: pooled 0.175, se 0.01699, z 2.94.
    expect(twoProportionZ(200, 1000, 150, 1000)).toBeCloseTo(2.943, 2);
    expect(twoProportionZ(1, 0, 1, 10)).toBe(0);
    expect(
      significance(
        [
          { id: 'a', sent: 1000, opened: 150, clicked: 0 },
          { id: 'b', sent: 1000, opened: 200, clicked: 0 },
        ],
        'opened',
      ),
    ).toMatchObject({
      leader: 'b',
      runnerUp: 'a',
      significant: true,
      label: 'variant B leads at 95% confidence',
    });
    expect(
      significance(
        [
          { id: 'a', sent: 10, opened: 3, clicked: 0 },
          { id: 'b', sent: 10, opened: 5, clicked: 0 },
        ],
        'opened',
      ),
    ).toMatchObject({ significant: false, label: 'not yet significant (under 95% confidence)' });
  });
});
