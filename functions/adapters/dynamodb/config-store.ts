import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ActiveVersionMovedError } from '../../core/config-versions/conflict';
import type { ConfigVersions, StoredVersion } from '../../core/config-versions/versions';
import type { ChangedBy } from '../../core/kernel/changed-by';
import { sha256Hex } from '../../core/kernel/email';
import { ConfigIndex } from './config-index';

/**
 * Marketer config as versions: every change is a new immutable `V#n` item, and `ACTIVE`
 * holds a copy of the active one so a reader needs a single GetItem. Who added a version is on
 * it; who last activated it is set on it (and on ACTIVE) at activation. ConfigIndex lists the ids.
 */
export type ConfigKind = 'form' | 'scoring' | 'nurture';
const versionSk = (version: number) => `V#${String(version).padStart(6, '0')}`;
export const configKey = (kind: ConfigKind, id: string, version: number | 'ACTIVE') => ({
  pk: `CONFIG#${kind}#${id}`,
  sk: version === 'ACTIVE' ? 'ACTIVE' : versionSk(version),
});

export type ConfigVersion = StoredVersion<unknown>;

type Typed<T> = ConfigVersion & { document: T };

export class DynamoConfigStore {
  readonly index: ConfigIndex;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.index = new ConfigIndex(db, tableName);
  }

  async active(kind: ConfigKind, id: string): Promise<ConfigVersion | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: configKey(kind, id, 'ACTIVE') }),
    );
    return Item ? strip(Item) : undefined;
  }

  async version(kind: ConfigKind, id: string, version: number): Promise<ConfigVersion | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: configKey(kind, id, version) }),
    );
    return Item ? strip(Item) : undefined;
  }

  /** Every version, newest first (without documents). */
  async versions(kind: ConfigKind, id: string): Promise<Omit<ConfigVersion, 'document'>[]> {
    const out: Omit<ConfigVersion, 'document'>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': configKey(kind, id, 'ACTIVE').pk, ':v': 'V#' },
          ProjectionExpression: 'version, #hash, createdAt, createdBy, activatedAt, activatedBy',
          ExpressionAttributeNames: { '#hash': 'hash' },
          ScanIndexForward: false,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) out.push(item as Omit<ConfigVersion, 'document'>);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }

  /** Stores a new immutable version (not active yet). Callers validate the document first. */
  async addVersion(
    kind: ConfigKind,
    id: string,
    document: unknown,
    at = new Date(),
    by?: ChangedBy,
  ): Promise<ConfigVersion> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const latest = (await this.versions(kind, id))[0]?.version ?? 0;
      const item: ConfigVersion = {
        version: latest + 1,
        hash: sha256Hex(JSON.stringify(document)),
        document,
        createdAt: at.toISOString(),
        ...(by ? { createdBy: by } : {}),
      };
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...configKey(kind, id, item.version), entity: 'config', kind, id, ...item },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        await this.index.added(kind, id, item.version, item.createdAt, by);
        return item;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`could not allocate a version for ${kind} ${id}`);
  }

  /**
   * Points ACTIVE at a stored version (forwards or back: a rollback is an activation too). With
   * `expectActive`, the Put of ACTIVE is conditional on ACTIVE still being that version.
   */
  async activate(
    kind: ConfigKind,
    id: string,
    version: number,
    at = new Date(),
    by?: ChangedBy,
    expectActive?: number,
  ): Promise<ConfigVersion | undefined> {
    const stored = await this.version(kind, id, version);
    if (!stored) return undefined;
    const { activatedBy: _previous, ...rest } = stored;
    const active = { ...rest, activatedAt: at.toISOString(), ...(by ? { activatedBy: by } : {}) };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...configKey(kind, id, 'ACTIVE'), entity: 'config', kind, id, ...active },
          ...(expectActive === undefined
            ? {}
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectActive },
              }),
        }),
      );
    } catch (error) {
      if (expectActive !== undefined && error instanceof ConditionalCheckFailedException)
        throw new ActiveVersionMovedError(expectActive);
      throw error;
    }
    // The version remembers its latest activation, so the list of versions shows who and when.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: configKey(kind, id, version),
        UpdateExpression: by
          ? 'SET activatedAt = :at, activatedBy = :by'
          : 'SET activatedAt = :at REMOVE activatedBy',
        ExpressionAttributeValues: { ':at': active.activatedAt, ...(by ? { ':by': by } : {}) },
      }),
    );
    const latest = (await this.versions(kind, id))[0]?.version ?? version;
    await this.index.activated(kind, id, active, latest);
    return active;
  }

  /** The versions of one document, as the config-versions use cases see them. */
  versionsOf<T>(kind: ConfigKind, id: string): ConfigVersions<T> {
    return {
      // Documents were validated as T when added, and versions never change.
      active: async () => (await this.active(kind, id)) as Typed<T> | undefined,
      version: async (version) => (await this.version(kind, id, version)) as Typed<T> | undefined,
      versions: () => this.versions(kind, id),
      addVersion: async (document, at, by) => (await this.addVersion(kind, id, document, at, by)) as Typed<T>,
      activate: async (version, at, by, expectActive) =>
        (await this.activate(kind, id, version, at, by, expectActive)) as Typed<T> | undefined,
    };
  }

  /**
   * Adds and activates the document unless it equals the active version (then only makes sure
   * the index lists it: documents published before the index existed).
   */
  async publish(
    kind: ConfigKind,
    id: string,
    document: unknown,
    at = new Date(),
    by?: ChangedBy,
  ): Promise<{ version: number; changed: boolean }> {
    const current = await this.active(kind, id);
    if (current?.hash === sha256Hex(JSON.stringify(document))) {
      const activatedAt = current.activatedAt ?? current.createdAt;
      const latest = (await this.versions(kind, id))[0]?.version ?? current.version;
      await this.index.activated(kind, id, { ...current, activatedAt }, latest, false);
      return { version: current.version, changed: false };
    }
    const added = await this.addVersion(kind, id, document, at, by);
    await this.activate(kind, id, added.version, at, by);
    return { version: added.version, changed: true };
  }
}

function strip(item: Record<string, unknown>): ConfigVersion {
  const { pk: _pk, sk: _sk, entity: _entity, kind: _kind, id: _id, ...version } = item;
  return version as unknown as ConfigVersion;
}
