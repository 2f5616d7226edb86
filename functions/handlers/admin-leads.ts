import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { DynamoTokenStore } from '../adapters/dynamodb/token-store';
import { authorize } from '../core/auth';
import { lookUpLead } from '../core/lead-lookup';
import { dynamo } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { type HttpEvent, header, json } from '../shared/http';
import { httpHandler } from '../shared/middleware';

const tableName = requireEnv('LEADFLOW_TABLE_NAME');
const tokens = new DynamoTokenStore(dynamo, tableName);
const leads = new DynamoLeadStore(dynamo, tableName);

/** GET /v1/admin/leads/{leadId} and GET /v1/admin/leads?email= (marketing or sales). */
export const handler = httpHandler(async (event: HttpEvent) => {
  await authorize(tokens, header(event, 'authorization'), ['marketing', 'sales']);
  const view = await lookUpLead(leads, {
    leadId: event.pathParameters?.leadId,
    email: event.queryStringParameters?.email,
  });
  return json(200, view);
});
