import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { type Form, formSchema } from '../../core/form-schema';

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
