import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toLeadItem } from '../functions/adapters/dynamodb/lead-item';
import { leadIdFor } from '../functions/core/kernel/email';
import { type LeadState, STAGES } from '../functions/core/leads/lead';
import { emptyAggregate } from '../functions/core/scoring/score';

/**
 * Leads for the lead list's tests and bench: the app's own lead items (toLeadItem, so every index
 * attribute is the one a real write sets), varied by a seeded generator so filters, sorts and ties
 * (equal creation times and scores) all occur. Written by BatchWriteItem, 25 at a time.
 */
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Edsger', '=cmd', 'Zoë', 'Ken', 'Margaret'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Dijkstra', 'Thompson', 'Hamilton'];
const COMPANIES = ['Initech', 'Globex', 'Umbrella', 'Acme, Inc.', 'Hooli', '@evil', 'Stark "Industries"'];
const SOURCES = ['form:demo-request', 'form:newsletter', 'meta', 'google', 'linkedin', 'tiktok', 'api'];
const CAMPAIGNS = ['spring', 'summer', 'launch'];
const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

/** A small deterministic generator (mulberry32): the same leads for the same seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededLeads(count: number, seed = 1, prefix = 'list'): LeadState[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${first.toLowerCase().replace(/[^a-z]/g, '')}.${last.toLowerCase()}.${prefix}${i}@example.com`;
    // Few distinct days and scores: ties are common, and the lead id breaks them.
    const createdAt = new Date(base + Math.floor(next() * 60) * 86_400_000).toISOString();
    const scored = next() < 0.8;
    const source = pick(SOURCES);
    const activity =
      next() < 0.7
        ? new Date(Date.parse(createdAt) + Math.floor(next() * 30) * 86_400_000).toISOString()
        : undefined;
    const at = createdAt;
    const field = (value: string) => ({ value, source, at });
    const lead: LeadState = {
      leadId: leadIdFor(email),
      email,
      stage: pick(STAGES),
      profile: {
        firstName: field(first),
        lastName: field(last),
        ...(next() < 0.85 ? { company: field(pick(COMPANIES)) } : {}),
      },
      firstTouch: {
        at,
        source,
        ...(next() < 0.6 ? { utm_campaign: pick(CAMPAIGNS) } : {}),
      },
      createdAt,
      updatedAt: activity ?? createdAt,
      version: 1,
      aggregate: emptyAggregate(),
      score: scored
        ? {
            fit: 0,
            engagement: 0,
            total: Math.floor(next() * 12) * 10 - 10,
            grade: pick(GRADES),
            mql: false,
            hot: false,
            breakdown: [],
            modelVersion: 1,
          }
        : null,
      ...(activity
        ? {
            lastActivity: {
              activityId: `act_${i}`,
              leadId: '',
              type: 'page_viewed',
              at: activity,
              source: 'api',
            },
          }
        : {}),
      ...(next() < 0.15 ? { owner: { rep: 'rep-1', repName: 'Rita Rep', since: at, handoff: 1 } } : {}),
      ...(next() < 0.1 ? { marketingConsent: { granted: false, at, source: 'unsubscribe' } } : {}),
      ...(next() < 0.1 ? { test: true } : {}),
    };
    return lead;
  });
}

export async function writeLeads(
  db: DynamoDBDocumentClient,
  table: string,
  leads: LeadState[],
): Promise<void> {
  const items = leads.map(toLeadItem);
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  // A few batches at a time: the emulator is one process.
  for (let i = 0; i < batches.length; i += 8)
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let requests: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
        for (let attempt = 0; requests.length > 0; attempt += 1) {
          if (attempt > 8) throw new Error('BatchWriteItem kept leaving items unprocessed');
          const result = await db.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests as never } }),
          );
          requests = (result.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
        }
      }),
    );
}
