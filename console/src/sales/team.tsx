import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Team } from './types';

/** The sales manager's view: waiting hot leads, open claims per rep, SLA breaches. */
export function ManagerView() {
  const [team, setTeam] = useState<Team | null>(null);
  useEffect(() => {
    api.get<Team>('/v1/sales/team').then(setTeam);
  }, []);
  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">Team</h1>
      <p>{team ? `${team.waiting.length} waiting, ${team.claims.length} claimed` : 'Loading…'}</p>
    </section>
  );
}
