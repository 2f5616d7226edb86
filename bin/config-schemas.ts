// JSON Schemas of the config/ files, generated from the zod schemas the API and `config check`
// validate with, for editor completion (VS Code: the Red Hat YAML extension and .vscode/settings.json).
// Run `npm run schemas` after changing a schema; test/unit/config-json-schemas.test.ts fails when
// the committed files are stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { formSchema } from '../functions/core/capture/form-schema';
import {
  layoutSchema,
  sequenceSchema,
  settingsSchema,
  templateSchema,
} from '../functions/core/nurture/config-schema';
import { scoringModelSchema } from '../functions/core/scoring/model-schema';
import { savedSegmentSchema } from '../functions/core/segments/segment-schema';

export const SCHEMAS_DIR = 'schemas/config';

/** Each config file kind: its schema, what it describes, the files it applies to, whether `id` may be left to the file name. */
export const CONFIG_FILE_KINDS = [
  {
    name: 'form',
    schema: formSchema,
    files: 'config/forms/*.yaml',
    idFromFile: false,
    title: 'Leadflow form',
  },
  {
    name: 'scoring',
    schema: scoringModelSchema,
    files: 'config/scoring.yaml',
    idFromFile: false,
    title: 'Leadflow scoring model',
  },
  {
    name: 'settings',
    schema: settingsSchema,
    files: 'config/settings.yaml',
    idFromFile: false,
    title: 'Leadflow nurture settings',
  },
  {
    name: 'template',
    schema: templateSchema,
    files: 'config/templates/*.yaml',
    idFromFile: true,
    title: 'Leadflow email template',
  },
  {
    name: 'layout',
    schema: layoutSchema,
    files: 'config/templates/layout.yaml',
    idFromFile: false,
    title: 'Leadflow email layout',
  },
  {
    name: 'sequence',
    schema: sequenceSchema,
    files: 'config/sequences/*.yaml',
    idFromFile: true,
    title: 'Leadflow nurture sequence',
  },
  {
    name: 'segment',
    schema: savedSegmentSchema,
    files: 'config/segments/*.yaml',
    idFromFile: true,
    title: 'Leadflow saved segment',
  },
] as const;

/** The JSON Schema documents by file name (`form.schema.json`): what a person writes, defaults optional. */
export function configJsonSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const kind of CONFIG_FILE_KINDS) {
    const generated = z.toJSONSchema(kind.schema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>;
    const properties = (generated.properties ?? {}) as Record<string, unknown>;
    // A template or the layout written in MJML gets its html compiled on publish: one of the two.
    const eitherBody = 'mjml' in properties && 'html' in properties;
    const required = (generated.required as string[] | undefined)?.filter(
      (k) => !(kind.idFromFile && k === 'id') && !(eitherBody && k === 'html'),
    );
    out[`${kind.name}.schema.json`] = {
      $schema: generated.$schema,
      $id: `https://leadflow.dev/schemas/config/${kind.name}.schema.json`,
      title: kind.title,
      description: `${kind.files} (generated from the zod schema by npm run schemas; do not edit)`,
      ...generated,
      ...(required ? { required } : {}),
      ...(eitherBody ? { anyOf: [{ required: ['html'] }, { required: ['mjml'] }] } : {}),
    };
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = join(root, SCHEMAS_DIR);
  mkdirSync(dir, { recursive: true });
  const written = Object.entries(configJsonSchemas()).map(([file, schema]) => {
    writeFileSync(join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
    return join(dir, file);
  });
  // Formatted as `npm run lint` wants them.
  execFileSync(join(root, 'node_modules/.bin/biome'), ['format', '--write', ...written], {
    stdio: 'inherit',
  });
}
