import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ScoringModel, validateScoringModel } from '../../../functions/core/scoring';
import { nextStage } from '../../../functions/core/scoring/stage';
import { activity, applyAll, NOW, score, tenthsOf } from './models';

/** The model shipped in config/scoring.yaml: the marketer's starting point, and the product's promise. */
describe('the example scoring model', () => {
  let model: ScoringModel;

  beforeAll(async () => {
    const result = validateScoringModel(parse(await readFile('config/scoring.yaml', 'utf8')));
    if (!result.ok) throw new Error(`config/scoring.yaml is invalid: ${JSON.stringify(result.errors)}`);
    expect(result.warnings).toEqual([]);
    model = result.model;
  });

  it('validates with no errors and no warnings', () => {
    expect(model.thresholds).toEqual({ mql: 40, hot: 80, hotMinGrade: 'B' });
  });

  it('makes a demo request from a VP at a target-country business domain hot', () => {
    // Prepare: only the demo form's required fields, plus the job title and country.
    const aggregate = applyAll(model, [
      activity('form_submitted', '2026-11-20T11:58:00Z', { formId: 'demo-request' }),
    ]);
    const profile = {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Acme GmbH',
      jobTitle: 'VP Marketing',
      country: 'DE',
    };

    // Act
    const result = score(model, aggregate, NOW, profile, 'ada@acme-gmbh.de');

    // Assess
    expect(result).toMatchObject({ fit: 50, engagement: 40, total: 90, grade: 'B', mql: true, hot: true });
    expect(result.breakdown).toEqual([
      { rule: 'senior-title', kind: 'fit', points: 20, reason: 'jobTitle "VP Marketing" contains "vp"' },
      {
        rule: 'target-country',
        kind: 'fit',
        points: 10,
        reason: 'country "DE" is one of US, CA, GB, IE, DE, AT, CH, NL, … (15 in all)',
      },
      {
        rule: 'business-email',
        kind: 'fit',
        points: 15,
        reason: 'email domain "acme-gmbh.de" is a business domain',
      },
      { rule: 'has-company', kind: 'fit', points: 5, reason: 'company is present' },
      {
        rule: 'demo-request',
        kind: 'engagement',
        points: 40,
        reason: '1 × form_submitted "demo-request" on 2026-11-20',
      },
    ]);
    expect(nextStage('lead', result)).toBe('mql');
  });

  it('does not make a newsletter sign-up from a free-mail address hot, nor an MQL', () => {
    const aggregate = applyAll(model, [
      activity('form_submitted', '2026-11-20T11:58:00Z', { formId: 'newsletter' }),
    ]);

    const result = score(model, aggregate, NOW, { firstName: 'Ada' }, 'ada.lovelace@gmail.com');

    expect(result).toMatchObject({ fit: 0, engagement: 5, total: 5, grade: 'F', mql: false, hot: false });
    expect(nextStage('subscriber', result)).toBe('subscriber');
  });

  it('keeps a student who requests a demo and clicks everything away from sales', () => {
    const clicks = Array.from({ length: 30 }, (_, i) =>
      activity('email_clicked', `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00Z`),
    );
    const aggregate = applyAll(model, [
      ...clicks,
      activity('form_submitted', '2026-11-20T10:00:00Z', { formId: 'demo-request' }),
    ]);

    const result = score(
      model,
      aggregate,
      NOW,
      { jobTitle: 'Marketing Student', country: 'DE', company: 'TU Berlin' },
      'a@tu-berlin.de',
    );

    expect(result.total).toBeGreaterThanOrEqual(80);
    expect(result).toMatchObject({ grade: 'F', hot: false });
  });

  it('has a breakdown that adds up to the total for a busy lead', () => {
    const days = ['2026-09-01', '2026-10-15', '2026-11-19'];
    const aggregate = applyAll(
      model,
      days.flatMap((day) => [
        activity('email_opened', `${day}T08:00:00Z`),
        activity('email_opened', `${day}T08:01:00Z`),
        activity('email_clicked', `${day}T08:02:00Z`),
        activity('page_viewed', `${day}T08:03:00Z`, {
          properties: { url: 'https://leadflow.example/pricing' },
        }),
        activity('page_viewed', `${day}T08:04:00Z`, { properties: { path: '/customers/acme' } }),
      ]),
    );
    const result = score(
      model,
      aggregate,
      NOW,
      { jobTitle: 'Head of Growth', companySize: '51-200', phone: '+49301234567' },
      'x@acme.io',
    );
    const sum = result.breakdown.reduce((s, e) => s + tenthsOf(e.points), 0);
    expect(sum).toBe(tenthsOf(result.total));
    expect(result.breakdown.every((e) => e.reason.length > 0)).toBe(true);
  });
});
