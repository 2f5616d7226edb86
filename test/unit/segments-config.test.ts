import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readNurtureConfig } from '../../functions/adapters/files/config-dir';
import { validateNurtureConfig } from '../../functions/core/nurture/validate-config';

const scratch = mkdtempSync(join(tmpdir(), 'leadflow-segments-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the shipped config/ with one segment file written over. */
function configWith(segmentId: string, yaml: string): string {
  const dir = join(scratch, `${segmentId}-${Math.random().toString(36).slice(2)}`);
  cpSync('config', dir, { recursive: true });
  writeFileSync(join(dir, 'segments', `${segmentId}.yaml`), yaml);
  return dir;
}

describe('saved segments in the nurture config', () => {
  it('loads config/segments/*.yaml into the config, each id its file name', async () => {
    const loaded = await readNurtureConfig('config');
    const hot = loaded?.config.segments?.find((s) => s.id === 'hot-eu');
    expect(loaded?.config.segments?.map((s) => s.id).sort()).toEqual(['hot-eu', 'quiet-subscribers']);
    expect(hot?.definition.match).toBe('all');
    expect(hot?.definition.conditions).toContainEqual({ type: 'grade', in: ['A', 'B'] });
  }, 30_000);

  it('names the file, the YAML path and the line of a wrong condition value', async () => {
    const dir = configWith(
      'eu',
      'name: EU\ndefinition:\n  match: all\n  conditions:\n    - type: field\n      field: country\n      op: in\n      value: DE\n',
    );
    const error = await readNurtureConfig(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).located[0];
    expect(problem).toMatchObject({ file: join(dir, 'segments', 'eu.yaml'), line: 8 });
    expect(problem?.path).toContain('definition.conditions');
    expect(problem?.message).toMatch(/list|array/);
  });

  it('names a segment by its id in the whole config, and refuses a step condition on an unknown segment', async () => {
    const loaded = await readNurtureConfig('config');
    const config = structuredClone(loaded?.config) as Record<string, unknown> & {
      sequences: { steps: { when?: unknown }[] }[];
    };
    const broken = {
      ...config,
      segments: [
        {
          id: 'hot-eu',
          name: 'Hot',
          definition: { match: 'all', conditions: [{ type: 'score', min: 'high' }] },
        },
      ],
    };
    const result = validateNurtureConfig(broken);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toContainEqual({
        path: 'segments.hot-eu.definition.conditions.0.min',
        message: expect.any(String),
      });

    const step = config.sequences[0]?.steps[0] as { when?: unknown };
    step.when = { segment: 'nobody' };
    const unknown = validateNurtureConfig(config);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok)
      expect(unknown.errors).toContainEqual({
        path: 'sequences.0.steps.0.when.segment',
        message: 'no saved segment "nobody" (add it under segments:)',
      });
  });
});

describe('a sequence step on a saved segment', () => {
  it('holds for the leads in the segment at the time the step is decided, and for no one when the id names none', async () => {
    const { conditionHolds } = await import('../../functions/core/nurture/gate');
    const segments = [
      {
        id: 'pricing-readers',
        name: 'Read pricing lately',
        definition: {
          match: 'all' as const,
          conditions: [{ type: 'activity' as const, activity: 'page_viewed', happened: true, withinDays: 7 }],
        },
      },
    ];
    const lead = {
      leadId: 'ld_1',
      email: 'a@example.com',
      stage: 'lead' as const,
      profile: {},
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      version: 1,
      aggregate: { rules: {}, applied: [] },
      score: null,
      lastSeen: { page_viewed: '2026-12-01T00:00:00.000Z' },
    };
    const at = (iso: string) => ({ segments, now: new Date(iso) });
    expect(conditionHolds({ segment: 'pricing-readers' }, lead, at('2026-12-03T00:00:00.000Z'))).toBe(true);
    expect(conditionHolds({ segment: 'pricing-readers' }, lead, at('2026-12-09T00:00:00.000Z'))).toBe(false);
    expect(conditionHolds({ segment: 'gone' }, lead, at('2026-12-03T00:00:00.000Z'))).toBe(false);
  });
});

describe("README's segment example", () => {
  it('is a valid config/segments file, the same segment the shipped config has', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const marker = readme.indexOf('<!-- segment example:');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme.slice(marker));
    expect(marker).toBeGreaterThan(0);
    const dir = configWith('hot-eu', block?.[1] ?? '');
    const loaded = await readNurtureConfig(dir);
    const shipped = await readNurtureConfig('config');
    expect(loaded?.config.segments?.find((s) => s.id === 'hot-eu')).toEqual(
      shipped?.config.segments?.find((s) => s.id === 'hot-eu'),
    );
  });

  it('says a wrong value the way README shows it', async () => {
    const dir = configWith(
      'hot-eu',
      readFileSync('config/segments/hot-eu.yaml', 'utf8').replace(/value: \[DE[^\]]*\]/, 'value: DE'),
    );
    const error = (await readNurtureConfig(dir).catch((e: unknown) => e)) as ConfigError;
    expect(error.message).toContain('hot-eu.yaml:10:7: definition.conditions[0].value: must be a list');
  });
});

describe('the diff between two config versions', () => {
  it('names the saved segments added, removed and changed', async () => {
    const { diffConfigs } = await import('../../functions/core/nurture/nurture-versions');
    const loaded = await readNurtureConfig('config');
    const from = loaded?.config as NonNullable<typeof loaded>['config'];
    const [hot, quiet] = from.segments ?? [];
    const to = {
      ...from,
      segments: [
        { ...(hot as NonNullable<typeof hot>), name: 'Hot in the EU' },
        { id: 'new-one', name: 'New', definition: { match: 'any' as const, conditions: [] } },
      ],
    };
    expect(diffConfigs(from, to).segments).toEqual({
      added: ['new-one'],
      removed: [quiet?.id],
      changed: ['hot-eu'],
    });
  }, 30_000);
});
