import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_FILE_KINDS, configJsonSchemas, SCHEMAS_DIR } from '../../bin/config-schemas';

const committed = (file: string) => JSON.parse(readFileSync(join(SCHEMAS_DIR, file), 'utf8'));
const generated = configJsonSchemas();

/** The shipped config files a kind's glob matches (layout.yaml names its own schema in a modeline). */
function filesOf(glob: string): string[] {
  const [dir, pattern] = [glob.slice(0, glob.lastIndexOf('/')), glob.slice(glob.lastIndexOf('/') + 1)];
  if (!pattern.includes('*')) return [glob];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `${dir}/${f}`);
}

/**
 * The schemas an editor applies to a file: its modeline's, else every .vscode/settings.json mapping
 * with a pattern that matches it and no `!` pattern that excludes it.
 */
function schemasFor(path: string, mapping: Record<string, string | string[]>): string[] {
  const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
  if (modeline) return [join(path, '..', modeline)];
  return Object.entries(mapping)
    .filter(([, globs]) => {
      const patterns = [globs].flat();
      const matches = (glob: string) => filesOf(glob).includes(path);
      return (
        patterns.some((p) => !p.startsWith('!') && matches(p)) &&
        !patterns.some((p) => p.startsWith('!') && matches(p.slice(1)))
      );
    })
    .map(([schema]) => schema.replace(/^\.\//, ''));
}

describe('JSON Schemas of the config files', () => {
  it('are committed as the zod schemas generate them (npm run schemas)', () => {
    expect(readdirSync(SCHEMAS_DIR).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, schema] of Object.entries(generated)) expect(committed(file), file).toEqual(schema);
  });

  it('give every shipped config file a schema it passes, and refuse an unknown key as the API does', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const mapping = JSON.parse(readFileSync('.vscode/settings.json', 'utf8'))['yaml.schemas'] as Record<
      string,
      string | string[]
    >;
    const files = CONFIG_FILE_KINDS.flatMap((k) => filesOf(k.files));
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const path of new Set(files)) {
      const schemas = schemasFor(path, mapping);
      expect(schemas, path).toHaveLength(1);
      const schema = committed((schemas[0] as string).split('/').pop() as string);
      const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
      const document = parse(readFileSync(path, 'utf8'));
      expect(validate(document), `${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
      if (document && typeof document === 'object')
        expect(validate({ ...document, colour: 'blue' }), path).toBe(false);
    }
    expect(schemasFor('config/templates/layout.yaml', mapping)).toEqual([
      'schemas/config/layout.schema.json',
    ]);
    expect(schemasFor('config/templates/welcome.yaml', mapping)).toEqual([
      'schemas/config/template.schema.json',
    ]);
    expect(schemasFor('config/segments/hot-eu.yaml', mapping)).toEqual([
      'schemas/config/segment.schema.json',
    ]);
  });
});
