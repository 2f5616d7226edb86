import type { Node } from 'constructs';
import { type OperationsThresholds, resolveThresholds } from './constructs/operations/thresholds';
import type { ServiceStackProps } from './stacks/service-stack';
import type { StatefulStackProps } from './stacks/stateful-stack';

/**
 * The operations alarm thresholds (infra/constructs/operations/thresholds.ts), one context key each,
 * named after the threshold: `-c leadflow:sesBounceRatePercent=3`. resolveThresholds checks their ranges.
 */
export const ALARM_CONTEXT = {
  functionErrorsPer5Minutes: 'leadflow:functionErrorsPer5Minutes',
  functionThrottlesPer5Minutes: 'leadflow:functionThrottlesPer5Minutes',
  scheduleFailedMinutesOf5: 'leadflow:scheduleFailedMinutesOf5',
  api5xxPercent: 'leadflow:api5xxPercent',
  apiP99LatencyMs: 'leadflow:apiP99LatencyMs',
  tableThrottlesPer5Minutes: 'leadflow:tableThrottlesPer5Minutes',
  tableSystemErrorsPer5Minutes: 'leadflow:tableSystemErrorsPer5Minutes',
  queueAgeMinutes: 'leadflow:queueAgeMinutes',
  queueAgeMinutesByQueue: 'leadflow:queueAgeMinutesByQueue',
  sesBounceRatePercent: 'leadflow:sesBounceRatePercent',
  sesComplaintRatePercent: 'leadflow:sesComplaintRatePercent',
} as const satisfies Record<keyof OperationsThresholds, string>;

/**
 * What an operator tunes without a code edit: `cdk deploy -c leadflow:<name>=<value>` (or the
 * `context` of cdk.json / cdk.context.json). Each value is checked here for its type, and by the
 * stacks for its range, so a typo fails the synth with the key's name. docs/operations.md lists them.
 */
export const CONTEXT = {
  stage: 'stage',
  configDir: 'leadflow:configDir',
  senderIdentity: 'leadflow:senderIdentity',
  publicUrl: 'leadflow:publicUrl',
  throttleRateLimit: 'leadflow:throttleRateLimit',
  throttleBurstLimit: 'leadflow:throttleBurstLimit',
  rateLimitPerIpPerMinute: 'leadflow:rateLimitPerIpPerMinute',
  rateLimitPerEmailPerMinute: 'leadflow:rateLimitPerEmailPerMinute',
  claimWindowSeconds: 'leadflow:claimWindowSeconds',
  reportTimeZone: 'leadflow:reportTimeZone',
  metaGraphUrl: 'leadflow:metaGraphUrl',
  metaGraphVersion: 'leadflow:metaGraphVersion',
  linkedinApiUrl: 'leadflow:linkedinApiUrl',
  emailBatchSize: 'leadflow:emailBatchSize',
  emailMaxConcurrency: 'leadflow:emailMaxConcurrency',
  reserveConcurrency: 'leadflow:reserveConcurrency',
  accountConcurrency: 'leadflow:accountConcurrency',
  hotLeadMaxReceiveCount: 'leadflow:hotLeadMaxReceiveCount',
  publicEdge: 'leadflow:publicEdge',
  consoleDomainPrefix: 'leadflow:consoleDomainPrefix',
  consoleMfa: 'leadflow:consoleMfa',
  consoleOidcProviders: 'leadflow:consoleOidcProviders',
  consoleSamlProviders: 'leadflow:consoleSamlProviders',
  ...ALARM_CONTEXT,
} as const;

export type ContextServiceProps = Pick<
  ServiceStackProps,
  | 'throttle'
  | 'rateLimitPerIpPerMinute'
  | 'rateLimitPerEmailPerMinute'
  | 'claimWindowSeconds'
  | 'reportTimeZone'
  | 'metaGraphUrl'
  | 'metaGraphVersion'
  | 'linkedinApiUrl'
  | 'publicUrl'
  | 'emailSending'
  | 'accountConcurrency'
  | 'alarmThresholds'
  | 'publicEdge'
>;

/** The service stack props the context sets (absent keys are absent props: the stack's defaults apply). */
export function servicePropsFromContext(node: Node): ContextServiceProps {
  const number = (key: string) => numberOf(node, key);
  const string = (key: string) => stringOf(node, key);
  const rateLimit = number(CONTEXT.throttleRateLimit);
  const burstLimit = number(CONTEXT.throttleBurstLimit);
  const batchSize = number(CONTEXT.emailBatchSize);
  const maxConcurrency = number(CONTEXT.emailMaxConcurrency);
  const reserve = reservationOf(node);
  const emailSending = {
    ...(batchSize !== undefined && { batchSize }),
    ...(maxConcurrency !== undefined && { maxConcurrency }),
    // `true` reserves what the event source may use (its maximum concurrency, 2 by default).
    ...(reserve !== undefined && { reservedConcurrency: reserve === true ? (maxConcurrency ?? 2) : reserve }),
  };
  return defined({
    throttle:
      rateLimit === undefined && burstLimit === undefined
        ? undefined
        : { rateLimit: rateLimit ?? 50, burstLimit: burstLimit ?? 100 },
    rateLimitPerIpPerMinute: number(CONTEXT.rateLimitPerIpPerMinute),
    rateLimitPerEmailPerMinute: number(CONTEXT.rateLimitPerEmailPerMinute),
    claimWindowSeconds: number(CONTEXT.claimWindowSeconds),
    reportTimeZone: string(CONTEXT.reportTimeZone),
    metaGraphUrl: string(CONTEXT.metaGraphUrl),
    metaGraphVersion: string(CONTEXT.metaGraphVersion),
    linkedinApiUrl: string(CONTEXT.linkedinApiUrl),
    publicUrl: string(CONTEXT.publicUrl),
    emailSending: Object.keys(emailSending).length > 0 ? emailSending : undefined,
    accountConcurrency: number(CONTEXT.accountConcurrency),
    alarmThresholds: alarmThresholdsOf(node),
    publicEdge: booleanOf(node, CONTEXT.publicEdge),
  });
}

/**
 * The alarm thresholds the context sets, checked now (a bad one fails the synth naming its key);
 * absent when none is set.
 */
function alarmThresholdsOf(node: Node): OperationsThresholds | undefined {
  const thresholds: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ALARM_CONTEXT)) {
    const value = name === 'queueAgeMinutesByQueue' ? queueAgesOf(node, key) : numberOf(node, key);
    if (value !== undefined) thresholds[name] = value;
  }
  if (Object.keys(thresholds).length === 0) return undefined;
  try {
    resolveThresholds(thresholds);
  } catch (error) {
    // resolveThresholds names the threshold; the operator typed its context key.
    throw new Error(
      (error as Error).message.replace(/\b(\w+)(?= must be)/g, (name) =>
        name in ALARM_CONTEXT ? `context leadflow:${name}` : name,
      ),
    );
  }
  return thresholds as OperationsThresholds;
}

/** `{"email-jobs": 15}`: minutes per queue name, as JSON (a string on the command line). */
function queueAgesOf(node: Node, key: string): Record<string, number> | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  }
  const queues = [
    'rescore-jobs',
    'ad-leads',
    'email-jobs',
    'hot-leads',
    'lead-exports',
    'lead-imports',
    'integration-deliveries',
  ];
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    Object.entries(parsed).some(([queue, minutes]) => !queues.includes(queue) || typeof minutes !== 'number')
  ) {
    throw new Error(
      `context ${key} must be a JSON object of queue names (${queues.join(', ')}) to minutes, got ${JSON.stringify(value)}`,
    );
  }
  return parsed as Record<string, number>;
}

export function statefulPropsFromContext(node: Node): Pick<StatefulStackProps, 'hotLeadMaxReceiveCount'> {
  return defined({ hotLeadMaxReceiveCount: numberOf(node, CONTEXT.hotLeadMaxReceiveCount) });
}

/** A context value given as a string (`-c key=value`), or a non-empty string from cdk.json. */
export function stringOf(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`context ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value.trim();
}

/** A number from cdk.json, or a string of one from the command line (`-c leadflow:x=12`). */
function numberOf(node: Node, key: string): number | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
    throw new Error(`context ${key} must be a number, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** true or false, from cdk.json or the command line (`-c leadflow:publicEdge=true`). */
function booleanOf(node: Node, key: string): boolean | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

/** `leadflow:reserveConcurrency`: true, false, or the number of executions send-email reserves. */
function reservationOf(node: Node): true | number | undefined {
  const value: unknown = node.tryGetContext(CONTEXT.reserveConcurrency);
  if (value === undefined || value === false || value === 'false') return undefined;
  if (value === true || value === 'true') return true;
  const parsed = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 1) {
    throw new Error(
      `context ${CONTEXT.reserveConcurrency} must be true, false or a whole number of executions for send-email, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
