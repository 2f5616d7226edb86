import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { formSchema } from '../../core/capture/form-schema';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import { validateScoringModel } from '../../core/scoring/model-schema';
import { readNurtureConfig, readYamlDir } from './config-dir';
import type { ConfigFile } from './config-file';
import { editedYaml } from './yaml-edit';

/** The active version of a config document (the config store, read with the operator's credentials). */
export type ActiveDocument = (
  kind: 'form' | 'scoring' | 'nurture',
  id: string,
) => Promise<{ version: number; document: unknown } | undefined>;

export interface PulledFile {
  /** Relative to the config folder, e.g. `sequences/welcome.yaml`. */
  file: string;
  outcome: 'unchanged' | 'updated' | 'created' | 'deleted' | 'no active version';
}

/**
 * `leadflow config pull`: writes the active versions back to config/, so git can stay the source
 * of truth when the console or the API changed them.
 * 1. Each form file in forms/ gets its form's active version (forms made elsewhere have no file
 *    to be found by: the store lists no forms).
 * 2. scoring.yaml gets the active scoring model.
 * 3. settings.yaml, templates/ (layout.yaml the layout), sequences/ and segments/ get the active
 *    nurture version: one file per template, sequence and segment, files of removed ones deleted.
 * Each file is edited in place (comments kept); a file whose content equals the active version,
 * as the schema reads it, is not touched, so a pull after a push changes no byte.
 */
export async function pullConfig(
  configDir: string,
  active: ActiveDocument,
  ids: { scoring: string; nurture: string },
): Promise<PulledFile[]> {
  const out: PulledFile[] = [];
  const put = async (
    file: string,
    existing: ConfigFile | undefined,
    current: unknown,
    next: unknown,
    header: string,
  ) => {
    const text = editedYaml(existing, current, next, header);
    if (text !== undefined) {
      await mkdir(dirname(join(configDir, file)), { recursive: true });
      await writeFile(join(configDir, file), text);
    }
    out.push({ file, outcome: text === undefined ? 'unchanged' : existing ? 'updated' : 'created' });
  };

  for (const [id, file] of await readYamlDir(join(configDir, 'forms'))) {
    const form = await active('form', id);
    if (!form) out.push({ file: `forms/${id}.yaml`, outcome: 'no active version' });
    else
      await put(
        `forms/${id}.yaml`,
        file,
        parsedOr(formSchema.safeParse(file.value), file.value),
        form.document,
        '',
      );
  }

  const scoring = await active('scoring', ids.scoring);
  const [scoringFile] = (await readYamlDir(configDir))
    .filter(([name]) => name === 'scoring')
    .map(([, f]) => f);
  if (scoring) {
    const validated = scoringFile ? validateScoringModel(scoringFile.value) : undefined;
    const current = validated?.ok ? validated.model : scoringFile?.value;
    await put(
      'scoring.yaml',
      scoringFile,
      current,
      scoring.document,
      headerOf('scoring model', scoring.version),
    );
  }

  const nurture = await active('nurture', ids.nurture);
  if (nurture) out.push(...(await pullNurture(configDir, nurture, put)));
  return out;
}

async function pullNurture(
  configDir: string,
  active: { version: number; document: unknown },
  put: (
    file: string,
    existing: ConfigFile | undefined,
    current: unknown,
    next: unknown,
    header: string,
  ) => Promise<void>,
): Promise<PulledFile[]> {
  const next = active.document as NurtureConfig;
  const header = headerOf('nurture', active.version);
  // The folder as the schema reads it (defaults filled); raw files when it does not validate.
  const parsed = await readNurtureConfig(configDir).then(
    (loaded) => loaded?.config,
    () => undefined,
  );
  const [settingsFile] = (await readYamlDir(configDir))
    .filter(([name]) => name === 'settings')
    .map(([, f]) => f);
  await put('settings.yaml', settingsFile, parsed?.settings ?? settingsFile?.value, next.settings, header);

  const removed: PulledFile[] = [];
  for (const [folder, documents] of [
    ['templates', next.templates],
    ['sequences', next.sequences],
    ['segments', next.segments ?? []],
  ] as const) {
    const files = new Map(await readYamlDir(join(configDir, folder)));
    const parsedById = new Map<string, unknown>(
      (parsed?.[folder] ?? []).map((d: { id: string }) => [d.id, d] as const),
    );
    for (const document of documents as { id: string }[]) {
      const file = files.get(document.id);
      const current = parsedById.get(document.id) ?? withId(file?.value, document.id);
      await put(`${folder}/${document.id}.yaml`, file, current, document, header);
    }
    for (const name of files.keys()) {
      if (folder === 'templates' && name === 'layout') continue;
      if ((documents as { id: string }[]).some((d) => d.id === name)) continue;
      await rm(join(configDir, folder, `${name}.yaml`), { force: true });
      removed.push({ file: `${folder}/${name}.yaml`, outcome: 'deleted' });
    }
  }
  if (next.layout !== undefined) {
    const layout = new Map(await readYamlDir(join(configDir, 'templates'))).get('layout');
    await put('templates/layout.yaml', layout, parsed?.layout ?? layout?.value, next.layout, header);
  }
  return removed;
}

function parsedOr<T>(result: { success: true; data: T } | { success: false }, raw: unknown): unknown {
  return result.success ? result.data : raw;
}

function withId(value: unknown, id: string): unknown {
  return value && typeof value === 'object' && !Array.isArray(value) ? { id, ...value } : value;
}

function headerOf(what: string, version: number): string {
  return `Written by \`leadflow config pull\` from the active ${what} version ${version}.`;
}

/**
 * The nurture config from config/ with its templates and sequences in the active version's order
 * (new ones after, in file order): files are read in name order, the console appends, and a push
 * of what a pull wrote must publish nothing.
 */
export function inActiveOrder(config: NurtureConfig, active: unknown): NurtureConfig {
  const order = (active ?? {}) as Partial<Record<'templates' | 'sequences' | 'segments', { id: string }[]>>;
  const sort = <T extends { id: string }>(items: T[], like: { id: string }[] = []) => {
    const rank = new Map(like.map((item, i) => [item.id, i]));
    return [...items].sort((a, b) => (rank.get(a.id) ?? like.length) - (rank.get(b.id) ?? like.length));
  };
  return {
    ...config,
    templates: sort(config.templates, order.templates),
    sequences: sort(config.sequences, order.sequences),
    ...(config.segments ? { segments: sort(config.segments, order.segments) } : {}),
  };
}
