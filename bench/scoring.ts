import {
  type ActivityToApply,
  applyActivity,
  type EngagementAggregate,
  emptyAggregate,
  type ScoringModel,
  scoreLead,
  validateScoringModel,
} from '../functions/core/scoring';
import { fmt, median } from './stats';

const LEADS = 1000;
const ACTIVITIES_PER_LEAD = 200;
const ROUNDS = 5;
const PASSES = 10;
const TARGET = 50_000;
const NOW = new Date('2026-11-20T12:00:00.000Z');

/**
 * Pure scoring on one core: `scoreLead` for a 50-rule model (25 fit, 25 engagement) over leads
 * with 200 activities each, already applied into their aggregates, next to a baseline from the
 * same run: a JSON round-trip of the same aggregates (the least any scorer must do to read the
 * lead item). Rounds alternate baseline and scoring so machine drift hits both alike.
 * Two workloads: activities spread evenly over 120 days (the worst case: ~180 day buckets per
 * lead), and the same 200 activities in 15 visits (how people browse: ~60 buckets).
 * `applyActivity` (the per-activity update, pruning included) is measured separately.
 */
export async function benchScoring(): Promise<void> {
  const model = benchModel();
  const spread = benchLeads(model, undefined);
  const visits = benchLeads(model, 15);
  console.log(
    '\n== Lead scoring (pure, one core, %d-rule model, %d activities per lead) ==',
    50,
    ACTIVITIES_PER_LEAD,
  );
  const headline = measureScoring(model, spread.inputs, 'spread over 120 days');
  measureScoring(model, visits.inputs, 'in 15 visits');

  let sink = 0;
  const applying = () => {
    for (const lead of spread.leads.slice(0, LEADS / 4)) {
      let aggregate = emptyAggregate();
      for (const activity of lead.activities)
        aggregate = applyActivity(model, aggregate, activity, NOW).aggregate;
      sink += aggregate.applied.length;
    }
  };
  applying();
  const applyRates = Array.from({ length: ROUNDS }, () => rate((LEADS / 4) * ACTIVITIES_PER_LEAD, applying));
  console.log(
    `applyActivity          ${fmt(median(applyRates), 0)} activities/s  (one core, incl. pruning and the retry check)`,
  );
  console.log(
    `Target                 ${headline >= TARGET ? 'met' : 'NOT met'} for the worst case (>= ${TARGET.toLocaleString('en')} leads/s)  (checksum ${fmt(sink % 1000, 0)})`,
  );
}

type Input = Parameters<typeof scoreLead>[2];

function benchLeads(model: ScoringModel, visits: number | undefined) {
  const random = mulberry32(42);
  const leads = Array.from({ length: LEADS }, (_, i) => benchLead(i, random, visits));
  // Scored as read from the lead item: freshly parsed, like the DynamoDB unmarshaller's output.
  const inputs: Input[] = leads.map((lead) => ({
    email: lead.email,
    profile: lead.profile,
    aggregate: JSON.parse(
      JSON.stringify(
        lead.activities.reduce(
          (aggregate, activity) => applyActivity(model, aggregate, activity, NOW).aggregate,
          emptyAggregate(),
        ),
      ),
    ) as EngagementAggregate,
  }));
  return { leads, inputs };
}

/** Prints and returns scoreLead's leads/s (median of the rounds) for one workload. */
function measureScoring(model: ScoringModel, inputs: Input[], label: string): number {
  let sink = 0;
  const baseline = () => {
    for (let pass = 0; pass < PASSES; pass += 1) {
      for (const input of inputs)
        sink += (JSON.parse(JSON.stringify(input.aggregate)) as EngagementAggregate).applied.length;
    }
  };
  const scoring = () => {
    for (let pass = 0; pass < PASSES; pass += 1) {
      for (const input of inputs) sink += scoreLead(model, 1, input, NOW).total;
    }
  };
  // Warm up: JIT, the compiled-model cache, the email domain lists.
  baseline();
  scoring();
  const baselineRates: number[] = [];
  const scoringRates: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    baselineRates.push(rate(LEADS * PASSES, baseline));
    scoringRates.push(rate(LEADS * PASSES, scoring));
  }
  const scored = median(scoringRates);
  const floor = median(baselineRates);
  const buckets = inputs.reduce(
    (sum, input) => sum + Object.values(input.aggregate.rules).reduce((n, r) => n + r.days.length, 0),
    0,
  );
  const bytes = inputs.map((input) => JSON.stringify(input.aggregate).length).sort((a, b) => a - b);
  console.log(
    `Activities ${label}: ${fmt(buckets / inputs.length, 0)} day buckets per lead, aggregate median ${bytes[bytes.length >> 1]} B as JSON (checksum ${fmt(sink % 1000, 0)})`,
  );
  console.log(
    `  JSON round-trip floor  ${fmt(floor, 0)} aggregates/s  (median of ${ROUNDS} rounds, n=${LEADS * PASSES} each)`,
  );
  console.log(`  scoreLead              ${fmt(scored, 0)} leads/s  (${fmt(1e6 / scored, 1)} µs per lead)`);
  console.log(
    `  Ratio                  ${fmt(scored / floor, 2)} x the JSON round-trip of the same aggregate`,
  );
  return scored;
}

function rate(work: number, loop: () => void): number {
  const started = performance.now();
  loop();
  return (work / (performance.now() - started)) * 1000;
}

/** A 25 + 25 rule model using every operator, as a busy marketing team might write it. */
function benchModel(): ScoringModel {
  const titleWords = [
    ['vp', 'vice president', 'svp', 'evp'],
    ['head of', 'director', 'chief', 'ceo', 'cto', 'cmo', 'cro', 'founder', 'co-founder', 'owner'],
    ['manager', 'team lead', 'principal'],
    ['engineer', 'developer', 'architect'],
    ['student', 'intern', 'trainee', 'phd candidate'],
  ];
  const fit = [
    ...titleWords.map((words, i) => ({
      id: `title-${i}`,
      points: i === 4 ? -30 : 20 - i * 4,
      when: { field: 'jobTitle', containsAny: words },
    })),
    ...[
      ['US', 'CA'],
      ['GB', 'IE'],
      ['DE', 'AT', 'CH'],
      ['FR', 'BE', 'LU', 'NL'],
      ['SE', 'DK', 'NO', 'FI'],
    ].map((list, i) => ({ id: `country-${i}`, points: 10 - i, when: { field: 'country', in: list } })),
    ...[
      [1, 10],
      [11, 50],
      [51, 200],
      [201, 5000],
      [5001, 1_000_000],
    ].map(([min, max], i) => ({
      id: `size-${i}`,
      points: i * 4,
      when: { field: 'companySize', range: { min, max } },
    })),
    { id: 'business-email', points: 15, when: { emailDomain: 'business' } },
    { id: 'free-email', points: -5, when: { emailDomain: 'free' } },
    { id: 'disposable-email', points: -20, when: { emailDomain: 'disposable' } },
    ...['phone', 'company', 'lastName', 'website'].map((field) => ({
      id: `has-${field.toLowerCase()}`,
      points: 3,
      when: { field, present: true },
    })),
    { id: 'saas', points: 5, when: { field: 'industry', equals: 'saas' } },
    { id: 'partner', points: 5, when: { field: 'partner', equals: true } },
    { id: 'seats', points: 5, when: { field: 'seats', equals: 25 } },
  ];
  const engagement = [
    ...['demo-request', 'contact-sales', 'newsletter', 'ebook', 'webinar-signup'].map((formId, i) => ({
      id: `form-${formId}`,
      points: [40, 30, 5, 10, 8][i],
      when: { activity: 'form_submitted', formId },
      cap: { perDay: 40, total: 80 },
    })),
    ...['/pricing', '/customers', '/docs', '/integrations', '/blog', '/careers', '/security', '/compare'].map(
      (pathPrefix, i) => ({
        id: `page${pathPrefix.replace('/', '-')}`,
        points: pathPrefix === '/careers' ? -10 : 10 - i,
        when: { activity: 'page_viewed', pathPrefix },
        cap: pathPrefix === '/careers' ? { total: 10 } : { perDay: 10 },
      }),
    ),
    { id: 'email-open', points: 1, when: { activity: 'email_opened' }, cap: { perDay: 3 } },
    { id: 'email-click', points: 5, when: { activity: 'email_clicked' }, cap: { perDay: 10 } },
    { id: 'email-reply', points: 10, when: { activity: 'email_replied' }, cap: { total: 30 } },
    { id: 'unsubscribe', points: -20, when: { activity: 'email_unsubscribed' }, cap: { total: 20 } },
    ...[
      'trial_started',
      'teammate_invited',
      'integration_connected',
      'webinar_attended',
      'meeting_booked',
      'quote_requested',
      'app_installed',
      'feature_used',
    ].map((activity, i) => ({
      id: `product-${activity.replaceAll('_', '-')}`,
      points: 30 - i * 3,
      when: { activity },
      cap: { total: 60 },
    })),
  ];
  const result = validateScoringModel({
    fit,
    engagement,
    decay: { halfLifeDays: 30 },
    grades: { A: 50, B: 35, C: 20, D: 10 },
    thresholds: { mql: 40, hot: 80, hotMinGrade: 'B' },
  });
  if (!result.ok) throw new Error(`bench model is invalid: ${JSON.stringify(result.errors)}`);
  if (result.model.fit.length !== 25 || result.model.engagement.length !== 25)
    throw new Error('bench model is not 25 + 25 rules');
  return result.model;
}

const TITLES = [
  'VP Marketing',
  'Head of Growth',
  'Software Engineer',
  'Marketing Student',
  'Chief Revenue Officer',
  'Office Manager',
  'Geschäftsführer',
  'Freelancer',
];
const COUNTRIES = ['DE', 'US', 'GB', 'FR', 'SE', 'BR', 'IN', 'AT'];
const SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+', 120, 7];
const DOMAINS = [
  'acme.io',
  'gmail.com',
  'mailinator.com',
  'example-corp.de',
  'outlook.com',
  'big.co.uk',
  'x.yopmail.com',
  'startup.dev',
];
const TYPES = [
  'page_viewed',
  'page_viewed',
  'page_viewed',
  'email_opened',
  'email_opened',
  'email_clicked',
  'form_submitted',
  'trial_started',
  'feature_used',
  'email_replied',
];
const FORMS = ['demo-request', 'contact-sales', 'newsletter', 'ebook', 'webinar-signup'];
const PATHS = [
  '/pricing',
  '/pricing/teams',
  '/customers/acme',
  '/docs/api',
  '/blog/post',
  '/careers',
  '/security',
  '/compare/x',
  '/',
];

function benchLead(i: number, random: () => number, visits: number | undefined) {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const profile: Record<string, string | number | boolean> = {
    firstName: 'Bench',
    jobTitle: pick(TITLES),
    country: pick(COUNTRIES),
    companySize: pick(SIZES),
    industry: pick(['SaaS', 'retail', 'saas']),
  };
  if (random() < 0.5) profile.phone = '+49301234567';
  if (random() < 0.7) profile.company = 'Acme';
  if (random() < 0.2) profile.partner = true;
  const DAY = 86_400_000;
  // Visits: a few days of the last 120, each activity within an hour of its visit's start.
  const starts = Array.from({ length: visits ?? 0 }, () => NOW.getTime() - Math.floor(random() * 120) * DAY);
  const activities: ActivityToApply[] = Array.from({ length: ACTIVITIES_PER_LEAD }, (_, n) => {
    const type = pick(TYPES);
    const when = visits
      ? pick(starts) + Math.floor(random() * 3_600_000)
      : NOW.getTime() - Math.floor(random() * 120 * DAY);
    const at = new Date(when).toISOString();
    const activity: ActivityToApply = { activityId: `lead${i}-act${n}`, type, at };
    if (type === 'form_submitted') activity.formId = pick(FORMS);
    if (type === 'page_viewed')
      activity.properties =
        random() < 0.5 ? { path: pick(PATHS) } : { url: `https://example.com${pick(PATHS)}?utm_source=x` };
    return activity;
  });
  return { email: `lead${i}@${pick(DOMAINS)}`, profile, activities };
}

/** A small seeded generator, so every run scores the same leads. */
function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
