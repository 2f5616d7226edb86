import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { type Form, formSchema } from '../../core/capture/form-schema';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { validateNurtureConfig } from '../../core/nurture/validate-config';
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

/**
 * config/settings.yaml, config/templates/*.yaml (layout.yaml is the shared layout) and
 * config/sequences/*.yaml, validated together like a version posted to the admin API.
 * Undefined when settings.yaml is absent (no nurture configured).
 */
export async function readNurtureConfig(
  configDir: string,
): Promise<{ config: NurtureConfig; warnings: string[] } | undefined> {
  const settingsPath = join(configDir, 'settings.yaml');
  const settings = await readYaml(settingsPath).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  });
  if (settings === undefined) return undefined;
  const templates: unknown[] = [];
  let layout: unknown;
  for (const [file, document] of await readYamlDir(join(configDir, 'templates'))) {
    if (file === 'layout') layout = document;
    else templates.push(withFileId(document, file));
  }
  const sequences = (await readYamlDir(join(configDir, 'sequences'))).map(([file, doc]) =>
    withFileId(doc, file),
  );
  const result = validateNurtureConfig({ settings, layout, templates, sequences });
  if (!result.ok)
    throw new ConfigError(
      join(configDir, '{settings,templates,sequences}'),
      result.errors.map((e) => `${e.path || '(root)'}: ${e.message}`),
    );
  return { config: result.config, warnings: result.warnings.map((w) => `${w.path}: ${w.message}`) };
}

/** A document's id must match its file name; a missing id is taken from it. */
function withFileId(document: unknown, file: string): unknown {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  const id = (document as { id?: unknown }).id;
  if (id !== undefined && id !== file)
    throw new ConfigError(file, [`id "${String(id)}" must match the file name "${file}"`]);
  return { id: file, ...document };
}

async function readYaml(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(path, [error instanceof Error ? error.message : String(error)]);
  }
}

async function readYamlDir(dir: string): Promise<[string, unknown][]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: [string, unknown][] = [];
  for (const file of files)
    out.push([basename(file).replace(/\.ya?ml$/, ''), await readYaml(join(dir, file))]);
  return out;
}
