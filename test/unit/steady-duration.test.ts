import { describe, expect, it } from 'vitest';
import { steadyDuration } from '../../functions/shared/steady-duration';

/** A clock the test moves, and a sleep that records what was asked and moves the clock. */
function fakeTime() {
  let t = 1000;
  const slept: number[] = [];
  return {
    slept,
    advance: (ms: number) => {
      t += ms;
    },
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('steady duration (known and new addresses answer alike)', () => {
  it('waits out the rest of the floor after a fast answer, and after a refusal', async () => {
    const time = fakeTime();
    const middleware = steadyDuration({ minimumMs: 150, now: time.now, sleep: time.sleep });
    const newLead = {};
    await middleware.before?.(newLead as never);
    time.advance(40);
    await middleware.after?.(newLead as never);
    const refused = {};
    await middleware.before?.(refused as never);
    time.advance(5);
    await middleware.onError?.(refused as never);
    expect(time.slept).toEqual([110, 145]);
  });

  it('adds nothing to an answer slower than the floor, or with the floor off', async () => {
    const time = fakeTime();
    const slow = {};
    const middleware = steadyDuration({ minimumMs: 150, now: time.now, sleep: time.sleep });
    await middleware.before?.(slow as never);
    time.advance(200);
    await middleware.after?.(slow as never);
    const off = steadyDuration({ minimumMs: 0, now: time.now, sleep: time.sleep });
    await off.before?.(slow as never);
    await off.after?.(slow as never);
    expect(time.slept).toEqual([]);
  });

  it('times each request on its own when one handler serves several at once', async () => {
    const time = fakeTime();
    const middleware = steadyDuration({ minimumMs: 100, now: time.now, sleep: time.sleep });
    const first = {};
    const second = {};
    await middleware.before?.(first as never);
    time.advance(30);
    await middleware.before?.(second as never);
    time.advance(30);
    await middleware.after?.(first as never);
    await middleware.after?.(second as never);
    // first: 60 ms in, waits 40 (the clock is then at +100); second: 70 ms in by then, waits 30.
    expect(time.slept).toEqual([40, 30]);
  });
});
