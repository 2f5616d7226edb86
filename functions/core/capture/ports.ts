import type { Form } from './form';

/** Ports the capture declares; adapters implement them (DynamoDB on AWS and locally, fakes in unit tests). */

export interface FormCatalog {
  /** The active version of a form, or undefined when no such form exists. */
  activeForm(formId: string): Promise<Form | undefined>;
}

export interface RateLimit {
  limit: number;
  /** Window start, whole minutes since the epoch. */
  window: number;
}

export interface RateLimiter {
  /** Counts one hit for the key in the window; false when the limit was already reached. */
  hit(key: string, limit: RateLimit): Promise<boolean>;
}

export interface FormCounters {
  honeypotCaught(formId: string): Promise<void>;
}
