import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentSummary } from '../../core/config-versions/versions';
import type { ChangedBy } from '../../core/kernel/changed-by';

/**
 * One item per config document (`CONFIGS#<kind>`, sk = its id), so the documents of a kind (the
 * forms) are listed with one Query instead of a table Scan: the latest version, the active one,
 * and the last change (who and when). Written beside the versions by DynamoConfigStore.
 */
export const configIndexKey = (kind: string, id: string) => ({ pk: `CONFIGS#${kind}`, sk: id });

export type ConfigIndexEntry = DocumentSummary;

const nameOf = (document: unknown) => {
  const name = (document as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
};

export class ConfigIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A version was added: it is the latest unless a newer one got there first. */
  async added(kind: string, id: string, version: number, at: string, by: ChangedBy | undefined) {
    const change = { at, what: 'added', version, ...(by ? { by } : {}) };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: configIndexKey(kind, id),
          UpdateExpression: 'SET entity = :e, id = :id, latestVersion = :v, lastChange = :c',
          ConditionExpression: 'attribute_not_exists(latestVersion) OR latestVersion < :v',
          ExpressionAttributeValues: { ':e': 'config-index', ':id': id, ':v': version, ':c': change },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A version was activated (or, with `change` false, is active and the entry may be missing). */
  async activated(
    kind: string,
    id: string,
    active: { version: number; document: unknown; activatedAt: string; activatedBy?: ChangedBy },
    latest: number,
    change = true,
  ) {
    const name = nameOf(active.document);
    const values: Record<string, unknown> = {
      ':e': 'config-index',
      ':id': id,
      ':v': active.version,
      ':at': active.activatedAt,
      ':latest': latest,
      ':c': {
        at: active.activatedAt,
        what: 'activated',
        version: active.version,
        ...(active.activatedBy ? { by: active.activatedBy } : {}),
      },
      ...(name ? { ':n': name } : {}),
      ...(active.activatedBy ? { ':by': active.activatedBy } : {}),
    };
    const sets = [
      'entity = :e',
      'id = :id',
      'activeVersion = :v',
      'activatedAt = :at',
      'lastChange = :c',
      'latestVersion = if_not_exists(latestVersion, :latest)',
      ...(name ? ['#name = :n'] : []),
      ...(active.activatedBy ? ['activatedBy = :by'] : []),
    ];
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: configIndexKey(kind, id),
          UpdateExpression: `SET ${sets.join(', ')}${active.activatedBy ? '' : ' REMOVE activatedBy'}`,
          ...(change ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
          ...(name ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (change || !(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Every document of a kind, by id. */
  async list(kind: string): Promise<ConfigIndexEntry[]> {
    const out: ConfigIndexEntry[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': configIndexKey(kind, '').pk },
          ExclusiveStartKey,
        }),
      );
      for (const { pk: _pk, sk: _sk, entity: _e, ...entry } of page.Items ?? [])
        out.push(entry as ConfigIndexEntry);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return out;
  }
}
