import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toLeadItem } from '../functions/adapters/dynamodb/lead-item';
import { DynamoLeadStore } from '../functions/adapters/dynamodb/lead-store';
import { DynamoSegmentFacts } from '../functions/adapters/dynamodb/segment-facts';
import { DynamoSuppressionStore } from '../functions/adapters/dynamodb/suppression-store';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { LeadState } from '../functions/core/leads/lead';
import {
  matches,
  needsSuppression,
  previewSegment,
  type SegmentDefinition,
} from '../functions/core/segments/segments';
import { createTable } from '../functions/local/resources';
import { startBenchEmulators } from './environment';
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
  [
    'mailable (consent granted, not suppressed: the suppression list read whole from its index)',
    {
      match: 'all',
      conditions: [
        { type: 'consent', is: 'granted' },
        { type: 'suppressed', is: false },
      ],
    },
  ],
];
/** The old count's page: the leads index's keys, then BatchGetItem of the lead items. */
const OLD_PAGE = 500;
/** Every SUPPRESSED-th seeded address is on the suppression list. */
const SUPPRESSED = 50;

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

/** Average size (JSON of the attributes) of a whole lead item, and of its segment facts' string and stage. */
function sizes(leads: LeadState[]): { item: number; facts: number } {
  let item = 0;
  let facts = 0;
  for (const lead of leads) {
    const whole: Record<string, unknown> = toLeadItem(lead);
    item += JSON.stringify(whole).length;
    facts += String(whole.sfacts).length + String(whole.stage).length;
  }
  return { item: item / leads.length, facts: facts / leads.length };
}

/**
 * Segment counts at SIZE leads on the DynamoDB emulator (BatchWriteItem of the app's own lead
 * items), next to a baseline from the same run on the same table: the old count, a paged read of
 * every lead (leads index Query + BatchGetItem, OLD_PAGE a page, one after the other) testing the
 * whole lead items with `matches` (the suppression list one GetItem per lead, as it was). Each
 * segment is then counted by previewSegment over the segment facts index (no time budget): its
 * seconds, leads/s, the ratio to the baseline, and whether its count is the old one.
 */
export async function benchSegments(): Promise<void> {
  const emulators = await startBenchEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
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
  const suppressions = new DynamoSuppressionStore(db, TABLE);
  const deps = { segmentFacts: new DynamoSegmentFacts(db, TABLE), suppressions };
  console.log(`\n== Segments: a full count at ${SIZE.toLocaleString('en')} leads (DynamoDB emulator) ==`);
  try {
    await createTable(client, TABLE);
    const seeded = performance.now();
    const all = withSegmentFacts(seededLeads(SIZE, 21, 'seg-'));
    await writeLeads(db, TABLE, all);
    const suppressed = all.filter((_, i) => i % SUPPRESSED === 0);
    for (let i = 0; i < suppressed.length; i += 50)
      await Promise.all(
        suppressed.slice(i, i + 50).map((lead) => suppressions.suppress(lead.email, 'bounced', 'bench')),
      );
    const size = sizes(all.slice(0, 1000));
    console.log(
      `seeded in ${fmt((performance.now() - seeded) / 1000, 0)} s; a lead item ${fmt(size.item, 0)} B, its segment facts ${fmt(size.facts, 0)} B (JSON)`,
    );

    // The seeded activity times are relative to NOW: the clock starts there and runs in real time.
    const t0 = performance.now();
    const clock = { now: () => new Date(NOW.getTime() + (performance.now() - t0)) };
    let started = performance.now();
    const old = SEGMENTS.map(() => 0);
    let lookupMs = 0;
    let read = 0;
    let cursor: string | null = null;
    do {
      const page = await leads.page(cursor, OLD_PAGE);
      const now = clock.now();
      for (const [s, [, definition]] of SEGMENTS.entries()) {
        // The old count looked the suppression list up one GetItem per lead: timed apart from the read.
        const lookedUp = performance.now();
        const flags = needsSuppression(definition)
          ? await Promise.all(
              page.leads.map(async (lead) => (await suppressions.lookup(lead.email)) !== undefined),
            )
          : undefined;
        lookupMs += performance.now() - lookedUp;
        old[s] =
          (old[s] ?? 0) + page.leads.filter((lead, i) => matches(lead, definition, now, flags?.[i])).length;
      }
      read += page.leads.length;
      cursor = page.cursor;
    } while (cursor);
    const baseline = (performance.now() - started - lookupMs) / 1000;
    console.log(
      `baseline: the old count's paged read of every lead (index + BatchGetItem, ${OLD_PAGE} a page)  ${fmt(baseline, 2)} s  ${fmt(read / baseline, 0)} leads/s  (${read} leads); its suppression lookups (GetItem per lead) ${fmt(lookupMs / 1000, 2)} s more`,
    );

    for (const [s, [name, definition]] of SEGMENTS.entries()) {
      started = performance.now();
      const preview = await previewSegment({ ...deps, clock }, definition, Number.POSITIVE_INFINITY);
      const seconds = (performance.now() - started) / 1000;
      const oldSeconds = baseline + (needsSuppression(definition) ? lookupMs / 1000 : 0);
      const same =
        preview.count === old[s] && preview.scanned === read
          ? 'same count as the old one'
          : `DIFFERS from the old count ${old[s]}`;
      console.log(
        `${name}\n  count ${preview.count} of ${preview.scanned}  ${fmt(seconds, 2)} s  ${fmt(preview.scanned / seconds, 0)} leads/s  ${fmt(seconds / baseline, 2)}x the old paged read (old count ${fmt(oldSeconds, 2)} s: ${fmt(oldSeconds / seconds, 1)}x faster)  (${same})`,
      );
    }
  } finally {
    await emulators.stop();
  }
}
