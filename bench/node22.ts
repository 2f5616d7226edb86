import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Node 22 (Lambda's runtime) for measuring only: the `node` package from the npm registry (its
 * install script fetches the platform's binary package, also from the registry) into a temp
 * prefix, reused across runs — unless the project's `node` devDependency already is Node 22.
 */
export async function localNode22(): Promise<{ path: string; version: string } | { why: string }> {
  // The project's own (the `node` devDependency, what npm scripts run on), when it is installed.
  const own = join('node_modules', 'node', 'bin', 'node');
  if (existsSync(own)) {
    const version = execFileSync(own, ['--version']).toString().trim();
    if (version.startsWith('v22.')) return { path: own, version };
  }
  const prefix = join(tmpdir(), 'leadflow-bench-node22');
  const path = join(prefix, 'node_modules', '.bin', 'node');
  try {
    if (!existsSync(path))
      execFileSync(
        'npm',
        ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', 'node@22'],
        {
          stdio: 'ignore',
          timeout: 300_000,
        },
      );
    const version = execFileSync(path, ['--version']).toString().trim();
    if (!version.startsWith('v22.')) return { why: `${path} reports ${version}, not 22` };
    return { path, version };
  } catch (error) {
    return {
      why: `npm install --prefix ${prefix} node@22 failed: ${error instanceof Error ? error.message : error}`,
    };
  }
}
