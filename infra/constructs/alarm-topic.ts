import { ArnFormat, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { resourceName } from './names';

export interface AlarmTopicProps {
  /** Who the alarms are for, in the product's words (`sales-managers`): the topic is `leadflow-<stage>-<audience>`. */
  readonly audience: string;
  /** Sender name in the e-mails subscribers get. */
  readonly displayName: string;
  /** What happens to the topic, and its subscriptions, when it leaves the stack. @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An SNS topic that CloudWatch alarms of this account and region notify. TLS-only: the topic policy
 * denies every request without it. That policy replaces SNS's default one, so it also lets the
 * CloudWatch service principal publish, for this account's alarms only (no confused deputy).
 * Subscribers (e-mail, chat) are added by operators, from the topic ARN the stack outputs.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.audience)) {
      throw new Error(`AlarmTopic audience must be kebab-case like sales-managers, got "${props.audience}"`);
    }
    const stack = Stack.of(this);

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: resourceName(this, props.audience),
      displayName: props.displayName,
      enforceSSL: true,
    });
    if (props.removalPolicy) this.topic.applyRemovalPolicy(props.removalPolicy);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
  }
}
