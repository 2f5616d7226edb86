import type { Suppression } from '../consent/suppression';
import type { LeadState } from '../leads/lead';
import type { SendDeps } from './send-ports';
import { nextDue } from './send-transitions';

/**
 * A read-ahead answer is only used this long after it was read; later, the job reads the store
 * (a suppression added meanwhile must hold the email, as it would with a read per job).
 */
export const READ_AHEAD_MAX_AGE_MS = 5_000;

/** One lead's part of a batch read: its copy and, when a step was due, its suppression answer. */
export interface LeadReadAhead {
  lead: LeadState;
  /** Set when the batch looked the address up: undefined inside means "not suppressed". */
  suppression?: { entry: Suppression | undefined };
}

/**
 * A batch's read-ahead, handed out once per lead (a second job for the same lead reads the
 * store), and only while fresh.
 */
export class SendReadAhead {
  private readonly byLead: Map<string, LeadReadAhead>;

  constructor(
    byLead: Map<string, LeadReadAhead>,
    private readonly readAt: number,
  ) {
    this.byLead = byLead;
  }

  take(leadId: string, now: Date): LeadReadAhead | undefined {
    const part = this.byLead.get(leadId);
    this.byLead.delete(leadId);
    return part && now.getTime() - this.readAt <= READ_AHEAD_MAX_AGE_MS ? part : undefined;
  }
}

/**
 * Reads the leads of a batch of email jobs, and the suppression entries of those with a step due
 * now, in two requests instead of two per job. Undefined when there is nothing to gain (fewer than
 * two leads, or no read-ahead port): each job then reads for itself. Safe to use because every
 * write send-email makes is conditional on the version read: a lead written since this read
 * fails the claim, and the round starts over from a fresh read (and a fresh suppression look-up).
 */
export async function readAhead(
  deps: SendDeps,
  leadIds: readonly string[],
): Promise<SendReadAhead | undefined> {
  const unique = [...new Set(leadIds)];
  if (!deps.readAhead || unique.length < 2) return undefined;
  const readAt = deps.clock.now();
  const leads = await deps.readAhead.leads(unique);
  const due = leads.filter((lead) => lead.nurture && !lead.erasing && nextDue(lead, readAt));
  const suppressed =
    due.length > 0 ? await deps.readAhead.suppressions(due.map((lead) => lead.email)) : new Map();
  const byLead = new Map<string, LeadReadAhead>(leads.map((lead) => [lead.leadId, { lead }]));
  for (const lead of due)
    byLead.set(lead.leadId, { lead, suppression: { entry: suppressed.get(lead.email) } });
  return new SendReadAhead(byLead, readAt.getTime());
}

/**
 * The suppression look-ups of one job: the read-ahead's answer for the lead's own address, once;
 * every other look-up (a later round, another address) asks the store.
 */
export function answeredOnce(
  store: SendDeps['suppressions'],
  part: LeadReadAhead | undefined,
): SendDeps['suppressions'] {
  const answer = part?.suppression;
  if (!part || !answer) return store;
  let unused = true;
  return {
    lookup(address) {
      if (!unused || address !== part.lead.email) return store.lookup(address);
      unused = false;
      return Promise.resolve(answer.entry);
    },
  };
}
