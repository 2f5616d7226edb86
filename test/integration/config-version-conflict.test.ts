import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { VersionConflictError } from '../../functions/core/config-versions/conflict';
import { activateVersion, addVersion } from '../../functions/core/config-versions/versions';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * Two editors whose edits started from the same version, on dynalite: the second to save (or to
 * activate) is refused with version_conflict and the first one's change stays active.
 */
let env: EmulatorEnv;
let store: DynamoConfigStore;
const maya = { name: 'Maya Marketer', username: 'maya' };
const alex = { name: 'Alex Admin', username: 'alex' };
const at = new Date('2026-12-03T10:00:00Z');
const WHAT = 'nurture config';

beforeAll(async () => {
  env = await emulatorEnv();
  store = new DynamoConfigStore(env.db, TABLE);
}, 30_000);
afterAll(async () => env?.stop());

async function startingAt(id: string) {
  const versions = store.versionsOf<{ edit: string }>('nurture', id);
  await store.publish('nurture', id, { edit: 'start' }, at, maya);
  return versions;
}

describe('two editors based on the same version', () => {
  it('the second save is 409 and stores nothing; the first one’s change is kept', async () => {
    const versions = await startingAt('two-saves');
    const first = await addVersion(versions, { document: { edit: 'alex' }, warnings: [] }, at, alex, {
      what: WHAT,
      basedOn: 1,
    });
    await activateVersion(versions, WHAT, first.version, at, alex, 1);

    const second = addVersion(versions, { document: { edit: 'maya' }, warnings: [] }, at, maya, {
      what: WHAT,
      basedOn: 1,
    });
    await expect(second).rejects.toThrow(VersionConflictError);
    await expect(second).rejects.toThrow(/^Alex Admin \(alex\) activated nurture config version 2 at /);
    expect((await versions.versions()).map((v) => v.version)).toEqual([2, 1]);
    expect((await versions.active())?.document).toEqual({ edit: 'alex' });
  });

  it('both saved before either activated: the second activation is refused by the conditional write', async () => {
    const versions = await startingAt('two-activations');
    const draft = (edit: string) => ({ document: { edit }, warnings: [] });
    const [a, m] = await Promise.all([
      addVersion(versions, draft('alex'), at, alex, { what: WHAT, basedOn: 1 }),
      addVersion(versions, draft('maya'), at, maya, { what: WHAT, basedOn: 1 }),
    ]);
    const outcomes = await Promise.allSettled([
      activateVersion(versions, WHAT, a.version, at, alex, 1),
      activateVersion(versions, WHAT, m.version, at, maya, 1),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    const winner = outcomes[0]?.status === 'fulfilled' ? 'alex' : 'maya';
    expect((await versions.active())?.document).toEqual({ edit: winner });
    // The index of documents lists the winner as active, not the refused one.
    const listed = (await store.index.list('nurture')).find((d) => d.id === 'two-activations');
    expect(listed?.activeVersion).toBe(winner === 'alex' ? a.version : m.version);
  });

  it('without basedOn (config push) the later activation still wins, as before', async () => {
    const versions = await startingAt('no-based-on');
    const a = await addVersion(versions, { document: { edit: 'alex' }, warnings: [] }, at, alex);
    const m = await addVersion(versions, { document: { edit: 'maya' }, warnings: [] }, at, maya);
    await activateVersion(versions, WHAT, a.version, at, alex);
    await activateVersion(versions, WHAT, m.version, at, maya);
    expect((await versions.active())?.document).toEqual({ edit: 'maya' });
  });
});
