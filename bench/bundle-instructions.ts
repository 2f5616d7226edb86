import { execFileSync, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fmt } from './stats';

/**
 * Instructions executed by a cold import, counted by valgrind (cachegrind without cache
 * simulation; V8 on one thread): unlike CPU time, the count does not move with the machine's load,
 * so a change of a few per cent in a bundle shows from one run. An empty module's import is
 * subtracted (Node's own start). Not time: memory stalls and page faults are not in it.
 */
export async function importInstructions(
  node: string,
  outputs: Record<string, string>,
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<Record<string, number> | { why: string }> {
  const empty = join(dir, 'empty.mjs');
  await writeFile(empty, 'export {};\n');
  const count = (file: string) => {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=cachegrind',
        '--cache-sim=no',
        '--cachegrind-out-file=/dev/null',
        node,
        '--single-threaded',
        '--input-type=module',
        '-e',
        `await import(${JSON.stringify(file)})`,
      ],
      { env, encoding: 'utf8' },
    );
    // valgrind writes its summary to stderr.
    const refs = run.stderr.match(/I\s+refs:\s+([\d,]+)/);
    if (!refs?.[1]) throw new Error('no instruction count in valgrind output');
    return Number(refs[1].replace(/,/g, ''));
  };
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'pipe' });
  } catch {
    return { why: 'valgrind is not installed' };
  }
  const floor = count(empty);
  return Object.fromEntries(Object.entries(outputs).map(([name, file]) => [name, count(file) - floor]));
}

/** Prints each bundle's import instructions and their ratio to the bare client's. */
export function printInstructions(
  label: string,
  counts: Record<string, number>,
  targets: (name: string) => string,
) {
  const bare = counts['bare-client'] ?? Number.NaN;
  console.log(`-- ${label}, instructions per cold import (valgrind; load-independent)`);
  for (const [name, instructions] of Object.entries(counts))
    console.log(
      `${name.padEnd(16)} ${fmt(instructions / 1e6).padStart(6)} M instructions = ${fmt(instructions / bare, 2)} x bare client${targets(name)}`,
    );
}
