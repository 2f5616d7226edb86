import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledMjmlFolder } from '../../functions/adapters/files/mjml-cache';
import { useCompiledMjmlCache } from '../../functions/core/nurture/mjml';

/**
 * `config check` and `config push` keep compiled MJML beside the CLI's bundle, in a folder of its
 * build (dist/cli/cache/mjml/<the bundle's build time>; bin/build-cli.mjs empties dist/cli/cache on
 * each build): templates unchanged since the last run do not load mjml at all (issue 16: loading and
 * compiling it was half of the command's time). `entryUrl` is the bundle's import.meta.url; run from
 * the sources (not bundled), there is no build to key on and nothing is kept.
 */
export function cacheCompiledMjml(entryUrl: string): void {
  const entry = fileURLToPath(entryUrl);
  if (!entry.endsWith(join('dist', 'cli', 'leadflow.mjs'))) return;
  const build = String(Math.floor(statSync(entry).mtimeMs));
  useCompiledMjmlCache(compiledMjmlFolder(join(dirname(entry), 'cache', 'mjml', build)));
}
