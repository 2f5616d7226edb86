import { Fragment, type Ref } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../api';
import { CardNotes } from './card-notes';
import { ClaimCountdown } from './countdown';
import { ago, personName, stageLabel, when, words } from './format';
import { OutcomeForm } from './outcome-form';
import { problem } from './states';
import type { LeadCard, Outcome, OutcomeRecorded } from './types';
import { useNow } from './use-load';

/** Profile fields shown in their own places on the card, not in the "More about them" list. */
const SHOWN = new Set(['email', 'firstName', 'lastName', 'company', 'jobTitle', 'phone', 'message']);

interface Props {
  card: LeadCard;
  headingRef?: Ref<HTMLHeadingElement>;
  onExtended: (claimExpiresAt: string) => void;
  onReleased: () => void;
  onRecorded: (result: OutcomeRecorded, outcome: Outcome) => void;
}

/** A claimed hot lead: why it is hot, who they are, what they did, and what the rep can do now. */
export function ClaimedLead({ card, headingRef, onExtended, onReleased, onRecorded }: Props) {
  const now = useNow(30_000);
  const [busy, setBusy] = useState<'extend' | 'release' | null>(null);
  const [failure, setFailure] = useState('');
  const name = personName(card.profile);
  const { company, jobTitle, phone, message } = card.profile;
  const token = encodeURIComponent(card.claimToken);
  const more = Object.entries(card.profile).filter(([field]) => !SHOWN.has(field));
  const headingId = `card-${card.leadId}`;

  async function act(kind: 'extend' | 'release') {
    setBusy(kind);
    setFailure('');
    try {
      if (kind === 'extend') {
        const { claimExpiresAt } = await api.post<{ claimExpiresAt: string }>(
          `/v1/sales/claims/${token}/extend`,
        );
        onExtended(claimExpiresAt);
      } else {
        await api.post(`/v1/sales/claims/${token}/release`);
        onReleased();
      }
    } catch (error) {
      setFailure(problem(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <article class="sales-card" aria-labelledby={headingId}>
      <header class="sales-card__header">
        <h2 id={headingId} tabIndex={-1} ref={headingRef}>
          {name ?? card.email}
        </h2>
        <p class="sales-card__sub">
          {[jobTitle, company].filter(Boolean).join(' · ') || 'No title or company given'}
        </p>
        <p class="sales-card__meta">
          <span class={`stage stage-${card.stage}`}>{stageLabel(card.stage)}</span>
          {card.score ? (
            <span class="sales-badge sales-badge--score">
              Score {card.score.total} · grade {card.score.grade}
            </span>
          ) : null}
          <span>
            Hand-off #{card.handoff} · hot{' '}
            <time dateTime={card.becameHotAt}>{ago(card.becameHotAt, now)}</time>
          </span>
        </p>
        <ClaimCountdown expiresAt={card.claimExpiresAt} />
        <div class="sales-card__actions">
          <a class="button primary" href={`mailto:${card.email}`}>
            Email {card.email}
          </a>
          {typeof phone === 'string' && phone ? (
            <a class="button" href={`tel:${phone}`}>
              Call {phone}
            </a>
          ) : null}
          <button type="button" class="button" disabled={busy !== null} onClick={() => void act('extend')}>
            Extend claim
          </button>
          <button type="button" class="button" disabled={busy !== null} onClick={() => void act('release')}>
            Release
          </button>
        </div>
        {failure ? (
          <p class="sales-field__error" role="alert">
            {failure}
          </p>
        ) : null}
      </header>

      <section aria-labelledby={`${headingId}-why`}>
        <h3 id={`${headingId}-why`}>Why it is hot</h3>
        {card.whyHot.length ? (
          <ul class="sales-list">
            {card.whyHot.map((rule) => (
              <li key={rule.rule}>
                {rule.reason} <span class="sales-muted">(+{rule.points})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="sales-muted">The score crossed the hot threshold.</p>
        )}
        {card.score ? (
          <p class="sales-muted">
            Fit {card.score.fit} · engagement {card.score.engagement} · total {card.score.total} (model v
            {card.score.modelVersion})
          </p>
        ) : null}
      </section>

      {typeof message === 'string' && message ? (
        <section aria-labelledby={`${headingId}-message`}>
          <h3 id={`${headingId}-message`}>Their message</h3>
          <blockquote class="sales-quote">{message}</blockquote>
        </section>
      ) : null}

      <CardNotes card={card} headingId={`${headingId}-notes`} />

      <section aria-labelledby={`${headingId}-activity`}>
        <h3 id={`${headingId}-activity`}>Recent activity</h3>
        {card.recentActivity.length ? (
          <ol class="sales-list sales-timeline">
            {card.recentActivity.map((activity) => (
              <li key={`${activity.at}-${activity.type}`}>
                <span>{words(activity.type)}</span>{' '}
                <span class="sales-muted">
                  {activity.formId ? `${activity.formId} · ` : ''}
                  <time dateTime={activity.at} title={when(activity.at)}>
                    {ago(activity.at, now)}
                  </time>
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="sales-muted">No activity recorded yet.</p>
        )}
      </section>

      <section aria-labelledby={`${headingId}-profile`}>
        <h3 id={`${headingId}-profile`}>More about them</h3>
        <dl class="sales-facts">
          <dt>Email</dt>
          <dd>{card.email}</dd>
          {more.map(([field, value]) => (
            <Fragment key={field}>
              <dt>{words(field)}</dt>
              <dd>{String(value)}</dd>
            </Fragment>
          ))}
          {card.source.first ? (
            <>
              <dt>First came from</dt>
              <dd>{touch(card.source.first)}</dd>
            </>
          ) : null}
        </dl>
      </section>

      <OutcomeForm
        leadId={card.leadId}
        claimToken={card.claimToken}
        idPrefix="claim"
        onRecorded={onRecorded}
      />
    </article>
  );
}

/** "form:demo-request · utm google / cpc / spring-launch": where a touch came from. */
function touch(first: Record<string, string>): string {
  const utm = ['utm_source', 'utm_medium', 'utm_campaign'].map((k) => first[k]).filter(Boolean);
  return [first.source, utm.length ? `utm ${utm.join(' / ')}` : ''].filter(Boolean).join(' · ') || 'unknown';
}
