import type { ImportView, StartRequest } from '../../../functions/core/imports/import-job';
import { api } from '../api';

export type { ImportView, StartRequest };

const POLL_MS = 1000;
const path = (importId: string) => `/v1/admin/leads/imports/${encodeURIComponent(importId)}`;

/** Why an upload failed, in words (the link's own answer when it gave one). */
export class UploadError extends Error {}

/**
 * Makes an import and PUTs the file to its upload link: a presigned S3 URL on AWS (the bucket's
 * CORS lets the console's origin PUT), the local stack's signed route locally. No token goes there:
 * the link's signature is the permission. Resolves with the import's id.
 */
export async function uploadFile(file: File, onProgress: (text: string) => void): Promise<string> {
  onProgress('Preparing the upload…');
  const made = await api.post<ImportView>('/v1/admin/leads/imports');
  const upload = made.upload;
  if (!upload) throw new UploadError('The API gave no upload link. Try again.');
  if (file.size > upload.maxBytes)
    throw new UploadError(
      `The file is larger than ${Math.round(upload.maxBytes / 1024 / 1024)} MB: split it into smaller files.`,
    );
  onProgress(`Uploading ${file.name}…`);
  let res: Response;
  try {
    res = await fetch(upload.url, {
      method: upload.method,
      body: file,
      headers: { 'content-type': 'text/csv' },
    });
  } catch {
    throw new UploadError('The file could not be uploaded: the upload link could not be reached. Try again.');
  }
  if (!res.ok) {
    const said = await res
      .json()
      .then((body: { error?: { message?: string } }) => body.error?.message)
      .catch(() => undefined);
    throw new UploadError(
      `The file could not be uploaded (${res.status}${said ? `: ${said}` : ''}). Try again.`,
    );
  }
  return made.importId;
}

/** Starts a run (dry or real) of an uploaded import; 400s carry the mapping and consent problems. */
export const startRun = (importId: string, body: StartRequest) =>
  api.post<ImportView>(`${path(importId)}/start`, body);

/** Follows a run until it is no longer running, reporting each answer; `live()` false stops it. */
export async function follow(
  started: ImportView,
  onUpdate: (view: ImportView) => void,
  live: () => boolean,
): Promise<ImportView> {
  let view = started;
  onUpdate(view);
  while (view.status === 'running' && live()) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    view = await api.get<ImportView>(path(started.importId));
    if (live()) onUpdate(view);
  }
  return view;
}
