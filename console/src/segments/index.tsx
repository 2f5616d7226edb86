import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtCount } from '../format';
import { Empty, Failed, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { SegmentEditor } from './editor';
import type { SavedSegment, SegmentList, SegmentPreview } from './types';

/** /console/segments, /console/segments/new, /console/segments/<id>: the segment path's page, or null. */
export function segmentOfPath(path: string): { segmentId: string | null } | null {
  if (path === '/console/segments') return { segmentId: null };
  const match = /^\/console\/segments\/([^/]+)$/.exec(path);
  return match?.[1] ? { segmentId: decodeURIComponent(match[1]) } : null;
}

export function SegmentsRoute({ segmentId }: { segmentId: string | null }) {
  const load = useCallback(() => api.get<SegmentList>('/v1/admin/segments'), []);
  const [state, reload] = useLoad(load);
  if (segmentId === 'new') return <SegmentEditor />;
  if (state.status === 'loading' && !state.data) return <Loading what="segments" />;
  if (state.status === 'error' && !state.data)
    return <Failed what="segments" error={state.error} retry={reload} />;
  const segments = state.data?.segments ?? [];
  if (segmentId === null) return <SegmentsPage segments={segments} />;
  const found = segments.find((s) => s.id === segmentId);
  if (!found)
    return (
      <section class="page">
        <h1 tabIndex={-1}>No segment "{segmentId}"</h1>
        <p class="empty">
          The active config has no such segment. <a href="/console/segments">All segments</a>
        </p>
      </section>
    );
  return <SegmentEditor key={found.id} initial={found} version={state.data?.version ?? undefined} />;
}

/** The saved segments of the active config, each with its count (one preview each, in turn). */
function SegmentsPage({ segments }: { segments: SavedSegment[] }) {
  const [counts, setCounts] = useState<Record<string, string>>({});
  useEffect(() => {
    let stopped = false;
    (async () => {
      for (const segment of segments) {
        try {
          const preview = await api.post<SegmentPreview>('/v1/admin/segments/preview', {
            segmentId: segment.id,
          });
          if (stopped) return;
          setCounts((c) => ({
            ...c,
            [segment.id]: `${fmtCount(preview.count)}${preview.complete ? '' : '+'}`,
          }));
        } catch (error) {
          if (stopped) return;
          setCounts((c) => ({ ...c, [segment.id]: `not counted: ${problem(error)}` }));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [segments]);
  return (
    <section class="page segments">
      <div class="page-head">
        <h1 tabIndex={-1}>Segments</h1>
        <a class="button primary" href="/console/segments/new">
          New segment
        </a>
      </div>
      {segments.length === 0 ? (
        <Empty title="No saved segments yet">
          <a href="/console/segments/new">Create a segment</a> to name a group of leads for broadcasts, the
          lead list and sequence steps.
        </Empty>
      ) : (
        <div class="table-wrap">
          <table class="seg-table">
            <caption class="visually-hidden">Saved segments of the active config</caption>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Conditions</th>
                <th scope="col" class="num">
                  Leads
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.map((segment) => (
                <tr key={segment.id}>
                  <td>
                    <a href={`/console/segments/${encodeURIComponent(segment.id)}`}>{segment.name}</a>
                    {segment.description ? <span class="sub">{segment.description}</span> : null}
                    <a class="sub" href={`/console/leads?segment=${encodeURIComponent(segment.id)}`}>
                      Its leads<span class="visually-hidden"> ({segment.name})</span>
                    </a>
                  </td>
                  <td>
                    {segment.definition.conditions.length} (
                    {segment.definition.match === 'all' ? 'all' : 'any'})
                  </td>
                  <td class="num" aria-busy={counts[segment.id] === undefined}>
                    {counts[segment.id] ?? 'counting…'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
