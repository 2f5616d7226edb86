import { type SubmissionBody, submissionBodySchema } from '../core/capture/submission';
import {
  MalformedBodyError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../core/kernel/errors';
import { type HttpEvent, header } from './http';

export const MAX_BODY_BYTES = 32 * 1024;
export type BodyEncoding = 'json' | 'urlencoded';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The media type alone, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaType(event: HttpEvent): string | undefined {
  return header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
}

export function encodingOf(event: HttpEvent): BodyEncoding | undefined {
  const type = mediaType(event);
  if (type === 'application/json') return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'urlencoded';
  return undefined;
}

/**
 * Reads a form submission body: JSON or urlencoded, UTF-8, at most 32 KB.
 * 415 for other media types or charsets, 413 when too large, 400 when it does not parse.
 */
export function parseSubmissionBody(event: HttpEvent): { body: SubmissionBody; encoding: BodyEncoding } {
  const encoding = encodingOf(event);
  const charset = /charset=([^;]+)/i
    .exec(header(event, 'content-type') ?? '')?.[1]
    ?.trim()
    .toLowerCase();
  if (!encoding || (charset && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new UnsupportedMediaTypeError(
      'Send application/json or application/x-www-form-urlencoded, in UTF-8.',
    );
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.byteLength > MAX_BODY_BYTES) throw new PayloadTooLargeError('The body is larger than 32 KB.');
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new MalformedBodyError('The body is not valid UTF-8.');
  }
  let parsed: unknown;
  if (encoding === 'json') {
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new MalformedBodyError('The body is not valid JSON.');
    }
  } else {
    parsed = Object.fromEntries(new URLSearchParams(text));
  }
  const result = submissionBodySchema.safeParse(parsed);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.') || '(body)',
        message:
          issue.path.length === 0
            ? 'the body must be an object of field names to values'
            : 'must be a string, number or boolean',
      })),
      'The body does not have the shape of a form submission.',
    );
  }
  return { body: result.data, encoding };
}
