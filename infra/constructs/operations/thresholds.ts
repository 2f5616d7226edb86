/**
 * What the operations alarms fire on. Every value is optional (OPERATIONS_DEFAULTS fills it) and
 * checked at synth time, so a typo fails `cdk synth` with the prop's name instead of an alarm that
 * never (or always) fires.
 */
export interface OperationsThresholds {
  /** Errors of one function in 5 minutes that fire its alarm. @default 1 */
  readonly functionErrorsPer5Minutes?: number;
  /** Throttled invocations of one function in 5 minutes that fire its alarm. @default 1 */
  readonly functionThrottlesPer5Minutes?: number;
  /** Minutes, of the last five, in which a scheduled function (tick) failed, that fire its alarm. @default 3 */
  readonly scheduleFailedMinutesOf5?: number;
  /** Share of HTTP API requests answered 5xx over 5 minutes, in percent. @default 1 */
  readonly api5xxPercent?: number;
  /** p99 of the HTTP API's latency, in ms, for three 5-minute periods in a row. @default 3000 */
  readonly apiP99LatencyMs?: number;
  /** DynamoDB read and write throttle events on the table in 5 minutes. @default 1 */
  readonly tableThrottlesPer5Minutes?: number;
  /** DynamoDB system errors (HTTP 500 from DynamoDB) on the table in 5 minutes. @default 1 */
  readonly tableSystemErrorsPer5Minutes?: number;
  /** Age of the oldest message on a queue, in minutes, for any queue not in queueAgeMinutesByQueue. @default 30 */
  readonly queueAgeMinutes?: number;
  /** Per queue (by its name in `queues`), overriding queueAgeMinutes. @default { 'hot-leads': 120 } */
  readonly queueAgeMinutesByQueue?: Readonly<Record<string, number>>;
  /**
   * SES account bounce rate, in percent. Below 5, where AWS puts the account under review (it pauses
   * sending at 10). @default 4
   */
  readonly sesBounceRatePercent?: number;
  /**
   * SES account complaint rate, in percent. Below 0.1, where AWS puts the account under review (it
   * pauses sending at 0.5). @default 0.08
   */
  readonly sesComplaintRatePercent?: number;
}

export const OPERATIONS_DEFAULTS = {
  functionErrorsPer5Minutes: 1,
  functionThrottlesPer5Minutes: 1,
  scheduleFailedMinutesOf5: 3,
  api5xxPercent: 1,
  apiP99LatencyMs: 3000,
  tableThrottlesPer5Minutes: 1,
  tableSystemErrorsPer5Minutes: 1,
  queueAgeMinutes: 30,
  // A claim (30 minutes, extendable) keeps a hand-off on hot-leads while a rep works it, and sales
  // managers hear of a lead waiting 15 minutes from the SLA alarm: two hours means nobody works the queue.
  queueAgeMinutesByQueue: { 'hot-leads': 120 } as Readonly<Record<string, number>>,
  sesBounceRatePercent: 4,
  sesComplaintRatePercent: 0.08,
} satisfies Required<OperationsThresholds>;

/** Where AWS puts an SES account under review; the reputation alarms must fire before it. */
export const SES_REVIEW_PERCENT = { bounce: 5, complaint: 0.1 } as const;

/** The thresholds with defaults filled in, or an error naming every bad one. */
export function resolveThresholds(given: OperationsThresholds = {}): Required<OperationsThresholds> {
  const t = {
    ...OPERATIONS_DEFAULTS,
    ...definedOnly(given),
    queueAgeMinutesByQueue: {
      ...OPERATIONS_DEFAULTS.queueAgeMinutesByQueue,
      ...given.queueAgeMinutesByQueue,
    },
  };
  const problems: string[] = [];
  const check = (name: string, value: number, ok: boolean, rule: string) => {
    if (!ok) problems.push(`${name} must be ${rule}, got ${value}`);
  };
  const count = (name: keyof OperationsThresholds, value: number) =>
    check(name, value, Number.isInteger(value) && value >= 1, 'a whole number of 1 or more');
  count('functionErrorsPer5Minutes', t.functionErrorsPer5Minutes);
  count('functionThrottlesPer5Minutes', t.functionThrottlesPer5Minutes);
  count('tableThrottlesPer5Minutes', t.tableThrottlesPer5Minutes);
  count('tableSystemErrorsPer5Minutes', t.tableSystemErrorsPer5Minutes);
  count('apiP99LatencyMs', t.apiP99LatencyMs);
  count('queueAgeMinutes', t.queueAgeMinutes);
  for (const [queue, minutes] of Object.entries(t.queueAgeMinutesByQueue))
    check(
      `queueAgeMinutesByQueue.${queue}`,
      minutes,
      Number.isInteger(minutes) && minutes >= 1,
      'a whole number of 1 or more',
    );
  check(
    'scheduleFailedMinutesOf5',
    t.scheduleFailedMinutesOf5,
    Number.isInteger(t.scheduleFailedMinutesOf5) &&
      t.scheduleFailedMinutesOf5 >= 1 &&
      t.scheduleFailedMinutesOf5 <= 5,
    'a whole number from 1 to 5',
  );
  check(
    'api5xxPercent',
    t.api5xxPercent,
    t.api5xxPercent > 0 && t.api5xxPercent <= 100,
    'more than 0 and at most 100',
  );
  check(
    'sesBounceRatePercent',
    t.sesBounceRatePercent,
    t.sesBounceRatePercent > 0 && t.sesBounceRatePercent < SES_REVIEW_PERCENT.bounce,
    `more than 0 and below ${SES_REVIEW_PERCENT.bounce} (AWS reviews the account at ${SES_REVIEW_PERCENT.bounce}% bounces)`,
  );
  check(
    'sesComplaintRatePercent',
    t.sesComplaintRatePercent,
    t.sesComplaintRatePercent > 0 && t.sesComplaintRatePercent < SES_REVIEW_PERCENT.complaint,
    `more than 0 and below ${SES_REVIEW_PERCENT.complaint} (AWS reviews the account at ${SES_REVIEW_PERCENT.complaint}% complaints)`,
  );
  if (problems.length > 0) throw new Error(`Invalid operations thresholds: ${problems.join('; ')}`);
  return t;
}

/** `{ a: undefined }` must not override a default. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
