import { describe, expect, it } from 'vitest';
import { Destinations } from '../../functions/core/integrations/directory';
import type { WebhookTransport } from '../../functions/core/integrations/webhook-destination';
import type { WebhookEndpoint } from '../../functions/core/integrations/webhook-endpoint';

const endpoint = (endpointId: string, extra: Partial<WebhookEndpoint>) =>
  ({
    endpointId,
    url: 'https://hooks.example.com/x',
    eventTypes: ['lead.hot'],
    status: 'active',
    ...extra,
  }) as WebhookEndpoint;

const ENDPOINTS = [
  endpoint('wh_active', {}),
  // Leadflow paused it after a day of failures: new events are still queued for it, then parked.
  endpoint('wh_failing', { status: 'paused', pausedReason: 'failing_24h', pausedAt: '2026-12-01T00:00:00Z' }),
  // An admin paused it: nothing new.
  endpoint('wh_admin_paused', { status: 'paused' }),
  // The receiver said 410 Gone: never again.
  endpoint('wh_gone', { status: 'disabled', pausedReason: 'gone_410' }),
];

const directory = () =>
  new Destinations(
    { list: async () => ENDPOINTS, get: async (id) => ENDPOINTS.find((e) => e.endpointId === id) },
    {} as WebhookTransport,
    { allowLocalHttp: false },
    { now: () => new Date('2026-12-02T00:00:00Z') },
  );

describe('where new events go', () => {
  it('to active endpoints and to those paused for failing (parked there for a redelivery), not to an admin-paused or disabled one', async () => {
    const ids = (await directory().active()).map((target) => target.id);
    expect(ids).toEqual(['wh_active', 'wh_failing']);
  });

  it('still delivers only to active endpoints: a failing-paused one is found inactive, so its messages are parked', async () => {
    expect((await directory().find('wh_failing'))?.active).toBe(false);
    expect((await directory().find('wh_active'))?.active).toBe(true);
  });
});
