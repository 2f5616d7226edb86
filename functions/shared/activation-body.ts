import { activateBodySchema } from '../core/config-versions/conflict';
import type { HttpEvent } from './http';
import { parseJsonBody } from './json-body';

/** An activation's optional `{basedOn}`: no body (the CLI, scripts) is no check. */
export function activationBasedOn(event: HttpEvent): number | undefined {
  if (!event.body) return undefined;
  return parseJsonBody(event, activateBodySchema, 1024).basedOn;
}
