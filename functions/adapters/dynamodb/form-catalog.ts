import type { Form } from '../../core/capture/form';
import type { FormCatalog } from '../../core/capture/ports';
import { ActiveConfigCache } from './active-config-cache';
import type { DynamoConfigStore } from './config-store';

/** Active forms by id, cached per container (ActiveConfigCache). */
export class CachedFormCatalog implements FormCatalog {
  private readonly cache: ActiveConfigCache<Form>;

  constructor(store: DynamoConfigStore, ttlMs: number, now: () => number = Date.now) {
    this.cache = new ActiveConfigCache(
      store,
      'form',
      ttlMs,
      ({ document }) => (isForm(document) ? document : undefined),
      now,
    );
  }

  activeForm(formId: string): Promise<Form | undefined> {
    return this.cache.active(formId);
  }
}

function isForm(document: unknown): document is Form {
  const form = document as Partial<Form> | undefined;
  return typeof form?.id === 'string' && Array.isArray(form.fields) && Array.isArray(form.allowedOrigins);
}
