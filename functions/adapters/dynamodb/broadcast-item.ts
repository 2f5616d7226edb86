import type { Broadcast, BroadcastStatus, ExcludedCounts } from '../../core/nurture/broadcast-ports';

/**
 * The broadcast item's keys and attributes, in one place. One item per broadcast (its definition
 * and progress). It also sits in gsi1 under `BROADCASTS` (gsi1sk `<createdAt>#<id>`), so the list
 * is a Query, newest first: gsi1 is shared by design (hand-offs by status, leads by owner; readers
 * query one gsi1pk each), so broadcasts need no index of their own.
 */
export const broadcastItemKey = (broadcastId: string) => ({
  pk: `BROADCAST#${broadcastId}`,
  sk: 'BROADCAST',
});
export const BROADCASTS_PK = 'BROADCASTS';
export const broadcastListKeys = (broadcast: Pick<Broadcast, 'broadcastId' | 'createdAt'>) => ({
  gsi1pk: BROADCASTS_PK,
  gsi1sk: `${broadcast.createdAt}#${broadcast.broadcastId}`,
});

/**
 * Exclusion counters are top-level numbers (`excludedSuppressed`...): DynamoDB's ADD works on
 * top-level attributes only, and ADD is what makes a page's count a single atomic write.
 */
export const EXCLUDED: Record<keyof ExcludedCounts, string> = {
  suppressed: 'excludedSuppressed',
  noConsent: 'excludedNoConsent',
  ownedBySales: 'excludedOwnedBySales',
  test: 'excludedTest',
};

export function toBroadcastItem(broadcast: Broadcast): Record<string, unknown> {
  const { excluded, ...rest } = broadcast;
  return {
    ...broadcastItemKey(broadcast.broadcastId),
    ...broadcastListKeys(broadcast),
    entity: 'broadcast',
    ...rest,
    ...Object.fromEntries(
      Object.entries(EXCLUDED).map(([k, attr]) => [attr, excluded[k as keyof ExcludedCounts]]),
    ),
  };
}

export function fromBroadcastItem(item: Record<string, unknown>): Broadcast {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _gpk, gsi1sk: _gsk, ...rest } = item;
  const excluded = Object.fromEntries(
    Object.entries(EXCLUDED).map(([k, attr]) => {
      const value = rest[attr];
      delete rest[attr];
      return [k, typeof value === 'number' ? value : 0];
    }),
  ) as unknown as ExcludedCounts;
  return { ...(rest as unknown as Omit<Broadcast, 'excluded'>), excluded };
}

/**
 * The list filter for a status as the API shows it (broadcast-status.ts), as a FilterExpression
 * over the stored status and sendAt (ISO strings of one format compare as times).
 */
export function statusFilter(status: BroadcastStatus | undefined, now: string) {
  const names = { '#status': 'status', '#sendAt': 'sendAt' };
  switch (status) {
    case undefined:
      return {};
    case 'draft':
    case 'cancelled':
      return { expression: '#status = :s', names: { '#status': 'status' }, values: { ':s': status } };
    case 'scheduled':
      return {
        expression: '#status IN (:running, :waiting, :done) AND #sendAt > :now',
        names,
        values: { ':running': 'running', ':waiting': 'waiting', ':done': 'done', ':now': now },
      };
    case 'running':
      return {
        expression: '#status IN (:running, :waiting) AND #sendAt <= :now',
        names,
        values: { ':running': 'running', ':waiting': 'waiting', ':now': now },
      };
    case 'done':
      return {
        expression: '#status = :done AND #sendAt <= :now',
        names,
        values: { ':done': 'done', ':now': now },
      };
  }
}
