import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoConfigStore } from '../../functions/adapters/dynamodb/config-store';
import { NURTURE_CONFIG_ID } from '../../functions/adapters/dynamodb/nurture-configs';
import { SCORING_MODEL_ID } from '../../functions/adapters/dynamodb/scoring-models';
import type { NurtureConfig } from '../../functions/core/nurture/config-schema';
import type { ScoringModel } from '../../functions/core/scoring/model-schema';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

/**
 * `leadflow config push` then `config pull` on dynalite: the pull writes the active versions back
 * to config/ byte for byte, and a version made elsewhere (the console, the API) comes back as the
 * smallest edit of the files, comments kept.
 */
const run = promisify(execFile);
const CLI = resolve('bin/leadflow.mjs');
let env: EmulatorEnv;
let work: string;
let dir: string;

const cli = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, LEADFLOW_TABLE_NAME: TABLE } });

/** Every file under a folder, by relative path, with its bytes. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const files = (await readdir(root, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  const out: Record<string, string> = {};
  for (const f of files)
    out[join(f.parentPath, f.name).slice(root.length + 1)] = await readFile(
      join(f.parentPath, f.name),
      'utf8',
    );
  return out;
}

/** The lines that differ between two texts, side by side. */
function changedLines(before: string, after: string) {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
}

beforeAll(async () => {
  env = await emulatorEnv();
}, 30_000);
afterAll(async () => env?.stop());
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'leadflow-pull-'));
  dir = join(work, 'config');
  await cp('config', dir, { recursive: true });
  return () => rm(work, { recursive: true, force: true });
});

describe('leadflow config pull', () => {
  it('changes no byte of config/ right after a push of it', async () => {
    await cli('config', 'push');
    const { stdout } = await cli('config', 'pull');
    expect(stdout).toContain('sequences/welcome.yaml: unchanged');
    expect(stdout).toMatch(/config pulled: 0 file\(s\) changed/);
    expect(await snapshot(dir)).toEqual(await snapshot(resolve('config')));
  }, 60_000);

  it('writes versions made elsewhere back as the smallest edit, comments kept, and they push as unchanged', async () => {
    await cli('config', 'push');
    const store = new DynamoConfigStore(env.db, TABLE);
    const nurture = (await store.active('nurture', NURTURE_CONFIG_ID))?.document as NurtureConfig;
    const welcome = nurture.sequences.find((s) => s.id === 'welcome');
    const caseStudy = welcome?.steps.find((s) => s.id === 'case-study');
    if (!welcome || !caseStudy?.wait) throw new Error('the shipped welcome sequence changed');
    caseStudy.wait = { ...caseStudy.wait, days: 6 };
    const template = nurture.templates.find((t) => t.id === 'check-in');
    if (!template) throw new Error('no check-in template');
    template.subject = 'Checking in, {{ firstName | default: "there" }}';
    nurture.sequences.push({ ...welcome, id: 'webinar-follow-up', name: 'Webinar follow-up' });
    const hotEu = nurture.segments?.find((s) => s.id === 'hot-eu');
    if (!hotEu) throw new Error('no hot-eu segment');
    hotEu.name = 'Hot leads in the EU and the UK';
    await store.publish('nurture', NURTURE_CONFIG_ID, nurture);
    const scoring = (await store.active('scoring', SCORING_MODEL_ID))?.document as ScoringModel;
    const senior = scoring.fit.find((r) => r.id === 'senior-title');
    if (!senior) throw new Error('no senior-title rule');
    senior.points = 25;
    await store.publish('scoring', SCORING_MODEL_ID, scoring);
    const before = await snapshot(dir);

    const { stdout } = await cli('config', 'pull');
    expect(stdout).toContain('sequences/webinar-follow-up.yaml: created');
    const after = await snapshot(dir);
    expect(
      changedLines(before['sequences/welcome.yaml'] as string, after['sequences/welcome.yaml'] as string),
    ).toEqual([['    wait: { days: 5 }', '    wait: { days: 6 }']]);
    expect(changedLines(before['scoring.yaml'] as string, after['scoring.yaml'] as string)).toEqual([
      ['    points: 20', '    points: 25'],
    ]);
    expect(
      changedLines(before['templates/check-in.yaml'] as string, after['templates/check-in.yaml'] as string),
    ).toEqual([
      [expect.stringMatching(/^subject: /), 'subject: \'Checking in, {{ firstName | default: "there" }}\''],
    ]);
    expect(
      changedLines(before['segments/hot-eu.yaml'] as string, after['segments/hot-eu.yaml'] as string),
    ).toEqual([['name: Hot leads in the EU', 'name: Hot leads in the EU and the UK']]);
    expect(after['sequences/webinar-follow-up.yaml']).toMatch(
      /^# Written by `leadflow config pull` from the active nurture version 2\.\nid: webinar-follow-up\n/,
    );
    const untouched = Object.keys(before).filter((f) => before[f] === after[f]);
    expect(untouched).toHaveLength(Object.keys(before).length - 4);

    // The pulled folder is valid and is what is active: a push publishes nothing.
    const pushed = await cli('config', 'push');
    expect(pushed.stdout).toContain('nurture: unchanged (version 2)');
    expect(pushed.stdout).toContain('scoring model: unchanged (version 2)');
    expect((await cli('config', 'pull')).stdout).toMatch(/config pulled: 0 file\(s\) changed/);
  }, 90_000);

  it('deletes the file of a sequence the active version no longer has, and answers check with file:line:column', async () => {
    await cli('config', 'push');
    const store = new DynamoConfigStore(env.db, TABLE);
    const nurture = (await store.active('nurture', NURTURE_CONFIG_ID))?.document as NurtureConfig;
    await store.publish('nurture', NURTURE_CONFIG_ID, {
      ...nurture,
      sequences: nurture.sequences.filter((s) => s.id !== 'welcome-eu'),
    });
    expect((await cli('config', 'pull')).stdout).toContain('sequences/welcome-eu.yaml: deleted');
    expect(Object.keys(await snapshot(dir))).not.toContain('sequences/welcome-eu.yaml');

    const path = join(dir, 'sequences/welcome.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(
      path,
      text.replace('when: { activity: webinar_attended, happened: false }', 'when: { score: { below: 40 } }'),
    );
    const line = text.split('\n').findIndex((l) => l.includes('webinar_attended')) + 1;
    await expect(cli('config', 'check')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        new RegExp(
          `^config/sequences/welcome\\.yaml:${line}:\\d+: steps\\[id=case-study\\]\\.when\\.score: .*"below"`,
        ),
      ),
    });
  }, 60_000);

  it('keeps an A/B step byte for byte: push then pull changes nothing; a share changed elsewhere is a two-line edit', async () => {
    const path = join(dir, 'sequences/welcome.yaml');
    const text = (await readFile(path, 'utf8')).replace(
      '    template: getting-started\n',
      [
        '    template: getting-started',
        '    # Which opens more: a short subject, or the case study straight away?',
        '    variants:',
        '      - name: short-subject',
        `        subject: 'Your first lead in 5 minutes, {{ firstName | default: "there" }}'`,
        '        share: 50',
        '      - name: case-study',
        '        template: case-study',
        '        share: 50',
        '',
      ].join('\n'),
    );
    await writeFile(path, text);
    await cli('config', 'push');
    expect((await cli('config', 'pull')).stdout).toMatch(/config pulled: 0 file\(s\) changed/);
    expect(await readFile(path, 'utf8')).toBe(text);

    const store = new DynamoConfigStore(env.db, TABLE);
    const nurture = (await store.active('nurture', NURTURE_CONFIG_ID))?.document as NurtureConfig;
    const variants = nurture.sequences.find((s) => s.id === 'welcome')?.steps[1]?.variants;
    if (!variants?.[0] || !variants[1]) throw new Error('the pushed step lost its variants');
    variants[0].share = 70;
    variants[1].share = 30;
    await store.publish('nurture', NURTURE_CONFIG_ID, nurture);
    await cli('config', 'pull');
    expect(changedLines(text, await readFile(path, 'utf8'))).toEqual([
      ['        share: 50', '        share: 70'],
      ['        share: 50', '        share: 30'],
    ]);

    await writeFile(path, text.replace('share: 50', 'share: 40'));
    await expect(cli('config', 'check')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^config\/sequences\/welcome\.yaml:\d+:\d+: steps\[id=getting-started\]\.variants: the variants' shares add up to 90%; they must add up to 100%/,
      ),
    });
  }, 90_000);
});
