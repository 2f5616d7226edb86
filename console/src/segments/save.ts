import { api } from '../api';
import type { SavedSegment } from './types';

interface Versions {
  active: { version: number; document: Record<string, unknown> & { segments?: SavedSegment[] } } | null;
}

/**
 * Saves a segment the way every console edit is saved: the active nurture config with this segment
 * added or replaced becomes a new version (not active until activated), based on `startedFrom`.
 * Errors come back at `config.segments.<id>.…`.
 */
export async function saveSegment(
  segment: SavedSegment,
  replacing?: string,
  startedFrom?: number,
): Promise<{ version: number; basedOn: number }> {
  const { active } = await api.get<Versions>('/v1/admin/nurture');
  if (!active)
    throw new Error('No nurture config is active yet: publish one with `leadflow config push` first.');
  const others = (active.document.segments ?? []).filter((s) => s.id !== segment.id && s.id !== replacing);
  const config = { ...active.document, segments: [...others, segment] };
  // The version the edit started from: 409 when someone else activated another one since (a new
  // segment, started from nothing, is based on the version it is added to).
  const basedOn = startedFrom ?? active.version;
  const added = await api.post<{ version: number }>('/v1/admin/nurture/versions', { config, basedOn });
  return { version: added.version, basedOn };
}

/**
 * Activates a saved version; with `basedOn` (the version the edit started from) the API refuses
 * with 409 version_conflict when someone else activated another version since.
 */
export async function activateVersion(version: number, basedOn?: number): Promise<void> {
  await api.post(`/v1/admin/nurture/versions/${version}/activate`, basedOn ? { basedOn } : {});
}
