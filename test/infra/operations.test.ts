import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlarmTopic } from '../../infra/constructs/alarm-topic';
import { LeadflowFifoQueue } from '../../infra/constructs/leadflow-fifo-queue';
import { LeadflowFunction } from '../../infra/constructs/leadflow-function';
import { LeadflowQueue } from '../../infra/constructs/leadflow-queue';
import {
  OPERATIONS_DEFAULTS,
  Operations,
  OperatorsTopic,
  resolveThresholds,
  TransactionalConfigurationSet,
} from '../../infra/constructs/operations';
import { SesEvents } from '../../infra/constructs/ses-events';
import { logicalIdOf, SKIP_BUNDLING, SYNTH_TIMEOUT, statementsOfRole, synthNagFindings } from './support';

interface CfnAlarm {
  Properties: {
    AlarmActions?: unknown[];
    OKActions?: unknown[];
    MetricName?: string;
    Namespace?: string;
    Threshold: number;
    Dimensions?: unknown;
    Metrics?: { Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
  };
}

/**
 * Two stacks as the app has them: the operators topic beside the queues and their dead-letter alarms
 * (one of them on the sales managers' hot-lead queue), the operations of three functions, a tick
 * schedule, an HTTP API and the table in the other.
 */
function buildOperationsApp() {
  const app = new App({ context: SKIP_BUNDLING });
  const stateful = new Stack(app, 'OpsStateful');
  const table = new dynamodb.Table(stateful, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  const emailJobs = new LeadflowQueue(stateful, 'EmailJobs', {
    name: 'email-jobs',
    consumerTimeout: Duration.seconds(60),
  });
  const salesManagers = new AlarmTopic(stateful, 'SalesManagers', {
    audience: 'sales-managers',
    displayName: 'Sales managers',
  });
  const hotLeads = new LeadflowFifoQueue(stateful, 'HotLeads', {
    name: 'hot-leads',
    maxMessageAge: Duration.minutes(15),
    alarmTopic: salesManagers.topic,
  });
  const sesEvents = new SesEvents(stateful, 'SesEvents', { configurationSetName: 'leadflow' });
  const transactional = new TransactionalConfigurationSet(stateful, 'Transactional', {
    sesEventsTopic: sesEvents.topic,
  });
  const operators = new OperatorsTopic(stateful, 'Operators');

  const service = new Stack(app, 'OpsService');
  const functions = {
    tick: new LeadflowFunction(service, 'Tick', { entry: 'tick' }),
    sendEmail: new LeadflowFunction(service, 'SendEmail', { entry: 'send-email' }),
    formSubmission: new LeadflowFunction(service, 'FormSubmission', { entry: 'form-submission' }),
  };
  const tickSchedule = new events.Rule(service, 'TickSchedule', {
    schedule: events.Schedule.rate(Duration.minutes(1)),
    targets: [new targets.LambdaFunction(functions.tick.function, { retryAttempts: 2 })],
  });
  const api = new HttpApi(service, 'HttpApi', { createDefaultStage: false });
  const operations = new Operations(service, 'Operations', {
    functions,
    schedules: { tick: tickSchedule },
    api,
    table,
    queues: { 'email-jobs': emailJobs.queue, 'hot-leads': hotLeads.queue },
    sesConfigurationSetName: sesEvents.configurationSet.configurationSetName,
    topic: operators.topic,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stateful, service, functions, operators, salesManagers, hotLeads, transactional, operations };
}

type Built = ReturnType<typeof buildOperationsApp>;

describe('operations constructs', SYNTH_TIMEOUT, () => {
  let built: Built;
  let stateful: Template;
  let service: Template;
  let operatorsRef: unknown;
  let salesManagersRef: unknown;

  beforeAll(() => {
    built = buildOperationsApp();
    stateful = Template.fromStack(built.stateful);
    service = Template.fromStack(built.service);
    operatorsRef = { Ref: logicalIdOf(built.operators.topic) };
    salesManagersRef = { Ref: logicalIdOf(built.salesManagers.topic) };
  }, SYNTH_TIMEOUT.timeout);

  const alarmsOf = (template: Template) =>
    template.findResources('AWS::CloudWatch::Alarm') as Record<string, CfnAlarm>;

  describe('the operators topic', () => {
    it('is <stack>-operators, TLS-only, and output for operators to subscribe', () => {
      stateful.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'OpsStateful-operators' });
      stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      stateful.hasOutput('OperatorsTopicArn', { Value: operatorsRef });
    });

    it('is notified by every dead-letter alarm, also the one that notifies sales managers', () => {
      const deadLetter = Object.entries(alarmsOf(stateful)).filter(([id]) => id.includes('DeadLetterAlarm'));
      // email-jobs, hot-leads and the ses-events DLQ.
      expect(deadLetter).toHaveLength(3);
      for (const [id, alarm] of deadLetter) {
        expect(alarm.Properties.AlarmActions, id).toContainEqual(operatorsRef);
        expect(alarm.Properties.OKActions, id).toContainEqual(operatorsRef);
      }
      const hotLeadsDlq = alarmsOf(stateful)[logicalIdOf(built.hotLeads.deadLetterAlarm)];
      expect(hotLeadsDlq?.Properties.AlarmActions).toEqual([salesManagersRef, operatorsRef]);
    });

    it('leaves the hot-lead SLA alarm to sales managers', () => {
      const sla = alarmsOf(stateful)[logicalIdOf(built.hotLeads.oldestMessageAlarm)];
      expect(sla?.Properties.AlarmActions).toEqual([salesManagersRef]);
      expect(sla?.Properties.OKActions).toEqual([salesManagersRef]);
    });

    it('is the action, on alarm and on OK, of every alarm of the service stack, exactly once', () => {
      const alarms = Object.entries(alarmsOf(service));
      expect(alarms.length).toBeGreaterThan(0);
      for (const [id, alarm] of alarms) {
        expect(alarm.Properties.AlarmActions, id).toEqual([
          { 'Fn::ImportValue': expect.stringMatching(/OperatorsTopic/) },
        ]);
        expect(alarm.Properties.OKActions, id).toEqual(alarm.Properties.AlarmActions);
      }
    });
  });

  describe('the alarm set', () => {
    const count = (template: Template, predicate: (alarm: CfnAlarm) => boolean) =>
      Object.values(alarmsOf(template)).filter(predicate).length;
    const metricIs = (name: string) => (alarm: CfnAlarm) => alarm.Properties.MetricName === name;
    const expressionUses = (name: string) => (alarm: CfnAlarm) =>
      (alarm.Properties.Metrics ?? []).some((m) => m.MetricStat?.Metric.MetricName === name);

    it('has one of each kind per function, schedule, queue, and for the API, the table and SES', () => {
      const { alarms } = built.operations;
      expect(Object.keys(alarms.functionErrors).sort()).toEqual(['formSubmission', 'sendEmail', 'tick']);
      expect(Object.keys(alarms.functionThrottles).sort()).toEqual(['formSubmission', 'sendEmail', 'tick']);
      expect(Object.keys(alarms.scheduleFailures)).toEqual(['tick']);
      expect(Object.keys(alarms.queueAges).sort()).toEqual(['email-jobs', 'hot-leads']);

      // Errors: 3 functions + tick's failed runs (1-minute periods).
      expect(count(service, metricIs('Errors'))).toBe(4);
      expect(count(service, metricIs('Throttles'))).toBe(3);
      expect(count(service, metricIs('FailedInvocations'))).toBe(1);
      expect(count(service, expressionUses('5xx'))).toBe(1);
      expect(count(service, metricIs('Latency'))).toBe(1);
      expect(count(service, expressionUses('ReadThrottleEvents'))).toBe(1);
      expect(count(service, expressionUses('SystemErrors'))).toBe(1);
      expect(count(service, metricIs('ApproximateAgeOfOldestMessage'))).toBe(2);
      expect(count(service, metricIs('Reputation.BounceRate'))).toBe(1);
      expect(count(service, metricIs('Reputation.ComplaintRate'))).toBe(1);
      expect(Object.keys(alarmsOf(service))).toHaveLength(16);
      expect(alarms.all).toHaveLength(16);
    });

    it('fires on tick failing in 3 of 5 minutes, and on EventBridge failing to invoke it', () => {
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        Dimensions: [
          {
            Name: 'FunctionName',
            Value: {
              Ref: logicalIdOf(built.functions.tick.function),
            },
          },
        ],
      });
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [
          { Name: 'RuleName', Value: { Ref: logicalIdOf(built.service.node.findChild('TickSchedule')) } },
        ],
      });
    });

    it('watches the API 5xx rate in percent and its p99 latency', () => {
      const rate = alarmsOf(service)[logicalIdOf(built.operations.alarms.api5xxRate)];
      expect(rate?.Properties.Threshold).toBe(1);
      expect(rate?.Properties.Metrics?.find((m) => m.Expression)?.Expression).toBe(
        '100 * FILL(errors, 0) / requests',
      );
      service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Latency',
        ExtendedStatistic: 'p99',
        Threshold: 3000,
        EvaluationPeriods: 3,
      });
    });

    it('sums DynamoDB system errors over every operation the adapters call', () => {
      const alarm = alarmsOf(service)[logicalIdOf(built.operations.alarms.tableSystemErrors)];
      const operations = alarm?.Properties.Metrics?.filter((m) => m.MetricStat).length;
      expect(operations).toBe(8);
    });

    it('fires on SES reputation below the levels where AWS reviews the account (5% bounces, 0.1% complaints)', () => {
      for (const [metric, threshold] of [
        ['Reputation.BounceRate', 0.04],
        ['Reputation.ComplaintRate', 0.0008],
      ] as const) {
        service.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SES',
          MetricName: metric,
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Dimensions: Match.absent(),
          TreatMissingData: 'notBreaching',
        });
      }
    });

    it('gives hot-leads its own (longer) age than the other queues', () => {
      const ages = built.operations.alarms.queueAges;
      expect(alarmsOf(service)[logicalIdOf(ages['hot-leads'] as never)]?.Properties.Threshold).toBe(7200);
      expect(alarmsOf(service)[logicalIdOf(ages['email-jobs'] as never)]?.Properties.Threshold).toBe(1800);
    });
  });

  describe('thresholds', () => {
    it('fill in the defaults and take overrides', () => {
      expect(resolveThresholds()).toEqual(OPERATIONS_DEFAULTS);
      expect(
        resolveThresholds({ sesBounceRatePercent: 2, queueAgeMinutesByQueue: { 'email-jobs': 60 } }),
      ).toMatchObject({
        sesBounceRatePercent: 2,
        queueAgeMinutesByQueue: { 'hot-leads': 120, 'email-jobs': 60 },
      });
    });

    it('refuse values at or above the SES review levels, and bad counts, naming each', () => {
      expect(() =>
        resolveThresholds({
          sesBounceRatePercent: 5,
          sesComplaintRatePercent: 0.1,
          functionErrorsPer5Minutes: 0,
          scheduleFailedMinutesOf5: 6,
          api5xxPercent: Number.NaN,
          queueAgeMinutesByQueue: { 'email-jobs': 1.5 },
        }),
      ).toThrow(
        'Invalid operations thresholds: functionErrorsPer5Minutes must be a whole number of 1 or more, got 0; ' +
          'queueAgeMinutesByQueue.email-jobs must be a whole number of 1 or more, got 1.5; ' +
          'scheduleFailedMinutesOf5 must be a whole number from 1 to 5, got 6; ' +
          'api5xxPercent must be more than 0 and at most 100, got NaN; ' +
          'sesBounceRatePercent must be more than 0 and below 5 (AWS reviews the account at 5% bounces), got 5; ' +
          'sesComplaintRatePercent must be more than 0 and below 0.1 (AWS reviews the account at 0.1% complaints), got 0.1',
      );
    });
  });

  describe('the SES pause', () => {
    it('may turn sending off on the marketing configuration set and nothing else', () => {
      const { fn } = built.operations.sesPause;
      const statements = statementsOfRole(service, logicalIdOf(fn.role));
      const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
      expect(actions).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'ses:PutConfigurationSetSendingOptions',
          'sns:Publish',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
      const ses = statements.find((s) => s.Action === 'ses:PutConfigurationSetSendingOptions');
      // The configuration set's name comes from the stateful stack (an import), so the ARN names it.
      expect(ses?.Resource).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':configuration-set/',
            { 'Fn::ImportValue': expect.stringMatching(/SesEventsConfigurationSet/) },
          ],
        ],
      });
      const publish = statements.find((s) => s.Action === 'sns:Publish');
      expect(JSON.stringify(publish?.Resource)).toMatch(/OperatorsTopic/);
      service.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            LEADFLOW_SES_CONFIGURATION_SET: {
              'Fn::ImportValue': Match.stringLikeRegexp('SesEventsConfigurationSet'),
            },
          }),
        },
        Handler: 'index.handler',
      });
    });

    it('runs when either reputation alarm goes to ALARM, and only then', () => {
      const { alarms, sesPause } = built.operations;
      service.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          resources: [
            { 'Fn::GetAtt': [logicalIdOf(alarms.sesBounceRate), 'Arn'] },
            { 'Fn::GetAtt': [logicalIdOf(alarms.sesComplaintRate), 'Arn'] },
          ],
          detail: { state: { value: ['ALARM'] } },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalIdOf(sesPause.fn.function), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3600 },
          }),
        ],
      });
    });

    it('tells operators what it did, or that it failed', () => {
      const topic = Match.objectLike({
        Destination: Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('OperatorsTopic') }),
      });
      service.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalIdOf(built.operations.sesPause.fn.function) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnSuccess: topic, OnFailure: topic },
      });
    });
  });

  describe('the transactional configuration set', () => {
    it('publishes the same SES events to the ses-events topic', () => {
      stateful.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'leadflow-transactional' });
      const destinations = stateful.findResources('AWS::SES::ConfigurationSetEventDestination');
      const [marketing, transactional] = Object.values(destinations) as {
        Properties: { ConfigurationSetName: unknown; EventDestination: Record<string, unknown> };
      }[];
      expect(Object.keys(destinations)).toHaveLength(2);
      expect(transactional?.Properties.EventDestination).toEqual(marketing?.Properties.EventDestination);
    });
  });

  describe('the dashboard', () => {
    it('is <stack>-operations with the business and health widgets', () => {
      const dashboards = service.findResources('AWS::CloudWatch::Dashboard');
      expect(Object.keys(dashboards)).toHaveLength(1);
      service.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'OpsService-operations' });
      const body = JSON.stringify(Object.values(dashboards)[0]);
      for (const title of [
        'Form submissions',
        'Leads captured by source',
        'Hand-offs',
        'Oldest hand-off waiting (seconds)',
        'E-mails',
        'SES reputation (% of the account)',
        'Function errors',
        'Throttles',
        'HTTP API',
        'Queue ages: oldest message (seconds)',
        'Alarms',
      ]) {
        expect(body, title).toContain(`\\"title\\":\\"${title}\\"`);
      }
      for (const metric of [
        'FormSubmissions',
        'HandoffsSent',
        'ClaimsMade',
        'EmailsSent',
        'EmailsBounced',
        'EmailsComplained',
      ]) {
        expect(body, metric).toContain(`\\"Leadflow\\",\\"${metric}\\",\\"service\\",\\"leadflow\\"`);
      }
      expect(body).toContain(
        'SEARCH(\'{Leadflow,service,source} MetricName=\\\\\\"LeadsCaptured\\\\\\" service=\\\\\\"leadflow\\\\\\"\', \'Sum\', 300)',
      );
    });
  });

  it('leaves no cdk-nag (AwsSolutions) finding unacknowledged, and acknowledges nothing new', () => {
    const fresh = buildOperationsApp();
    expect(synthNagFindings(fresh.app)).toEqual([]);
    // Within Operations only LeadflowFunction's own acknowledgements (X-Ray's "*", the pinned runtime).
    const acknowledged = new Set<string>();
    for (const construct of fresh.operations.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const id of Object.keys(entry.data as Record<string, string>))
          acknowledged.add(id.replace(/^annotation::/i, ''));
      }
    }
    expect([...acknowledged].sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-L1']);
  });
});
