import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImport } from '../../functions/core/imports/import-job';
import { runImportPage } from '../../functions/core/imports/import-page';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LocalStack } from '../../functions/local/stack';
import { accessTokenFor, api, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * CSV lead imports on the whole local stack: the API makes the import and its upload link, the
 * local upload route stands in for S3's presigned PUT, the start checks the header, the local queue
 * poller runs the worker page by page (as SQS runs the Lambda on AWS), rows go through the same
 * record path as forms.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
const token: Record<string, string> = {};
const run = Date.now().toString(36);
const as = (person: string) => token[person] as string;
const email = (name: string) => `imp-${run}-${name}@initech.de`;
const leadOf = (address: string) => http.get(`/v1/admin/leads/${leadIdFor(address)}`, as('maya'));

const SEQUENCE = 'imported-welcome';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 100_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  for (const person of ['maya', 'ravi', 'alex']) token[person] = await accessTokenFor(stack, person);
  // An existing lead (from a form) and an address that unsubscribed.
  await http.submit('newsletter', { email: email('known'), consent: false });
  await http.submit('newsletter', { email: email('gone'), consent: true });
  const gone = await http.post(`/v1/admin/leads/${leadIdFor(email('gone'))}/unsubscribe`, {}, as('maya'));
  expect(gone.status).toBe(200);
  // A sequence imported leads enter, for those with consent only.
  const nurture = (await http.get('/v1/admin/nurture', as('maya'))).json.active.document;
  const welcome = nurture.sequences.find((s: Json) => s.id === 'welcome');
  const sequence = {
    ...welcome,
    id: SEQUENCE,
    name: 'Imported welcome',
    trigger: { on: 'activity', type: 'lead_imported' },
  };
  const added = await http.post(
    '/v1/admin/nurture/versions',
    { config: { ...nurture, sequences: [...nurture.sequences, sequence] } },
    as('maya'),
  );
  expect(added.status).toBe(201);
  const activated = await http.post(
    `/v1/admin/nurture/versions/${added.json.version}/activate`,
    {},
    as('maya'),
  );
  expect(activated.status).toBe(200);
}, 120_000);
afterAll(() => stack?.stop());

const CSV = [
  '\uFEFFE-mail;First name;Company;Opted in;Notes',
  `${email('ann')};Ann;"Initech; Berlin";yes;"likes
two lines"`,
  `${email('bob')};Bob;Initech;no;`,
  `${email('known')};Karl;Initech;;`,
  `${email('gone')};Gina;Initech;yes;`,
  'not-an-email;Nobody;Initech;yes;',
  ';;;;',
  `${email('eve')};<b>Eve</b>;Initech;maybe;`,
].join('\r\n');

const MAPPING = { 'E-mail': 'email', 'First name': 'firstName', Company: 'company', Notes: 'ignore' };
const CONSENT = {
  basis: 'legitimate_interest',
  text: 'Yes, send me the Initech newsletter.',
  proofSource: 'Trade show sign-up sheet',
  givenAt: '2026-10-01',
};

async function createAndUpload(csv: string, person = 'maya') {
  const created = await http.post('/v1/admin/leads/imports', undefined, as(person));
  expect(created.status).toBe(201);
  const put = await fetch(created.json.upload.url, {
    method: 'PUT',
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
  expect(put.status).toBe(200);
  return created.json.importId as string;
}
const start = (importId: string, body: Json, person = 'maya') =>
  http.post(`/v1/admin/leads/imports/${importId}/start`, body, as(person));
const finished = (importId: string) =>
  waitFor(
    'the import to finish',
    async () => {
      const answer = await http.get(`/v1/admin/leads/imports/${importId}`, as('maya'));
      return answer.json.status === 'running' ? undefined : answer.json;
    },
    30_000,
  );

describe('CSV lead imports', () => {
  let importId: string;

  it('lets marketing make an import with an upload link; sales may not (403)', async () => {
    expect((await http.post('/v1/admin/leads/imports', undefined, as('ravi'))).status).toBe(403);
    importId = await createAndUpload(CSV);
    const view = await http.get(`/v1/admin/leads/imports/${importId}`, as('maya'));
    expect(view.json).toMatchObject({ status: 'awaiting_upload', counts: { read: 0 } });
    expect(view.json.upload.url).toContain(`/local/imports/${importId}?`);
  });

  it('refuses an upload link that was tampered with (403) and a start before the file is there (409)', async () => {
    const created = await http.post('/v1/admin/leads/imports', undefined, as('maya'));
    const forged = created.json.upload.url.replace(/signature=[^&]+/, 'signature=AAAA');
    expect((await fetch(forged, { method: 'PUT', body: 'email\n' })).status).toBe(403);
    const early = await start(created.json.importId, {
      mapping: { email: 'email' },
      consent: { basis: 'none' },
    });
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('import_not_uploaded');
  });

  it('checks the header row first: 400 naming unknown targets and headers the file lacks', async () => {
    const res = await start(importId, {
      mapping: { 'E-mail': 'email', 'First name': 'firstname', Phone: 'phone' },
      consent: { basis: 'none' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: Json) => d.path).sort()).toEqual([
      'mapping.First name',
      'mapping.Phone',
    ]);
    expect(res.json.error.details[0].message).toContain('"firstname" is not a field');
    const noProof = await start(importId, { mapping: MAPPING, consent: { basis: 'consent_given' } });
    expect(noProof.status).toBe(400);
    expect(noProof.json.error.details[0].path).toBe('consent.text');
  });

  it('a dry run counts what would happen and changes nothing', async () => {
    const res = await start(importId, {
      mapping: MAPPING,
      consent: CONSENT,
      consentColumn: 'Opted in',
      dryRun: true,
    });
    expect(res.status).toBe(202);
    const done = await finished(importId);
    expect(done).toMatchObject({
      status: 'done',
      dryRun: true,
      counts: { read: 7, created: 2, updated: 1, unchanged: 0, suppressed: 1, skipped: 1, failed: 2 },
    });
    expect((await leadOf(email('ann'))).status).toBe(404);
    expect((await leadOf(email('known'))).json.profile.firstName).toBeUndefined();
  });

  it('the real run creates, dedupes an existing lead, keeps a suppressed address suppressed, enrolls only with consent', async () => {
    const res = await start(importId, { mapping: MAPPING, consent: CONSENT, consentColumn: 'Opted in' });
    expect(res.status).toBe(202);
    const done = await finished(importId);
    expect(done).toMatchObject({
      status: 'done',
      dryRun: false,
      counts: { read: 7, created: 2, updated: 1, unchanged: 0, suppressed: 1, skipped: 1, failed: 2 },
      errorReport: `/v1/admin/leads/imports/${importId}/errors`,
    });

    const ann = (await leadOf(email('ann'))).json;
    expect(ann.profile).toMatchObject({ firstName: 'Ann', company: 'Initech; Berlin' });
    const entry = ann.timeline.find((e: Json) => e.type === 'lead_imported');
    expect(entry).toMatchObject({
      source: 'import',
      properties: { importId, row: 2, consentBasis: 'consent_given' },
    });
    expect(ann.consent[0]).toMatchObject({
      granted: true,
      text: CONSENT.text,
      source: `import:${importId}`,
      at: '2026-10-01T00:00:00.000Z',
    });
    expect(ann.enrollments.map((e: Json) => e.sequenceId)).toContain(SEQUENCE);

    const bob = (await leadOf(email('bob'))).json;
    expect(bob.consent).toEqual([]);
    expect(bob.enrollments.map((e: Json) => e.sequenceId)).not.toContain(SEQUENCE);
    expect(bob.timeline[0].properties.consentBasis).toBe('legitimate_interest');

    const known = (await leadOf(email('known'))).json;
    expect(known.profile.firstName).toBe('Karl');
    expect(known.timeline.filter((e: Json) => e.type === 'form_submitted')).toHaveLength(1);

    const gone = (await leadOf(email('gone'))).json;
    expect(gone.profile.firstName).toBeUndefined();
    expect(gone.suppressed).toMatchObject({ reason: 'unsubscribed' });
    expect(gone.timeline.some((e: Json) => e.type === 'lead_imported')).toBe(false);
  });

  it('serves the error report: row, column, reason and no other row data', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/admin/leads/imports/${importId}/errors`, {
      headers: { authorization: `Bearer ${as('maya')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text.trimEnd().split('\r\n')).toEqual([
      'row,column,reason',
      '6,E-mail,must be a valid email address',
      '8,First name,must not contain markup or template characters (< > {{ }})',
      '8,Opted in,"must be yes or no (true/false, 1/0)"',
    ]);
    expect(text).not.toContain('Nobody');
  });

  it('imports a second file of the same people as unchanged, and an import is read only by who started it or an admin', async () => {
    const again = await createAndUpload(`email,firstName\n${email('ann')},Ann\n`);
    await start(again, { mapping: { email: 'email', firstName: 'firstName' }, consent: { basis: 'none' } });
    expect((await finished(again)).counts).toMatchObject({ read: 1, unchanged: 1, created: 0, updated: 0 });
    expect((await http.get(`/v1/admin/leads/imports/${again}`, as('alex'))).status).toBe(200);
    const other = await accessTokenFor(stack, 'mia');
    expect((await http.get(`/v1/admin/leads/imports/${again}`, other)).status).toBe(403);
  });

  it('resumes a page after a crash mid-page: rows already applied are recognised, nothing is counted twice', async () => {
    // Loaded after the stack set the environment (the wiring reads it once).
    const { leadImportApiDeps, leadImportWorkerDeps } = await import(
      '../../functions/shared/wiring/lead-imports'
    );
    const rows = Array.from({ length: 12 }, (_, i) => `${email(`crash-${i}`)},Name${i}`);
    const crashId = await createAndUpload(['email,firstName', ...rows].join('\n'));
    // Started without queueing its first page: this test runs the worker itself.
    const caller = { name: 'Maya', username: 'maya', role: 'marketing' as const };
    const api = { ...leadImportApiDeps(), queue: { page: async () => {} } };
    await startImport(
      api,
      crashId,
      { mapping: { email: 'email', firstName: 'firstName' }, consent: { basis: 'none' }, dryRun: false },
      caller,
    );

    const deps = leadImportWorkerDeps();
    let stored = 0;
    const leads = new Proxy(deps.leads, {
      get(target, property) {
        if (property === 'putActivity')
          return async (activity: Parameters<typeof target.putActivity>[0]) => {
            stored += 1;
            // The worker dies after five timeline entries (the rest of the page's leads may be written).
            if (stored > 5) throw new Error('crash');
            return target.putActivity(activity);
          };
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await expect(runImportPage({ ...deps, leads }, crashId, 2)).rejects.toThrow('crash');
    const midway = (await http.get(`/v1/admin/leads/imports/${crashId}`, as('maya'))).json;
    expect(midway).toMatchObject({ status: 'running', counts: { read: 0, created: 0 } });

    expect(await runImportPage(deps, crashId, 2)).toBe('done');
    const done = (await http.get(`/v1/admin/leads/imports/${crashId}`, as('maya'))).json;
    expect(done.counts).toEqual({
      read: 12,
      created: 12,
      updated: 0,
      unchanged: 0,
      suppressed: 0,
      skipped: 0,
      failed: 0,
    });
    for (let i = 0; i < 12; i += 1) {
      const lead = (await leadOf(email(`crash-${i}`))).json;
      expect(lead.profile.firstName).toBe(`Name${i}`);
      expect(lead.timeline.filter((e: Json) => e.type === 'lead_imported')).toHaveLength(1);
    }
    // A redelivered message for the page finds it done and imports nothing.
    expect(await runImportPage(deps, crashId, 2)).toBe('done');
  });
});

describe('suppression list export (leadflow suppressions export)', () => {
  it('writes every suppression as its keyed hash with reason, time and source, and never an address', async () => {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
    const { exportSuppressions } = await import('../../bin/commands/suppressions-export');
    const { suppressionHash } = await import('../../functions/core/consent/suppression');
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    let csv = '';
    const rows = await exportSuppressions(db, stack.tableName, (part) => {
      csv += part;
    });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('suppressionKey,reason,at,source,erasedAt');
    expect(lines).toHaveLength(rows + 1);
    const line = lines.find((l) => l.startsWith(suppressionHash(email('gone'))));
    expect(line?.split(',').slice(1, 2)).toEqual(['unsubscribed']);
    expect(csv).not.toContain('@');
    db.destroy();
  });
});
