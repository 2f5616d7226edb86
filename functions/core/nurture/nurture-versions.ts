import type { ConfigVersions } from '../config-versions/versions';
import { findVersion } from '../config-versions/versions';
import { LeadflowError, LeadNotFoundError, ValidationError } from '../kernel/errors';
import type { LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { NurtureConfig, Sequence } from './config-schema';
import { checkNurtureConfig } from './publish-config';
import type { ConfigChanges } from './responses';

/** What the version use cases call the nurture config (in messages such as "No nurture config version 9."). */
export const NURTURE_CONFIG = 'nurture config';

/** An id in the path that names nothing: 404. */
export class NurtureNotFoundError extends LeadflowError {
  constructor(
    readonly code: 'config_not_found' | 'sequence_not_found' | 'template_not_found' | 'broadcast_not_found',
    message: string,
  ) {
    super(message);
  }
}

/** The nurture config's versions, as the admin use cases read them (never cached: what is active now). */
export type NurtureVersions = Pick<ConfigVersions<NurtureConfig>, 'active' | 'version'>;

/** A config posted to the admin API, its MJML compiled, validated; errors carry `config.`-prefixed paths. */
export async function draftConfig(document: unknown) {
  const result = await checkNurtureConfig(document);
  if (!result.ok) {
    throw new ValidationError(
      result.errors.map((e) => ({ path: e.path ? `config.${e.path}` : 'config', message: e.message })),
      'The nurture config is not valid.',
    );
  }
  return result;
}

/** The given version, or the active one. */
export async function configVersion(versions: NurtureVersions, wanted?: number) {
  if (wanted === undefined) return activeConfig(versions);
  const found = await findVersion(versions, NURTURE_CONFIG, wanted);
  return { config: found.document, version: found.version };
}

export async function activeConfig(versions: Pick<NurtureVersions, 'active'>) {
  const found = await versions.active();
  if (!found)
    throw new NurtureNotFoundError(
      'config_not_found',
      'No nurture config is active yet: add a version and activate it.',
    );
  return { config: found.document, version: found.version };
}

export function sequenceIn(config: NurtureConfig, sequenceId: string): Sequence {
  const sequence = config.sequences.find((s) => s.id === sequenceId);
  if (!sequence)
    throw new NurtureNotFoundError(
      'sequence_not_found',
      `No sequence "${sequenceId.slice(0, 64)}" in this version.`,
    );
  return sequence;
}

export function templateIn(config: NurtureConfig, templateId: string): void {
  if (!config.templates.some((t) => t.id === templateId))
    throw new NurtureNotFoundError(
      'template_not_found',
      `No template "${templateId.slice(0, 64)}" in this version.`,
    );
}

export async function storedLead(leads: Pick<LeadStore, 'load'>, id: string): Promise<LeadState> {
  const lead = await leads.load(id);
  if (!lead) throw new LeadNotFoundError();
  return lead;
}

type Change = { added: string[]; removed: string[]; changed: string[] };

/** What changed from one config version to another: sequences, templates and segments by id, settings by key, the layout. */
export function diffConfigs(from: NurtureConfig, to: NurtureConfig): ConfigChanges {
  return {
    settings: diffKeyed(from.settings as Record<string, unknown>, to.settings as Record<string, unknown>),
    layout: { changed: stable(from.layout) !== stable(to.layout) },
    templates: diffKeyed(byId(from.templates), byId(to.templates)),
    sequences: diffKeyed(byId(from.sequences), byId(to.sequences)),
    segments: diffKeyed(byId(from.segments ?? []), byId(to.segments ?? [])),
  };
}

function byId(items: { id: string }[]): Record<string, unknown> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

function diffKeyed(from: Record<string, unknown>, to: Record<string, unknown>): Change {
  const change: Change = { added: [], removed: [], changed: [] };
  for (const key of Object.keys(to)) {
    if (!(key in from)) change.added.push(key);
    else if (stable(from[key]) !== stable(to[key])) change.changed.push(key);
  }
  for (const key of Object.keys(from)) if (!(key in to)) change.removed.push(key);
  return change;
}

/** JSON with sorted keys: the same value stored twice compares equal whatever its key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
