import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../console/build.mjs';

/** The budget for the console's initial JavaScript, gzipped. */
const BUDGET_KB = 150;

/**
 * The console's initial JS (the script index.html loads, with everything it imports) and its
 * style sheet, as built for production, raw and gzipped, against the 150 KB budget.
 */
export async function benchConsoleSize(): Promise<void> {
  const outdir = await mkdtemp(join(tmpdir(), 'leadflow-console-'));
  const { script, css, initial: loaded } = await buildConsole({ outdir });
  let raw = 0;
  let gzipped = 0;
  for (const file of loaded) {
    const body = await readFile(join(outdir, 'assets', file));
    raw += body.byteLength;
    gzipped += gzipSync(body, { level: 9 }).byteLength;
  }
  // The pages loaded on first use (import(): the reports), not part of the initial budget.
  const lazy = (await readdir(join(outdir, 'assets'))).filter(
    (f) => f.endsWith('.js') && !loaded.includes(f),
  );
  let lazyGzipped = 0;
  for (const file of lazy)
    lazyGzipped += gzipSync(await readFile(join(outdir, 'assets', file)), { level: 9 }).byteLength;
  const styles = await readFile(join(outdir, 'assets', css));
  await rm(outdir, { recursive: true, force: true });
  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log('\nconsole: initial JS and CSS (production build)');
  console.log(
    `  ${script} and ${loaded.length - 1} chunk(s) it imports: ${kb(raw)} KB, ${kb(gzipped)} KB gzipped`,
  );
  console.log(
    `  loaded on first use (${lazy.length} file(s): the reports pages): ${kb(lazyGzipped)} KB gzipped`,
  );
  console.log(
    `  ${css}: ${kb(styles.byteLength)} KB, ${kb(gzipSync(styles, { level: 9 }).byteLength)} KB gzipped`,
  );
  console.log(
    `  initial JS gzipped ${kb(gzipped)} KB of the ${BUDGET_KB} KB budget: ${((gzipped / 1024 / BUDGET_KB) * 100).toFixed(0)}% (${(gzipped / 1024 / BUDGET_KB).toFixed(2)}x)`,
  );
}
