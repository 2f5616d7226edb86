import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore } from '../../functions/adapters/dynamodb/suppression-store';
import { unsubscribe } from '../../functions/core/consent/unsubscribe';
import { READ_AHEAD_MAX_AGE_MS, readAhead } from '../../functions/core/nurture/send-read-ahead';
import { processDueSteps, type SendDeps } from '../../functions/core/nurture/send-step';
import { type EmulatorEnv, emulatorEnv } from '../fixtures/emulators';
import { mailTo, type NurtureHarness, nurtureHarness } from '../fixtures/nurture';

/**
 * send-email's batch read over the real emulators: a batch of email jobs reads its leads and their
 * suppression entries in two requests, and each job then writes as before (claim, email_sent,
 * lead). Every write stays conditional on the version read, so a lead written after the batch
 * read is decided again from a fresh read; a read older than READ_AHEAD_MAX_AGE_MS is not used.
 */
let env: EmulatorEnv;
let ses: string;
const run = Date.now().toString(36);

beforeAll(async () => {
  env = await emulatorEnv({
    LEADFLOW_UNSUBSCRIBE_KEY: 'unsubscribe-key-for-read-ahead-tests',
    LEADFLOW_PUBLIC_URL: 'https://leadflow.example',
  });
  ses = process.env.AWS_ENDPOINT_URL_SESV2 ?? '';
});
afterAll(async () => env?.stop());

/**
 * Counts the DynamoDB requests `work` makes through the test's document client, but for reads of
 * the active nurture config: the harness reads it every time (cache 0), a function caches it.
 */
async function counted<T>(work: () => Promise<T>): Promise<{ result: T; requests: number }> {
  let requests = 0;
  const name = `count-${Math.random()}`;
  env.db.middlewareStack.add(
    (next, context) => (args) => {
      const key = (args.input as { Key?: { pk?: string } }).Key;
      if (!(context.commandName === 'GetItemCommand' && key?.pk?.startsWith('CONFIG#'))) requests += 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    return { result: await work(), requests };
  } finally {
    env.db.middlewareStack.remove(name);
  }
}

/** Signs up `n` addresses on a weekday in the send window and takes their queued jobs. */
async function batch(h: NurtureHarness, tag: string, n: number) {
  h.clock.set('2025-01-07T15:00:00.000Z');
  const emails = Array.from({ length: n }, (_, i) => `ada.${tag}${i}.${run}@acme-industries.de`);
  const leadIds: string[] = [];
  for (const email of emails) leadIds.push(await h.signUp(email));
  await h.queue();
  const jobs = await h.takeJobs();
  expect(new Set(jobs)).toEqual(new Set(leadIds));
  return { emails, leadIds, jobs };
}

const stepTypes = async (h: NurtureHarness, leadId: string) =>
  (await h.timeline(leadId)).filter((a) => a.type.startsWith('email_')).map((a) => a.type);

describe('send-email reads a batch of jobs ahead', () => {
  it('sends each due step once with 2 batch reads + 3 writes per lead (claim, email_sent, lead)', async () => {
    const h = await nurtureHarness(env, 'read-ahead-count');
    const { emails, jobs } = await batch(h, 'count', 4);
    const { result, requests } = await counted(async () => {
      const ahead = await readAhead(h.send, jobs);
      return Promise.all(jobs.map((leadId) => processDueSteps(h.send, leadId, ahead)));
    });
    expect(result.map((t) => t.sent)).toEqual([1, 1, 1, 1]);
    expect(requests).toBe(2 + 4 * 3);
    for (const email of emails) expect(await mailTo(ses, email)).toHaveLength(1);
  });

  it('skips an address suppressed before the batch read, with the reason', async () => {
    const h = await nurtureHarness(env, 'read-ahead-suppressed');
    const { emails, leadIds, jobs } = await batch(h, 'supp', 3);
    await new DynamoSuppressionStore(env.db, h.table).suppress(emails[1] ?? '', 'bounced', 'ses:bounce');
    const ahead = await readAhead(h.send, jobs);
    for (const leadId of jobs) await processDueSteps(h.send, leadId, ahead);
    expect(await mailTo(ses, emails[1] ?? '')).toHaveLength(0);
    expect(await stepTypes(h, leadIds[1] ?? '')).toEqual(['email_skipped', 'email_skipped', 'email_skipped']);
    expect(await mailTo(ses, emails[0] ?? '')).toHaveLength(1);
    expect(await mailTo(ses, emails[2] ?? '')).toHaveLength(1);
  });

  it('decides again on a lead written after the batch read: an unsubscribe meanwhile sends nothing', async () => {
    const h = await nurtureHarness(env, 'read-ahead-stale');
    const { emails, leadIds, jobs } = await batch(h, 'stale', 2);
    const ahead = await readAhead(h.send, jobs);
    const suppressions = new DynamoSuppressionStore(env.db, h.table);
    await unsubscribe({ leads: h.leads, suppressions, clock: h.clock }, leadIds[0] ?? '');
    for (const leadId of jobs) await processDueSteps(h.send, leadId, ahead);
    expect(await mailTo(ses, emails[0] ?? '')).toHaveLength(0);
    expect(await mailTo(ses, emails[1] ?? '')).toHaveLength(1);
    expect((await h.enrollment(leadIds[0] ?? ''))?.status).toBe('exited');
  });

  it('does not use a read older than its maximum age: a suppression added meanwhile holds the email', async () => {
    const h = await nurtureHarness(env, 'read-ahead-age');
    const { emails, leadIds, jobs } = await batch(h, 'age', 2);
    const ahead = await readAhead(h.send, jobs);
    await new DynamoSuppressionStore(env.db, h.table).suppress(
      emails[0] ?? '',
      'complained',
      'ses:complaint',
    );
    h.clock.set(new Date(h.clock.now().getTime() + READ_AHEAD_MAX_AGE_MS + 1));
    for (const leadId of jobs) await processDueSteps(h.send, leadId, ahead);
    expect(await mailTo(ses, emails[0] ?? '')).toHaveLength(0);
    expect(await stepTypes(h, leadIds[0] ?? '')).toContain('email_skipped');
    expect(await mailTo(ses, emails[1] ?? '')).toHaveLength(1);
  });
});

describe('a batch that dies midway (faults injected)', () => {
  it('the redelivered batch sends no step twice, and every step ends sent or failed', async () => {
    const h = await nurtureHarness(env, 'read-ahead-crash');
    const { emails, leadIds, jobs } = await batch(h, 'crash', 3);
    // The run dies right after SES took the second email, before its email_sent and lead write.
    let sentEntries = 0;
    const leads = Object.create(h.leads) as typeof h.leads;
    leads.putActivity = async (activity) => {
      if (activity.type === 'email_sent' && ++sentEntries === 2) throw new Error('the process died');
      return h.leads.putActivity(activity);
    };
    const deps: SendDeps = { ...h.send, leads };
    const ahead = await readAhead(deps, jobs);
    await expect(
      (async () => {
        for (const leadId of jobs) await processDueSteps(deps, leadId, ahead);
      })(),
    ).rejects.toThrow('the process died');

    // SQS hands the batch out again once the claim has timed out: a new batch read, the real mailer.
    h.clock.set('2025-01-07T15:05:00.000Z');
    const again = await readAhead(h.send, jobs);
    for (const leadId of jobs) await processDueSteps(h.send, leadId, again);

    const outcomes: string[][] = [];
    for (const [i, leadId] of leadIds.entries()) {
      expect(await mailTo(ses, emails[i] ?? '')).toHaveLength(1);
      outcomes.push(await stepTypes(h, leadId));
      expect((await h.enrollment(leadId))?.sending).toBeUndefined();
      expect(await h.enrollment(leadId)).toMatchObject({ step: 1 });
    }
    // The died step cannot know it was sent: it ends failed (outcome_unknown), never sent again.
    expect(outcomes.map((o) => o.join()).sort()).toEqual(['email_failed', 'email_sent', 'email_sent']);
  });
});
