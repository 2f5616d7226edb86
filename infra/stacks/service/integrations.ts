import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../../functions/shared/observability/metrics';
import { PUBLISH_INDEX } from '../../../functions/shared/table-definition';
import { bindQueue, bindTable } from '../../constructs/bind';
import { bindConnectors, bindConnectorsConfig } from '../../constructs/connectors';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';

const QUEUE = 'integration-deliveries';

/**
 * Outbound webhooks and the connectors' deliveries: the admin API of the endpoints and the
 * integration-deliveries worker; tick (the publisher) and admin-leads (lead.erased) get their part
 * here too, so every grant of the feature is in one place.
 */
export function integrationFunctions(
  { stack, props, logRemovalPolicy }: ServiceContext,
  others: { tick: LeadflowFunction; adminLeads: LeadflowFunction },
) {
  const {
    table,
    deliveryQueue,
    deliveryDeadLetterQueue,
    operatorsTopic,
    integrationSecrets,
    integrationsConfig,
  } = props;
  const adminWebhooks = new LeadflowFunction(stack, 'AdminWebhooks', {
    entry: 'admin-webhooks',
    description: 'Leadflow: outbound webhook endpoints (admin): create, change, rotate, log, replay, test',
    logRemovalPolicy,
    // A test ping waits for the receiver up to 10 s.
    timeout: Duration.seconds(20),
  });
  // Endpoints (one partition: Query, conditional Put/Delete), the token by hash, the delivery log (Get, Query).
  bindTable(adminWebhooks.function, table, { actions: ['GetItem', 'PutItem', 'DeleteItem', 'Query'] });
  // A replay queues the logged delivery again.
  bindQueue(adminWebhooks.function, deliveryQueue, { name: QUEUE, actions: ['SendMessage'] });

  const integrationDeliveries = new LeadflowFunction(stack, 'IntegrationDeliveries', {
    entry: 'integration-deliveries',
    description:
      'Leadflow: delivers integration events (signed webhooks, connectors), one attempt per message',
    logRemovalPolicy,
    timeout: CONSUMER_TIMEOUT[QUEUE],
  });
  // The destination (Get, Query of the endpoints), the lead (Get), the log entry (Put), the
  // endpoint's health and pause (conditional Update); Slack's posted marks (Get, Put) and HubSpot's
  // contact links (Get, Update, Delete once the contact is GDPR-deleted).
  bindTable(integrationDeliveries.function, table, {
    actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'],
  });
  // Slack and HubSpot: the tokens (this function alone) and which connectors are on.
  bindConnectors(integrationDeliveries.function, integrationSecrets, integrationsConfig);
  // A retry is queued again with its delay; used-up retries are parked on the DLQ for replay.
  bindQueue(integrationDeliveries.function, deliveryQueue, { name: QUEUE, actions: ['SendMessage'] });
  bindQueue(integrationDeliveries.function, deliveryDeadLetterQueue, {
    name: `${QUEUE}-dlq`,
    actions: ['SendMessage'],
  });

  // tick publishes: entries not yet published on gsi11 (Query), their key removed (Update, granted
  // in handoff.ts), the endpoints (Query), one message per event and destination.
  bindTable(others.tick.function, table, { actions: ['Query'], indexes: { [PUBLISH_INDEX]: ['Query'] } });
  bindQueue(others.tick.function, deliveryQueue, { name: QUEUE, actions: ['SendMessage'] });
  // The fan-out queues deliveries for the connectors that are on: the config, no secret.
  bindConnectorsConfig(others.tick.function, integrationsConfig);
  bindConnectorsConfig(others.adminLeads.function, integrationsConfig);
  // An erase sends lead.erased straight to the fan-out (the endpoints: Query of the table).
  bindQueue(others.adminLeads.function, deliveryQueue, { name: QUEUE, actions: ['SendMessage'] });

  // Operators are told when an endpoint stops taking deliveries (paused after a day of failures,
  // disabled by 410 Gone); the endpoint itself shows the reason (GET .../endpoints/{id}).
  const stopped = new cloudwatch.Alarm(stack, 'WebhookEndpointStoppedAlarm', {
    alarmDescription:
      "An outbound webhook endpoint was paused (failing for 24 hours) or disabled (410 Gone). The console's " +
      'Integrations page shows which and why; fix the receiver, resume it and send what failed again ' +
      '(leadflow webhooks redeliver): docs/runbooks/webhook-endpoint-stopped.md',
    metric: new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'WebhookEndpointStopped',
      dimensionsMap: { service: METRICS_SERVICE },
      statistic: 'Sum',
      period: Duration.minutes(5),
    }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  stopped.addAlarmAction(new actions.SnsAction(operatorsTopic));
  stopped.addOkAction(new actions.SnsAction(operatorsTopic));

  return { adminWebhooks, integrationDeliveries, stopped };
}
