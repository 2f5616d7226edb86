import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compiledMjmlFolder } from '../../functions/adapters/files/mjml-cache';
import {
  type CompiledMjml,
  compileLayout,
  compileTemplate,
  useCompiledMjmlCache,
} from '../../functions/core/nurture/mjml';

/** Compiled MJML kept by source (the CLI's folder per bundle, issue 16): a hit is what mjml made. */
const LAYOUT =
  '<mjml><mj-body><mj-section><mj-column><mj-text>{{ content }}</mj-text></mj-column></mj-section></mj-body></mjml>';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadflow-mjml-cache-'));
});
afterEach(async () => {
  useCompiledMjmlCache(undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('compiled MJML cache', () => {
  it('keeps what mjml made of each source, and answers from it the next time', async () => {
    const kept: [string, CompiledMjml][] = [];
    const folder = compiledMjmlFolder(dir);
    useCompiledMjmlCache({
      get: (source) => folder.get(source),
      set: async (source, compiled) => {
        kept.push([source, compiled]);
        await folder.set(source, compiled);
      },
    });
    const first = await compileTemplate('templates.0.mjml', '<mj-text>Hi</mj-text>\n<mj-nope />', LAYOUT);
    expect(first.problems).toEqual([
      { path: 'templates.0.mjml', message: expect.stringMatching(/^line 2: /) },
    ]);
    expect(kept).toHaveLength(1);
    expect(await readdir(dir)).toHaveLength(1);
    // The second time the folder answers: nothing compiled, nothing written, the same problems.
    const again = await compileTemplate('templates.0.mjml', '<mj-text>Hi</mj-text>\n<mj-nope />', LAYOUT);
    expect(again).toEqual(first);
    expect(kept).toHaveLength(1);
    useCompiledMjmlCache(undefined);
    expect(await compileTemplate('templates.0.mjml', '<mj-text>Hi</mj-text>\n<mj-nope />', LAYOUT)).toEqual(
      first,
    );
  }, 60_000);

  it('uses a kept result instead of compiling (the hit path is the one taken)', async () => {
    const html = '<div>{{ content }}</div><!-- kept -->';
    useCompiledMjmlCache({ get: async () => ({ html, errors: [] }), set: async () => undefined });
    expect(await compileLayout(LAYOUT)).toEqual({ html, problems: [] });
  });

  it('takes a file it cannot read as a miss, and survives a folder it cannot write', async () => {
    const folder = compiledMjmlFolder(dir);
    await folder.set('<mjml />', { html: '<p>x</p>', errors: [{ line: 1, message: 'm' }] });
    expect(await folder.get('<mjml />')).toEqual({ html: '<p>x</p>', errors: [{ line: 1, message: 'm' }] });
    const [file] = await readdir(dir);
    await writeFile(join(dir, file as string), '{"html": 1');
    expect(await folder.get('<mjml />')).toBeUndefined();
    await writeFile(join(dir, file as string), '{"html": "<p>x</p>", "errors": [{"line": "1"}]}');
    expect(await folder.get('<mjml />')).toBeUndefined();
    const blocked = join(dir, file as string, 'below-a-file');
    await expect(
      compiledMjmlFolder(blocked).set('<mjml />', { html: '', errors: [] }),
    ).resolves.toBeUndefined();
    expect(await compiledMjmlFolder(blocked).get('<mjml />')).toBeUndefined();
  });
});
