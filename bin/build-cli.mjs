// Bundles the leadflow CLI with esbuild (npm packages stay external: node_modules is beside it),
// split into chunks so each command loads only its own code.
// Files are written under a temporary name and renamed, so a CLI call racing a rebuild never
// reads half a bundle.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
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

// npm packages load from node_modules, except JSON data (Node's ESM loader needs an import
// attribute for JSON that the packages' own imports do not carry).
const packagesExternalButJson = {
  name: 'packages-external-but-json',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.endsWith('.json') || args.path.startsWith('node:')
        ? undefined
        : { path: args.path, external: true },
    );
  },
};

/** Chunks no output of this build refers to (left by earlier builds). */
async function removeStaleChunks(current) {
  const dir = join(outdir, 'chunks');
  for (const name of await readdir(dir))
    if (!current.includes(join(dir, name))) await rm(join(dir, name), { force: true });
}

export async function buildCli() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { leadflow: 'bin/cli.ts' },
    outdir,
    // Each command's import() becomes a chunk of its own: a command loads only what it runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [packagesExternalButJson],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  await mkdir(join(outdir, 'chunks'), { recursive: true });
  // Chunks first (a new chunk has a new name), the entry that imports them after.
  const entry = join(outdir, 'leadflow.mjs');
  for (const file of result.outputFiles.filter((f) => f.path !== entry))
    await writeAtomically(file.path, file.contents);
  for (const file of result.outputFiles.filter((f) => f.path === entry))
    await writeAtomically(file.path, file.contents);
  await removeStaleChunks(result.outputFiles.map((f) => f.path));
  // The metafile last: a bundle is only trusted once its list of inputs is beside it.
  await writeAtomically(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
