import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role, TokenIdentity, TokenVerifier } from '../../core/kernel/auth';
import { sha256Hex } from '../../core/kernel/email';

/** API tokens are stored as their SHA-256 only; the token itself is shown once, at creation. */
export const tokenKey = (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' });

export class DynamoTokenStore implements TokenVerifier {
  private readonly cache = new Map<string, { identity: TokenIdentity | undefined; until: number }>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cacheMs = 60_000,
  ) {}

  async verify(token: string): Promise<TokenIdentity | undefined> {
    const hash = sha256Hex(token);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.identity;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: tokenKey(hash) }));
    const identity =
      Item && !Item.revokedAt ? { role: Item.role as Role, name: Item.name as string } : undefined;
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(hash, { identity, until: Date.now() + this.cacheMs });
    return identity;
  }

  /** Creates a token (or stores a given one, for local fixed dev tokens) and returns it in clear once. */
  async create(
    role: Role,
    name: string,
    token = `lf_${role}_${randomBytes(24).toString('base64url')}`,
  ): Promise<string> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...tokenKey(sha256Hex(token)),
          entity: 'token',
          role,
          name,
          createdAt: new Date().toISOString(),
        },
      }),
    );
    return token;
  }

  async revoke(token: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: tokenKey(sha256Hex(token)),
        UpdateExpression: 'SET revokedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': new Date().toISOString() },
      }),
    );
  }
}
