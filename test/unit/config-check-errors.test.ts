import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  readForms,
  readNurtureConfig,
  readScoringModel,
} from '../../functions/adapters/files/config-dir';
import { formatProblem } from '../../functions/adapters/files/config-file';

/**
 * `leadflow config check` errors name the file, the YAML path by ids (not indexes) and the line and
 * column: each config kind is broken once in a copy of the shipped config/.
 */
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadflow-check-'));
  await cp('config', dir, { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function edit(file: string, from: string | RegExp, to: string) {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  const edited = text.replace(from, to);
  expect(edited, `${file} holds ${from}`).not.toBe(text);
  await writeFile(path, edited);
  return edited;
}

/** The 1-based line and column where `needle` starts in `text`. */
function positionOf(text: string, needle: string) {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

async function problemsOf(load: (dir: string) => Promise<unknown>) {
  const error = await load(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).located.map((p) => ({ ...p, file: p.file.replace(`${dir}/`, '') }));
}

describe('config check errors', () => {
  it('names a sequence step by its id, with the unknown key and its line and column', async () => {
    const text = await edit(
      'sequences/welcome.yaml',
      'when: { activity: webinar_attended, happened: false }',
      'when: { score: { below: 40 } }',
    );
    const [problem, ...rest] = await problemsOf(readNurtureConfig);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      file: 'sequences/welcome.yaml',
      path: 'steps[id=case-study].when.score',
      message: expect.stringContaining('"below"'),
      ...positionOf(text, 'below'),
    });
    expect(new ConfigError('x', [problem as never]).message).toMatch(
      /^sequences\/welcome\.yaml:\d+:\d+: steps\[id=case-study\]\.when\.score: /,
    );
  });

  it("prints README's example errors, line and column included, for the edits they describe", async () => {
    const readme = await readFile('README.md', 'utf8');
    const shown = [...readme.matchAll(/^ *(config\/\S+\.yaml:\d+:\d+: .*)$/gm)].map((m) => m[1]);
    expect(shown).toHaveLength(2);
    await edit(
      'sequences/welcome.yaml',
      'when: { activity: webinar_attended, happened: false }',
      'when: { score: { below: 40 } }',
    );
    await edit('scoring.yaml', 'points: 20', 'points: twenty');
    const printed = [];
    for (const load of [readNurtureConfig, readScoringModel])
      for (const problem of await problemsOf(load))
        printed.push(formatProblem({ ...problem, file: `config/${problem.file}` }));
    expect(printed).toEqual(shown);
  });

  it('names a template by its file and a Liquid problem at its body', async () => {
    const text = await edit('templates/check-in.yaml', /\{\{ firstName/, '{{ frstName');
    const [problem] = await problemsOf(readNurtureConfig);
    expect(problem).toMatchObject({
      file: 'templates/check-in.yaml',
      message: expect.stringContaining('frstName'),
    });
    expect(['html', 'text', 'subject']).toContain(problem?.path);
    expect(problem?.line).toBe(positionOf(text, `${problem?.path}:`).line);
  });

  it('places a settings problem and a layout problem in their own files', async () => {
    const settings = await edit('settings.yaml', 'perDay: 1', 'perDay: many');
    expect(await problemsOf(readNurtureConfig)).toEqual([
      expect.objectContaining({
        file: 'settings.yaml',
        path: 'frequencyCap.perDay',
        ...positionOf(settings, 'perDay: many'),
      }),
    ]);
    await cp(join('config', 'settings.yaml'), join(dir, 'settings.yaml'));
    await edit('templates/layout.yaml', /\{\{ postalAddress \}\}/g, 'our office');
    const problems = await problemsOf(readNurtureConfig);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems)
      expect(p).toMatchObject({ file: 'templates/layout.yaml', line: expect.any(Number) });
  });

  it('names a scoring rule by its id', async () => {
    const text = await edit('scoring.yaml', 'points: 20', 'points: twenty');
    const [problem] = await problemsOf(readScoringModel);
    expect(problem).toMatchObject({
      file: 'scoring.yaml',
      path: 'fit[id=senior-title].points',
      ...positionOf(text, 'points: twenty'),
    });
  });

  it('gives a scoring warning its file, line and path too', async () => {
    // Grade B out of reach: no lead can become hot (hotMinGrade: B).
    await edit('scoring.yaml', /grades: \{ A: \d+, B: \d+/, 'grades: { A: 6000, B: 5000');
    const text = await readFile(join(dir, 'scoring.yaml'), 'utf8');
    const loaded = await readScoringModel(dir);
    const { line, col } = positionOf(text, 'hotMinGrade');
    expect(loaded?.warnings).toEqual([
      expect.stringMatching(
        new RegExp(`scoring\\.yaml:${line}:${col}: thresholds\\.hotMinGrade: no lead can reach grade B`),
      ),
    ]);
  });

  it('names a form field by its name', async () => {
    const text = await edit(
      'forms/newsletter.yaml',
      'type: text, label: First name',
      'type: txt, label: First name',
    );
    const [problem] = await problemsOf(readForms);
    expect(problem).toMatchObject({ file: 'forms/newsletter.yaml', path: 'fields[name=firstName].type' });
    expect(problem?.line).toBe(positionOf(text, 'type: txt').line);
  });

  it('gives the line and column of a YAML syntax error', async () => {
    await writeFile(join(dir, 'sequences', 'welcome.yaml'), 'id: welcome\nsteps: [unclosed\n');
    const [problem] = await problemsOf(readNurtureConfig);
    expect(problem).toMatchObject({
      file: 'sequences/welcome.yaml',
      line: expect.any(Number),
      col: expect.any(Number),
    });
  });

  it('points at the id when a document id differs from its file name', async () => {
    const text = await edit('sequences/welcome-eu.yaml', /^id: welcome-eu$/m, 'id: welcome-europe');
    expect(await problemsOf(readNurtureConfig)).toEqual([
      expect.objectContaining({
        file: 'sequences/welcome-eu.yaml',
        path: 'id',
        ...positionOf(text, 'id: welcome-europe'),
      }),
    ]);
  });
});
