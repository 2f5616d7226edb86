import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LeadflowFunction } from '../leadflow-function';
import { type OperationsThresholds, resolveThresholds, SES_REVIEW_PERCENT } from './thresholds';

/** The DynamoDB operations Leadflow's adapters call: SystemErrors is published per operation. */
export const TABLE_OPERATIONS = [
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
] as const;

export interface OperationsAlarmsProps {
  /** Every function, by the name alarms and the dashboard show (the service stack's `functions`). */
  readonly functions: Readonly<Record<string, LeadflowFunction>>;
  /**
   * The EventBridge schedules, by the name of the function they run (a key of `functions`): each gets
   * a "failed runs" alarm and one for invocations EventBridge could not make. @default - none
   */
  readonly schedules?: Readonly<Record<string, events.IRule>>;
  readonly api: IHttpApi;
  readonly table: dynamodb.ITable;
  /** Every queue, by its product name (`email-jobs`): an alarm on the age of its oldest message each. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /**
   * The marketing SES configuration set. The reputation metrics are the account's, not the set's;
   * the name goes into the alarms' descriptions, since that set is what the SES pause turns off.
   */
  readonly sesConfigurationSetName: string;
  /** The operators topic: every alarm here notifies it, when it fires and when it clears. */
  readonly topic: sns.ITopic;
  readonly thresholds?: OperationsThresholds;
}

export interface OperationsAlarms {
  readonly functionErrors: Record<string, cloudwatch.Alarm>;
  readonly functionThrottles: Record<string, cloudwatch.Alarm>;
  readonly scheduleFailures: Record<string, cloudwatch.Alarm>;
  readonly scheduleInvocationFailures: Record<string, cloudwatch.Alarm>;
  readonly api5xxRate: cloudwatch.Alarm;
  readonly apiLatencyP99: cloudwatch.Alarm;
  readonly tableThrottles: cloudwatch.Alarm;
  readonly tableSystemErrors: cloudwatch.Alarm;
  readonly queueAges: Record<string, cloudwatch.Alarm>;
  readonly sesBounceRate: cloudwatch.Alarm;
  readonly sesComplaintRate: cloudwatch.Alarm;
  /** Every alarm above. */
  readonly all: cloudwatch.Alarm[];
}

const FIVE_MINUTES = Duration.minutes(5);

/** `email-jobs` / `sendEmail` → `EmailJobs` / `SendEmail`: construct ids. */
const pascal = (name: string) => name.replace(/(^|[-_])([a-z0-9])/g, (_, _sep, c: string) => c.toUpperCase());

/**
 * The operations alarms, created in `scope`, each notifying `topic` when it fires and when it clears:
 * per function errors and throttles; failed scheduled runs (tick); the HTTP API's 5xx rate and p99
 * latency; DynamoDB throttles and system errors; the oldest message on every queue; the SES account's
 * bounce and complaint rates below the levels where AWS reviews the account.
 */
export function addOperationsAlarms(scope: Construct, props: OperationsAlarmsProps): OperationsAlarms {
  const t = resolveThresholds(props.thresholds);
  for (const name of Object.keys(props.schedules ?? {})) {
    if (!Object.hasOwn(props.functions, name)) {
      throw new Error(`addOperationsAlarms: schedule "${name}" runs no function of \`functions\``);
    }
  }
  const notify = new SnsAction(props.topic);
  const all: cloudwatch.Alarm[] = [];
  const alarm = (id: string, alarmProps: cloudwatch.AlarmProps) => {
    const created = new cloudwatch.Alarm(scope, id, alarmProps);
    created.addAlarmAction(notify);
    created.addOkAction(notify);
    all.push(created);
    return created;
  };
  // Counts: at least `threshold` in one 5-minute period. No data means nothing happened.
  const countAlarm = (id: string, metric: cloudwatch.IMetric, threshold: number, description: string) =>
    alarm(id, {
      alarmDescription: `Leadflow: ${description}`,
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };

  const functionErrors: Record<string, cloudwatch.Alarm> = {};
  const functionThrottles: Record<string, cloudwatch.Alarm> = {};
  for (const [name, fn] of Object.entries(props.functions)) {
    functionErrors[name] = countAlarm(
      `${pascal(name)}Errors`,
      fn.function.metricErrors(sum),
      t.functionErrorsPer5Minutes,
      `the ${name} function failed ${t.functionErrorsPer5Minutes}+ times in 5 minutes (its log group has the errors)`,
    );
    functionThrottles[name] = countAlarm(
      `${pascal(name)}Throttles`,
      fn.function.metricThrottles(sum),
      t.functionThrottlesPer5Minutes,
      `the ${name} function was throttled ${t.functionThrottlesPer5Minutes}+ times in 5 minutes (account concurrency or its reserved concurrency)`,
    );
  }

  const scheduleFailures: Record<string, cloudwatch.Alarm> = {};
  const scheduleInvocationFailures: Record<string, cloudwatch.Alarm> = {};
  for (const [name, rule] of Object.entries(props.schedules ?? {})) {
    const fn = props.functions[name] as LeadflowFunction;
    scheduleFailures[name] = alarm(`${pascal(name)}RunsFailed`, {
      alarmDescription:
        `Leadflow: ${name} failed in ${t.scheduleFailedMinutesOf5} of the last 5 minutes ` +
        '(for tick: pending hand-offs are not re-sent and nurture steps not queued)',
      metric: fn.function.metricErrors({ period: Duration.minutes(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: t.scheduleFailedMinutesOf5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    scheduleInvocationFailures[name] = countAlarm(
      `${pascal(name)}InvocationsFailed`,
      new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        dimensionsMap: { RuleName: rule.ruleName },
        ...sum,
      }),
      1,
      `EventBridge could not invoke ${name} on its schedule, retries included (permissions, throttling, a deleted function)`,
    );
  }

  // Rate in percent; a period without requests has no datapoint, which is not an error.
  const api5xxRate = alarm('Api5xxRate', {
    alarmDescription: `Leadflow: ${t.api5xxPercent}%+ of HTTP API requests answered 5xx over 5 minutes`,
    metric: new cloudwatch.MathExpression({
      expression: '100 * FILL(errors, 0) / requests',
      usingMetrics: { errors: props.api.metricServerError(sum), requests: props.api.metricCount(sum) },
      period: FIVE_MINUTES,
      label: 'HTTP API 5xx (%)',
    }),
    threshold: t.api5xxPercent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const apiLatencyP99 = alarm('ApiLatencyP99', {
    alarmDescription: `Leadflow: HTTP API p99 latency above ${t.apiP99LatencyMs} ms for 15 minutes`,
    metric: props.api.metricLatency({ period: FIVE_MINUTES, statistic: cloudwatch.Stats.p(99) }),
    threshold: t.apiP99LatencyMs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });

  const tableMetric = (metricName: string, operation?: string) =>
    new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: props.table.tableName, ...(operation && { Operation: operation }) },
      ...sum,
    });
  const tableThrottles = countAlarm(
    'TableThrottles',
    new cloudwatch.MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: tableMetric('ReadThrottleEvents'), writes: tableMetric('WriteThrottleEvents') },
      period: FIVE_MINUTES,
      label: 'DynamoDB throttle events',
    }),
    t.tableThrottlesPer5Minutes,
    `${t.tableThrottlesPer5Minutes}+ DynamoDB read or write throttle events on the table in 5 minutes`,
  );
  const systemErrors = Object.fromEntries(
    TABLE_OPERATIONS.map((operation) => [operation.toLowerCase(), tableMetric('SystemErrors', operation)]),
  );
  const tableSystemErrors = countAlarm(
    'TableSystemErrors',
    new cloudwatch.MathExpression({
      expression: Object.keys(systemErrors)
        .map((id) => `FILL(${id}, 0)`)
        .join(' + '),
      usingMetrics: systemErrors,
      period: FIVE_MINUTES,
      label: 'DynamoDB system errors',
    }),
    t.tableSystemErrorsPer5Minutes,
    `${t.tableSystemErrorsPer5Minutes}+ DynamoDB system errors (HTTP 500) on the table in 5 minutes`,
  );

  const queueAges: Record<string, cloudwatch.Alarm> = {};
  for (const [name, queue] of Object.entries(props.queues)) {
    const minutes = t.queueAgeMinutesByQueue[name] ?? t.queueAgeMinutes;
    queueAges[name] = alarm(`${pascal(name)}OldestMessage`, {
      alarmDescription: `Leadflow: the oldest message on ${name} is older than ${minutes} minutes (its consumer is stuck, failing or too slow)`,
      metric: queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: minutes * 60,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // An idle queue publishes nothing: nothing waits, so nothing is late.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }

  // SES publishes the rates as fractions (0.05 is 5%), for the whole account, without dimensions.
  const reputation = (id: string, metricName: string, percent: number, what: 'bounce' | 'complaint') =>
    alarm(id, {
      alarmDescription:
        `Leadflow: SES ${what} rate at ${percent}% or more (AWS reviews the account at ` +
        `${SES_REVIEW_PERCENT[what]}%): check whether marketing sends on ${props.sesConfigurationSetName} ` +
        'are paused, find the cause and resume: docs/runbooks/ses-paused.md',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        period: Duration.minutes(15),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: percent / 100,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // SES publishes nothing before the first bounce or complaint; no rate is a clean rate.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  const sesBounceRate = reputation(
    'SesBounceRate',
    'Reputation.BounceRate',
    t.sesBounceRatePercent,
    'bounce',
  );
  const sesComplaintRate = reputation(
    'SesComplaintRate',
    'Reputation.ComplaintRate',
    t.sesComplaintRatePercent,
    'complaint',
  );

  return {
    functionErrors,
    functionThrottles,
    scheduleFailures,
    scheduleInvocationFailures,
    api5xxRate,
    apiLatencyP99,
    tableThrottles,
    tableSystemErrors,
    queueAges,
    sesBounceRate,
    sesComplaintRate,
    all,
  };
}
