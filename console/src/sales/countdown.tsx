import { useEffect, useRef, useState } from 'preact/hooks';
import { clock } from './format';
import { useNow } from './use-load';

/** Moments worth telling a screen-reader user about; the seconds in between are only shown. */
const MILESTONES = [
  { seconds: 0, text: 'The claim has expired.' },
  { seconds: 60, text: 'One minute left on the claim.' },
  { seconds: 300, text: 'Five minutes left on the claim.' },
];

/**
 * The claim's time left, ticking every second. The ticking text is a timer (not announced); a
 * polite live region speaks only at five minutes, one minute and expiry.
 */
export function ClaimCountdown({ expiresAt }: { expiresAt: string }) {
  const now = useNow(1000);
  const left = (Date.parse(expiresAt) - now) / 1000;
  const milestone = MILESTONES.find((m) => left <= m.seconds)?.text ?? '';
  // Said when the claim crosses a milestone while shown, not for where it stood when it appeared.
  const [spoken, setSpoken] = useState('');
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    setSpoken(milestone);
  }, [milestone]);
  const urgent = left <= 300;
  return (
    <p class={`sales-countdown${urgent ? ' sales-countdown--urgent' : ''}`}>
      {left > 0 ? (
        <>
          Claim ends in{' '}
          <span role="timer" aria-live="off">
            {clock(left)}
          </span>
        </>
      ) : (
        'Claim expired'
      )}
      <span class="sales-visually-hidden" aria-live="polite">
        {spoken}
      </span>
    </p>
  );
}
