/**
 * What 10,000 leads a month cost on AWS at list price: pure arithmetic over measured request
 * counts, durations and log bytes (bench/cost.ts measures them on the local stack).
 */

/**
 * AWS list prices, us-east-1, on-demand, free tiers ignored, as published on the pages below in
 * 2025 (after DynamoDB's November 2024 on-demand price cut); entered 2026-12-03 without re-checking
 * the pages (the bench machines reach only the npm registry).
 */
export const PRICES = {
  /** https://aws.amazon.com/dynamodb/pricing/on-demand/ */
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  /** https://aws.amazon.com/lambda/pricing/ (arm64, first 7.5 billion GB-s tier) */
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecondArm: 0.0000133334,
  /** https://aws.amazon.com/api-gateway/pricing/ (HTTP API, first 300 million a month) */
  httpApiRequest: 1.0 / 1e6,
  /** https://aws.amazon.com/sqs/pricing/ (standard and FIFO; each 64 KB chunk is one request) */
  sqsStandardRequest: 0.4 / 1e6,
  sqsFifoRequest: 0.5 / 1e6,
  /** https://aws.amazon.com/ses/pricing/ (outbound email) */
  sesEmail: 0.1 / 1000,
  /** https://aws.amazon.com/cloudwatch/pricing/ (Logs, standard ingestion) */
  logsIngestedGb: 0.5,
} as const;

/** What one unit of work (a capture, an email, a hand-off, a tick run) costs in requests and time. */
export interface UnitUsage {
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  sqsStandardRequests: number;
  sqsFifoRequests: number;
  sesEmails: number;
  httpApiRequests: number;
  lambdaInvocations: number;
  /** Summed over the invocations above. */
  lambdaMs: number;
  logBytes: number;
}

export interface MonthlyVolume {
  /** How often each unit happens in a month. */
  count: number;
  usage: UnitUsage;
  /** Memory of the functions doing this work (MB). */
  memoryMb: number;
}

export interface CostLines {
  dynamodb: number;
  lambda: number;
  httpApi: number;
  sqs: number;
  ses: number;
  logs: number;
  total: number;
}

/** Dollars a month for the given volumes; every line is requests × list price. */
export function monthlyCost(volumes: MonthlyVolume[], prices = PRICES): CostLines {
  const lines = { dynamodb: 0, lambda: 0, httpApi: 0, sqs: 0, ses: 0, logs: 0 };
  for (const { count, usage: u, memoryMb } of volumes) {
    lines.dynamodb +=
      count * (u.dynamoReadUnits * prices.dynamoReadUnit + u.dynamoWriteUnits * prices.dynamoWriteUnit);
    const gbSeconds = (u.lambdaMs / 1000) * (memoryMb / 1024);
    lines.lambda +=
      count * (u.lambdaInvocations * prices.lambdaRequest + gbSeconds * prices.lambdaGbSecondArm);
    lines.httpApi += count * u.httpApiRequests * prices.httpApiRequest;
    lines.sqs +=
      count * (u.sqsStandardRequests * prices.sqsStandardRequest + u.sqsFifoRequests * prices.sqsFifoRequest);
    lines.ses += count * u.sesEmails * prices.sesEmail;
    lines.logs += (count * u.logBytes * prices.logsIngestedGb) / 2 ** 30;
  }
  const total = Object.values(lines).reduce((sum, n) => sum + n, 0);
  return { ...lines, total };
}

/** An empty usage, for building one up. */
export const noUsage = (): UnitUsage => ({
  dynamoReadUnits: 0,
  dynamoWriteUnits: 0,
  sqsStandardRequests: 0,
  sqsFifoRequests: 0,
  sesEmails: 0,
  httpApiRequests: 0,
  lambdaInvocations: 0,
  lambdaMs: 0,
  logBytes: 0,
});

/** Per-unit usage: a measured total divided by how many units it covered. */
export function perUnit(total: UnitUsage, units: number): UnitUsage {
  const out = noUsage();
  for (const key of Object.keys(out) as (keyof UnitUsage)[]) out[key] = total[key] / units;
  return out;
}

/** The difference of two measured totals (e.g. a window with consent minus one without), never below 0. */
export function minus(a: UnitUsage, b: UnitUsage): UnitUsage {
  const out = noUsage();
  for (const key of Object.keys(out) as (keyof UnitUsage)[]) out[key] = Math.max(0, a[key] - b[key]);
  return out;
}

/**
 * Published prices of the alternatives for 10,000 marketing contacts a month (sources in README).
 * HubSpot Marketing Hub Professional: $800 a month (billed annually) with 2,000 marketing contacts,
 * contacts added in blocks of 5,000 at $250 a month (https://www.hubspot.com/pricing/marketing, as
 * published in 2025; not re-checked from here).
 * Mautic: free software; assumed self-hosted on one 2 vCPU / 4 GB droplet at $24 a month
 * (https://www.digitalocean.com/pricing/droplets), sending through SES at the price above.
 */
export const ALTERNATIVES = {
  hubspotProfessional: (contacts: number) => 800 + Math.ceil(Math.max(0, contacts - 2000) / 5000) * 250,
  mauticSelfHosted: (emails: number) => 24 + emails * PRICES.sesEmail,
} as const;

/** Dollars per 10,000 leads a month the pipeline should stay within. */
export const COST_TARGET_PER_10K_LEADS = 10;
