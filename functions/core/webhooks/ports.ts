import type { LinkedinLeadNotification } from './linkedin';
import type { MetaLeadgenChange } from './meta';

export interface WebhookDelivery {
  deliveryId: string;
  provider: string;
  receivedAt: string;
  /** The raw body as received (verified first): kept 30 days so a lead can be replayed after a mapping fix. */
  body: string;
  /** Epoch seconds; readers treat an expired delivery as gone (TTL deletes late). */
  expiresAt: number;
  status: 'received' | 'queued' | 'processed' | 'failed';
  detail?: string;
}

export interface DeliveryStore {
  /** Stores a delivery once; a second call with the same id stores nothing and returns the first. */
  record(delivery: WebhookDelivery): Promise<{ duplicate: boolean; existing?: WebhookDelivery }>;
  get(deliveryId: string): Promise<WebhookDelivery | undefined>;
  mark(deliveryId: string, status: WebhookDelivery['status'], detail?: string): Promise<void>;
  /** Records that the delivery carried this lead's data (the index an erase follows). */
  linkLead(deliveryId: string, leadId: string, expiresAt: number): Promise<void>;
  /** Forgets a delivery (it carried a person erased since). */
  remove(deliveryId: string): Promise<void>;
}

/** Erase (GDPR): deletes every delivery linked to the lead; returns how many. */
export interface DeliveryEraser {
  eraseForLead(leadId: string): Promise<number>;
}

/** Meta's leads are fetched after the webhook answered, from a queue with retries and a DLQ. */
export interface MetaLeadJob {
  provider: 'meta';
  deliveryId: string;
  change: MetaLeadgenChange;
}
/** LinkedIn's notifications carry the form response's id only: it is fetched the same way. */
export interface LinkedinLeadJob {
  provider: 'linkedin';
  deliveryId: string;
  notification: LinkedinLeadNotification;
}
export type AdLeadJob = MetaLeadJob | LinkedinLeadJob;

export interface AdLeadQueue {
  enqueue(jobs: AdLeadJob[]): Promise<void>;
}

export interface MetaGraph {
  /** GET {graph}/{version}/{leadgen_id}: the lead's field_data. Throws on failure (the queue retries). */
  lead(leadgenId: string): Promise<unknown>;
}

export interface LinkedinApi {
  /** GET {api}/rest/leadFormResponses/{id}: the member's answers. Throws on failure (the queue retries). */
  formResponse(responseId: string): Promise<unknown>;
  /** GET {api}/rest/leadForms/{formId}: the form's questions, which name the answers. Throws on failure. */
  leadForm(formId: string): Promise<unknown>;
}

export interface WebhookSecrets {
  metaAppSecret?: string;
  metaVerifyToken?: string;
  googleKey?: string;
  linkedinClientSecret?: string;
  tiktokSecret?: string;
}
