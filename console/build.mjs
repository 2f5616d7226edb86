import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The console's sources and where `npm run build:console` (and `npm start`) put the built files. */
export const CONSOLE_DIR = fileURLToPath(new URL('.', import.meta.url));
export const CONSOLE_SRC = join(CONSOLE_DIR, 'src');
export const CONSOLE_DIST = join(CONSOLE_DIR, 'dist');

/**
 * Bundles console/src (TSX, Preact) and its style sheet into console/dist/assets with content
 * hashes in their names, and writes console/dist/index.html referencing them. Returns the file
 * names of the JS and CSS the page loads first, and `initial`: the script with the chunks it imports
 * statically (lazy pages are left out). `clean: false` keeps the assets of earlier builds
 * (a page loaded before a rebuild still gets its files) and swaps index.html in one rename.
 */
export async function buildConsole({ outdir = CONSOLE_DIST, minify = true, clean = true } = {}) {
  if (clean) await rm(outdir, { recursive: true, force: true });
  const assets = join(outdir, 'assets');
  await mkdir(assets, { recursive: true });
  const result = await build({
    entryPoints: { app: join(CONSOLE_SRC, 'main.tsx'), styles: join(CONSOLE_SRC, 'styles.css') },
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify,
    sourcemap: false,
    outdir: assets,
    entryNames: '[name]-[hash]',
    // Pages imported with import() (the reports) become their own files, loaded when first opened.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    metafile: true,
    logLevel: 'error',
    legalComments: 'none',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
  const css = outputs.find((f) => f.startsWith('styles-') && f.endsWith('.css'));
  if (!script || !css) throw new Error('console build: the app script or the style sheet is missing');
  const initial = staticImports(result.metafile, script);
  const next = join(outdir, `index.html.${process.pid}.tmp`);
  await writeFile(next, indexHtml(script, css));
  await rename(next, join(outdir, 'index.html'));
  return { script, css, outdir, initial };
}

/** The script and every file it imports statically (what a first page load fetches), not import()s. */
function staticImports(metafile, script) {
  const byName = new Map(Object.entries(metafile.outputs).map(([file, out]) => [basename(file), out]));
  const seen = new Set([script]);
  for (const name of seen)
    for (const imported of byName.get(name)?.imports ?? [])
      if (imported.kind === 'import-statement') seen.add(basename(imported.path));
  return [...seen];
}

function indexHtml(script, css) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Leadflow Console</title>
<link rel="stylesheet" href="/console/assets/${css}">
<script type="module" src="/console/assets/${script}"></script>
</head>
<body>
<div id="app"><p class="boot">Loading the console…</p></div>
</body>
</html>
`;
}

/** The newest modification time (ms) of the files under `dir`, 0 when it does not exist. */
async function newest(dir) {
  let latest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const info = await stat(join(entry.parentPath, entry.name));
    latest = Math.max(latest, info.mtimeMs);
  }
  return latest;
}

/** Builds the console when console/dist/index.html is missing or older than a source file. */
export async function ensureConsoleBuilt() {
  let built = 0;
  try {
    built = (await stat(join(CONSOLE_DIST, 'index.html'))).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(await newest(CONSOLE_SRC), (await stat(fileURLToPath(import.meta.url))).mtimeMs);
  if (built >= sources) return false;
  await buildConsole({ clean: false });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { script, css } = await buildConsole();
  console.log(`console built: console/dist/index.html, assets/${script}, assets/${css}`);
}
