import { DynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store';
import { DynamoTokenStore } from '../adapters/dynamodb/token-store';
import { SqsHotLeadQueue } from '../adapters/sqs/hot-lead-queue';
import { authorize } from '../core/kernel/auth';
import { eraseLead } from '../core/leads/erase-lead';
import { lookUpLead } from '../core/leads/lead-lookup';
import { dynamo } from '../shared/clients';
import { requireEnv } from '../shared/env';
import { type HttpEvent, header, json } from '../shared/http';
import { logger } from '../shared/logger';
import { httpHandler } from '../shared/middleware';
import { queueUrlEnv } from '../shared/routes';
import { sqs } from '../shared/sqs';
import '../shared/identity';

const tableName = requireEnv('LEADFLOW_TABLE_NAME');
const tokens = new DynamoTokenStore(dynamo, tableName);
const leads = new DynamoLeadStore(dynamo, tableName);
const suppressions = new DynamoSuppressionStore(dynamo, tableName);
const deliveries = new DynamoDeliveryStore(dynamo, tableName);
const handoffs = new SqsHotLeadQueue(sqs, requireEnv(queueUrlEnv('hot-leads')));

/**
 * GET /v1/admin/leads/{leadId} and GET /v1/admin/leads?email= (marketing or sales);
 * DELETE /v1/admin/leads/{leadId} (marketing): GDPR erase.
 */
export const handler = httpHandler(async (event: HttpEvent) => {
  if (event.routeKey === 'DELETE /v1/admin/leads/{leadId}') {
    const caller = await authorize(tokens, header(event, 'authorization'), ['marketing']);
    const result = await eraseLead(
      { leads, suppressions, deliveries, handoffs, clock: { now: () => new Date() } },
      event.pathParameters?.leadId ?? '',
      caller.name,
    );
    logger.info('lead erased', { leadId: result.leadId, items: result.items, deliveries: result.deliveries });
    return json(200, result);
  }
  await authorize(tokens, header(event, 'authorization'), ['marketing', 'sales']);
  const view = await lookUpLead(
    { leads, suppressions },
    { leadId: event.pathParameters?.leadId, email: event.queryStringParameters?.email },
  );
  return json(200, view);
});
