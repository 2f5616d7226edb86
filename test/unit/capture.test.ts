import { describe, expect, it } from 'vitest';
import { type CaptureDeps, captureSubmission } from '../../functions/core/capture/capture';
import {
  FormNotFoundError,
  OriginNotAllowedError,
  RateLimitedError,
  ValidationError,
} from '../../functions/core/kernel/errors';
import type { LeadCaptured } from '../../functions/core/leads/ports';
import {
  FakeCounters,
  FakeForms,
  FakeLeads,
  FakeLimiter,
  FakeModels,
  fixedClock,
  testForm,
} from '../fixtures/fakes';

function setup(limits = { perIpPerMinute: 100, perEmailPerMinute: 100 }) {
  const leads = new FakeLeads();
  const counters = new FakeCounters();
  const captured: LeadCaptured[] = [];
  const deps: CaptureDeps = {
    forms: new FakeForms([testForm()]),
    leads,
    models: new FakeModels(),
    limiter: new FakeLimiter(),
    counters,
    clock: fixedClock(),
    limits,
    listeners: [async (event) => void captured.push(event)],
  };
  return { deps, leads, counters, captured };
}

const body = { email: 'ada@example.com', firstName: 'Ada' };
const request = { formId: 'demo-request', body, ip: '198.51.100.7', origin: 'https://example.com' };

describe('captureSubmission', () => {
  it('stores the lead with a form_submitted activity and tells the listeners', async () => {
    const { deps, leads, captured } = setup();
    const result = await captureSubmission(deps, request);
    expect(result).toMatchObject({ outcome: 'accepted', duplicate: false });
    const stored = await leads.find(result.leadId);
    expect(stored?.lead.profile.firstName?.value).toBe('Ada');
    expect(stored?.activities).toEqual([
      expect.objectContaining({
        type: 'form_submitted',
        formId: 'demo-request',
        source: 'form:demo-request',
      }),
    ]);
    expect(captured).toHaveLength(1);
    expect(captured[0]?.activity.leadId).toBe(result.leadId);
  });

  it('answers a filled honeypot as success and stores nothing but a counter', async () => {
    const { deps, leads, counters, captured } = setup();
    const result = await captureSubmission(deps, { ...request, body: { ...body, _gotcha: 'http://spam' } });
    expect(result.outcome).toBe('honeypot');
    expect(result.leadId).toMatch(/^ld_/);
    expect(leads.leads.size).toBe(0);
    expect(leads.activities.size).toBe(0);
    expect(counters.honeypot.get('demo-request')).toBe(1);
    expect(captured).toHaveLength(0);
  });

  it('refuses an unknown form and an origin the form does not allow', async () => {
    const { deps } = setup();
    await expect(captureSubmission(deps, { ...request, formId: 'nope' })).rejects.toBeInstanceOf(
      FormNotFoundError,
    );
    await expect(
      captureSubmission(deps, { ...request, origin: 'https://evil.example' }),
    ).rejects.toBeInstanceOf(OriginNotAllowedError);
  });

  it('accepts a post without an Origin header (server-side callers)', async () => {
    const { deps } = setup();
    await expect(captureSubmission(deps, { ...request, origin: undefined })).resolves.toMatchObject({
      outcome: 'accepted',
    });
  });

  it('stores nothing for invalid input', async () => {
    const { deps, leads } = setup();
    await expect(captureSubmission(deps, { ...request, body: { email: 'nope' } })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(leads.leads.size).toBe(0);
  });

  it('rate-limits per IP with the seconds to the next window', async () => {
    const { deps } = setup({ perIpPerMinute: 2, perEmailPerMinute: 100 });
    for (const n of [1, 2])
      await captureSubmission(deps, { ...request, body: { ...body, email: `p${n}@example.com` } });
    const error = await captureSubmission(deps, {
      ...request,
      body: { ...body, email: 'p3@example.com' },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('rate-limits per email across IPs', async () => {
    const { deps } = setup({ perIpPerMinute: 100, perEmailPerMinute: 1 });
    await captureSubmission(deps, request);
    await expect(captureSubmission(deps, { ...request, ip: '192.0.2.1' })).rejects.toBeInstanceOf(
      RateLimitedError,
    );
  });

  it('maps a retried Idempotency-Key to the same activity, so nothing new is stored', async () => {
    const { deps, leads } = setup();
    const first = await captureSubmission(deps, { ...request, idempotencyKey: 'k-1' });
    const retry = await captureSubmission(deps, { ...request, idempotencyKey: 'k-1' });
    expect(retry).toMatchObject({ leadId: first.leadId, duplicate: true });
    expect(leads.activities.size).toBe(1);
    await captureSubmission(deps, { ...request, idempotencyKey: 'k-2' });
    expect(leads.activities.size).toBe(2);
  });
});
