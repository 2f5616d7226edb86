import type * as z from 'zod/mini';
import { ValidationError } from '../kernel/errors';
import { activeSegment } from '../segments/segments';
import type {
  broadcastBodySchema,
  broadcastDraftBodySchema,
  broadcastPreviewBodySchema,
} from './admin-bodies';
import {
  type BroadcastDeps,
  type BroadcastInput,
  type BroadcastPreviewDeps,
  previewBroadcast,
  startBroadcast,
} from './broadcast';
import type { Segment } from './broadcast-bodies';
import type { Broadcast, ChangedBy } from './broadcast-ports';
import { broadcastStatus } from './broadcast-status';
import { activeConfig, type NurtureVersions, templateIn } from './nurture-versions';
import type { BroadcastPreview, BroadcastProgress } from './responses';

type Versions = { versions: Pick<NurtureVersions, 'active'> };

/** How many leads a broadcast would reach now (the template must exist in the active config). */
export async function previewBroadcastFor(
  deps: BroadcastPreviewDeps & Versions,
  body: z.infer<typeof broadcastPreviewBodySchema>,
): Promise<BroadcastPreview> {
  templateIn((await activeConfig(deps.versions)).config, body.template);
  return previewBroadcast(deps, (await resolveSegment(deps, body)).segment);
}

/**
 * A segment naming a saved one (`segment.segmentId`) gets its definition from the active nurture
 * config (404 segment_not_found): a snapshot, so a broadcast keeps who it meant when it was made.
 */
export async function resolveSegment<T extends { segment: Segment }>(deps: Versions, body: T): Promise<T> {
  const id = body.segment.segmentId;
  if (id === undefined) return body;
  const saved = await activeSegment(deps.versions, id);
  return { ...body, segment: { ...body.segment, definition: saved.definition } };
}

/** The broadcast's template and every A/B variant's template must be in the active config. */
export async function checkTemplates(
  deps: Versions,
  body: Pick<z.infer<typeof broadcastDraftBodySchema>, 'template' | 'abTest'>,
): Promise<void> {
  const { config } = await activeConfig(deps.versions);
  templateIn(config, body.template);
  for (const variant of body.abTest?.variants ?? [])
    if (variant.template) templateIn(config, variant.template);
}

/** When a broadcast goes out: now, or at `sendAt` within a year (a time past means now). */
export function sendTime(sendAt: string | undefined, now: Date): Date {
  const at = sendAt ? new Date(sendAt) : now;
  if (at.getTime() > now.getTime() + 366 * 24 * 60 * 60 * 1000)
    throw new ValidationError([{ path: 'sendAt', message: 'at most a year ahead' }]);
  return at < now ? now : at;
}

/** The broadcast a create or draft body describes. */
export function inputOf(
  body: z.infer<typeof broadcastDraftBodySchema> & { draft?: boolean },
  broadcastId: string,
  now: Date,
): BroadcastInput {
  return {
    broadcastId,
    name: body.name,
    template: body.template,
    segment: body.segment,
    sendAt: sendTime(body.sendAt, now),
    ignoreSendWindow: body.ignoreSendWindow ?? false,
    abTest: body.abTest,
    draft: body.draft,
  };
}

/** Starts a broadcast of a template of the active config (now, or at `sendAt`), or keeps it as a draft. */
export async function createBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts' | 'requestPage'> & Versions,
  body: z.infer<typeof broadcastBodySchema>,
  broadcastId: string,
  by: ChangedBy,
  now: Date,
): Promise<BroadcastProgress> {
  await checkTemplates(deps, body);
  const resolved = await resolveSegment(deps, body);
  const broadcast = await startBroadcast(deps, inputOf(resolved, broadcastId, now), by, now);
  return progressView(broadcast, now);
}

/** A broadcast as the API shows it: its status at `now`; the paging cursor stays internal. */
export function progressView(broadcast: Broadcast, now: Date): BroadcastProgress {
  const { cursor: _cursor, previous: _previous, restQueued: _queued, status: _stored, ...view } = broadcast;
  return {
    ...view,
    name: broadcast.name ?? broadcast.template,
    by: broadcast.by ?? { name: broadcast.createdBy },
    status: broadcastStatus(broadcast, now),
  };
}
