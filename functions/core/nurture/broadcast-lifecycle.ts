import type * as z from 'zod/mini';
import { ConflictError, ValidationError } from '../kernel/errors';
import {
  type broadcastDraftBodySchema,
  broadcastListQuerySchema,
  type broadcastScheduleBodySchema,
} from './admin-bodies';
import { BROADCAST_ID, type BroadcastDeps, newBroadcast } from './broadcast';
import type { Broadcast, ChangedBy } from './broadcast-ports';
import { checkTemplates, inputOf, progressView, resolveSegment, sendTime } from './broadcast-requests';
import { broadcastStatus, cancellable } from './broadcast-status';
import { NurtureNotFoundError, type NurtureVersions } from './nurture-versions';
import type { BroadcastList, BroadcastProgress } from './responses';

/**
 * A broadcast's life after it is made: read, listed, a draft edited or scheduled, cancelled.
 * Every change is a write conditional on the status read, so two people acting at once cannot
 * both win (the loser reads again or is told why not).
 */

type Deps = Pick<BroadcastDeps, 'broadcasts' | 'requestPage'> & { versions: Pick<NurtureVersions, 'active'> };

export async function findBroadcast(deps: Pick<BroadcastDeps, 'broadcasts'>, id: string): Promise<Broadcast> {
  const broadcast = BROADCAST_ID.test(id) ? await deps.broadcasts.get(id) : undefined;
  if (!broadcast) throw new NurtureNotFoundError('broadcast_not_found', 'No broadcast with that id.');
  return broadcast;
}

/** Newest first, 25 to a page by default (`limit` up to 100), optionally of one status. */
export async function listBroadcasts(
  deps: Pick<BroadcastDeps, 'broadcasts'>,
  params: Record<string, string | undefined>,
  now: Date,
): Promise<BroadcastList> {
  const parsed = broadcastListQuerySchema.safeParse(params);
  if (!parsed.success)
    throw new ValidationError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(query)',
        message: issue.message,
      })),
      'The query has invalid parameters.',
    );
  const query = parsed.data;
  const page = await deps.broadcasts.list({
    status: query.status,
    cursor: query.cursor,
    limit: query.limit ? Number(query.limit) : 25,
    now: now.toISOString(),
  });
  return { broadcasts: page.broadcasts.map((b) => progressView(b, now)), cursor: page.cursor };
}

const notDraft = () =>
  new ConflictError('broadcast_not_draft', 'Only a draft can be edited or scheduled; this one has started.');

/** Replaces a draft's content (it stays a draft; who edited it is recorded). */
export async function updateDraft(
  deps: Deps,
  id: string,
  body: z.infer<typeof broadcastDraftBodySchema>,
  by: ChangedBy,
  now: Date,
): Promise<BroadcastProgress> {
  const current = await findBroadcast(deps, id);
  if (current.status !== 'draft') throw notDraft();
  await checkTemplates(deps, body);
  const edited = newBroadcast(
    { ...inputOf(await resolveSegment(deps, body), id, now), draft: true },
    current.by ?? current.createdBy,
    now,
  );
  const next: Broadcast = {
    ...edited,
    createdAt: current.createdAt,
    editedAt: now.toISOString(),
    editedBy: by,
  };
  if (!(await deps.broadcasts.replaceDraft(next))) throw notDraft();
  return progressView(next, now);
}

/**
 * Schedules a draft: at `sendAt` (or its own sendAt when still ahead, else now).
 * 1. The draft becomes running (conditional on still being a draft), in its test phase with an A/B test.
 * 2. Its first page is queued; send-email enrolls page after page with the due time sendAt.
 */
export async function scheduleDraft(
  deps: Deps,
  id: string,
  body: z.infer<typeof broadcastScheduleBodySchema>,
  by: ChangedBy,
  now: Date,
): Promise<BroadcastProgress> {
  const draft = await findBroadcast(deps, id);
  if (draft.status !== 'draft') throw notDraft();
  await checkTemplates(deps, draft);
  const sendAt = sendTime(body.sendAt ?? draft.sendAt, now);
  const started = newBroadcast(
    { ...draft, name: draft.name, sendAt, draft: false },
    draft.by ?? draft.createdBy,
    now,
  );
  const next: Broadcast = {
    ...started,
    createdAt: draft.createdAt,
    scheduledAt: now.toISOString(),
    scheduledBy: by,
  };
  if (!(await deps.broadcasts.replaceDraft(next))) throw notDraft();
  await deps.requestPage(id, null);
  return progressView(next, now);
}

/**
 * Cancels a draft, scheduled or running broadcast: nothing more goes out.
 * 1. Status cancelled, conditional on the status read (a page finishing meanwhile: read again).
 * 2. A page being enrolled now cannot count itself nor queue the next (its write needs `running`).
 * 3. Recipients enrolled but not sent yet are skipped by the send gate (`broadcast_cancelled`).
 */
export async function cancelBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts'>,
  id: string,
  by: ChangedBy,
  now: Date,
): Promise<BroadcastProgress> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const broadcast = await findBroadcast(deps, id);
    const status = broadcastStatus(broadcast, now);
    if (!cancellable(status))
      throw new ConflictError(
        'broadcast_not_cancellable',
        `This broadcast is ${status}: only a draft, scheduled or running broadcast can be cancelled.`,
      );
    if (await deps.broadcasts.cancel(id, broadcast.status, by, now.toISOString()))
      return progressView(
        { ...broadcast, status: 'cancelled', cancelledAt: now.toISOString(), cancelledBy: by },
        now,
      );
  }
  throw new ConflictError('broadcast_not_cancellable', 'The broadcast kept changing; try again.');
}
