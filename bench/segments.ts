import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLeadStore } from '../functions/adapters/dynamodb/lead-store';
import { DynamoSuppressionStore } from '../functions/adapters/dynamodb/suppression-store';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { LeadState } from '../functions/core/leads/lead';
import { previewSegment, SEGMENT_PAGE, type SegmentDefinition } from '../functions/core/segments/segments';
import { startEmulators } from '../functions/local/emulators';
import { createTable } from '../functions/local/resources';
import { seededLeads, writeLeads } from './lead-list-seed';
import { fmt } from './stats';

const TABLE = 'bench-segments';
const SIZE = Number(process.env.BENCH_SEGMENTS_SIZE ?? 100_000);
const NOW = new Date('2026-03-15T12:00:00.000Z');
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'BR', 'IN'];
const TYPES = ['page_viewed', 'email_opened', 'email_clicked', 'webinar_attended', 'trial_started'];

/** The segments a marketer saves first: an EU audience by grade and email engagement, recent readers, a funnel slice. */
const SEGMENTS: [string, SegmentDefinition][] = [
  [
    'hot-eu (country in 5, grade A/B, opened or clicked in 30 days, consent)',
    {
      match: 'all',
      conditions: [
        { type: 'field', field: 'country', op: 'in', value: ['DE', 'FR', 'NL', 'ES', 'IT'] },
        { type: 'grade', in: ['A', 'B'] },
        { type: 'email', engaged: true, withinDays: 30 },
        { type: 'consent', is: 'granted' },
      ],
    },
  ],
  [
    'recent readers (page viewed in 7 days, or webinar in 30)',
    {
      match: 'any',
      conditions: [
        { type: 'activity', activity: 'page_viewed', happened: true, withinDays: 7 },
        { type: 'activity', activity: 'webinar_attended', happened: true, withinDays: 30 },
      ],
    },
  ],
  [
    'funnel slice (mql/sql, score 40-90, campaign launch, company present)',
    {
      match: 'all',
      conditions: [
        { type: 'stage', in: ['mql', 'sql'] },
        { type: 'score', min: 40, max: 90 },
        { type: 'source', key: 'utm_campaign', in: ['launch'] },
        { type: 'field', field: 'company', op: 'present' },
      ],
    },
  ],
];

/** The lead list's seeded leads, with what segments look at too: a country, consent, and lastSeen per activity type. */
function withSegmentFacts(leads: LeadState[]): LeadState[] {
  return leads.map((lead, i) => {
    const lastSeen: Record<string, string> = {};
    TYPES.forEach((type, t) => {
      if ((i * 7 + t * 13) % 3 !== 0)
        lastSeen[type] = new Date(NOW.getTime() - ((i * 31 + t * 17) % 90) * 86_400_000).toISOString();
    });
    const at = lead.createdAt;
    return {
      ...lead,
      profile: {
        ...lead.profile,
        country: { value: COUNTRIES[i % COUNTRIES.length] as string, source: 'api', at },
      },
      marketingConsent:
        lead.marketingConsent ?? (i % 4 === 0 ? undefined : { granted: true, at, source: 'form:newsletter' }),
      lastSeen,
    };
  });
}

/**
 * Segment counts at SIZE leads on the DynamoDB emulator (BatchWriteItem of the app's own lead
 * items): each of three typical segments counted by previewSegment over every lead (no time
 * budget), in seconds and leads/s, next to a baseline from the same run on the same table: the bare
 * paged read the count is made of (leads index Query + BatchGetItem, SEGMENT_PAGE a page), with no
 * evaluation. The ratio is what evaluating the conditions costs over reading the leads.
 */
export async function benchSegments(): Promise<void> {
  const emulators = await startEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
  const env: NodeJS.ProcessEnv = {};
  emulators.applyToEnv(env);
  useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY ?? 'bench-identity-key-0123456789abcdef-0123456789');
  const client = new DynamoDBClient({
    endpoint: env.AWS_ENDPOINT_URL_DYNAMODB,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const leads = new DynamoLeadStore(db, TABLE);
  const deps = { leads, suppressions: new DynamoSuppressionStore(db, TABLE) };
  console.log(
    `\n== Segments: a full count at ${SIZE.toLocaleString('en')} leads (DynamoDB emulator, pages of ${SEGMENT_PAGE}) ==`,
  );
  try {
    await createTable(client, TABLE);
    const seeded = performance.now();
    await writeLeads(db, TABLE, withSegmentFacts(seededLeads(SIZE, 21, 'seg-')));
    console.log(`seeded in ${fmt((performance.now() - seeded) / 1000, 0)} s`);

    let started = performance.now();
    let read = 0;
    let cursor: string | null = null;
    do {
      const page = await leads.page(cursor, SEGMENT_PAGE);
      read += page.leads.length;
      cursor = page.cursor;
    } while (cursor);
    const baseline = (performance.now() - started) / 1000;
    console.log(
      `baseline: paged read of every lead  ${fmt(baseline, 2)} s  ${fmt(read / baseline, 0)} leads/s  (${read} leads)`,
    );

    for (const [name, definition] of SEGMENTS) {
      started = performance.now();
      // The seeded activity times are relative to NOW: the clock starts there and runs in real time.
      const t0 = performance.now();
      const clock = { now: () => new Date(NOW.getTime() + (performance.now() - t0)) };
      const preview = await previewSegment({ ...deps, clock }, definition, Number.POSITIVE_INFINITY);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${name}\n  count ${preview.count} of ${preview.scanned}  ${fmt(seconds, 2)} s  ${fmt(preview.scanned / seconds, 0)} leads/s  ${fmt(seconds / baseline, 2)}x the paged read`,
      );
    }
  } finally {
    await emulators.stop();
  }
}
