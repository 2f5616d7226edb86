import { accessToken, dropSession, signIn } from './auth';
import { consoleConfig } from './config';

/** The contract's error body: `{"error":{"code","message","details":[{path,message}]}}`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: { path: string; message: string }[];
}

/** A refused or failed call, with the contract's error (or one made up for network failures). */
export class ApiError extends Error implements ApiErrorBody {
  readonly code: string;
  readonly details: { path: string; message: string }[];
  constructor(
    readonly status: number,
    body: ApiErrorBody,
  ) {
    super(body.message);
    this.code = body.code;
    this.details = body.details ?? [];
  }
  /** Someone else activated another version since this edit's version (409 version_conflict). */
  get versionConflict(): boolean {
    return this.status === 409 && this.code === 'version_conflict';
  }
  /** The API refused the person's role. */
  get forbidden(): boolean {
    return this.status === 403;
  }
}

export const FORBIDDEN_MESSAGE = 'Your role cannot do this.';

async function request(method: string, path: string, body?: unknown): Promise<Response> {
  const { apiUrl } = await consoleConfig();
  const token = await accessToken();
  if (!token) return signIn();
  let res: Response;
  try {
    res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, {
      code: 'network_error',
      message: 'The API could not be reached. Check your connection and try again.',
      details: [],
    });
  }
  if (res.status === 401) {
    dropSession();
    return signIn();
  }
  if (!res.ok) {
    let error: ApiErrorBody = {
      code: `http_${res.status}`,
      message: `The API answered ${res.status}.`,
      details: [],
    };
    try {
      const parsed = (await res.json()) as { error?: ApiErrorBody };
      if (parsed.error?.code) error = parsed.error;
    } catch {
      // not the contract's body: keep the status line
    }
    if (res.status === 403) error = { ...error, message: `${FORBIDDEN_MESSAGE} (${error.message})` };
    throw new ApiError(res.status, error);
  }
  return res;
}

async function jsonOf<T>(res: Response): Promise<T> {
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The API with the signed-in person's bearer token: 401 signs in again, errors throw ApiError. */
export const api = {
  get: async <T>(path: string): Promise<T> => jsonOf<T>(await request('GET', path)),
  post: async <T>(path: string, body: unknown = {}): Promise<T> =>
    jsonOf<T>(await request('POST', path, body)),
  patch: async <T>(path: string, body: unknown): Promise<T> => jsonOf<T>(await request('PATCH', path, body)),
  delete: async <T>(path: string): Promise<T> => jsonOf<T>(await request('DELETE', path)),
  /** The raw answer (a CSV download, a 202 to follow). */
  fetch: (path: string, method = 'GET'): Promise<Response> => request(method, path),
};

/** What to tell a person about a failed call. */
export function problem(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
