import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import { buildServiceTemplates, FUNCTION_NAMES, serviceHelpers } from './service-fixture';
import { logicalIdOf, resourceOf, SYNTH_TIMEOUT, statementsOfRole } from './support';

interface CfnAlarm {
  Properties: { AlarmActions?: unknown[]; OKActions?: unknown[]; AlarmDescription?: string };
}

/** The operations of the app as deployed: alarms in the service stack, the topic in the stateful one. */
describe('service stack: operations', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: false }));
  }, SYNTH_TIMEOUT.timeout);
  const { imported, configurationSetName, sesArn } = serviceHelpers(() => ({ built, template }));
  const operators = () => imported(built.stateful.operatorsTopic.topic, 'Ref');

  it('makes every alarm of the service stack notify the operators topic (imported from the stateful stack), when it fires and when it clears', () => {
    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm')) as [string, CfnAlarm][];
    // Errors and throttles of 15 functions, tick's two, API 5xx and p99, table throttles and system
    // errors, 7 queue ages, SES bounce and complaint rates, a webhook endpoint stopped.
    expect(alarms).toHaveLength(FUNCTION_NAMES.length * 2 + 2 + 2 + 2 + 7 + 2 + 1);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([operators()]);
      expect(alarm.Properties.OKActions, id).toEqual([operators()]);
    }
  });

  it('outputs the operators topic ARN from the stateful stack, for operators to subscribe', () => {
    Template.fromStack(built.stateful).hasOutput('OperatorsTopicArn', {
      Value: { Ref: logicalIdOf(built.stateful.operatorsTopic.topic) },
    });
  });

  it('watches the age of every queue, tick runs and the invocations EventBridge could not make', () => {
    const { alarms } = built.service.operations;
    expect(Object.keys(alarms.queueAges).sort()).toEqual(
      [
        'ad-leads',
        'email-jobs',
        'hot-leads',
        'integration-deliveries',
        'lead-exports',
        'lead-imports',
        'rescore-jobs',
      ].sort(),
    );
    expect(Object.keys(alarms.scheduleFailures)).toEqual(['tick']);
    expect(
      resourceOf(template, logicalIdOf(alarms.scheduleInvocationFailures.tick as IConstruct)).Properties,
    ).toMatchObject({
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: logicalIdOf(built.service.schedules.tick) } }],
    });
  });

  it('pauses the marketing configuration set only: the ses-pause function may change that set and nothing else', () => {
    const fn = built.service.operations.sesPause.fn;
    const statements = statementsOfRole(template, logicalIdOf(fn.role)).filter(
      (statement) => !/^(logs|xray):/.test(String(statement.Action)),
    );
    const ses = statements.filter((statement) => JSON.stringify(statement.Action).includes('ses:'));
    expect(ses).toEqual([
      {
        Action: 'ses:PutConfigurationSetSendingOptions',
        Effect: 'Allow',
        Resource: sesArn(':configuration-set/', configurationSetName()),
      },
    ]);
    expect(
      (resourceOf(template, logicalIdOf(fn.function)).Properties.Environment as { Variables: object })
        .Variables,
    ).toMatchObject({ LEADFLOW_SES_CONFIGURATION_SET: configurationSetName() });
  });

  it('has one dashboard named after the stack', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'LeadflowService-dev-operations',
    });
  });
});
