import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ago, duration, when, words } from './format';
import { Empty, Failed, Loading } from './states';
import { ReassignDialog, ReleaseDialog } from './team-dialogs';
import type { Team, TeamClaim } from './types';
import { useLoad } from './use-load';

const loadTeam = () => api.get<Team>('/v1/sales/team');

/**
 * A table that scrolls sideways on a narrow screen; focusable so a keyboard can scroll it too.
 */
function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard (WCAG 2.1.1)
    <section class="sales-table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}

/** SLA mark: a word, not a colour only. */
function Breach({ breached }: { breached: boolean }) {
  return breached ? (
    <span class="sales-badge sales-badge--breach">SLA breached</span>
  ) : (
    <span class="sales-muted">within SLA</span>
  );
}

/**
 * The sales manager's view: hot leads waiting with their age, open claims per rep with their
 * age, SLA breaches, and releasing or reassigning a claim.
 */
export function ManagerView() {
  const [team, reload] = useLoad(loadTeam);
  const [announcement, setAnnouncement] = useState('');
  const [action, setAction] = useState<{ kind: 'reassign' | 'release'; claim: TeamClaim } | null>(null);
  const data = team.data;

  function done(message: string) {
    setAction(null);
    setAnnouncement(message);
    void reload();
  }

  return (
    <div class="sales-page">
      <header class="sales-page__header">
        <h1 tabIndex={-1}>Team</h1>
        <div class="sales-page__tools">
          <button
            type="button"
            class="button"
            onClick={() => void reload()}
            disabled={team.status === 'loading'}
            aria-busy={team.status === 'loading' ? 'true' : undefined}
          >
            Refresh
          </button>
          {data ? (
            <span class="sales-muted">SLA: {data.slaMinutes} minutes to claim and to an outcome</span>
          ) : null}
        </div>
      </header>
      <p class="sales-announce" role="status">
        {announcement}
      </p>
      {team.status === 'error' && data ? (
        <p class="sales-field__error" role="alert">
          Could not refresh; showing the last answer.
        </p>
      ) : null}

      {team.status === 'error' && !data ? (
        <Failed what="the team" error={team.error} retry={() => void reload()} />
      ) : !data ? (
        <Loading what="the team" />
      ) : (
        <div class="sales-team">
          <section aria-labelledby="waiting-title" class="sales-panel">
            <h2 id="waiting-title">Waiting ({data.waiting.length})</h2>
            {data.waiting.length ? (
              <TableScroll label="Unclaimed hot leads">
                <table class="sales-table">
                  <caption class="sales-visually-hidden">
                    Hot leads nobody has claimed, longest waiting first
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Lead</th>
                      <th scope="col">Hand-off</th>
                      <th scope="col">Waiting</th>
                      <th scope="col">SLA</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.waiting.map((lead) => (
                      <tr key={lead.leadId} class={lead.slaBreached ? 'sales-table__breach' : undefined}>
                        <th scope="row">
                          {lead.name ?? lead.email}
                          {lead.name ? <span class="sales-row__sub">{lead.email}</span> : null}
                        </th>
                        <td data-label="Hand-off">#{lead.handoff}</td>
                        <td data-label="Waiting" title={`hot since ${when(lead.becameHotAt)}`}>
                          {duration(lead.waitingSeconds)}
                        </td>
                        <td data-label="SLA">
                          <Breach breached={lead.slaBreached} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            ) : (
              <Empty title="Nobody is waiting">Every hot lead has a rep.</Empty>
            )}
          </section>

          <section aria-labelledby="claims-title" class="sales-panel">
            <h2 id="claims-title">Claims ({data.claims.length})</h2>
            {data.claims.length ? (
              <TableScroll label="Open claims by rep">
                <table class="sales-table">
                  <caption class="sales-visually-hidden">Open claims by rep</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rep</th>
                      <th scope="col">Lead</th>
                      <th scope="col">Held</th>
                      <th scope="col">Last outcome</th>
                      <th scope="col">SLA</th>
                      <th scope="col">
                        <span class="sales-visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...data.claims]
                      .sort((a, b) => a.repName.localeCompare(b.repName) || b.heldSeconds - a.heldSeconds)
                      .map((claim) => (
                        <tr key={claim.leadId} class={claim.slaBreached ? 'sales-table__breach' : undefined}>
                          <td data-label="Rep">{claim.repName}</td>
                          <th scope="row">
                            {claim.name ?? claim.email}
                            {claim.name ? <span class="sales-row__sub">{claim.email}</span> : null}
                          </th>
                          <td
                            data-label="Held"
                            title={`claimed ${when(claim.claimedAt)}, ends ${when(claim.expiresAt)}`}
                          >
                            {duration(claim.heldSeconds)}
                          </td>
                          <td data-label="Last outcome">
                            {claim.lastOutcome ? (
                              words(claim.lastOutcome)
                            ) : (
                              <span class="sales-muted">none yet</span>
                            )}
                          </td>
                          <td data-label="SLA">
                            <Breach breached={claim.slaBreached} />
                          </td>
                          <td class="sales-table__cell-actions">
                            <div class="sales-table__actions">
                              <button
                                type="button"
                                class="button"
                                aria-label={`Reassign ${claim.email} (held by ${claim.repName})`}
                                onClick={() => setAction({ kind: 'reassign', claim })}
                              >
                                Reassign
                              </button>
                              <button
                                type="button"
                                class="button"
                                aria-label={`Release ${claim.email} (held by ${claim.repName})`}
                                onClick={() => setAction({ kind: 'release', claim })}
                              >
                                Release
                              </button>
                            </div>
                          </td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </TableScroll>
            ) : (
              <Empty title="No open claims">Claims appear here while reps work their leads.</Empty>
            )}
          </section>

          <section aria-labelledby="owned-activity-title" class="sales-panel">
            <h2 id="owned-activity-title">New activity on owned leads ({data.ownedActivity?.length ?? 0})</h2>
            {data.ownedActivity?.length ? (
              <TableScroll label="Owned leads with new activity">
                <table class="sales-table">
                  <caption class="sales-visually-hidden">
                    Leads sales owns that did something since their rep's last outcome
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Lead</th>
                      <th scope="col">Rep</th>
                      <th scope="col">Latest</th>
                      <th scope="col">Last outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.ownedActivity.map((lead) => (
                      <tr key={lead.leadId}>
                        <th scope="row">
                          <a href={`/console/leads/${encodeURIComponent(lead.leadId)}`}>
                            {lead.name ?? lead.email}
                          </a>
                          {lead.name ? <span class="sales-row__sub">{lead.email}</span> : null}
                        </th>
                        <td data-label="Rep">{lead.repName}</td>
                        <td data-label="Latest" title={when(lead.lastActivity.at)}>
                          {words(lead.lastActivity.type)}, {ago(lead.lastActivity.at)}
                        </td>
                        <td data-label="Last outcome">{lead.lastOutcome ? words(lead.lastOutcome) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            ) : (
              <Empty title="Nothing new on owned leads">
                When a lead sales owns comes back (a form, a reply), it shows here and in its rep's inbox.
              </Empty>
            )}
          </section>

          <section aria-labelledby="reps-title" class="sales-panel">
            <h2 id="reps-title">Reps</h2>
            {data.reps.length ? (
              <TableScroll label="Claims, owned leads and breaches per rep">
                <table class="sales-table">
                  <caption class="sales-visually-hidden">
                    Claims, owned leads and SLA breaches per rep
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Rep</th>
                      <th scope="col">Claims</th>
                      <th scope="col">Owned</th>
                      <th scope="col">SLA breaches</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.reps.map((rep) => (
                      <tr key={rep.rep}>
                        <th scope="row">
                          {rep.repName}
                          <span class="sales-row__sub">{rep.rep}</span>
                        </th>
                        <td data-label="Claims">{rep.claims}</td>
                        <td data-label="Owned">{rep.owned}</td>
                        <td data-label="SLA breaches">
                          {rep.slaBreaches ? (
                            <span class="sales-badge sales-badge--breach">{rep.slaBreaches}</span>
                          ) : (
                            '0'
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            ) : (
              <Empty title="No rep holds or owns a lead yet" />
            )}
          </section>
        </div>
      )}

      {action?.kind === 'reassign' && data ? (
        <ReassignDialog
          claim={action.claim}
          reps={data.reps}
          onClose={() => setAction(null)}
          onDone={(repName) => done(`${action.claim.email} reassigned to ${repName}.`)}
        />
      ) : null}
      {action?.kind === 'release' ? (
        <ReleaseDialog
          claim={action.claim}
          onClose={() => setAction(null)}
          onDone={() => done(`Released ${action.claim.email}.`)}
        />
      ) : null}
    </div>
  );
}
