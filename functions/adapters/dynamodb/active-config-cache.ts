import type { ConfigKind, ConfigVersion, DynamoConfigStore } from './config-store';

/** At most this many ids are kept; past it the cache starts over (ids probed at random cannot grow it). */
const MAX_IDS = 1000;

/**
 * The active version of one kind of config (forms, the scoring model, the nurture config), cached
 * per Lambda container for `ttlMs` so the hot path costs no config read on a warm start; a newly
 * activated version is live everywhere within that time. Ids with no active version are cached
 * too. Versions are validated when they are added and never change, so readers take them as
 * they are (`read` only shapes them) and stay free of the schema library's cold-start cost.
 */
export class ActiveConfigCache<T> {
  private readonly cache = new Map<string, { value: T | undefined; until: number }>();

  constructor(
    private readonly store: Pick<DynamoConfigStore, 'active'>,
    private readonly kind: ConfigKind,
    private readonly ttlMs: number,
    private readonly read: (stored: ConfigVersion) => T | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async active(id: string): Promise<T | undefined> {
    const hit = this.cache.get(id);
    if (hit && hit.until > this.now()) return hit.value;
    const stored = await this.store.active(this.kind, id);
    const value = stored ? this.read(stored) : undefined;
    if (this.cache.size >= MAX_IDS) this.cache.clear();
    this.cache.set(id, { value, until: this.now() + this.ttlMs });
    return value;
  }
}
