import type { NurtureConfig } from '../../core/nurture/config-schema';
import type { ActiveNurture } from '../../core/nurture/enroll';
import { ActiveConfigCache } from './active-config-cache';
import type { DynamoConfigStore } from './config-store';

/** Nurture has one config document (settings, layout, templates, sequences), under this id. */
export const NURTURE_CONFIG_ID = 'default';

/** The active nurture config, cached per container (ActiveConfigCache). */
export class CachedNurtureConfigs {
  private readonly cache: ActiveConfigCache<ActiveNurture>;

  constructor(store: DynamoConfigStore, ttlMs: number, now: () => number = Date.now) {
    this.cache = new ActiveConfigCache(
      store,
      'nurture',
      ttlMs,
      ({ document, version }) => ({ config: document as NurtureConfig, version }),
      now,
    );
  }

  active(): Promise<ActiveNurture | undefined> {
    return this.cache.active(NURTURE_CONFIG_ID);
  }
}
