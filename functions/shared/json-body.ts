import type * as z from 'zod/mini';
import {
  MalformedBodyError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/kernel/errors';
import { type HttpEvent, header } from './http';

/**
 * A JSON body validated by a zod schema: 415 unless application/json, 413 over `maxBytes`,
 * 400 malformed_body when it does not parse, 400 validation_failed with a path per problem.
 */
export function parseJsonBody<T>(event: HttpEvent, schema: z.ZodMiniType<T>, maxBytes: number): T {
  const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaTypeError('Send application/json.');
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > maxBytes)
    throw new PayloadTooLargeError(`The body is larger than ${Math.round(maxBytes / 1024)} KB.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedBodyError('The body is not valid JSON.');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      })),
      'The body has invalid fields.',
    );
  }
  return result.data;
}
