/**
 * The erase event on hot-leads.fifo, next to the hot-lead messages (also a contract for a CRM
 * consuming the queue directly): a lead handed to sales was erased (GDPR), so forget the person
 * and remove them from the CRM. Sent in the lead's message group, so a direct consumer reads it
 * after any hot-lead message of that lead.
 */
export const LEAD_ERASED_SCHEMA = 'leadflow.lead-erased.v1';

export interface LeadErasedMessage {
  schema: typeof LEAD_ERASED_SCHEMA;
  leadId: string;
  /** When the erase began (the lead's `erasing` mark). */
  erasedAt: string;
}

export function leadErasedMessage(leadId: string, erasedAt: string): LeadErasedMessage {
  return { schema: LEAD_ERASED_SCHEMA, leadId, erasedAt };
}

/**
 * One per erase: a retried erase of the same lead (same `erasedAt`) is dropped by SQS FIFO within
 * its 5-minute window. SQS allows letters, digits and punctuation: the time keeps its digits only.
 */
export const erasedDeduplicationId = (leadId: string, erasedAt: string) =>
  `${leadId}-erased-${erasedAt.replace(/[^0-9]/g, '').slice(0, 40)}`;
