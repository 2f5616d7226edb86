import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBuildOptions } from '../../bin/build-cli.mjs';
import * as source from '../../functions/adapters/files/config-dir';
import * as sourceMjml from '../../functions/core/nurture/mjml';
import { esbuildOptions } from '../../infra/constructs/bundling';

/**
 * The CLI runs from a bundle holding its npm packages (bin/build-cli.mjs), mjml among them with
 * cheerio's load() alone instead of cheerio's whole index (issue 16: `config check` loaded ~640
 * files of mjml from node_modules). Built here with the CLI's own options: the bundle compiles the
 * shipped config/ to the same HTML as the packages in node_modules, and an MJML error still names
 * the file and line.
 */
const run = promisify(execFile);
let dir: string;
let metafile: Metafile;
let bundled: typeof source;
let bundledMjml: typeof sourceMjml;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'leadflow-cli-bundle-'));
  const result = await build({
    ...cliBuildOptions(dir),
    entryPoints: {
      'config-dir': 'functions/adapters/files/config-dir.ts',
      mjml: 'functions/core/nurture/mjml.ts',
    },
    write: true,
  });
  metafile = result.metafile as Metafile;
  bundled = await import(pathToFileURL(join(dir, 'config-dir.mjs')).href);
  bundledMjml = await import(pathToFileURL(join(dir, 'mjml.mjs')).href);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A layout using what goes through cheerio: mj-html-attributes (mjml-core) and inlined mj-style (juice). */
const LAYOUT = `<mjml>
  <mj-head>
    <mj-style inline="inline">.note { color: #aa3300; }</mj-style>
    <mj-html-attributes>
      <mj-selector path=".note div"><mj-html-attribute name="data-leadflow">note</mj-html-attribute></mj-selector>
    </mj-html-attributes>
  </mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text css-class="note">{{ content }}</mj-text>
      <mj-text><a href="{{ unsubscribeUrl }}">Unsubscribe</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`;

describe('the CLI bundle', () => {
  it('compiles every shipped template and the layout to the same HTML as mjml from node_modules', async () => {
    const fromBundle = await bundled.readNurtureConfig('config');
    const fromPackages = await source.readNurtureConfig('config');
    expect(fromBundle?.config.templates.length).toBeGreaterThan(0);
    for (const template of fromBundle?.config.templates ?? []) expect(template.html).toContain('<table');
    expect(fromBundle?.config.layout.html).toContain('{{ content }}');
    expect(fromBundle).toEqual(fromPackages);
  });

  it('inlines mj-style and sets mj-html-attributes through the bundled cheerio load()', async () => {
    const fromBundle = await bundledMjml.compileLayout(LAYOUT);
    expect(fromBundle.problems).toEqual([]);
    expect(fromBundle.html).toMatch(/style="[^"]*color: ?#aa3300/);
    expect(fromBundle.html).toContain('data-leadflow="note"');
    expect(fromBundle).toEqual(await sourceMjml.compileLayout(LAYOUT));
  });

  it('leaves out what the CLI never runs: cheerio loading from URLs (undici) and typescript', () => {
    const packages = new Set(
      Object.keys(metafile.inputs).map((path) => path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]),
    );
    expect(packages).toContain('mjml-core');
    expect(packages).toContain('cheerio');
    expect(packages).not.toContain('undici');
    expect(packages).not.toContain('typescript');
  });

  it("bundles with the Lambda bundles' resolution, externals and require() banner", () => {
    const options = cliBuildOptions();
    expect(options.mainFields).toEqual(esbuildOptions.mainFields);
    expect(options.external).toEqual(esbuildOptions.external);
    expect(options.banner).toEqual(esbuildOptions.banner);
  });
});

/** Each file of a folder with the time it was last written. */
async function timesOf(folder: string): Promise<Map<string, number>> {
  const names = await readdir(folder);
  return new Map(
    await Promise.all(names.map(async (n) => [n, (await stat(join(folder, n))).mtimeMs] as const)),
  );
}

/** A copy of config/ whose welcome template holds an element mjml does not know, and its line there. */
async function brokenConfig(name: string) {
  const config = join(dir, name);
  await cp('config', config, { recursive: true });
  const path = join(config, 'templates', 'welcome.yaml');
  const text = await readFile(path, 'utf8');
  const broken = text.replace('  <mj-button ', '  <mj-bogus>x</mj-bogus>\n  <mj-button ');
  expect(broken).not.toBe(text);
  await writeFile(path, broken);
  // The fragment's own line: the mjml block's lines up to the bogus element.
  const block = broken.slice(broken.indexOf('mjml: |'));
  const line = block.slice(0, block.indexOf('<mj-bogus')).split('\n').length - 1;
  return {
    config,
    error: `${path}:7:1: mjml: line ${line}: Element mj-bogus doesn't exist or is not registered`,
  };
}

/** The exit code and stderr of a `config check` that failed; '' when it passed. */
const failureOf = (entry: string, config: string) =>
  run(process.execPath, [entry, 'config', 'check', '--dir', config]).then(
    () => '',
    (error: { code: number; stderr: string }) => `${error.code} ${error.stderr}`,
  );

describe('leadflow config check (the pre-bundled CLI)', () => {
  it('reports an MJML error with its file, line and column, and exit code 1', async () => {
    const { config, error } = await brokenConfig('broken');
    const failed = await failureOf('bin/leadflow.mjs', config);
    expect(failed).toMatch(/^1 /);
    expect(failed).toContain(error);
  });

  it('keeps compiled MJML beside its bundle: a second check of unchanged templates compiles nothing', async () => {
    // A build of its own (dist/cli under a temporary folder): the checkout's bundle is shared by
    // the other CLI tests, whose rebuilds start a new folder of compiled MJML.
    const own = join(dir, 'own', 'dist', 'cli');
    await build({ ...cliBuildOptions(own), write: true });
    const { config, error } = await brokenConfig('broken-twice');
    const first = await failureOf(join(own, 'leadflow.mjs'), config);
    expect(first).toMatch(/^1 /);
    expect(first).toContain(error);
    const [built] = await readdir(join(own, 'cache', 'mjml'));
    const folder = join(own, 'cache', 'mjml', built as string);
    const written = await timesOf(folder);
    // The layout and the five templates.
    expect(written.size).toBe(6);
    expect(await failureOf(join(own, 'leadflow.mjs'), config)).toBe(first);
    expect(await timesOf(folder)).toEqual(written);
  });

  it('checks the shipped config/ and prints its summary', async () => {
    const { stdout, stderr } = await run(process.execPath, ['bin/leadflow.mjs', 'config', 'check']);
    expect(stdout).toContain('config ok: forms ');
    expect(stdout).toMatch(/templates [1-9]/);
    expect(stderr).toBe('');
  });
});
