import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Form, formSchema } from '../../core/capture/form-schema';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { checkNurtureConfig } from '../../core/nurture/publish-config';
import { type ScoringModel, validateScoringModel } from '../../core/scoring/model-schema';
import {
  ConfigError,
  type ConfigFile,
  formatProblem,
  problemAt,
  readConfigFile,
  segmentsOf,
} from './config-file';

export { ConfigError } from './config-file';

/**
 * Reads config/forms/*.yaml with a real YAML parser and validates each form with the same
 * schema the API uses. Every problem names its file, its path and its line; one bad file fails the load.
 */
export async function readForms(configDir: string): Promise<Form[]> {
  const forms: Form[] = [];
  for (const [id, file] of await readYamlDir(join(configDir, 'forms'))) {
    const result = formSchema.safeParse(file.value);
    if (!result.success)
      throw new ConfigError(
        file.path,
        result.error.issues.map((i) => problemAt(file, i.path, i.message)),
      );
    if (result.data.id !== id)
      throw new ConfigError(file.path, [
        problemAt(file, 'id', `id "${result.data.id}" must match the file name "${id}"`),
      ]);
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
  const file = await readIfPresent(join(configDir, 'scoring.yaml'));
  if (!file) return undefined;
  const result = validateScoringModel(file.value);
  if (!result.ok)
    throw new ConfigError(
      file.path,
      result.errors.map((e) => problemAt(file, e.path, e.message)),
    );
  return {
    model: result.model,
    warnings: result.warnings.map((w) => formatProblem(problemAt(file, w.path, w.message))),
  };
}

/**
 * config/settings.yaml, config/templates/*.yaml (layout.yaml is the shared layout),
 * config/sequences/*.yaml and config/segments/*.yaml, validated together like a version posted to the admin API.
 * Undefined when settings.yaml is absent (no nurture configured). A problem's path in the whole
 * (`sequences.2.steps.1.when`) is reported in the file it came from (`steps[id=day-3].when`).
 */
export async function readNurtureConfig(
  configDir: string,
): Promise<{ config: NurtureConfig; warnings: string[] } | undefined> {
  const settings = await readIfPresent(join(configDir, 'settings.yaml'));
  if (!settings) return undefined;
  const templates: [string, ConfigFile][] = [];
  let layout: ConfigFile | undefined;
  for (const [id, file] of await readYamlDir(join(configDir, 'templates'))) {
    if (id === 'layout') layout = file;
    else templates.push([id, file]);
  }
  const sequences = await readYamlDir(join(configDir, 'sequences'));
  const segments = await readYamlDir(join(configDir, 'segments'));
  const result = await checkNurtureConfig({
    settings: settings.value,
    layout: layout?.value,
    templates: templates.map(([id, file]) => withFileId(file, id)),
    sequences: sequences.map(([id, file]) => withFileId(file, id)),
    ...(segments.length > 0 ? { segments: segments.map(([id, file]) => withFileId(file, id)) } : {}),
  });
  const fileOf = (path: string): [ConfigFile | undefined, string] => {
    const [head, index, ...rest] = segmentsOf(path);
    if (head === 'settings') return [settings, [index, ...rest].filter((s) => s !== undefined).join('.')];
    if (head === 'layout') return [layout, [index, ...rest].filter((s) => s !== undefined).join('.')];
    // Segments' problems name the segment by id (its file name), the others by index.
    if (head === 'segments')
      return [
        segments.find(([id]) => id === String(index))?.[1] ??
          (typeof index === 'number' ? segments[index]?.[1] : undefined),
        rest.join('.'),
      ];
    const list = head === 'templates' ? templates : head === 'sequences' ? sequences : [];
    return [typeof index === 'number' ? list[index]?.[1] : undefined, rest.join('.')];
  };
  const locate = (p: { path: string; message: string }) => {
    const [file, path] = fileOf(p.path);
    return file ? problemAt(file, path, p.message) : { file: configDir, path: p.path, message: p.message };
  };
  if (!result.ok) throw new ConfigError(configDir, result.errors.map(locate));
  return {
    config: result.config,
    warnings: result.warnings.map((w) => formatProblem(locate(w))),
  };
}

/** A document's id must match its file name; a missing id is taken from it. */
function withFileId(file: ConfigFile, id: string): unknown {
  const document = file.value;
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return document;
  const own = (document as { id?: unknown }).id;
  if (own !== undefined && own !== id)
    throw new ConfigError(file.path, [
      problemAt(file, 'id', `id "${String(own)}" must match the file name "${id}"`),
    ]);
  return { id, ...document };
}

async function readIfPresent(path: string): Promise<ConfigFile | undefined> {
  try {
    return await readConfigFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The YAML files of a folder by name (without .yaml), sorted; none when the folder is absent. */
export async function readYamlDir(dir: string): Promise<[string, ConfigFile][]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: [string, ConfigFile][] = [];
  for (const file of files)
    out.push([basename(file).replace(/\.ya?ml$/, ''), await readConfigFile(join(dir, file))]);
  return out;
}
