import { Aspects, CfnOutput, type IAspect, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type IConstruct } from 'constructs';
import { AlarmTopic } from '../alarm-topic';

/**
 * `<stack>-operators`: the people who run Leadflow. Every alarm that notifies nobody else, and every
 * dead-letter alarm, notifies this topic (see notifyOperators), when it fires and when it clears.
 *
 * TLS-only, with the CloudWatch publish statement of AlarmTopic; no KMS key: cdk-nag's AwsSolutions
 * asks for TLS on topics (SNS3), not for SSE, alarm messages carry alarm names and metric values (no
 * personal data), and CloudWatch could only publish to an encrypted topic through a customer-managed
 * key whose policy lets it in. Subscribers (e-mail, chat, paging) are added by operators, from the
 * ARN in the `OperatorsTopicArn` output.
 */
export interface OperatorsTopicProps {
  /** What happens to the topic, and its subscriptions, when it leaves the stack. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

export class OperatorsTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: OperatorsTopicProps = {}) {
    super(scope, id);
    this.topic = new AlarmTopic(this, 'Topic', {
      audience: 'operators',
      displayName: 'Leadflow operators',
      ...(props.removalPolicy !== undefined && { removalPolicy: props.removalPolicy }),
    }).topic;
    new CfnOutput(Stack.of(this), 'OperatorsTopicArn', {
      value: this.topic.topicArn,
      description: 'Subscribe operators here: every Leadflow alarm and dead-letter queue notifies this topic',
    });
    // The alarms of this topic's own stack (the dead-letter queues live there).
    notifyOperators(Stack.of(this), this.topic);
  }
}

/**
 * Makes every CloudWatch alarm in `scope` (created before or after this call) notify `topic`, when it
 * fires and when it clears, unless it already notifies someone else: the hot-lead SLA alarm stays
 * with sales managers. Dead-letter alarms (construct id `DeadLetterAlarm`, see dead-letter-alarm.ts)
 * notify operators whoever else they notify: a message nobody will retry is always theirs.
 */
export function notifyOperators(scope: IConstruct, topic: sns.ITopic): void {
  Aspects.of(scope).add(new NotifyOperators(topic));
}

class NotifyOperators implements IAspect {
  private readonly action: SnsAction;

  constructor(private readonly topic: sns.ITopic) {
    this.action = new SnsAction(topic);
  }

  visit(node: IConstruct): void {
    if (!(node instanceof cloudwatch.Alarm)) return;
    const stack = Stack.of(node);
    const cfn = node.node.defaultChild as cloudwatch.CfnAlarm;
    const actions = JSON.stringify(stack.resolve(cfn.alarmActions) ?? []);
    if (actions.includes(JSON.stringify(stack.resolve(this.topic.topicArn)))) return;
    const notifiesSomeone = actions !== '[]';
    if (notifiesSomeone && node.node.id !== 'DeadLetterAlarm') return;
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
