import { describe, expect, it } from 'vitest';
import { reapply } from '../../console/src/reapply';

const base = {
  name: 'Welcome',
  steps: [
    { id: 'a', wait: { days: 2 } },
    { id: 'b', wait: { days: 5 } },
  ],
};

describe('re-applying my change on the latest version', () => {
  it('keeps their change where mine does not touch it, and mine where theirs does not', () => {
    const theirs = { ...base, steps: [{ id: 'a', wait: { days: 4 } }, base.steps[1]] };
    const mine = { ...base, steps: [base.steps[0], { id: 'b', wait: { days: 9 } }] };
    expect(reapply(base, mine, theirs)).toEqual({
      value: {
        name: 'Welcome',
        steps: [
          { id: 'a', wait: { days: 4 } },
          { id: 'b', wait: { days: 9 } },
        ],
      },
      clashes: [],
    });
  });

  it('names a field both changed differently, keeping mine', () => {
    const theirs = { ...base, name: 'Theirs' };
    const mine = { ...base, name: 'Mine' };
    expect(reapply(base, mine, theirs)).toEqual({ value: mine, clashes: ['name'] });
  });

  it('takes a list of another length whole, a field removed stays removed', () => {
    const theirs = { ...base, steps: [base.steps[0]] };
    const mine = { name: 'Welcome', steps: [...base.steps, { id: 'c', wait: { days: 1 } }] };
    expect(reapply(base, mine, theirs)).toEqual({ value: mine, clashes: ['steps'] });
    expect(reapply({ a: 1, b: 2 }, { a: 1 }, { a: 3, b: 2 })).toEqual({ value: { a: 3 }, clashes: [] });
  });
});
