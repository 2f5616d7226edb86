import { type Sequence, variantsOf } from './types';
import { conditionWords, entryWords, exitWords, triggerWords, waitWords } from './words';

/** A sequence read as a timeline: who enters, each step (wait, condition, template, variants), who leaves. */
export function SequenceTimeline({
  sequence,
  segments,
}: {
  sequence: Sequence;
  segments: { id: string; name: string }[];
}) {
  const segmentName = (id: string) => segments.find((s) => s.id === id)?.name ?? id;
  const exits = exitWords(sequence);
  return (
    <section class="card seq-timeline" aria-labelledby="seq-timeline-title">
      <h2 id="seq-timeline-title">Timeline</h2>
      {sequence.description ? <p>{sequence.description}</p> : null}
      {sequence.enabled === false ? (
        <p class="seq-off">Turned off: nobody is enrolled and nothing is sent.</p>
      ) : null}
      <ol class="seq-line">
        <li class="seq-line-entry">
          <strong>{triggerWords(sequence.trigger)}</strong>
          <span class="sub">{entryWords(sequence)}</span>
        </li>
        {sequence.steps.map((step, i) => {
          const variants = variantsOf(step);
          return (
            <li key={step.id} class="seq-line-step">
              <span class="seq-wait-words">{waitWords(step.wait)}</span>
              <strong>
                Step {i + 1}: send “{step.template}”
              </strong>
              <span class="sub">
                {step.id}
                {step.ignoreSendWindow ? ' · at once, whatever the send window' : ''}
              </span>
              {step.when ? <span class="seq-when">{conditionWords(step.when, segmentName)}</span> : null}
              {variants.length > 0 ? (
                <span class="sub">A/B test: {variants.map((v) => `${v.name} ${v.share}%`).join(', ')}</span>
              ) : null}
            </li>
          );
        })}
        <li class="seq-line-exit">
          <strong>Leaves the sequence</strong>
          {exits.length > 0 ? (
            <ul>
              {exits.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : (
            <span class="sub">Only after the last step</span>
          )}
        </li>
      </ol>
    </section>
  );
}
