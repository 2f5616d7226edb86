import { describe, expect, it } from 'vitest';
import type { Stage } from '../../../functions/core/leads/lead';
import { nextStage } from '../../../functions/core/scoring';

describe('nextStage', () => {
  it.each<[Stage, boolean, Stage]>([
    ['subscriber', true, 'mql'],
    ['lead', true, 'mql'],
    ['recycled', true, 'mql'],
    ['subscriber', false, 'subscriber'],
    ['lead', false, 'lead'],
    ['recycled', false, 'recycled'],
  ])('moves %s with mql=%s to %s', (current, mql, next) => {
    expect(nextStage(current, { mql })).toBe(next);
  });

  it('never moves an mql backwards when its score drops', () => {
    expect(nextStage('mql', { mql: false })).toBe('mql');
    expect(nextStage('mql', { mql: true })).toBe('mql');
  });

  it.each<Stage>(['sql', 'opportunity', 'customer', 'disqualified'])(
    'leaves %s alone: only sales outcomes move it',
    (current) => {
      expect(nextStage(current, { mql: true })).toBe(current);
      expect(nextStage(current, { mql: false })).toBe(current);
    },
  );
});
