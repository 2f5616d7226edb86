import { FolderImportFiles, localUploadAllowed } from '../adapters/files/import-folder';
import { MAX_IMPORT_BYTES } from '../core/imports/import-job';
import { IDENTITY_KEY_ENV } from '../shared/env-names';
import type { LocalRoutes } from './server';

const PATH = /^\/local\/imports\/(imp_[0-9A-Z]{26})$/;
const CORS = {
  // The link's signature is the permission (as a presigned S3 URL's is): any origin may PUT with it.
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'PUT',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};
const error = (status: number, code: string, message: string) => ({
  status,
  headers: { 'content-type': 'application/json', ...CORS },
  body: JSON.stringify({ error: { code, message, details: [] } }),
});

/**
 * The local stand-in for S3's presigned PUT of an import file: PUT /local/imports/{importId} with
 * the link's expiry and signature writes the body (at most 50 MB) to the imports folder.
 */
export function importUploadRoute(dir: string): LocalRoutes {
  return async (method, url, body) => {
    const importId = PATH.exec(url.pathname)?.[1];
    if (!importId) return undefined;
    if (method === 'OPTIONS') return { status: 204, headers: CORS };
    if (method !== 'PUT') return error(405, 'method_not_allowed', 'PUT the CSV file to this link.');
    const secret = process.env[IDENTITY_KEY_ENV] ?? '';
    if (!localUploadAllowed(secret, importId, url.searchParams))
      return error(403, 'forbidden', 'This upload link is not valid or has expired.');
    const bytes = await body(MAX_IMPORT_BYTES);
    if (!bytes) return error(413, 'payload_too_large', 'The file is larger than 50 MB.');
    await new FolderImportFiles(dir, () => '', secret).write(importId, bytes);
    return { status: 200, headers: CORS };
  };
}
