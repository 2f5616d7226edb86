import {
  ALTERNATIVES,
  COST_TARGET_PER_10K_LEADS,
  type MonthlyVolume,
  monthlyCost,
  type UnitUsage,
} from './cost-model';
import { fmt } from './stats';

const LEADS = 10_000;
const EMAILS_PER_LEAD = 5;
const HANDED_OFF = 0.1;
const TICKS_A_MONTH = 60 * 24 * 30;
/** Lambda's default memory here (infra/constructs/leadflow-function.ts). */
const MEMORY_MB = 512;
/** START, END and REPORT lines Lambda itself logs per invocation (~100 bytes each). */
const PLATFORM_LOG_BYTES = 300;
/**
 * Lambda's SQS event source mapping long-polls each consumed queue (rescore-jobs, ad-leads,
 * email-jobs, lead-exports) with 5 pollers at 20 s: 15 ReceiveMessage a minute a queue, whether
 * or not anything arrives (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
 */
const ESM_RECEIVES_A_MONTH = 4 * 15 * TICKS_A_MONTH;

/** Measured per unit on the local stack (bench/cost.ts). */
export interface CostMeasures {
  capture: UnitUsage;
  email: UnitUsage;
  handoff: UnitUsage;
  tickRun: UnitUsage;
  captureMs: number;
  apiMs: number;
  tickMs: number;
}

function withLambda(u: UnitUsage, invocations: number, ms: number, http: number): UnitUsage {
  return {
    ...u,
    lambdaInvocations: invocations,
    lambdaMs: invocations * ms,
    httpApiRequests: http,
    logBytes: u.logBytes + invocations * PLATFORM_LOG_BYTES,
  };
}

/** 10,000 leads a month: the measured units scaled to a month, priced, printed. */
export function reportCost(m: CostMeasures) {
  const handedOff = LEADS * HANDED_OFF;
  const emails = LEADS * EMAILS_PER_LEAD;
  const volumes: Record<string, MonthlyVolume> = {
    capture: {
      count: LEADS - handedOff,
      usage: withLambda(m.capture, 1, m.captureMs, 1),
      memoryMb: MEMORY_MB,
    },
    // The hot submission, the claim and the outcome (3 HTTP requests); claims' receive and delete included.
    handoff: { count: handedOff, usage: withLambda(m.handoff, 3, m.apiMs, 3), memoryMb: MEMORY_MB },
    // send-email and ses-events, each assumed as long as an API request on the local stack.
    email: { count: emails, usage: withLambda(m.email, 2, m.apiMs, 0), memoryMb: MEMORY_MB },
    tick: { count: TICKS_A_MONTH, usage: withLambda(m.tickRun, 1, m.tickMs, 0), memoryMb: MEMORY_MB },
    'queue polling': {
      count: ESM_RECEIVES_A_MONTH,
      usage: {
        ...withLambda(m.tickRun, 0, 0, 0),
        dynamoReadUnits: 0,
        dynamoWriteUnits: 0,
        sqsFifoRequests: 0,
        sesEmails: 0,
        logBytes: 0,
        sqsStandardRequests: 1,
      },
      memoryMb: MEMORY_MB,
    },
  };
  console.log(
    '\n== Cost model: %d leads a month at AWS list price (us-east-1, free tiers ignored) ==',
    LEADS,
  );
  console.log(
    'Measured per unit on the local stack (DynamoDB capacity units incl. index writes; SQS, SES requests; log bytes):',
  );
  for (const name of ['capture', 'handoff', 'email', 'tick'] as const) {
    const u = (volumes[name] as MonthlyVolume).usage;
    console.log(
      `  ${name.padEnd(8)} RRU ${fmt(u.dynamoReadUnits, 2).padStart(6)}  WRU ${fmt(u.dynamoWriteUnits, 2).padStart(6)}  SQS ${fmt(u.sqsStandardRequests + u.sqsFifoRequests, 2).padStart(5)}  SES ${fmt(u.sesEmails, 2)}  Lambda ${fmt(u.lambdaMs)} ms  log ${fmt(u.logBytes, 0)} B   x ${(volumes[name] as MonthlyVolume).count.toLocaleString('en-US')} a month`,
    );
  }
  console.log(
    `  durations: capture p50 ${fmt(m.captureMs)} ms (with the steady-answer floor), hot submission and outcome p50 ${fmt(m.apiMs)} ms, tick run ${fmt(m.tickMs)} ms; ${MEMORY_MB} MB arm64`,
  );
  console.log(
    `  queue polling (assumed, not measured): ${ESM_RECEIVES_A_MONTH.toLocaleString('en-US')} ReceiveMessage a month = $${fmt(monthlyCost([volumes['queue polling'] as MonthlyVolume]).sqs, 2)} of the SQS line`,
  );
  const cost = monthlyCost(Object.values(volumes));
  for (const [line, dollars] of Object.entries(cost))
    console.log(`  ${line.padEnd(10)} $${fmt(dollars, 2).padStart(7)}`);
  console.log(
    `Target ≤ $${COST_TARGET_PER_10K_LEADS} per ${LEADS.toLocaleString('en-US')} leads a month: ${fmt(cost.total / COST_TARGET_PER_10K_LEADS, 2)} x target`,
  );
  console.log(
    `HubSpot Marketing Hub Professional, 10,000 contacts: $${ALTERNATIVES.hubspotProfessional(LEADS)} a month (${fmt(ALTERNATIVES.hubspotProfessional(LEADS) / cost.total, 0)} x this)`,
  );
  console.log(
    `Mautic self-hosted (one $24 droplet + SES for ${emails.toLocaleString('en-US')} emails): $${fmt(ALTERNATIVES.mauticSelfHosted(emails), 2)} a month, admin time not counted`,
  );
  return cost;
}
