import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { sha256Hex } from '../../core/email';

/**
 * Marketer config as versions: every change is a new immutable `V#n` item, and `ACTIVE`
 * holds a copy of the active one so a reader needs a single GetItem.
 */
export type ConfigKind = 'form' | 'settings';
export const configKey = (kind: ConfigKind, id: string, version: number | 'ACTIVE') => ({
  pk: `CONFIG#${kind}#${id}`,
  sk: version === 'ACTIVE' ? 'ACTIVE' : `V#${String(version).padStart(6, '0')}`,
});

export interface ConfigVersion {
  version: number;
  hash: string;
  document: unknown;
  createdAt: string;
}

export class DynamoConfigStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async active(kind: ConfigKind, id: string): Promise<ConfigVersion | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: configKey(kind, id, 'ACTIVE') }),
    );
    return Item as ConfigVersion | undefined;
  }

  /** Stores the document as a new active version unless it equals the active one. Callers validate first. */
  async publish(
    kind: ConfigKind,
    id: string,
    document: unknown,
    at = new Date(),
  ): Promise<{ version: number; changed: boolean }> {
    const hash = sha256Hex(JSON.stringify(document));
    const current = await this.active(kind, id);
    if (current?.hash === hash) return { version: current.version, changed: false };
    const version = (current?.version ?? 0) + 1;
    const item: ConfigVersion = { version, hash, document, createdAt: at.toISOString() };
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...configKey(kind, id, version), entity: 'config', kind, id, ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...configKey(kind, id, 'ACTIVE'), entity: 'config', kind, id, ...item },
          // Never move the pointer backwards when two publishers race.
          ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
          ExpressionAttributeValues: { ':version': version },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return { version, changed: true };
  }
}
