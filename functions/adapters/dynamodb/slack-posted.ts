import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostedMessages } from '../../core/integrations/slack/slack-destination';

/** One item per event posted to Slack (its id only), expiring after a week (TTL; readers check it too). */
export const slackPostedKey = (eventId: string) => ({ pk: `SLACK#${eventId}`, sk: 'POSTED' });
const KEEP_SECONDS = 7 * 24 * 3600;

export class DynamoSlackPosted implements PostedMessages {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now = () => Date.now(),
  ) {}

  async has(eventId: string): Promise<boolean> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: slackPostedKey(eventId), ConsistentRead: true }),
    );
    return Item !== undefined && Number(Item.expiresAt) > this.now() / 1000;
  }

  async record(eventId: string): Promise<void> {
    const expiresAt = Math.floor(this.now() / 1000) + KEEP_SECONDS;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...slackPostedKey(eventId), expiresAt } }),
    );
  }
}
