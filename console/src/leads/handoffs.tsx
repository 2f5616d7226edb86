import { fmtTime, label } from '../format';
import type { HandoffEvent, HandoffHistoryEntry, LeadView } from './types';

function eventText(event: HandoffEvent): string {
  const who = event.by ? event.by.name : (event.rep ?? 'sales');
  if (event.type === 'claimed')
    return `${who} claimed it${event.expiredClaimOf ? ` (the claim of ${event.expiredClaimOf} had expired)` : ''}`;
  if (event.type === 'released')
    return `${who} released the claim${event.rep && event.rep !== event.by?.username ? ` of ${event.rep}` : ''}`;
  if (event.type === 'reassigned')
    return `${who} reassigned it${event.from ? ` from ${event.from}` : ''} to ${event.toName ?? event.to ?? 'another rep'}`;
  const outcome = event.outcome ? label(event.outcome) : 'an outcome';
  return `${who}: ${outcome}${event.reason ? ` (${event.reason})` : ''}`;
}

function claimText(h: HandoffHistoryEntry): string | undefined {
  if (!h.claim) return undefined;
  const { rep, claimedAt, expiresAt, expired } = h.claim;
  return expired
    ? `Claimed by ${rep} ${fmtTime(claimedAt)}; the claim expired ${fmtTime(expiresAt)} (back on the queue)`
    : `Claimed by ${rep} ${fmtTime(claimedAt)}, until ${fmtTime(expiresAt)}`;
}

/** Hand-offs and claims: every time the lead went to sales, why, who claimed it and what came of it. */
export function Handoffs({ lead }: { lead: LeadView }) {
  return (
    <section class="card" aria-labelledby="sales-title">
      <h2 id="sales-title">Hand-offs and claims</h2>
      {lead.owner && (
        <p>
          Owned by <strong>{lead.owner.repName}</strong> since {fmtTime(lead.owner.since)}.
        </p>
      )}
      {lead.handoffs.length === 0 ? (
        <p class="empty">Never handed to sales: it goes when its score makes it hot.</p>
      ) : (
        <ol class="plain handoffs">
          {lead.handoffs.map((h) => (
            <li key={h.number} aria-label={`Hand-off ${h.number}`}>
              <strong>Hand-off #{h.number}</strong>
              {h.status ? ` · ${label(h.status)}` : ''}
              <span class="sub">
                {h.becameHotAt ? `Hot ${fmtTime(h.becameHotAt)}` : 'Hot (time no longer on the timeline)'}
                {h.rules.length > 0 ? ` · why: ${h.rules.join(', ')}` : ''}
                {h.sentAt ? ` · sent ${fmtTime(h.sentAt)}` : ''}
              </span>
              {claimText(h) && <span class="sub">{claimText(h)}</span>}
              {h.outcome && (
                <span class="sub">
                  Outcome: {label(h.outcome)}
                  {h.closedAt ? `, closed ${fmtTime(h.closedAt)}` : ''}
                </span>
              )}
              {h.events.length > 0 && (
                <ul class="plain events">
                  {h.events.map((event) => (
                    <li key={`${event.type}-${event.at}`}>
                      {eventText(event)} · {fmtTime(event.at)}
                      {event.note && <span class="sub">“{event.note}”</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
