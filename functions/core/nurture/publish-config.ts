import { compileConfigMjml } from './mjml';
import { type NurtureValidation, validateNurtureConfig } from './validate-config';

/**
 * A nurture config as it is validated and published: its MJML compiled into HTML first
 * (mjml.ts), then every check of validateNurtureConfig on the result. Input: the document as
 * written (config/ or the admin API). Output: the validation, whose config holds the compiled
 * HTML beside the MJML it came from. An MJML problem hides the errors it causes downstream
 * (the item's empty `html`), so each problem is said once, at the field the marketer wrote.
 */
export async function checkNurtureConfig(doc: unknown): Promise<NurtureValidation> {
  const compiled = await compileConfigMjml(doc);
  const result = validateNurtureConfig(compiled.document);
  if (compiled.problems.length === 0) return result;
  const failed = compiled.problems.map((p) => p.path.replace(/\.mjml$/, '.html'));
  const others = result.ok
    ? []
    : result.errors.filter((e) => !failed.some((path) => e.path === path || e.path.startsWith(`${path}.`)));
  return { ok: false, errors: [...compiled.problems, ...others] };
}
