import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/shared/openapi';

/**
 * The document exactly as GET /v1/openapi.json serves it (functions/handlers/public.ts calls
 * openApiDocument() without a server URL), linted with Redocly's `recommended` ruleset.
 */
const lint = async (document: unknown) =>
  lintFromString({
    source: JSON.stringify(document),
    absoluteRef: 'openapi.json',
    config: await createConfig({ extends: ['recommended'] }),
  });

/**
 * Warnings kept on purpose, each with its reason. Any other warning (or one of these gone) fails,
 * so a new route or schema cannot add one unnoticed.
 */
const KEPT_WARNINGS = [
  // package.json is private and names no license; the document must not invent one.
  'info-license #/info',
  // Public routes that answer 200 to every request they receive: no 4xx exists to document.
  'operation-4xx-response #/paths/~1v1~1schemas~1hot-lead.v1.json/get/responses',
  'operation-4xx-response #/paths/~1v1~1schemas~1lead-erased.v1.json/get/responses',
  'operation-4xx-response #/paths/~1v1~1health/get/responses',
  'operation-4xx-response #/paths/~1v1~1embed.js/get/responses',
  'operation-4xx-response #/paths/~1v1~1openapi.json/get/responses',
];

describe('the served OpenAPI document under Redocly recommended', () => {
  it('has no errors', async () => {
    const errors = (await lint(openApiDocument())).filter((p) => p.severity === 'error');
    expect(errors.map((p) => `${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`)).toEqual([]);
  });

  it('has exactly the warnings kept on purpose', async () => {
    const warnings = (await lint(openApiDocument())).filter((p) => p.severity === 'warn');
    expect(warnings.map((p) => `${p.ruleId} ${p.location[0]?.pointer}`).sort()).toEqual(
      [...KEPT_WARNINGS].sort(),
    );
  });

  it('finds an error when one is there (the ruleset is really applied)', async () => {
    // A route whose path parameter is not declared: the drift the lint is there to catch.
    const document = openApiDocument() as { paths: Record<string, Record<string, { parameters?: unknown }>> };
    delete document.paths['/v1/admin/leads/{leadId}']?.get?.parameters;
    const problems = await lint(document);
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.ruleId)).toContain(
      'path-parameters-defined',
    );
  });
});
