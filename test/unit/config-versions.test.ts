import { describe, expect, it } from 'vitest';
import { ActiveConfigCache } from '../../functions/adapters/dynamodb/active-config-cache';
import type { ConfigKind, ConfigVersion } from '../../functions/adapters/dynamodb/config-store';
import {
  activateVersion,
  addVersion,
  type ConfigVersions,
  findVersion,
  listVersions,
  parseVersion,
  type StoredVersion,
  VersionNotFoundError,
} from '../../functions/core/config-versions/versions';
import { ValidationError } from '../../functions/core/kernel/errors';
import { NURTURE_CONFIG } from '../../functions/core/nurture/nurture-versions';
import { SCORING_MODEL } from '../../functions/core/scoring/simulate-backtest';
import { errorResponse } from '../../functions/shared/http';

/** One document's versions in memory, as DynamoConfigStore.versionsOf keeps them. */
function memoryVersions<T>(): ConfigVersions<T> {
  const stored: StoredVersion<T>[] = [];
  let active: StoredVersion<T> | undefined;
  return {
    active: async () => active,
    version: async (version) => stored.find((v) => v.version === version),
    versions: async () => [...stored].reverse().map(({ document: _d, ...summary }) => summary),
    async addVersion(document, at, by) {
      const added = {
        version: stored.length + 1,
        hash: `h${stored.length}`,
        document,
        createdAt: at.toISOString(),
        createdBy: by,
      };
      stored.push(added);
      return added;
    },
    async activate(version, at, by) {
      const found = stored.find((v) => v.version === version);
      if (found) Object.assign(found, { activatedAt: at.toISOString(), activatedBy: by });
      active = found && { ...found };
      return active;
    },
  };
}

const at = new Date('2026-03-01T10:00:00Z');
const maya = { name: 'Maya Marketer', username: 'maya' };
const alex = { name: 'Alex Admin', username: 'alex' };

describe('the versioned-config flow', () => {
  it.each([
    ['form', 'form'],
    ['scoring model', SCORING_MODEL],
    ['nurture config', NURTURE_CONFIG],
  ])('answers 404 version_not_found for an unknown %s version, to activate or to read', async (_, what) => {
    const store = memoryVersions<{ id: string }>();
    await addVersion(store, { document: { id: 'a' }, warnings: [] }, at, maya);
    for (const attempt of [activateVersion(store, what, 9, at, maya), findVersion(store, what, 9)]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionNotFoundError);
      const answer = errorResponse(error);
      expect(answer.statusCode).toBe(404);
      expect(JSON.parse(answer.body as string).error).toMatchObject({
        code: 'version_not_found',
        message: `No ${what} version 9.`,
      });
    }
  });

  it('adds versions inactive, activates one (forwards or back) and lists them newest first, with who did it', async () => {
    const store = memoryVersions<string>();
    expect(await addVersion(store, { document: 'one', warnings: ['w'] }, at, maya)).toEqual({
      version: 1,
      createdAt: at.toISOString(),
      createdBy: maya,
      warnings: ['w'],
    });
    await addVersion(store, { document: 'two', warnings: [] }, at, alex);
    expect((await listVersions(store)).active).toBeNull();
    expect(await activateVersion(store, 'form', 2, at, alex)).toEqual({
      version: 2,
      activatedAt: at.toISOString(),
      activatedBy: alex,
    });
    await activateVersion(store, 'form', 1, at, maya);
    const listed = await listVersions(store);
    expect(listed.active).toMatchObject({ document: 'one', createdBy: maya, activatedBy: maya });
    expect(listed.versions.map((v) => [v.version, v.createdBy?.username])).toEqual([
      [2, 'alex'],
      [1, 'maya'],
    ]);
  });

  it.each(['0', '-1', 'abc', '1.5', '1e3', '1234567', '', undefined])(
    'refuses the path version %j with 400 at its path',
    (raw) => {
      expect(() => parseVersion(raw, 'other')).toThrow(ValidationError);
      try {
        parseVersion(raw, 'other');
      } catch (error) {
        expect((error as ValidationError).details).toEqual([
          { path: 'other', message: 'is not a version number' },
        ]);
      }
    },
  );

  it('reads path versions one way: digits, 1 to 999999', () => {
    expect(parseVersion('7')).toBe(7);
    expect(parseVersion('007')).toBe(7);
    expect(parseVersion('999999')).toBe(999_999);
  });
});

describe('the cached active config', () => {
  function countingStore(documents: Record<string, unknown>) {
    const reads: string[] = [];
    return {
      reads,
      async active(kind: ConfigKind, id: string): Promise<ConfigVersion | undefined> {
        reads.push(`${kind}/${id}`);
        const document = documents[id];
        return document === undefined ? undefined : { version: 3, hash: 'h', document, createdAt: '' };
      },
    };
  }

  it('reads each id once per ttl, unknown ids included, and again once the ttl has passed', async () => {
    let now = 0;
    const store = countingStore({ newsletter: { id: 'newsletter' } });
    const cache = new ActiveConfigCache(
      store,
      'form',
      1000,
      (v) => v.document,
      () => now,
    );
    expect(await cache.active('newsletter')).toEqual({ id: 'newsletter' });
    expect(await cache.active('newsletter')).toEqual({ id: 'newsletter' });
    expect(await cache.active('nope')).toBeUndefined();
    expect(await cache.active('nope')).toBeUndefined();
    expect(store.reads).toEqual(['form/newsletter', 'form/nope']);
    now = 1000;
    await cache.active('newsletter');
    expect(store.reads).toEqual(['form/newsletter', 'form/nope', 'form/newsletter']);
  });

  it('with a ttl of 0 reads every time (the admin sees what is active now)', async () => {
    const store = countingStore({ default: { rules: [] } });
    const cache = new ActiveConfigCache(store, 'scoring', 0, ({ document, version }) => ({
      document,
      version,
    }));
    await cache.active('default');
    await cache.active('default');
    expect(store.reads).toHaveLength(2);
  });
});
