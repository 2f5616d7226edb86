import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * "Anything on this dead-letter queue" as an alarm (id `DeadLetterAlarm` in `scope`): the one
 * definition every DLQ of Leadflow uses, so they all page the same way.
 */
export function deadLetterAlarm(
  scope: Construct,
  queue: sqs.IQueue,
  description: string,
  period: Duration = Duration.minutes(5),
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    // SQS stops publishing metrics for a queue idle for hours: for a DLQ that silence is the healthy state.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
