import { api } from '../api';
import type { ConfigDiff, NurtureState, Sequence } from './types';

export { activateVersion } from '../segments/save';

/**
 * Saves a sequence the way every console edit is saved (as segments and templates do): the active
 * nurture config with this sequence replaced (or added) becomes a new version, not active until
 * activated. A 400 names its problems at `config.sequences.<index>.…`; `index` is where it went.
 */
export function withSequence(state: NurtureState, sequence: Sequence, replacing: string) {
  const active = state.active;
  if (!active)
    throw new Error('No nurture config is active yet: publish one with `leadflow config push` first.');
  const sequences = [...active.document.sequences];
  const at = sequences.findIndex((s) => s.id === replacing);
  const index = at >= 0 ? at : sequences.length;
  sequences[index] = sequence;
  return { config: { ...active.document, sequences }, index };
}

export async function saveSequence(
  state: NurtureState,
  sequence: Sequence,
  replacing: string,
  basedOn = state.active?.version,
): Promise<number> {
  const { config } = withSequence(state, sequence, replacing);
  // basedOn (the version the edit started from): a 409 instead of silently dropping a version
  // someone else activated meanwhile.
  const body = { config, basedOn };
  return (await api.post<{ version: number }>('/v1/admin/nurture/versions', body)).version;
}

export const diffVersions = (from: number, to: number) =>
  api.get<ConfigDiff>(`/v1/admin/nurture/versions/${from}/diff/${to}`);
