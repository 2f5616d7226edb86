import { Duration, type RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SnsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SES_CONFIGURATION_SET_ENV } from '../../../functions/shared/env-names';
import { LeadflowFunction } from '../leadflow-function';

export interface SesReputationPauseProps {
  /** The SES reputation alarms (bounce and complaint rate): when one goes to ALARM, marketing sends pause. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The marketing configuration set: the only one the function may, and does, turn off. */
  readonly configurationSetName: string;
  /** Operators: told what the function did (or that it failed, so they pause by hand). */
  readonly topic: sns.ITopic;
  /** @default RemovalPolicy.RETAIN (LeadflowFunction's) */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * Pauses marketing e-mail before AWS pauses the account: an EventBridge rule sends the ALARM state
 * changes of the SES reputation alarms to the `ses-pause` function, which turns sending off on the
 * marketing configuration set only. Its one permission is ses:PutConfigurationSetSendingOptions on
 * that set's ARN. Lambda's async destinations publish its answer to the operators topic: on success
 * the set, the alarm and the resume command; on failure (after Lambda's two retries) the error, so
 * someone pauses by hand. Resuming is always a person's decision: docs/runbooks/ses-paused.md.
 */
export class SesReputationPause extends Construct {
  readonly fn: LeadflowFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SesReputationPauseProps) {
    super(scope, id);
    const name = props.configurationSetName;
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw new Error(
        `SesReputationPause configurationSetName must be 1 to 64 letters, digits, _ or -, got "${props.configurationSetName}"`,
      );
    }
    if (props.alarms.length === 0) throw new Error('SesReputationPause needs at least one alarm');

    this.fn = new LeadflowFunction(this, 'Function', {
      entry: 'ses-pause',
      description:
        'Leadflow: pauses sending on the marketing SES configuration set when an SES reputation alarm fires',
      memorySize: 256,
      environment: { [SES_CONFIGURATION_SET_ENV]: props.configurationSetName },
      ...(props.logRemovalPolicy !== undefined && { logRemovalPolicy: props.logRemovalPolicy }),
    });
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:PutConfigurationSetSendingOptions'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: props.configurationSetName,
          }),
        ],
      }),
    );
    const tellOperators = new SnsDestination(props.topic);
    this.fn.function.configureAsyncInvoke({
      onSuccess: tellOperators,
      onFailure: tellOperators,
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });

    this.rule = new events.Rule(this, 'Rule', {
      description: 'Leadflow: an SES reputation alarm fired: pause marketing sends',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: props.alarms.map((alarm) => alarm.alarmArn),
        detail: { state: { value: ['ALARM'] } },
      },
      targets: [
        new targets.LambdaFunction(this.fn.function, {
          retryAttempts: 4,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
  }
}
