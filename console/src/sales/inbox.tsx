import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { MyClaims } from './types';

/** The rep's inbox: the next hot lead, the claims the rep holds and the leads sales owns through them. */
export function SalesInbox() {
  const [mine, setMine] = useState<MyClaims | null>(null);
  useEffect(() => {
    api.get<MyClaims>('/v1/sales/claims').then(setMine);
  }, []);
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <p>{mine ? `${mine.claims.length} claims, ${mine.owned.length} owned leads` : 'Loading…'}</p>
    </section>
  );
}
