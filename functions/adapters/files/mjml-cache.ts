import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CompiledMjml, CompiledMjmlCache } from '../../core/nurture/mjml';

/**
 * Compiled MJML on disk: one JSON file per source, named by its SHA-256, in `dir`. The folder
 * belongs to one build of the compiler (the CLI: one per bundle, so a rebuild after an edit or an
 * npm install starts empty): a file holds what that build's mjml made of the source. A file that
 * cannot be read is a miss; a write goes to a temporary name first, so a parallel run never reads
 * half a file, and a folder that cannot be written only makes the next run slower.
 */
export function compiledMjmlFolder(dir: string): CompiledMjmlCache {
  const fileOf = (source: string) => join(dir, `${createHash('sha256').update(source).digest('hex')}.json`);
  return {
    async get(source) {
      try {
        const kept: unknown = JSON.parse(await readFile(fileOf(source), 'utf8'));
        return isCompiled(kept) ? kept : undefined;
      } catch {
        return undefined;
      }
    },
    async set(source, compiled) {
      const file = fileOf(source);
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(temporary, JSON.stringify(compiled));
        await rename(temporary, file);
      } catch {
        // Only slower next time.
      }
    },
  };
}

function isCompiled(value: unknown): value is CompiledMjml {
  const v = value as Partial<CompiledMjml> | null;
  return (
    typeof v?.html === 'string' &&
    Array.isArray(v.errors) &&
    v.errors.every((e) => typeof e?.line === 'number' && typeof e.message === 'string')
  );
}
