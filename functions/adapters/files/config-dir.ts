import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { type Form, formSchema } from '../../core/form-schema';
import { type ScoringModel, validateScoringModel } from '../../core/scoring/model-schema';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
  }
}

/**
 * Reads config/forms/*.yaml with a real YAML parser and validates each form with the same
 * schema the API uses. Every problem names its file and path; one bad file fails the load.
 */
export async function readForms(configDir: string): Promise<Form[]> {
  const dir = join(configDir, 'forms');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const forms: Form[] = [];
  for (const file of files) {
    const path = join(dir, file);
    let document: unknown;
    try {
      document = parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(path, [error instanceof Error ? error.message : String(error)]);
    }
    const result = formSchema.safeParse(document);
    if (!result.success) {
      throw new ConfigError(
        path,
        result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      );
    }
    const id = basename(file).replace(/\.ya?ml$/, '');
    if (result.data.id !== id)
      throw new ConfigError(path, [`id "${result.data.id}" must match the file name "${id}"`]);
    forms.push(result.data);
  }
  return forms;
}

/**
 * config/scoring.yaml, validated like a model posted to the admin API. Undefined when the file
 * is absent (no scoring until a model is published); a warning (e.g. an unreachable hot
 * threshold) does not fail the load but is returned for the caller to show.
 */
export async function readScoringModel(
  configDir: string,
): Promise<{ model: ScoringModel; warnings: string[] } | undefined> {
  const path = join(configDir, 'scoring.yaml');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigError(path, [error instanceof Error ? error.message : String(error)]);
  }
  const result = validateScoringModel(document);
  if (!result.ok)
    throw new ConfigError(
      path,
      result.errors.map((e) => `${e.path || '(root)'}: ${e.message}`),
    );
  return { model: result.model, warnings: result.warnings.map((w) => `${w.path || '(root)'}: ${w.message}`) };
}
