import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger per bundle. Personal data and secrets never go in: log ids (leadId, formId),
 * counts and error names only. `redact` is the last line of defence for a careless call.
 */
export const logger = new Logger({ serviceName: 'leadflow' });

const SENSITIVE = /^(email|phone|firstName|lastName|name|ip|authorization|token|secret|password|body)$/i;

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = SENSITIVE.test(key) ? '[redacted]' : value;
  return out;
}
