import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ContactLink, ContactLinks } from '../../core/integrations/hubspot/ports';
import { conditionally } from './conditional';

/**
 * Lead → HubSpot contact id, one item per lead in its own partition (not the lead's, which an
 * erase deletes before `lead.erased` reaches HubSpot). Holds ids only, never personal data.
 */
export const contactLinkKey = (leadId: string) => ({ pk: `HUBSPOT#${leadId}`, sk: 'CONTACT' });

export class DynamoContactLinks implements ContactLinks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(leadId: string): Promise<ContactLink | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: contactLinkKey(leadId), ConsistentRead: true }),
    );
    return Item
      ? { contactId: Item.contactId as string, tasks: (Item.tasks as string[] | undefined) ?? [] }
      : undefined;
  }

  async save(leadId: string, contactId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: contactLinkKey(leadId),
        UpdateExpression: 'SET contactId = :id, linkedAt = if_not_exists(linkedAt, :now)',
        ExpressionAttributeValues: { ':id': contactId, ':now': new Date().toISOString() },
      }),
    );
  }

  /** Appends the event id unless it is there (kept to the last 20 hand-offs). */
  async taskCreated(leadId: string, eventId: string): Promise<boolean> {
    const link = await this.get(leadId);
    const tasks = [...(link?.tasks ?? []).filter((id) => id !== eventId), eventId].slice(-20);
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: contactLinkKey(leadId),
          UpdateExpression: 'SET tasks = :tasks',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(tasks, :event)',
          ExpressionAttributeValues: { ':tasks': tasks, ':event': eventId },
        }),
      ),
    );
  }

  async remove(leadId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: contactLinkKey(leadId) }));
  }
}
