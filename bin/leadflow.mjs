#!/usr/bin/env node
// The leadflow CLI runs from a pre-bundled file (dist/cli/leadflow.mjs): compiling TypeScript on
// every call took 7–9 s on a cold cache. The bundle is rebuilt here only when one of its inputs
// (dist/cli/inputs.json, from esbuild's metafile) is newer than it, so an edited checkout never
// runs stale code.
import { readFileSync, statSync } from 'node:fs';
import module from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Node >= 22.1 keeps the compiled code of the chunks on disk (NODE_COMPILE_CACHE, else the
// system's temporary folder): a second call skips parsing. Node 20 has no such cache.
module.enableCompileCache?.();

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'cli', 'leadflow.mjs');
const inputs = join(root, 'dist', 'cli', 'inputs.json');

function isFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    return JSON.parse(readFileSync(inputs, 'utf8')).every(
      (input) => statSync(join(root, input)).mtimeMs <= built,
    );
  } catch {
    return false;
  }
}

if (!isFresh()) {
  const { buildCli } = await import('./build-cli.mjs');
  await buildCli();
}
// The SDK's Node-version notice is for application owners, not for every terminal command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
await import(pathToFileURL(bundle).href);
