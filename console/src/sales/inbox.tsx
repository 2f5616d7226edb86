import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { OUTCOME_LABEL, stageLabel } from './format';
import { ClaimedLead } from './lead-card';
import { MyClaimsList, OwnedLeads } from './my-claims';
import { Empty, Failed, Loading, problem } from './states';
import type { LeadCard, MyClaim, MyClaims, Outcome, OutcomeRecorded, SalesQueue } from './types';
import { useLoad } from './use-load';

const loadMine = () => api.get<MyClaims>('/v1/sales/claims');

/**
 * The rep's inbox: "Next hot lead" claims the lead that waited longest and shows its card; My
 * claims lists every claim the rep holds (the API knows them, so a reload loses none); Owned
 * leads are the leads sales owns through this rep, with what they did since the last outcome.
 */
export function SalesInbox() {
  const [mine, reload] = useLoad(loadMine);
  const [claims, setClaims] = useState<MyClaim[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [nobodyWaiting, setNobodyWaiting] = useState(false);
  const [claiming, setClaiming] = useState(false);
  const [claimError, setClaimError] = useState('');
  const [announcement, setAnnouncement] = useState('');
  const [waiting, setWaiting] = useState<number | null>(null);
  const [focusCard, setFocusCard] = useState(0);
  const cardHeading = useRef<HTMLHeadingElement>(null);
  const nextButton = useRef<HTMLButtonElement>(null);
  /** After a card closes (outcome, release), focus goes to "Next hot lead" rather than being lost. */
  const [focusNext, setFocusNext] = useState(0);

  const refreshQueue = useCallback(async () => {
    try {
      setWaiting((await api.get<SalesQueue>('/v1/sales/queue')).waiting);
    } catch {
      setWaiting(null); // the count is a hint; the inbox works without it
    }
  }, []);

  useEffect(() => {
    if (mine.status !== 'ready') return;
    setClaims(mine.data.claims);
    setSelected((current) =>
      current && mine.data.claims.some((c) => c.leadId === current)
        ? current
        : (mine.data.claims[0]?.leadId ?? null),
    );
  }, [mine]);
  useEffect(() => {
    void refreshQueue();
  }, [refreshQueue]);
  useEffect(() => {
    if (focusCard) cardHeading.current?.focus();
  }, [focusCard]);
  useEffect(() => {
    if (focusNext) nextButton.current?.focus();
  }, [focusNext]);

  const card = claims.find((c) => c.leadId === selected) ?? null;

  async function claimNext() {
    setClaiming(true);
    setClaimError('');
    setNobodyWaiting(false);
    try {
      const next = await api.post<LeadCard | undefined | null>('/v1/sales/claims');
      if (!next) {
        setNobodyWaiting(true);
        setAnnouncement('Nobody is waiting.');
      } else {
        const claim: MyClaim = { ...next, claimedAt: new Date().toISOString() };
        setClaims((list) => [claim, ...list.filter((c) => c.leadId !== claim.leadId)]);
        setSelected(claim.leadId);
        setAnnouncement(`Claimed ${claim.email}.`);
        setFocusCard((n) => n + 1);
      }
    } catch (error) {
      setClaimError(problem(error));
    } finally {
      setClaiming(false);
      void refreshQueue();
    }
  }

  function update(leadId: string, change: Partial<MyClaim>) {
    setClaims((list) => list.map((c) => (c.leadId === leadId ? { ...c, ...change } : c)));
  }

  function drop(leadId: string, message: string) {
    const rest = claims.filter((c) => c.leadId !== leadId);
    setClaims(rest);
    setSelected(rest[0]?.leadId ?? null);
    setAnnouncement(message);
    setFocusNext((n) => n + 1);
    void reload(); // owned leads change with outcomes
    void refreshQueue();
  }

  function recorded(claim: MyClaim, result: OutcomeRecorded, outcome: Outcome) {
    const said = `${OUTCOME_LABEL[outcome]} recorded for ${claim.email}; stage ${stageLabel(result.stage)}.`;
    if (result.claimOpen) {
      update(claim.leadId, { stage: result.stage });
      setAnnouncement(`${said} The claim stays open.`);
    } else {
      drop(claim.leadId, said);
    }
  }

  return (
    <div class="sales-page">
      <header class="sales-page__header">
        <h1 tabIndex={-1}>Inbox</h1>
        <div class="sales-page__tools">
          <button
            ref={nextButton}
            type="button"
            class="button primary sales-big"
            onClick={() => void claimNext()}
            disabled={claiming}
            aria-busy={claiming ? 'true' : undefined}
          >
            Next hot lead
          </button>
          {waiting !== null ? (
            <span class="sales-muted">{waiting === 1 ? '1 lead waiting' : `${waiting} leads waiting`}</span>
          ) : null}
        </div>
      </header>
      <p class="sales-announce" role="status">
        {announcement}
      </p>
      {claimError ? (
        <p class="sales-field__error" role="alert">
          Could not claim a lead: {claimError}
        </p>
      ) : null}

      <div class="sales-inbox">
        <div class="sales-inbox__main">
          {card ? (
            <ClaimedLead
              key={card.leadId}
              card={card}
              headingRef={cardHeading}
              onExtended={(claimExpiresAt) => {
                update(card.leadId, { claimExpiresAt });
                setAnnouncement(`Claim on ${card.email} extended.`);
              }}
              onReleased={() => drop(card.leadId, `Released ${card.email}; it is back in the queue.`)}
              onRecorded={(result, outcome) => recorded(card, result, outcome)}
            />
          ) : nobodyWaiting ? (
            <Empty title="Nobody is waiting — you will see hot leads here as they come in">
              Try “Next hot lead” again in a few minutes.
            </Empty>
          ) : mine.status === 'ready' ? (
            <Empty title="No lead open">
              Press “Next hot lead” to claim the lead that has waited longest.
            </Empty>
          ) : null}
        </div>

        <div class="sales-inbox__side">
          <section aria-labelledby="my-claims-title" class="sales-panel">
            <h2 id="my-claims-title">My claims</h2>
            {mine.status === 'error' && !mine.data ? (
              <Failed what="your claims" error={mine.error} retry={() => void reload()} />
            ) : mine.status === 'loading' && !mine.data ? (
              <Loading what="your claims" />
            ) : (
              <MyClaimsList
                claims={claims}
                selected={selected}
                onOpen={(leadId) => {
                  setSelected(leadId);
                  setFocusCard((n) => n + 1);
                }}
              />
            )}
          </section>
          <section aria-labelledby="owned-title" class="sales-panel">
            <h2 id="owned-title">Owned leads</h2>
            {mine.status === 'error' && !mine.data ? (
              <Failed what="your leads" error={mine.error} retry={() => void reload()} />
            ) : mine.data ? (
              <OwnedLeads
                owned={mine.data.owned}
                total={mine.data.ownedTotal ?? mine.data.owned.length}
                onRecorded={(lead, result, outcome) => {
                  setAnnouncement(
                    `${OUTCOME_LABEL[outcome]} recorded for ${lead.email}; stage ${stageLabel(result.stage)}.`,
                  );
                  void reload();
                }}
              />
            ) : (
              <Loading what="your leads" />
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
