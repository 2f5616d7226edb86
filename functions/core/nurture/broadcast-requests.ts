import type * as z from 'zod/mini';
import { ValidationError } from '../kernel/errors';
import type { broadcastBodySchema, broadcastPreviewBodySchema } from './admin-bodies';
import { type Broadcast, type BroadcastDeps, previewBroadcast, startBroadcast } from './broadcast';
import { activeConfig, type NurtureVersions, templateIn } from './nurture-versions';
import type { BroadcastPreview, BroadcastProgress } from './responses';

/** How many leads a broadcast would reach now (the template must exist in the active config). */
export async function previewBroadcastFor(
  deps: Pick<BroadcastDeps, 'leads' | 'suppressions' | 'clock'> & {
    versions: Pick<NurtureVersions, 'active'>;
  },
  body: z.infer<typeof broadcastPreviewBodySchema>,
): Promise<BroadcastPreview> {
  templateIn((await activeConfig(deps.versions)).config, body.template);
  return previewBroadcast(deps, body.segment);
}

/** Starts a broadcast of a template of the active config: now, or at `sendAt` (within a year). */
export async function createBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts' | 'requestPage'> & { versions: Pick<NurtureVersions, 'active'> },
  body: z.infer<typeof broadcastBodySchema>,
  broadcastId: string,
  by: string,
  now: Date,
): Promise<BroadcastProgress> {
  templateIn((await activeConfig(deps.versions)).config, body.template);
  const sendAt = body.sendAt ? new Date(body.sendAt) : now;
  if (sendAt.getTime() > now.getTime() + 366 * 24 * 60 * 60 * 1000)
    throw new ValidationError([{ path: 'sendAt', message: 'at most a year ahead' }]);
  const broadcast = await startBroadcast(
    deps,
    {
      broadcastId,
      template: body.template,
      segment: body.segment,
      sendAt: sendAt < now ? now : sendAt,
      ignoreSendWindow: body.ignoreSendWindow ?? false,
    },
    by,
    now,
  );
  return progressView(broadcast);
}

/** A broadcast's progress as the API shows it (the paging cursor stays internal). */
export function progressView(broadcast: Broadcast): BroadcastProgress {
  const { cursor: _cursor, previous: _previous, ...view } = broadcast;
  return view;
}
