import { describe, expect, it } from 'vitest';
import type { ExportFiles, ExportJob, ExportStore } from '../../functions/core/leads/export-ports';
import {
  exportFile,
  exportStatus,
  runExport,
  startExport,
  WITHDRAWN,
  withdrawExports,
} from '../../functions/core/leads/lead-export-job';
import type { LeadList, LeadListQuery, LeadRow } from '../../functions/core/leads/lead-list';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const clock = { now: () => NOW };
const maya = { name: 'Maya Lindqvist', username: 'maya', role: 'marketing' as const };
const ravi = { name: 'Ravi Patel', username: 'ravi', role: 'sales' as const };
const alex = { name: 'Alex Admin', username: 'alex', role: 'admin' as const };

const row = (i: number): LeadRow => ({
  leadId: `ld_${i.toString(16).padStart(24, '0')}`,
  email: `a${i}@example.com`,
  name: i === 0 ? '=HYPERLINK("x")' : 'Ada Lovelace',
  company: null,
  stage: 'lead',
  score: 10,
  grade: 'B',
  source: 'meta',
  utmCampaign: null,
  formId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastActivityAt: null,
  owner: null,
  suppressed: false,
  test: false,
});

/** `count` rows, 100 a page; remembers the queries it answered. */
function fakeList(count: number): LeadList & { queries: LeadListQuery[] } {
  return {
    queries: [],
    async page(query) {
      this.queries.push(query);
      const offset = query.cursor ? Number(query.cursor) : 0;
      const end = Math.min(count, offset + query.limit);
      const leads = Array.from({ length: end - offset }, (_, i) => row(offset + i));
      return { leads, total: count, totalExact: true, cursor: end < count ? String(end) : null };
    },
  };
}

function memoryStore(): ExportStore & { jobs: Map<string, ExportJob>; progressed: number[] } {
  return {
    jobs: new Map(),
    progressed: [],
    async create(job) {
      this.jobs.set(job.exportId, structuredClone(job));
    },
    async get(id) {
      return structuredClone(this.jobs.get(id));
    },
    async progress(id, rows) {
      this.progressed.push(rows);
      const job = this.jobs.get(id);
      if (job?.status === 'running') job.rows = rows;
    },
    async finish(id, end) {
      const job = this.jobs.get(id);
      if (job?.status !== 'running') return false;
      Object.assign(job, end);
      return true;
    },
    async startedSince(since) {
      return [...this.jobs.values()]
        .filter((job) => job.createdAt >= since)
        .map((job) => structuredClone(job));
    },
    async withdraw(id, at, error) {
      const job = this.jobs.get(id);
      if (job) Object.assign(job, { status: 'failed', finishedAt: at, error });
    },
  };
}

function memoryFiles(fail = false): ExportFiles & { files: Map<string, string> } {
  return {
    files: new Map(),
    async write(id, csv) {
      if (fail) throw new Error('disk full');
      this.files.set(id, csv);
    },
    async link(id) {
      return { url: `http://local/${id}`, expiresAt: '2026-12-01T10:15:00.000Z' };
    },
    async read(id) {
      return this.files.get(id);
    },
    async remove(id) {
      this.files.delete(id);
    },
  };
}

function setup(rows = 250, failing = false) {
  const exports = memoryStore();
  const files = memoryFiles(failing);
  const sent: string[] = [];
  const queue = { request: async (id: string) => void sent.push(id) };
  return { exports, files, sent, queue, list: fakeList(rows), clock };
}

describe('background lead export', () => {
  it('stores a running job for who asked, queues it, and answers at once', async () => {
    const deps = setup();

    const started = await startExport(deps, { stage: 'mql', sort: 'score' }, maya);

    expect(started).toEqual({
      exportId: expect.stringMatching(/^exp_/),
      status: 'running',
      rows: 0,
      createdAt: NOW.toISOString(),
    });
    expect(deps.sent).toEqual([started.exportId]);
    expect(deps.exports.jobs.get(started.exportId)).toMatchObject({
      params: { stage: 'mql', sort: 'score' },
      requestedBy: { name: 'Maya Lindqvist', username: 'maya' },
      expiresAt: '2026-12-08T10:00:00.000Z',
    });
  });

  it('refuses a bad filter with the list’s 400 and stores and queues nothing', async () => {
    const deps = setup();
    await expect(startExport(deps, { stage: 'nope' }, maya)).rejects.toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'stage' }],
    });
    expect(deps.exports.jobs.size).toBe(0);
    expect(deps.sent).toEqual([]);
  });

  it('writes every row of the filter, formula-escaped, records progress, and ends ready with the row count', async () => {
    const deps = setup(2_050);
    const { exportId } = await startExport(deps, { stage: 'mql' }, maya);

    expect(await runExport(deps, exportId)).toBe('ready');

    const lines = (deps.files.files.get(exportId) ?? '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(2_051);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(deps.list.queries[0]).toMatchObject({ filter: { stage: ['mql'] }, limit: 100, cursor: null });
    expect(deps.exports.progressed).toEqual([1_000, 2_000]);
    expect(deps.exports.jobs.get(exportId)).toMatchObject({
      status: 'ready',
      rows: 2_050,
      finishedAt: NOW.toISOString(),
    });
  });

  it('leaves a job that is not running alone (a redelivered message): no second file, no second read', async () => {
    const deps = setup(10);
    const { exportId } = await startExport(deps, {}, maya);
    await runExport(deps, exportId);
    const reads = deps.list.queries.length;

    expect(await runExport(deps, exportId)).toBe('ready');
    expect(await runExport(deps, 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('gone');
    expect(deps.list.queries.length).toBe(reads);
  });

  it('marks the job failed, with words for people, when the file cannot be written', async () => {
    const deps = setup(10, true);
    const { exportId } = await startExport(deps, {}, maya);

    await expect(runExport(deps, exportId)).rejects.toThrow('disk full');

    const view = await exportStatus(deps, exportId, maya);
    expect(view).toMatchObject({ status: 'failed', error: 'The export failed; start it again.' });
    expect(view.download).toBeUndefined();
    expect(await runExport(deps, exportId)).toBe('failed');
  });

  it('shows the job and, when ready, a download link to who asked and to an admin; refuses anyone else', async () => {
    const deps = setup(3);
    const { exportId } = await startExport(deps, {}, maya);
    expect(await exportStatus(deps, exportId, maya)).toMatchObject({ status: 'running', rows: 0 });
    await expect(exportFile(deps, exportId, maya)).rejects.toMatchObject({ code: 'export_not_ready' });
    await runExport(deps, exportId);

    const ready = await exportStatus(deps, exportId, maya);
    expect(ready.download).toEqual({
      url: `http://local/${exportId}`,
      expiresAt: '2026-12-01T10:15:00.000Z',
      fileName: `leads-2026-12-01-${exportId.slice(-6).toLowerCase()}.csv`,
    });
    expect((await exportStatus(deps, exportId, alex)).status).toBe('ready');
    await expect(exportStatus(deps, exportId, ravi)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(exportFile(deps, exportId, ravi)).rejects.toMatchObject({ code: 'forbidden' });
    const file = await exportFile(deps, exportId, maya);
    expect('csv' in file && file.csv.split('\r\n')).toHaveLength(5);
  });

  it('tells two API tokens with the same name from a person with that name', async () => {
    const deps = setup(1);
    const { exportId } = await startExport(deps, {}, { name: 'Maya Lindqvist', role: 'marketing' });
    await expect(exportStatus(deps, exportId, maya)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await exportStatus(deps, exportId, { name: 'Maya Lindqvist', role: 'marketing' })).status).toBe(
      'running',
    );
  });

  it('answers 404 for an unknown id, a malformed one, and a job past its 7 days', async () => {
    const deps = setup(1);
    const { exportId } = await startExport(deps, {}, maya);
    await expect(exportStatus(deps, 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV', maya)).rejects.toMatchObject({
      code: 'export_not_found',
    });
    await expect(exportStatus(deps, '../../etc/passwd', maya)).rejects.toMatchObject({
      code: 'export_not_found',
    });
    const later = { ...deps, clock: { now: () => new Date('2026-12-08T10:00:00.000Z') } };
    await expect(exportStatus(later, exportId, maya)).rejects.toMatchObject({ code: 'export_not_found' });
  });

  it('withdraws every export of the last 7 days after an erase: files gone, jobs failed with the reason', async () => {
    // Prepare: a ready export, a running one, and one from 8 days ago (its file already expired).
    const deps = setup(3);
    const ready = (await startExport(deps, {}, maya)).exportId;
    await runExport(deps, ready);
    const running = (await startExport(deps, {}, ravi)).exportId;
    const old = {
      ...(deps.exports.jobs.get(ready) as ExportJob),
      exportId: 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV',
    };
    deps.exports.jobs.set(old.exportId, { ...old, createdAt: '2026-11-23T10:00:00.000Z' });

    // Act
    const withdrawn = await withdrawExports(deps);

    // Assess
    expect(withdrawn).toBe(2);
    expect(deps.files.files.has(ready)).toBe(false);
    for (const id of [ready, running])
      expect(deps.exports.jobs.get(id)).toMatchObject({ status: 'failed', error: WITHDRAWN });
    expect(deps.exports.jobs.get(old.exportId)?.status).toBe('ready');
    expect((await exportStatus(deps, ready, maya)).download).toBeUndefined();
  });

  it('keeps the file when another delivery of the same message finished the export first', async () => {
    const deps = setup(3);
    const { exportId } = await startExport(deps, {}, maya);
    // Two workers got the message (SQS is at least once): the other one finishes while this one reads.
    const page = deps.list.page.bind(deps.list);
    let raced = false;
    deps.list.page = async (query) => {
      const result = await page(query);
      if (!raced) {
        raced = true;
        deps.list.page = page;
        expect(await runExport(deps, exportId)).toBe('ready');
      }
      return result;
    };

    expect(await runExport(deps, exportId)).toBe('ready');
    expect(deps.files.files.has(exportId)).toBe(true);
    expect(deps.exports.jobs.get(exportId)).toMatchObject({ status: 'ready', rows: 3 });
  });

  it('removes the file a withdrawn export was still writing, and stays failed', async () => {
    const deps = setup(3);
    const { exportId } = await startExport(deps, {}, maya);
    // The erase lands while the worker reads the rows.
    const page = deps.list.page.bind(deps.list);
    deps.list.page = async (query) => {
      await withdrawExports(deps);
      return page(query);
    };

    expect(await runExport(deps, exportId)).toBe('failed');
    expect(deps.files.files.has(exportId)).toBe(false);
    expect(deps.exports.jobs.get(exportId)).toMatchObject({ status: 'failed', error: WITHDRAWN });
  });
});
