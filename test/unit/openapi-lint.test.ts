import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { outcomeBodySchema } from '../../functions/core/handoff/outcome-input';
import { leadIdFor } from '../../functions/core/kernel/email';
import { enrollBodySchema } from '../../functions/core/nurture/admin-bodies';
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
  'operation-4xx-response #/paths/~1v1~1schemas~1webhook-events.v1.json/get/responses',
  'operation-4xx-response #/paths/~1v1~1health/get/responses',
  'operation-4xx-response #/paths/~1v1~1embed.js/get/responses',
  'operation-4xx-response #/paths/~1v1~1openapi.json/get/responses',
  // Same shape as /v1/admin/leads/{leadId}/notes and /unsubscribe, but GET where those are POST: no request
  // matches both (API Gateway and the local server match the method too), and exports/ is no lead id.
  'no-ambiguous-paths #/paths/~1v1~1admin~1leads~1exports~1{exportId}',
  // The same for imports/: GET only, and imports/ is no lead id.
  'no-ambiguous-paths #/paths/~1v1~1admin~1leads~1imports~1{importId}',
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

describe('request bodies are documented as the code reads them', () => {
  const schemas = openApiDocument().components.schemas as Record<string, object>;
  const ajv = addFormats(new Ajv2020({ strict: false }));
  const accepts = (name: string, body: unknown) => ajv.validate(schemas[name] as object, body);

  it('a non-strict body: an unknown key the code accepts (and drops) is valid in the document too', () => {
    const outcome = { claimToken: 'c'.repeat(20), outcome: 'won', sentBy: 'crm' };
    expect(outcomeBodySchema.safeParse(outcome).success).toBe(true);
    expect(accepts('Outcome', outcome)).toBe(true);
  });

  it('a strict body: an unknown key the code refuses is invalid in the document too', () => {
    const enroll = { leadId: leadIdFor('ada@acme.io'), sequence: 'welcome' };
    expect(enrollBodySchema.safeParse(enroll).success).toBe(false);
    expect(accepts('NurtureEnroll', enroll)).toBe(false);
    expect(accepts('NurtureEnroll', { leadId: enroll.leadId })).toBe(true);
  });
});
