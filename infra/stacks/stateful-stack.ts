import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/alarm-topic';
import { LeadflowFifoQueue } from '../constructs/leadflow-fifo-queue';
import { LeadflowQueue } from '../constructs/leadflow-queue';
import { SesEvents } from '../constructs/ses-events';
import { CONSUMER_TIMEOUT } from './consumer-timeouts';

/** The keys of the `leadflow/webhooks` secret: the names functions/shared/webhook-secrets.ts reads (and the local env uses). */
export const WEBHOOK_SECRET_KEYS = [
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'META_ACCESS_TOKEN',
  'GOOGLE_ADS_WEBHOOK_KEY',
  'LINKEDIN_CLIENT_SECRET',
  'LINKEDIN_ACCESS_TOKEN',
  'TIKTOK_WEBHOOK_SECRET',
] as const;

/** Fixed, so operators and the runbook find it (stages live in separate accounts or regions). */
export const WEBHOOK_SECRETS_NAME = 'leadflow/webhooks';

/** Fixed, like WEBHOOK_SECRETS_NAME: the key that signs unsubscribe links (`UNSUBSCRIBE_KEY`), as one JSON object. */
export const SIGNING_SECRETS_NAME = 'leadflow/signing';

/** The SES configuration set every Leadflow e-mail is sent with (fixed, like the secret names). */
export const CONFIGURATION_SET_NAME = 'leadflow';

/** The one value Leadflow chooses itself (Meta echoes it back on subscription); the rest come from the platforms. */
const GENERATED_KEY = 'META_VERIFY_TOKEN' satisfies (typeof WEBHOOK_SECRET_KEYS)[number];

export interface StatefulStackProps extends StackProps {
  /**
   * Keep the data when the stack or the table is removed: deletion protection on and RETAIN.
   * Off only for throwaway (dev) deployments.
   */
  readonly protectData: boolean;
  /**
   * Claims of a hot lead that may run out unresolved before its message moves to the dead-letter
   * queue (each claim is a receive). @default 5
   */
  readonly hotLeadMaxReceiveCount?: number;
}

/**
 * What outlives deployments: the single table (leads, activities, config, tokens, ...), the
 * queues, whose messages must survive a redeploy of the functions, the topics with their
 * subscriptions (alarms; SES events with the SES configuration set) and the secrets.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  /** One message per page of leads to rescore after a scoring model is activated. */
  readonly rescoreQueue: LeadflowQueue;
  /** Sales managers: told when a hot lead waits too long or lands on the dead-letter queue. */
  readonly salesManagersTopic: AlarmTopic;
  /** hot-leads.fifo: one message per time a lead becomes hot; sales claims them (or a CRM consumes them). */
  readonly hotLeadQueue: LeadflowFifoQueue;
  /** One message per ad-platform lead to fetch (Meta sends ids, not leads); retried, then its DLQ. */
  readonly adLeadQueue: LeadflowQueue;
  /** `leadflow/webhooks`: the ad platforms' secrets (WEBHOOK_SECRET_KEYS), as one JSON object. */
  readonly webhookSecrets: secretsmanager.Secret;
  /** `leadflow/signing`: `{"UNSUBSCRIBE_KEY": ...}`, the HMAC key of the unsubscribe links in every e-mail. */
  readonly signingSecrets: secretsmanager.Secret;
  /** The `leadflow` SES configuration set, its `<stack>-ses-events` topic and the dead-letter queue of its consumer. */
  readonly sesEvents: SesEvents;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Set for AWS housekeeping only: readers check expiry themselves (DynamoDB deletes late,
      // and the local emulator has no TTL at all).
      timeToLiveAttribute: 'expiresAt',
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // Sparse: only items that set gsi1pk (due enrollments, pending handoffs) are indexed.
    this.table.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });

    this.rescoreQueue = new LeadflowQueue(this, 'RescoreJobs', {
      consumerTimeout: CONSUMER_TIMEOUT['rescore-jobs'],
    });

    this.adLeadQueue = new LeadflowQueue(this, 'AdLeads', {
      consumerTimeout: CONSUMER_TIMEOUT['ad-leads'],
    });

    this.webhookSecrets = new secretsmanager.Secret(this, 'WebhookSecrets', {
      secretName: WEBHOOK_SECRETS_NAME,
      description:
        'Leadflow ad-platform webhook secrets (JSON). Empty values are providers not configured yet: ' +
        'put the values from Meta, Google Ads, LinkedIn and TikTok here.',
      // CloudFormation sets the value once, at creation; operators fill it in afterwards. Changing this
      // template later would make CloudFormation generate a new value and drop theirs: add keys by hand.
      generateSecretString: {
        secretStringTemplate: JSON.stringify(
          Object.fromEntries(
            WEBHOOK_SECRET_KEYS.filter((key) => key !== GENERATED_KEY).map((key) => [key, '']),
          ),
        ),
        generateStringKey: GENERATED_KEY,
        // It travels in a query string (hub.verify_token) and is typed into Meta's console: letters and digits.
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 40,
      },
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.webhookSecrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Third-party webhook secrets (Meta app secret and access token, Google Ads key, LinkedIn client ' +
        "secret, TikTok secret) are issued by or entered into the platforms' consoles and rotated there, " +
        'not by a rotation Lambda: a value rotated here alone would no longer match what the platform ' +
        'signs or sends, and every delivery would fail.',
    });

    this.signingSecrets = new secretsmanager.Secret(this, 'SigningSecrets', {
      secretName: SIGNING_SECRETS_NAME,
      description:
        'Leadflow signing keys (JSON): UNSUBSCRIBE_KEY signs the unsubscribe links in e-mails. Generated once; ' +
        'changing it breaks every link already sent.',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'UNSUBSCRIBE_KEY',
        excludePunctuation: true,
        passwordLength: 64,
      },
      // Links in e-mails already sent are signed with it: losing it breaks every one of them.
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.signingSecrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'UNSUBSCRIBE_KEY signs the unsubscribe links in e-mails already sent, which must keep working ' +
        '(CAN-SPAM: an opt-out must work for at least 30 days after sending). An automatic rotation would ' +
        'invalidate them all at once, so the key is changed only by a deliberate, planned key roll, never ' +
        'by a rotation Lambda.',
    });

    // Bounces and complaints suppress the address, engagement scores the lead: events must outlive
    // function deployments, and so must the events the consumer could not process.
    this.sesEvents = new SesEvents(this, 'SesEvents', {
      configurationSetName: CONFIGURATION_SET_NAME,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    this.salesManagersTopic = new AlarmTopic(this, 'SalesManagers', {
      audience: 'sales-managers',
      displayName: 'Leadflow sales managers',
    });
    this.hotLeadQueue = new LeadflowFifoQueue(this, 'HotLeads', {
      name: 'hot-leads',
      ...(props.hotLeadMaxReceiveCount !== undefined && { maxReceiveCount: props.hotLeadMaxReceiveCount }),
      // The SLA (issue 4): managers hear of any hot lead still on the queue after 15 minutes.
      maxMessageAge: Duration.minutes(15),
      alarmTopic: this.salesManagersTopic.topic,
      // Its messages are hand-offs already marked sent: the outbox would not send them again.
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // The token CLI works against the table directly, so operators need its name.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Leadflow DynamoDB table' });
    new CfnOutput(this, 'HotLeadsQueueUrl', {
      value: this.hotLeadQueue.queue.queueUrl,
      description: 'Leadflow hot-leads.fifo, for a CRM that consumes hot leads directly',
    });
    new CfnOutput(this, 'WebhookSecretsName', {
      value: WEBHOOK_SECRETS_NAME,
      description: "Put the ad platforms' webhook secrets here (JSON; keys already present)",
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.sesEvents.configurationSet.configurationSetName,
      description: 'SES configuration set Leadflow e-mails are sent with (events go to the ses-events topic)',
    });
    new CfnOutput(this, 'SalesManagersTopicArn', {
      value: this.salesManagersTopic.topic.topicArn,
      description: 'Subscribe sales managers here for the hot-lead alarms',
    });
  }
}
