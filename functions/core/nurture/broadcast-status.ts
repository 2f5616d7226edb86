import type { Broadcast, BroadcastStatus } from './broadcast-ports';

/**
 * The status the API shows at `now`: drafts and cancelled ones as stored; a started broadcast is
 * `scheduled` while its sendAt is ahead, `running` while pages are enrolled or an A/B test waits
 * for its winner, `done` once every page is enrolled (the sends follow within a tick or two; the
 * progress says how many went).
 */
export function broadcastStatus(broadcast: Pick<Broadcast, 'status' | 'sendAt'>, now: Date): BroadcastStatus {
  if (broadcast.status === 'draft' || broadcast.status === 'cancelled') return broadcast.status;
  if (Date.parse(broadcast.sendAt) > now.getTime()) return 'scheduled';
  return broadcast.status === 'done' ? 'done' : 'running';
}

/** A broadcast can be cancelled while it is a draft, scheduled or running. */
export const cancellable = (status: BroadcastStatus) =>
  status === 'draft' || status === 'scheduled' || status === 'running';
