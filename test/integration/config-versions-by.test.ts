import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { configKey, DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { sha256Hex } from '../../functions/core/kernel/email';
import { configVersionsSchema } from '../../functions/core/scoring/responses';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * Who added and who activated each config version, on dynalite: recorded on the version, on the
 * active copy and in the index of documents; versions stored before `by` existed still read.
 */
let env: EmulatorEnv;
let store: DynamoConfigStore;
const maya = { name: 'Maya Marketer', username: 'maya' };
const alex = { name: 'Alex Admin', username: 'alex' };
const listed = configVersionsSchema(z.unknown());

beforeAll(async () => {
  env = await emulatorEnv();
  store = new DynamoConfigStore(env.db, TABLE);
}, 30_000);
afterAll(async () => env?.stop());

describe('who changed a config version', () => {
  it('records who added a version and who last activated it, on the version and the active copy', async () => {
    await store.addVersion(
      'form',
      'webinar',
      { id: 'webinar', name: 'Webinar' },
      new Date('2026-12-01T09:00:00Z'),
      maya,
    );
    await store.addVersion(
      'form',
      'webinar',
      { id: 'webinar', name: 'Webinar 2' },
      new Date('2026-12-01T10:00:00Z'),
      alex,
    );
    await store.activate('form', 'webinar', 1, new Date('2026-12-01T11:00:00Z'), alex);
    await store.activate('form', 'webinar', 2, new Date('2026-12-01T12:00:00Z'), maya);

    const active = await store.active('form', 'webinar');
    expect(active).toMatchObject({
      version: 2,
      createdBy: alex,
      activatedBy: maya,
      activatedAt: '2026-12-01T12:00:00.000Z',
    });
    const versions = await store.versions('form', 'webinar');
    expect(versions).toEqual([
      expect.objectContaining({ version: 2, createdBy: alex, activatedBy: maya }),
      expect.objectContaining({
        version: 1,
        createdBy: maya,
        activatedBy: alex,
        activatedAt: '2026-12-01T11:00:00.000Z',
      }),
    ]);
    expect(z.safeParse(listed, { active, versions }).success).toBe(true);
  });

  it('lists the documents of a kind with the active version, the latest and the last change', async () => {
    await store.addVersion(
      'form',
      'trial',
      { id: 'trial', name: 'Trial' },
      new Date('2026-12-02T09:00:00Z'),
      maya,
    );
    const entries = await store.index.list('form');
    expect(entries.find((e) => e.id === 'trial')).toEqual({
      id: 'trial',
      latestVersion: 1,
      lastChange: { at: '2026-12-02T09:00:00.000Z', by: maya, what: 'added', version: 1 },
    });
    expect(entries.find((e) => e.id === 'webinar')).toMatchObject({
      name: 'Webinar 2',
      latestVersion: 2,
      activeVersion: 2,
      activatedBy: maya,
      lastChange: { what: 'activated', version: 2, by: maya },
    });
  });

  it('reads versions stored without `by`, and lists a document published before the index existed', async () => {
    const document = { id: 'legacy', name: 'Legacy' };
    const old = {
      version: 1,
      hash: sha256Hex(JSON.stringify(document)),
      document,
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    for (const sk of [1, 'ACTIVE'] as const)
      await env.db.send(
        new PutCommand({
          TableName: TABLE,
          Item: {
            ...configKey('form', 'legacy', sk),
            entity: 'config',
            kind: 'form',
            id: 'legacy',
            ...old,
            activatedAt: old.createdAt,
          },
        }),
      );
    const active = await store.active('form', 'legacy');
    const versions = await store.versions('form', 'legacy');
    expect(active).not.toHaveProperty('createdBy');
    expect(z.safeParse(listed, { active, versions }).success).toBe(true);
    expect((await store.index.list('form')).some((e) => e.id === 'legacy')).toBe(false);

    expect(
      await store.publish('form', 'legacy', old.document, new Date(), {
        name: 'leadflow CLI',
        username: 'ops',
      }),
    ).toEqual({
      version: 1,
      changed: false,
    });
    expect((await store.index.list('form')).find((e) => e.id === 'legacy')).toMatchObject({
      name: 'Legacy',
      activeVersion: 1,
      latestVersion: 1,
    });
  });

  it('publishes a changed document as a version added and activated by the publisher', async () => {
    const cli = { name: 'leadflow CLI', username: 'ops' };
    const { version } = await store.publish(
      'form',
      'legacy',
      { id: 'legacy', name: 'Legacy 2' },
      new Date(),
      cli,
    );
    expect(await store.active('form', 'legacy')).toMatchObject({ version, createdBy: cli, activatedBy: cli });
  });
});
