import type { Destination } from './destination';
import type { DestinationDirectory, FanOutTarget } from './ports';
import type { UrlPolicy } from './url-rules';
import { WebhookDestination, type WebhookTransport } from './webhook-destination';
import type { WebhookEndpoint } from './webhook-endpoint';
import type { WebhookEndpointStore } from './webhook-endpoints';

/**
 * Every destination: the admins' webhook endpoints (read from the store each time: a tick run or
 * a delivery sees changes at once) and the fixed ones other connectors add (Slack, HubSpot).
 */
export class Destinations implements DestinationDirectory {
  constructor(
    private readonly endpoints: Pick<WebhookEndpointStore, 'list' | 'get'>,
    private readonly transport: WebhookTransport,
    private readonly policy: UrlPolicy,
    private readonly clock: { now(): Date },
    private readonly others: readonly Destination[] = [],
  ) {}

  /**
   * Where new events go: the active endpoints, and those Leadflow paused after a day of failures.
   * The latter's messages are parked at once (deliverMessage), logged `dead_lettered`
   * (`endpoint_paused`), so `leadflow webhooks redeliver --resume` sends what happened during the
   * pause once the receiver is fixed. An admin's pause and a 410's disable get nothing new.
   */
  async active(): Promise<FanOutTarget[]> {
    const endpoints = await this.endpoints.list();
    return [
      ...endpoints
        .filter((endpoint) => endpoint.status === 'active' || pausedByFailures(endpoint))
        .map((endpoint) => new WebhookDestination(endpoint, this.transport, this.policy, this.clock)),
      ...this.others,
    ];
  }

  async find(id: string): Promise<{ destination: Destination; active: boolean } | undefined> {
    const other = this.others.find((destination) => destination.id === id);
    if (other) return { destination: other, active: true };
    const endpoint = id.startsWith('wh_') ? await this.endpoints.get(id) : undefined;
    if (!endpoint) return undefined;
    return {
      destination: new WebhookDestination(endpoint, this.transport, this.policy, this.clock),
      active: endpoint.status === 'active',
    };
  }
}

const pausedByFailures = (endpoint: WebhookEndpoint) =>
  endpoint.status === 'paused' && endpoint.pausedReason === 'failing_24h';
