import type { Form } from '../../core/capture/form';
import type { FormCatalog } from '../../core/capture/ports';
import type { DynamoConfigStore } from './config-store';

/**
 * Active forms, cached per Lambda container for `ttlMs` so a submission costs no config read
 * on a warm start. A newly activated form version is live everywhere within that time.
 * Versions are validated with the form schema when published and never change after, so the
 * capture path reads them as they are and stays free of the schema library's cold-start cost.
 */
export class CachedFormCatalog implements FormCatalog {
  private readonly cache = new Map<string, { form: Form | undefined; until: number }>();

  constructor(
    private readonly store: DynamoConfigStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async activeForm(formId: string): Promise<Form | undefined> {
    const hit = this.cache.get(formId);
    if (hit && hit.until > this.now()) return hit.form;
    const active = await this.store.active('form', formId);
    const form = isForm(active?.document) ? active.document : undefined;
    // Unknown ids are cached too, so probing random form ids cannot hammer the table; bounded size.
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(formId, { form, until: this.now() + this.ttlMs });
    return form;
  }
}

function isForm(document: unknown): document is Form {
  const form = document as Partial<Form> | undefined;
  return typeof form?.id === 'string' && Array.isArray(form.fields) && Array.isArray(form.allowedOrigins);
}
