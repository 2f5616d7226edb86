import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LeadflowFunction } from '../leadflow-function';

/**
 * The business counters the functions publish with Powertools Metrics (EMF): namespace `Leadflow`,
 * dimension `service` = `leadflow` (POWERTOOLS_SERVICE_NAME); LeadsCaptured also by `source`.
 */
export const BUSINESS_METRICS = {
  namespace: 'Leadflow',
  service: 'leadflow',
  names: [
    'FormSubmissions',
    'LeadsCaptured',
    'HandoffsSent',
    'ClaimsMade',
    'EmailsSent',
    'EmailsBounced',
    'EmailsComplained',
  ],
} as const;
type BusinessMetric = (typeof BUSINESS_METRICS.names)[number];

export interface OperationsDashboardProps {
  readonly functions: Readonly<Record<string, LeadflowFunction>>;
  readonly api: IHttpApi;
  readonly table: dynamodb.ITable;
  /** Every queue by its product name: their ages. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  /** hot-leads.fifo: hand-offs waiting for (or claimed by) a rep, and how old the oldest is. */
  readonly handoffQueue: sqs.IQueue;
  /** The SES reputation alarm thresholds, in percent, drawn on the reputation graph. */
  readonly sesThresholdsPercent?: { readonly bounce: number; readonly complaint: number };
  /** Shown as one alarm-status widget. @default - none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);
const WIDTH = 8;
const HEIGHT = 6;

/**
 * One CloudWatch dashboard, `<stack>-operations`: what Leadflow did (submissions, captures by source,
 * hand-offs waiting and their age, e-mails sent, bounced and complained, SES reputation) above how it
 * is doing (errors, throttles, the HTTP API, queue ages, alarms).
 */
export function operationsDashboard(scope: Construct, props: OperationsDashboardProps): cloudwatch.Dashboard {
  const business = (metricName: BusinessMetric, label: string) =>
    new cloudwatch.Metric({
      namespace: BUSINESS_METRICS.namespace,
      metricName,
      dimensionsMap: { service: BUSINESS_METRICS.service },
      statistic: cloudwatch.Stats.SUM,
      period: FIVE_MINUTES,
      label,
    });
  const graph = (
    title: string,
    left: cloudwatch.IMetric[],
    extra: Partial<cloudwatch.GraphWidgetProps> = {},
  ) => new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: HEIGHT, ...extra });
  const functions = Object.entries(props.functions);
  const sum = { period: FIVE_MINUTES, statistic: cloudwatch.Stats.SUM };
  const queueAge = (queue: sqs.IQueue, label: string) =>
    queue.metricApproximateAgeOfOldestMessage({
      period: Duration.minutes(1),
      statistic: cloudwatch.Stats.MAXIMUM,
      label,
    });
  // Metric ids must differ within one graph: `bounce` and `complaint`.
  const ses = (id: string, metricName: string, label: string) =>
    new cloudwatch.MathExpression({
      expression: `100 * ${id}`,
      usingMetrics: {
        [id]: new cloudwatch.Metric({
          namespace: 'AWS/SES',
          metricName,
          statistic: cloudwatch.Stats.MAXIMUM,
        }),
      },
      period: Duration.minutes(15),
      label,
    });
  const tableMetric = (metricName: string, label: string) =>
    new cloudwatch.Metric({
      namespace: 'AWS/DynamoDB',
      metricName,
      dimensionsMap: { TableName: props.table.tableName },
      label,
      ...sum,
    });

  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `${Stack.of(scope).stackName}-operations`,
    defaultInterval: Duration.days(1),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: '## Leadflow: business (Powertools metrics, namespace `Leadflow`)',
      width: 24,
      height: 1,
    }),
  );
  dashboard.addWidgets(
    graph('Form submissions', [business('FormSubmissions', 'submissions')]),
    graph('Leads captured by source', [
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${BUSINESS_METRICS.namespace},service,source} MetricName="LeadsCaptured" service="${BUSINESS_METRICS.service}"', 'Sum', 300)`,
        usingMetrics: {},
        label: '',
        period: FIVE_MINUTES,
      }),
    ]),
    graph(
      'Hand-offs',
      [
        business('HandoffsSent', 'sent to sales'),
        business('ClaimsMade', 'claimed'),
        props.handoffQueue.metricApproximateNumberOfMessagesVisible({
          label: 'waiting',
          period: FIVE_MINUTES,
        }),
        props.handoffQueue.metricApproximateNumberOfMessagesNotVisible({
          label: 'claimed now',
          period: FIVE_MINUTES,
        }),
      ],
      { stacked: false },
    ),
  );
  dashboard.addWidgets(
    graph('Oldest hand-off waiting (seconds)', [queueAge(props.handoffQueue, 'hot-leads')]),
    graph('E-mails', [
      business('EmailsSent', 'sent'),
      business('EmailsBounced', 'bounced'),
      business('EmailsComplained', 'complained'),
    ]),
    graph(
      'SES reputation (% of the account)',
      [
        ses('bounce', 'Reputation.BounceRate', 'bounce rate %'),
        ses('complaint', 'Reputation.ComplaintRate', 'complaint rate %'),
      ],
      {
        leftAnnotations: props.sesThresholdsPercent && [
          { value: props.sesThresholdsPercent.bounce, label: 'bounce alarm' },
          { value: props.sesThresholdsPercent.complaint, label: 'complaint alarm' },
        ],
      },
    ),
  );
  dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## Leadflow: health', width: 24, height: 1 }));
  dashboard.addWidgets(
    graph(
      'Function errors',
      functions.map(([name, fn]) => fn.function.metricErrors({ ...sum, label: name })),
    ),
    graph('Throttles', [
      ...functions.map(([name, fn]) => fn.function.metricThrottles({ ...sum, label: name })),
      tableMetric('ReadThrottleEvents', 'DynamoDB reads'),
      tableMetric('WriteThrottleEvents', 'DynamoDB writes'),
    ]),
    graph(
      'HTTP API',
      [
        props.api.metricCount({ ...sum, label: 'requests' }),
        props.api.metricServerError({ ...sum, label: '5xx' }),
      ],
      {
        right: [
          props.api.metricLatency({
            period: FIVE_MINUTES,
            statistic: cloudwatch.Stats.p(99),
            label: 'p99 latency (ms)',
          }),
        ],
      },
    ),
  );
  dashboard.addWidgets(
    graph(
      'Queue ages: oldest message (seconds)',
      Object.entries(props.queues).map(([name, queue]) => queueAge(queue, name)),
    ),
    ...(props.alarms && props.alarms.length > 0
      ? [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [...props.alarms],
            width: 16,
            height: HEIGHT,
          }),
        ]
      : []),
  );
  return dashboard;
}
