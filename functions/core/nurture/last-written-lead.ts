import type { Activity, LeadState } from '../leads/lead';
import type { SendLeads } from './send-ports';

/**
 * The lead store as one send-email run sees it: the lead this run last wrote stands in for the
 * next read of that lead, which saves a read per round (and per settled send). This is safe
 * because every write of the run is conditional on the version read: if someone else wrote
 * since, the next write fails, the remembered copy is dropped and the read goes to the store.
 * The copy is used once (a round that ends without writing reads the store again), and is
 * forgotten when a write fails. A batch read made just before the run (send-read-ahead.ts) stands
 * in for the first read the same way.
 */
export class LastWrittenLead implements SendLeads {
  private written: LeadState | undefined;

  constructor(
    private readonly store: SendLeads,
    readAhead?: LeadState,
  ) {
    this.written = readAhead;
  }

  async load(leadId: string): Promise<LeadState | undefined> {
    const known = this.written;
    this.written = undefined;
    return known?.leadId === leadId ? known : this.store.load(leadId);
  }

  async replace(lead: LeadState, expectedVersion: number): Promise<boolean> {
    const ok = await this.store.replace(lead, expectedVersion);
    this.written = ok ? lead : undefined;
    return ok;
  }

  /**
   * The entries of the last write's outbox are stored on the timeline: the remembered copy drops
   * them so the next round does not store them again (the item keeps them until its next write,
   * which replaces the outbox).
   */
  outboxStored(leadId: string): void {
    const written = this.written;
    if (written?.leadId !== leadId || !written.nurture?.outbox) return;
    this.written = { ...written, nurture: { ...written.nurture, outbox: undefined } };
  }

  putActivity(activity: Activity): Promise<{ duplicate: boolean }> {
    return this.store.putActivity(activity);
  }

  hasActivity(leadId: string, activityId: string): Promise<boolean> {
    return this.store.hasActivity(leadId, activityId);
  }
}
