// Bundles the leadflow CLI with esbuild, split into chunks so each command loads only its own code.
// npm packages are bundled too, with the options of the Lambda bundles (infra/constructs/bundling.ts;
// test/unit/cli-bundle.test.ts keeps the two in step): resolving and reading CommonJS files from
// node_modules at run time cost more than parsing one chunk (mjml alone is ~640 files, 0.6–0.8 s).
// Files are written under a temporary name and renamed, so a CLI call racing a rebuild never
// reads half a bundle.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'cli');

async function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/**
 * mjml-core and juice call only cheerio's load(). cheerio's index also requires undici,
 * encoding-sniffer and parse5-parser-stream (loading from a URL or a stream: ~3 MB once bundled);
 * its load-parse.js holds the same load() the index re-exports, so the bundle takes that file.
 */
export const cheerioLoadOnly = {
  name: 'cheerio-load-only',
  setup(b) {
    b.onResolve({ filter: /^cheerio$/ }, (args) => {
      const loadParse = join(dirname(createRequire(args.importer).resolve('cheerio')), 'load-parse.js');
      return existsSync(loadParse) ? { path: loadParse } : undefined;
    });
  },
};

/** The options of the CLI's bundle; `bundleOptions(outdir)` is also what the tests build with. */
export function cliBuildOptions(dir = outdir) {
  return {
    absWorkingDir: root,
    entryPoints: { leadflow: 'bin/cli.ts' },
    outdir: dir,
    // Each command's import() becomes a chunk of its own: a command loads only what it runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The CLI may run on Node 20 (bin/leadflow.mjs by hand); npm scripts run it on Node 22.
    target: 'node20',
    minify: true,
    // Error names stay readable in what the CLI prints.
    keepNames: true,
    // As the Lambda bundles: ESM builds of dependencies first; `typescript` is only required by
    // cosmiconfig (mjml -> htmlnano) to read a `.ts` config file, never to compile a template.
    mainFields: ['module', 'main'],
    external: ['typescript'],
    // Bundled CommonJS code calls require() for Node built-ins, which an ES module lacks.
    banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
    plugins: [cheerioLoadOnly],
    metafile: true,
    write: false,
    logLevel: 'warning',
  };
}

/** Chunks no output of this build refers to (left by earlier builds). */
async function removeStaleChunks(current) {
  const dir = join(outdir, 'chunks');
  for (const name of await readdir(dir))
    if (!current.includes(join(dir, name))) await rm(join(dir, name), { force: true });
}

export async function buildCli() {
  const result = await build(cliBuildOptions());
  await mkdir(join(outdir, 'chunks'), { recursive: true });
  // Chunks first (a new chunk has a new name), the entry that imports them after.
  const entry = join(outdir, 'leadflow.mjs');
  for (const file of result.outputFiles.filter((f) => f.path !== entry))
    await writeAtomically(file.path, file.contents);
  // What the previous build kept (bin/commands/mjml-cache.ts) was made by its code.
  await rm(join(outdir, 'cache'), { recursive: true, force: true });
  for (const file of result.outputFiles.filter((f) => f.path === entry))
    await writeAtomically(file.path, file.contents);
  await removeStaleChunks(result.outputFiles.map((f) => f.path));
  // The list of inputs last: a bundle is only trusted once it is beside it (bin/leadflow.mjs).
  await writeAtomically(join(outdir, 'inputs.json'), JSON.stringify(freshnessInputs(result.metafile)));
  await rm(join(outdir, 'meta.json'), { force: true });
}

/**
 * What bin/leadflow.mjs compares with the bundle's time: the project's own sources, and for the
 * ~2,000 files bundled from node_modules the one file every npm install rewrites.
 */
function freshnessInputs(metafile) {
  const own = Object.keys(metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  const installed = 'node_modules/.package-lock.json';
  return [...own, 'bin/build-cli.mjs', ...(existsSync(join(root, installed)) ? [installed] : [])];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
