import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import { TABLE_DEFINITION } from '../../functions/shared/table-definition';
import { AlarmTopic } from '../constructs/alarm-topic';
import { IntegrationSecrets } from '../constructs/connectors';
import { ConsoleAuth, consoleProvidersFromContext } from '../constructs/console-auth';
import { EventArchive } from '../constructs/event-archive';
import { IntegrationDeliveries } from '../constructs/integration-deliveries';
import { LeadExports } from '../constructs/lead-exports';
import { LeadflowFifoQueue } from '../constructs/leadflow-fifo-queue';
import { LeadflowQueue } from '../constructs/leadflow-queue';
import { resourceName, resourcePrefix } from '../constructs/names';
import { OperatorsTopic, TransactionalConfigurationSet } from '../constructs/operations';
import { SesEvents } from '../constructs/ses-events';
import { CONSUMER_TIMEOUT } from './consumer-timeouts';

/** The keys of the `leadflow-<stage>/webhooks` secret: the names functions/shared/webhook-secrets.ts reads (and the local env uses). */
export const WEBHOOK_SECRET_KEYS = [
  'META_APP_SECRET',
  'META_VERIFY_TOKEN',
  'META_ACCESS_TOKEN',
  'GOOGLE_ADS_WEBHOOK_KEY',
  'LINKEDIN_CLIENT_SECRET',
  'LINKEDIN_ACCESS_TOKEN',
  'TIKTOK_WEBHOOK_SECRET',
] as const;

/**
 * The name of one of Leadflow's secrets: `leadflow-<stage>/webhooks` (the ad platforms' secrets),
 * `leadflow-<stage>/signing` (the key that signs unsubscribe links, `UNSUBSCRIBE_KEY`, as one JSON
 * object), `leadflow-<stage>/identity` (the install's identity key: lead ids and suppression keys are
 * HMACs under it; never rotated). The stage keeps two stages in one account and region apart.
 */
export function secretName(scope: IConstruct, purpose: 'webhooks' | 'signing' | 'identity'): string {
  return `${resourcePrefix(scope)}/${purpose}`;
}

/** The one value Leadflow chooses itself (Meta echoes it back on subscription); the rest come from the platforms. */
const GENERATED_KEY = 'META_VERIFY_TOKEN' satisfies (typeof WEBHOOK_SECRET_KEYS)[number];

export interface StatefulStackProps extends StackProps {
  /**
   * Keep the data when the stack or a resource is removed: deletion protection on the table, RETAIN on
   * the table, queues and their DLQs, secrets and the alarm topics. Off only for throwaway (dev, test) stages.
   */
  readonly protectData: boolean;
  /**
   * Claims of a hot lead that may run out unresolved before its message moves to the dead-letter
   * queue (each claim is a receive). @default 5
   */
  readonly hotLeadMaxReceiveCount?: number;
  /**
   * The SES identity nurture e-mail is sent from: a domain (`leadflow.example`) or an address. Only
   * its ARN is used (send-email and admin-nurture may send as it); it is verified by an operator, not created here.
   */
  readonly senderIdentity: string;
  /**
   * Where people open the console (`https://api.example.com`, the console is at /console/): with it,
   * the Cognito user pool people sign in with, its managed login domain and the console's app client
   * (callback `<url>/console/callback`, sign-out `<url>/console/`). @default - no user pool: API tokens only
   */
  readonly consoleUrl?: string;
  /** The managed login domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`). @default `leadflow-<stage>-<account>` */
  readonly consoleDomainPrefix?: string;
  /** @default 'optional' */
  readonly consoleMfa?: 'optional' | 'required';
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
  /**
   * email-jobs: one message per lead with nurture steps due (`{"leadId"}`), queued by tick, or per page of a
   * broadcast (`{"broadcast", "cursor"}`), queued by admin-nurture and send-email; retried, then its DLQ.
   */
  readonly emailJobQueue: LeadflowQueue;
  /** lead-exports: one message per background export; the private bucket its CSV goes to (7 days). */
  readonly leadExports: LeadExports;
  /** integration-deliveries: one message per (event, destination) for outbound webhooks and connectors, with its DLQ. */
  readonly integrationDeliveries: IntegrationDeliveries;
  /** The raw event archive: the events bucket (JSON lines tick writes) and its Glue table for Athena. */
  readonly eventArchive: EventArchive;
  /** `leadflow-<stage>/webhooks`: the ad platforms' secrets (WEBHOOK_SECRET_KEYS), as one JSON object. */
  readonly webhookSecrets: secretsmanager.Secret;
  /** `leadflow-<stage>/signing`: `{"UNSUBSCRIBE_KEY": ...}`, the HMAC key of the unsubscribe links in every e-mail (send-email and admin-nurture sign, unsubscribe checks), and, under a key derived per purpose, of double opt-in links (send-email signs, confirm checks). */
  readonly signingSecrets: secretsmanager.Secret;
  readonly identityKey: secretsmanager.Secret;
  /** `leadflow-<stage>/integrations`: Slack and HubSpot tokens (INTEGRATION_SECRET_KEYS); only the integration-deliveries worker reads it. */
  readonly integrationSecrets: secretsmanager.Secret;
  /** The `leadflow-<stage>` SES configuration set, its `leadflow-<stage>-ses-events` topic and the dead-letter queue of its consumer. */
  readonly sesEvents: SesEvents;
  /**
   * `leadflow-<stage>-transactional`: the SES configuration set of mail a person asked for (double opt-in
   * confirmations). Its events go to the same ses-events topic; the SES pause never turns it off.
   */
  readonly transactionalConfigurationSet: TransactionalConfigurationSet;
  /** How people sign in to the console (a Cognito user pool), when a console URL is known. */
  readonly consoleAuth?: ConsoleAuth;
  /** `leadflow-<stage>-operators`: every alarm and every dead-letter queue of both stacks notifies it. */
  readonly operatorsTopic: OperatorsTopic;
  /** The SES identity nurture e-mail is sent from (a domain or an address) and its ARN. */
  readonly senderIdentity: string;
  readonly senderIdentityArn: string;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const removalPolicy = props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_DEFINITION.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DEFINITION.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      deletionProtection: props.protectData,
      removalPolicy,
    });
    // The sparse indexes (hand-offs, nurture's due steps), as functions/shared/table-definition.ts says.
    for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType[index.projection],
        nonKeyAttributes: index.nonKeyAttributes ? [...index.nonKeyAttributes] : undefined,
      });
    }

    this.rescoreQueue = new LeadflowQueue(this, 'RescoreJobs', {
      name: 'rescore-jobs',
      removalPolicy,
      consumerTimeout: CONSUMER_TIMEOUT['rescore-jobs'],
    });

    this.adLeadQueue = new LeadflowQueue(this, 'AdLeads', {
      name: 'ad-leads',
      removalPolicy,
      consumerTimeout: CONSUMER_TIMEOUT['ad-leads'],
    });

    // A job that keeps failing (a store error) lands on the DLQ; its steps stay due, and tick queues
    // the lead again once its lease runs out.
    this.emailJobQueue = new LeadflowQueue(this, 'EmailJobs', {
      name: 'email-jobs',
      removalPolicy,
      consumerTimeout: CONSUMER_TIMEOUT['email-jobs'],
    });

    this.integrationDeliveries = new IntegrationDeliveries(this, 'IntegrationDeliveries', { removalPolicy });
    this.leadExports = new LeadExports(this, 'LeadExports', {
      removalPolicy,
      ...(props.consoleUrl !== undefined && { uploadOrigin: props.consoleUrl }),
    });
    this.eventArchive = new EventArchive(this, 'EventArchive', { removalPolicy });

    this.webhookSecrets = new secretsmanager.Secret(this, 'WebhookSecrets', {
      secretName: secretName(this, 'webhooks'),
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
      removalPolicy,
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
      secretName: secretName(this, 'signing'),
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
      removalPolicy,
    });
    Validations.of(this.signingSecrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'UNSUBSCRIBE_KEY signs the unsubscribe links in e-mails already sent, which must keep working ' +
        '(CAN-SPAM: an opt-out must work for at least 30 days after sending). An automatic rotation would ' +
        'invalidate them all at once, so the key is changed only by a deliberate, planned key roll, never ' +
        'by a rotation Lambda.',
    });

    this.integrationSecrets = new IntegrationSecrets(this, 'IntegrationSecrets', { removalPolicy }).secret;

    this.identityKey = new secretsmanager.Secret(this, 'IdentityKey', {
      secretName: secretName(this, 'identity'),
      description:
        'Leadflow identity key: every lead id and suppression key is an HMAC of an email under it. ' +
        'Generated once; never change it (stored leads would split in two, suppressed addresses be mailed).',
      generateSecretString: { excludePunctuation: true, includeSpace: false, passwordLength: 64 },
      // Every stored lead id and suppression key is derived from it: it outlives any stack, any stage.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.identityKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The identity key derives every stored lead id and suppression key (HMAC of the email): rotating ' +
        'it would split each person into two leads and let suppressed addresses be mailed again, so it ' +
        'is never rotated.',
    });

    // Bounces and complaints suppress the address, engagement scores the lead: events must outlive
    // function deployments, and so must the events the consumer could not process.
    this.sesEvents = new SesEvents(this, 'SesEvents', {
      configurationSetName: resourcePrefix(this),
      removalPolicy,
    });

    this.transactionalConfigurationSet = new TransactionalConfigurationSet(this, 'TransactionalSes', {
      configurationSetName: resourceName(this, 'transactional'),
      sesEventsTopic: this.sesEvents.topic,
    });

    // No AWS::SES::EmailIdentity here, on purpose: a domain identity is only usable once its DKIM
    // records are in DNS (and an address once someone clicks the link SES mails), both done by an
    // operator, outside this stack, together with moving the account out of the SES sandbox. Creating
    // it here would also tie the verified identity (and its DKIM keys) to this stack's lifecycle.
    // The ARN is all send-email needs: SES authorizes ses:SendEmail against the identity of the
    // From address (and the configuration set).
    this.senderIdentity = senderIdentity(props.senderIdentity);
    this.senderIdentityArn = this.formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: this.senderIdentity,
    });

    // Operators: every alarm here that notifies nobody else, and every dead-letter alarm, notifies it
    // (the OperatorsTopicArn output is theirs to subscribe to). Its subscriptions are people, added by hand.
    this.operatorsTopic = new OperatorsTopic(this, 'Operators', { removalPolicy });
    this.salesManagersTopic = new AlarmTopic(this, 'SalesManagers', {
      audience: 'sales-managers',
      displayName: 'Leadflow sales managers',
      // Its subscriptions are people, added by hand: a protected stage keeps them.
      removalPolicy,
    });
    this.hotLeadQueue = new LeadflowFifoQueue(this, 'HotLeads', {
      name: 'hot-leads',
      ...(props.hotLeadMaxReceiveCount !== undefined && { maxReceiveCount: props.hotLeadMaxReceiveCount }),
      // The SLA (issue 4): managers hear of any hot lead still on the queue after 15 minutes.
      maxMessageAge: Duration.minutes(15),
      alarmTopic: this.salesManagersTopic.topic,
      // Its messages are hand-offs already marked sent: the outbox would not send them again.
      removalPolicy,
    });

    if (props.consoleUrl !== undefined) {
      const root = props.consoleUrl.replace(/\/+$/, '');
      this.consoleAuth = new ConsoleAuth(this, 'ConsoleAuth', {
        domainPrefix: props.consoleDomainPrefix ?? `${resourcePrefix(this)}-${this.account}`,
        callbackUrls: [`${root}/console/callback`],
        logoutUrls: [`${root}/console/`],
        ...(props.consoleMfa !== undefined && { mfa: props.consoleMfa }),
        ...consoleProvidersFromContext(this),
        // People and their MFA enrolments cannot be re-created: kept unless the stage is throwaway.
        removalPolicy,
      });
      new CfnOutput(this, 'UserPoolId', {
        value: this.consoleAuth.userPool.userPoolId,
        description:
          'Cognito user pool of the console: add people and put them in a group (admin, sales-manager, sales, marketing)',
      });
      new CfnOutput(this, 'UserPoolClientId', {
        value: this.consoleAuth.client.userPoolClientId,
        description: "The console's app client (authorization code with PKCE)",
      });
      new CfnOutput(this, 'ConsoleSignInUrl', {
        value: this.consoleAuth.domain.baseUrl(),
        description: 'Managed login (Cognito) the console sends people to',
      });
      new CfnOutput(this, 'ConsoleUrl', { value: `${root}/console/`, description: 'Leadflow console' });
    }

    // The token CLI works against the table directly, so operators need its name.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'Leadflow DynamoDB table' });
    new CfnOutput(this, 'HotLeadsQueueUrl', {
      value: this.hotLeadQueue.queue.queueUrl,
      description: 'Leadflow hot-leads.fifo, for a CRM that consumes hot leads directly',
    });
    new CfnOutput(this, 'WebhookSecretsName', {
      value: secretName(this, 'webhooks'),
      description: "Put the ad platforms' webhook secrets here (JSON; keys already present)",
    });
    new CfnOutput(this, 'IntegrationSecretsName', {
      value: this.integrationSecrets.secretName,
      description: 'Put the Slack and HubSpot tokens here (JSON; keys already present)',
    });
    new CfnOutput(this, 'ConfigurationSetName', {
      value: this.sesEvents.configurationSet.configurationSetName,
      description: 'SES configuration set Leadflow e-mails are sent with (events go to the ses-events topic)',
    });
    new CfnOutput(this, 'TransactionalConfigurationSetName', {
      value: this.transactionalConfigurationSet.configurationSet.configurationSetName,
      description:
        'SES configuration set of double opt-in confirmations: not paused with the marketing set (events go to the ses-events topic)',
    });
    new CfnOutput(this, 'SenderIdentity', {
      value: this.senderIdentity,
      description: 'SES identity nurture e-mail is sent from: verify it in SES (DKIM records for a domain)',
    });
    new CfnOutput(this, 'SalesManagersTopicArn', {
      value: this.salesManagersTopic.topic.topicArn,
      description: 'Subscribe sales managers here for the hot-lead alarms',
    });
  }
}

/** SES identities are a domain name or one e-mail address; anything else could never match a From address. */
function senderIdentity(value: unknown): string {
  const domain = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
  const [local = '', host, ...rest] = typeof value === 'string' ? value.split('@') : [];
  const valid =
    typeof value === 'string' &&
    rest.length === 0 &&
    (host === undefined ? domain.test(value) : /^[^\s@]{1,64}$/.test(local) && domain.test(host));
  if (!valid) {
    throw new Error(
      `StatefulStack senderIdentity must be a domain (leadflow.example) or an e-mail address, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
