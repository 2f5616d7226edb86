import { describe, expect, it } from 'vitest';
import {
  ActiveVersionMovedError,
  checkBasedOn,
  VersionConflictError,
} from '../../functions/core/config-versions/conflict';
import {
  activateVersion,
  addVersion,
  type ConfigVersions,
  type StoredVersion,
} from '../../functions/core/config-versions/versions';
import { errorResponse } from '../../functions/shared/http';

/** One document's versions in memory; `activate` with an expected version refuses as the store does. */
function memoryVersions<T>(): ConfigVersions<T> & { stored: StoredVersion<T>[] } {
  const stored: StoredVersion<T>[] = [];
  let active: StoredVersion<T> | undefined;
  return {
    stored,
    active: async () => active,
    version: async (version) => stored.find((v) => v.version === version),
    versions: async () => [...stored].reverse(),
    async addVersion(document, at, by) {
      const added = {
        version: stored.length + 1,
        hash: '',
        document,
        createdAt: at.toISOString(),
        createdBy: by,
      };
      stored.push(added);
      return added;
    },
    async activate(version, at, by, expectActive) {
      const found = stored.find((v) => v.version === version);
      if (!found) return undefined;
      if (expectActive !== undefined && active?.version !== expectActive)
        throw new ActiveVersionMovedError(expectActive);
      active = { ...found, activatedAt: at.toISOString(), activatedBy: by };
      return active;
    },
  };
}

const at = new Date('2026-12-03T10:00:00Z');
const later = new Date('2026-12-03T10:05:00Z');
const maya = { name: 'Maya Marketer', username: 'maya' };
const alex = { name: 'Alex Admin', username: 'alex' };
const draft = (name: string) => ({ document: { name }, warnings: [] });

async function withActiveVersion1() {
  const store = memoryVersions<{ name: string }>();
  await addVersion(store, draft('first'), at, maya);
  await activateVersion(store, 'nurture config', 1, at, maya);
  return store;
}

describe('an edit based on a version', () => {
  it('is stored and activated while its version is still the active one', async () => {
    const store = await withActiveVersion1();
    const added = await addVersion(store, draft('mine'), later, maya, { what: 'nurture config', basedOn: 1 });
    const active = await activateVersion(store, 'nurture config', added.version, later, maya, 1);
    expect(active.version).toBe(2);
    expect((await store.active())?.document.name).toBe('mine');
  });

  it('is refused with 409 naming who activated which version when, and nothing is stored', async () => {
    const store = await withActiveVersion1();
    const theirs = await addVersion(store, draft('theirs'), later, alex, { basedOn: 1 });
    await activateVersion(store, 'nurture config', theirs.version, later, alex, 1);

    const error = await addVersion(store, draft('mine'), later, maya, {
      what: 'nurture config',
      basedOn: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionConflictError);
    expect(store.stored).toHaveLength(2);
    const res = errorResponse(error);
    expect(res.statusCode).toBe(409);
    const body = JSON.parse(res.body ?? '{}').error;
    expect(body.code).toBe('version_conflict');
    expect(body.message).toBe(
      'Alex Admin (alex) activated nurture config version 2 at 2026-12-03T10:05:00.000Z, after your edit started from version 1. Open the latest version and re-apply your change.',
    );
    expect(body.details).toEqual([{ path: 'basedOn', message: 'the active version is 2, not 1' }]);
  });

  it('is not activated when another version was activated between saving and activating', async () => {
    const store = await withActiveVersion1();
    const mine = await addVersion(store, draft('mine'), later, maya, { basedOn: 1 });
    const theirs = await addVersion(store, draft('theirs'), later, alex, { basedOn: 1 });
    await activateVersion(store, 'scoring model', theirs.version, later, alex, 1);
    const error = await activateVersion(store, 'scoring model', mine.version, later, maya, 1).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VersionConflictError);
    expect((error as Error).message).toMatch(/^Alex Admin \(alex\) activated scoring model version 3 /);
    expect((await store.active())?.document.name).toBe('theirs');
  });

  it('without basedOn (the CLI, scripts) nothing is checked', async () => {
    const store = await withActiveVersion1();
    await activateVersion(
      store,
      'form',
      (await addVersion(store, draft('theirs'), later, alex)).version,
      later,
      alex,
    );
    const mine = await addVersion(store, draft('mine'), later, maya);
    await activateVersion(store, 'form', mine.version, later, maya);
    expect((await store.active())?.document.name).toBe('mine');
  });

  it('says so when no version is active at all', () => {
    expect(() => checkBasedOn('form', 3, undefined)).toThrow(
      'No form version is active any more, but your edit started from version 3.',
    );
    expect(() => checkBasedOn('form', 3, { version: 3, createdAt: '' })).not.toThrow();
  });
});
