import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_CONSUMERS, SCHEDULED, SNS_CONSUMERS } from '../../functions/shared/routes';
import type { LeadflowApp } from '../../infra/build-app';
import {
  buildServiceTemplates,
  exportOf,
  FUNCTION_NAMES,
  FUNCTION_OF_ENTRY,
  serviceHelpers,
} from './service-fixture';
import { logicalIdOf, resourceOf, SYNTH_TIMEOUT } from './support';

describe('service stack: queues, topics and schedules', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: false }));
  }, SYNTH_TIMEOUT.timeout);
  const {
    id,
    rescoreQueue,
    adLeadQueue,
    emailJobQueue,
    exportQueue,
    importQueue,
    sesEventsTopic,
    sesEventsDlq,
    grantsOf,
  } = serviceHelpers(() => ({ built, template }));

  describe('queue consumers', () => {
    it('maps each queue of the shared consumer table, and no other', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', QUEUE_CONSUMERS.length);
    });

    it.each([
      ['rescore', 'rescore-jobs', 'one message at a time, at most two at once', 1, 2],
      [
        'ad-leads',
        'ad-leads',
        'five messages at a time, at most five at once, retrying failed leads alone',
        5,
        5,
      ],
      [
        'send-email',
        'email-jobs',
        'five jobs a batch (run in turn), at most two at once, retrying failed jobs alone',
        5,
        2,
      ],
      ['lead-export', 'lead-exports', 'one export at a time, at most two at once', 1, 2],
      ['lead-import', 'lead-imports', 'one page of an import at a time, at most two at once', 1, 2],
    ] as const)('feeds the %s function from %s %s', (entry, queue, _pace, batchSize, maximumConcurrency) => {
      const arns = {
        'rescore-jobs': rescoreQueue,
        'ad-leads': adLeadQueue,
        'email-jobs': emailJobQueue,
        'lead-exports': exportQueue,
        'lead-imports': importQueue,
      };
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id(FUNCTION_OF_ENTRY[entry]) },
        EventSourceArn: arns[queue]('Arn'),
        BatchSize: batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: maximumConcurrency },
      });
    });

    it('feeds every queue consumer of the shared table (the one the local stack polls) from its queue', () => {
      const queues = {
        'rescore-jobs': built.stateful.rescoreQueue.queue,
        'ad-leads': built.stateful.adLeadQueue.queue,
        'email-jobs': built.stateful.emailJobQueue.queue,
        'lead-exports': built.stateful.leadExports.queue.queue,
        'lead-imports': built.stateful.leadExports.importQueue.queue,
        'integration-deliveries': built.stateful.integrationDeliveries.queue.queue,
      } as const;
      for (const consumer of QUEUE_CONSUMERS) {
        const mappings = Object.values(
          template.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { FunctionName: { Ref: id(FUNCTION_OF_ENTRY[consumer.handler]) } },
          }),
        ) as { Properties: { EventSourceArn: unknown } }[];
        expect(mappings.map((mapping) => mapping.Properties.EventSourceArn)).toEqual([
          { 'Fn::ImportValue': exportOf(built.stateful, queues[consumer.queue], 'Arn') },
        ]);
      }
    });

    it.each([
      ['rescore', 'rescoreQueue'],
      ['adLeads', 'adLeadQueue'],
      ['sendEmail', 'emailJobQueue'],
    ] as const)(
      'hides a message for six times the %s function timeout while its batch runs',
      (name, queue) => {
        const timeout = resourceOf(template, id(name)).Properties.Timeout as number;
        const { Properties } = Template.fromStack(built.stateful).toJSON().Resources[
          logicalIdOf(built.stateful[queue].queue)
        ] as { Properties: { VisibilityTimeout: number } };
        expect(Properties.VisibilityTimeout).toBe(6 * timeout);
      },
    );
  });

  describe('topic consumers', () => {
    const topics = () => ({ 'ses-events': built.stateful.sesEvents.topic }) as const;

    it('subscribes every topic consumer of the shared table to its topic, and nothing else', () => {
      template.resourceCountIs('AWS::SNS::Subscription', SNS_CONSUMERS.length);
      for (const consumer of SNS_CONSUMERS) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'lambda',
          Endpoint: { 'Fn::GetAtt': [id(FUNCTION_OF_ENTRY[consumer.handler]), 'Arn'] },
          TopicArn: { 'Fn::ImportValue': exportOf(built.stateful, topics()[consumer.topic], 'Ref') },
        });
      }
    });

    it('parks what SNS cannot deliver to the ses-events function on ses-events-dlq', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Endpoint: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] },
        TopicArn: sesEventsTopic(),
        RedrivePolicy: { deadLetterTargetArn: sesEventsDlq() },
      });
    });

    it('sends an event the ses-events function still fails on after two retries to the same dead-letter queue', () => {
      // ses-events, and the SES pause of operations (its answers go to the operators topic).
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id('sesEvents') },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: sesEventsDlq() } },
      });
    });

    it('lets the ses-events topic, and nothing else, invoke the ses-events function', () => {
      const invokers = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] } },
        }),
      ) as { Properties: Record<string, unknown> }[];
      expect(invokers.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] },
          Principal: 'sns.amazonaws.com',
          SourceArn: sesEventsTopic(),
        },
      ]);
    });

    it('lets only the ses-events function (through Lambda) put events on ses-events-dlq, and no function read it', () => {
      const users = FUNCTION_NAMES.filter((name) => grantsOf(name)['ses-events-dlq'] !== undefined);
      expect(users).toEqual(['sesEvents']);
      expect(grantsOf('sesEvents')['ses-events-dlq']).toEqual(['sqs:SendMessage']);
    });
  });

  describe('schedules', () => {
    it('runs every scheduled handler of the shared table (the one the local server runs) from a rule of its own', () => {
      // And the SES pause's rule (alarm state changes, not a schedule).
      template.resourceCountIs('AWS::Events::Rule', SCHEDULED.length + 1);
      for (const { handler } of SCHEDULED) {
        const rule = resourceOf(template, logicalIdOf(built.service.schedules[handler]));
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({ Arn: { 'Fn::GetAtt': [id(FUNCTION_OF_ENTRY[handler]), 'Arn'] } }),
        ]);
      }
    });

    it('runs tick every minute; an invocation EventBridge could not make is tried twice more within two minutes', () => {
      expect(resourceOf(template, logicalIdOf(built.service.schedules.tick)).Properties).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [id('tick'), 'Arn'] },
            Id: expect.any(String),
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
          },
        ],
      });
    });

    it('lets EventBridge invoke tick from that rule only', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id('tick'), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [logicalIdOf(built.service.schedules.tick), 'Arn'] },
      });
      const invokers = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [id('tick'), 'Arn'] } },
        }),
      );
      expect(invokers).toHaveLength(1);
    });
  });
});
