import type { NurtureConfig } from '../../core/nurture/config-schema';
import type { ActiveNurture } from '../../core/nurture/enroll';
import type { DynamoConfigStore } from './config-store';

export const NURTURE_CONFIG_ID = 'default';

/**
 * The active nurture config (settings, layout, templates, sequences: one versioned document, so
 * cross-references are validated together), cached per container like forms and the scoring
 * model. Versions are validated when they are added; readers trust them.
 */
export class CachedNurtureConfigs {
  private cached: { value: ActiveNurture | undefined; until: number } | undefined;

  constructor(
    private readonly store: DynamoConfigStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async active(): Promise<ActiveNurture | undefined> {
    if (this.cached && this.cached.until > this.now()) return this.cached.value;
    const active = await this.store.active('nurture', NURTURE_CONFIG_ID);
    const value = active ? { config: active.document as NurtureConfig, version: active.version } : undefined;
    this.cached = { value, until: this.now() + this.ttlMs };
    return value;
  }
}
