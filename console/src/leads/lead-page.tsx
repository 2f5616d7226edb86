import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtTime, label, stageLabel } from '../format';
import type { Rights } from '../roles';
import { Handoffs } from './handoffs';
import { LeadActions } from './lead-actions';
import { ScoreCard } from './score-card';
import { Timeline } from './timeline';
import type { LeadView } from './types';

type Load =
  | { state: 'loading' }
  | { state: 'error'; message: string; status?: number }
  | { state: 'ready'; lead: LeadView };

/** One lead: profile with sources, score and the path to hot, timeline, hand-offs, enrollments, consent, and the actions the role allows. */
export function LeadPage({ leadId, can }: { leadId: string; can: Rights }) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let live = true;
    if (version === 0) setLoad({ state: 'loading' });
    api.get<LeadView>(`/v1/admin/leads/${encodeURIComponent(leadId)}`).then(
      (lead) => live && setLoad({ state: 'ready', lead }),
      (error) =>
        live &&
        setLoad({ state: 'error', message: problem(error), status: (error as { status?: number }).status }),
    );
    return () => {
      live = false;
    };
  }, [leadId, version]);

  if (load.state === 'loading')
    return (
      <section class="page">
        <h1 tabIndex={-1}>Lead</h1>
        <div class="skeleton" aria-busy="true" role="status">
          <span class="visually-hidden">Loading the lead…</span>
          <div class="skeleton-row" aria-hidden="true" />
          <div class="skeleton-row" aria-hidden="true" />
        </div>
      </section>
    );
  if (load.state === 'error')
    return (
      <section class="page">
        <h1 tabIndex={-1}>{load.status === 404 ? 'Lead not found' : 'Lead'}</h1>
        <div class="error-state" role="alert">
          <p>
            {load.status === 404 ? 'There is no lead with this id (it may have been erased).' : load.message}
          </p>
          {load.status !== 404 && (
            <button type="button" class="button" onClick={() => setVersion((n) => n + 1)}>
              Retry
            </button>
          )}
          <p>
            <a href="/console/leads">Back to leads</a>
          </p>
        </div>
      </section>
    );

  const { lead } = load;
  const name = [lead.profile.firstName, lead.profile.lastName].filter(Boolean).join(' ');
  return (
    <section class="page lead" aria-labelledby="lead-title">
      <p class="crumbs">
        <a href="/console/leads">Leads</a> / {lead.email}
      </p>
      <div class="page-head">
        <div>
          <h1 id="lead-title" tabIndex={-1}>
            {name || lead.email}
          </h1>
          <p class="sub">
            {name ? `${lead.email} · ` : ''}
            <span class={`stage stage-${lead.stage}`}>{stageLabel(lead.stage)}</span>
            {lead.owner ? ` · Owned by ${lead.owner.repName} since ${fmtTime(lead.owner.since)}` : ''}
            {lead.suppressed ? ' · Suppressed' : ''}
          </p>
        </div>
      </div>
      <div class="lead-grid">
        <div class="lead-main">
          <ScoreCard lead={lead} />
          <Timeline entries={lead.timeline} />
        </div>
        <aside class="lead-side" aria-label="Details and actions">
          <LeadActions lead={lead} can={can} onChanged={() => setVersion((n) => n + 1)} />
          <Profile lead={lead} />
          <Handoffs lead={lead} />
          <Enrollments lead={lead} />
          <Consent lead={lead} />
        </aside>
      </div>
    </section>
  );
}

function Profile({ lead }: { lead: LeadView }) {
  const fields = Object.entries(lead.profile).filter(([field]) => field !== 'email');
  return (
    <section class="card" aria-labelledby="profile-title">
      <h2 id="profile-title">Profile</h2>
      <dl class="fields">
        <div>
          <dt>Email</dt>
          <dd>
            {lead.email}
            {lead.fieldSources.email && (
              <span class="sub">
                {lead.fieldSources.email.source} · {fmtTime(lead.fieldSources.email.at)}
              </span>
            )}
          </dd>
        </div>
        {fields.map(([field, value]) => (
          <div key={field}>
            <dt>{label(field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase())}</dt>
            <dd>
              {String(value)}
              {lead.fieldSources[field] && (
                <span class="sub">
                  {lead.fieldSources[field]?.source} · {fmtTime(lead.fieldSources[field]?.at)}
                </span>
              )}
            </dd>
          </div>
        ))}
        <div>
          <dt>Created</dt>
          <dd>{fmtTime(lead.createdAt)}</dd>
        </div>
      </dl>
    </section>
  );
}

function Enrollments({ lead }: { lead: LeadView }) {
  return (
    <section class="card" aria-labelledby="enrollments-title">
      <h2 id="enrollments-title">Nurture</h2>
      {lead.enrollments.length === 0 ? (
        <p class="empty">Not in any sequence.</p>
      ) : (
        <ul class="plain">
          {lead.enrollments.map((e) => (
            <li key={`${e.sequenceId}-${e.number}`}>
              <strong>{e.sequenceId}</strong> · {label(e.status)}
              <span class="sub">
                {e.status === 'active'
                  ? `next: step ${e.step + 1}, due ${fmtTime(e.dueAt)}`
                  : `ended at step ${e.step + 1}${e.endedAt ? `, ${fmtTime(e.endedAt)}` : ''}${e.reason ? ` (${label(e.reason)})` : ''}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Consent({ lead }: { lead: LeadView }) {
  return (
    <section class="card" aria-labelledby="consent-title">
      <h2 id="consent-title">Consent</h2>
      {lead.suppressed && (
        <p class="notice warn">
          Suppressed ({label(lead.suppressed.reason)}) since {fmtTime(lead.suppressed.at)}: never emailed
          again.
        </p>
      )}
      <p>
        Marketing email:{' '}
        {lead.marketingConsent
          ? `${lead.marketingConsent.granted ? 'granted' : 'withdrawn'} (${lead.marketingConsent.source}, ${fmtTime(lead.marketingConsent.at)})`
          : 'never asked'}
      </p>
      {lead.consent.length > 0 && (
        <ul class="plain">
          {lead.consent.map((c) => (
            <li key={`${c.at}-${c.source}`}>
              {c.granted ? 'Granted' : 'Not granted'} · {fmtTime(c.at)} · {c.source}
              {c.ip ? ` · IP ${c.ip}` : ''}
              {c.pendingConfirmation ? ' · waiting for confirmation' : ''}
              {c.doubleOptIn ? ' · confirmed' : ''}
              <span class="sub">"{c.text}"</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
