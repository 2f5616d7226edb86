/**
 * Named domain errors. Each one carries a stable snake_case code; the mapping to HTTP status
 * lives in exactly one place (`statusOf` in functions/shared/http.ts).
 */
export interface FieldError {
  path: string;
  message: string;
}

export abstract class LeadflowError extends Error {
  abstract readonly code: string;
  readonly details: FieldError[];

  constructor(message: string, details: FieldError[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationError extends LeadflowError {
  readonly code = 'validation_failed';
  constructor(details: FieldError[], message = 'The submission has invalid fields.') {
    super(message, details);
  }
}

export class MalformedBodyError extends LeadflowError {
  readonly code = 'malformed_body';
}

export class PayloadTooLargeError extends LeadflowError {
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends LeadflowError {
  readonly code = 'unsupported_media_type';
}

export class FormNotFoundError extends LeadflowError {
  readonly code = 'form_not_found';
  constructor(formId: string) {
    super(`No form with id "${formId.slice(0, 64)}".`);
  }
}

export class LeadNotFoundError extends LeadflowError {
  readonly code = 'lead_not_found';
  constructor() {
    super('No lead with that id or email.');
  }
}

export class OriginNotAllowedError extends LeadflowError {
  readonly code = 'origin_not_allowed';
  constructor() {
    super('This form does not accept submissions from this origin.');
  }
}

export class RateLimitedError extends LeadflowError {
  readonly code = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many submissions. Try again in ${retryAfterSeconds} seconds.`);
  }
}

export class UnauthorizedError extends LeadflowError {
  readonly code = 'unauthorized';
  constructor(message = 'A valid bearer token is required.') {
    super(message);
  }
}

export class ForbiddenError extends LeadflowError {
  readonly code = 'forbidden';
  constructor(message = 'This token is not allowed to do that.') {
    super(message);
  }
}

export class RouteNotFoundError extends LeadflowError {
  readonly code = 'route_not_found';
  constructor() {
    super('No such route.');
  }
}

/** The request conflicts with the current state (e.g. a stale or foreign claim). */
export class ConflictError extends LeadflowError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** An unsubscribe link whose token was not issued by us (tampered, truncated, another key). */
export class InvalidUnsubscribeTokenError extends LeadflowError {
  readonly code = 'invalid_unsubscribe_token';
  constructor() {
    super('This unsubscribe link is not valid. Use the link from the latest email, or reply to it.');
  }
}

/** A confirmation link whose token was not issued by us for this purpose (tampered, truncated, another key). */
export class InvalidConfirmationTokenError extends LeadflowError {
  readonly code = 'invalid_confirmation_token';
  constructor() {
    super('This confirmation link is not valid. Use the link from the latest confirmation email.');
  }
}

/** A confirmation link of ours that is too old: the sign-up has to be made again. */
export class ConfirmationExpiredError extends LeadflowError {
  readonly code = 'confirmation_expired';
  constructor() {
    super('This confirmation link has expired. Please sign up again to get a new one.');
  }
}
