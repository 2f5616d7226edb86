import { ago, clock, personName, stageLabel, when, words } from './format';
import { OutcomeForm } from './outcome-form';
import { Empty } from './states';
import type { MyClaim, Outcome, OutcomeRecorded, OwnedLead } from './types';
import { useNow } from './use-load';

/** The claims the rep holds, newest first; the open one is marked. */
export function MyClaimsList({
  claims,
  selected,
  onOpen,
}: {
  claims: MyClaim[];
  selected: string | null;
  onOpen: (leadId: string) => void;
}) {
  const now = useNow(1000);
  if (!claims.length) {
    return (
      <Empty title="You hold no claims">
        A lead you claim stays here until you record an outcome or release it.
      </Empty>
    );
  }
  return (
    <ul class="sales-rows">
      {claims.map((claim) => {
        const left = (Date.parse(claim.claimExpiresAt) - now) / 1000;
        const current = claim.leadId === selected;
        return (
          <li key={claim.leadId} class={`sales-row${current ? ' sales-row--current' : ''}`}>
            <button
              type="button"
              class="sales-row__open"
              aria-current={current ? 'true' : undefined}
              onClick={() => onOpen(claim.leadId)}
            >
              <span class="sales-row__title">{personName(claim.profile) ?? claim.email}</span>
              <span class="sales-row__sub">{claim.email}</span>
            </button>
            <span class={`sales-row__aside${left <= 300 ? ' sales-countdown--urgent' : ''}`}>
              {left > 0 ? `${clock(left)} left` : 'expired'}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

/** The leads sales owns through this rep, with their activity since the rep's last outcome. */
export function OwnedLeads({
  owned,
  total,
  onRecorded,
}: {
  owned: OwnedLead[];
  total: number;
  onRecorded: (lead: OwnedLead, result: OutcomeRecorded, outcome: Outcome) => void;
}) {
  const now = useNow(30_000);
  if (!owned.length) {
    return (
      <Empty title="No owned leads yet">
        A lead becomes yours when you record contacted, meeting booked, qualified or won.
      </Empty>
    );
  }
  return (
    <>
      {total > owned.length ? (
        <p class="sales-muted sales-owned-total">
          The {owned.length} with the latest activity of your {total} leads.
        </p>
      ) : null}
      <ul class="sales-rows">
        {owned.map((lead) => (
          <li key={lead.leadId} class="sales-row sales-row--owned">
            <div class="sales-row__top">
              <div>
                <a class="sales-row__title" href={`/console/leads/${encodeURIComponent(lead.leadId)}`}>
                  {lead.name ?? lead.email}
                </a>
                <span class="sales-row__sub">
                  {[
                    lead.company,
                    stageLabel(lead.stage),
                    lead.lastOutcome ? `last: ${words(lead.lastOutcome)}` : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                {lead.newActivity.length ? (
                  <ul
                    class="sales-list sales-new-activity"
                    aria-label={`New activity of ${lead.name ?? lead.email}`}
                  >
                    {lead.newActivity.map((activity) => (
                      <li key={`${activity.at}-${activity.type}`}>
                        {words(activity.type)}{' '}
                        <time class="sales-muted" dateTime={activity.at} title={when(activity.at)}>
                          {ago(activity.at, now)}
                        </time>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
              <span class="sales-row__aside">
                {lead.newActivity.length ? (
                  <span class="sales-badge sales-badge--new">{lead.newActivity.length} new</span>
                ) : (
                  <span class="sales-muted">yours {ago(lead.since, now)}</span>
                )}
              </span>
            </div>
            <details class="sales-owned-outcome">
              <summary>
                Record an outcome<span class="sales-visually-hidden"> for {lead.name ?? lead.email}</span>
              </summary>
              <OutcomeForm
                leadId={lead.leadId}
                idPrefix="owned"
                onRecorded={(result, outcome) => onRecorded(lead, result, outcome)}
              />
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
