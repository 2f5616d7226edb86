import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportFiles } from '../../core/imports/import-ports';

const SAFE_ID = /^imp_[0-9A-Z]{26}$/;
/** Upload links work this long, as the presigned S3 PUT does on AWS. */
export const UPLOAD_LINK_SECONDS = 60 * 60;
/** The local upload route's path for an import (the stand-in for the S3 object URL). */
export const localUploadPath = (importId: string) => `/local/imports/${importId}`;

const signature = (secret: string, importId: string, expires: number) =>
  createHmac('sha256', secret).update(`import-upload\n${importId}\n${expires}`).digest('base64url');

/** Whether a local upload link is one this stack signed and still valid (the presigned URL's check). */
export function localUploadAllowed(
  secret: string,
  importId: string,
  query: URLSearchParams,
  now = Date.now(),
) {
  const expires = Number(query.get('expires'));
  const given = Buffer.from(query.get('signature') ?? '');
  const wanted = Buffer.from(signature(secret, importId, expires));
  return (
    SAFE_ID.test(importId) &&
    Number.isInteger(expires) &&
    expires * 1000 > now &&
    given.length === wanted.length &&
    timingSafeEqual(given, wanted)
  );
}

/**
 * Local imports: the CSV in a folder of the local stack. The upload link is the local server's
 * PUT route with an expiry and a signature (the local stand-in for S3's presigned PUT).
 */
export class FolderImportFiles implements ImportFiles {
  constructor(
    private readonly dir: string,
    private readonly apiUrl: () => string,
    private readonly secret: string,
  ) {}

  path(importId: string): string {
    if (!SAFE_ID.test(importId)) throw new RangeError('not an import id');
    return join(this.dir, `${importId}.csv`);
  }

  async uploadLink(importId: string): Promise<{ url: string; expiresAt: string }> {
    const expires = Math.floor(Date.now() / 1000) + UPLOAD_LINK_SECONDS;
    const query = new URLSearchParams({
      expires: String(expires),
      signature: signature(this.secret, importId, expires),
    });
    this.path(importId);
    return {
      url: `${this.apiUrl()}${localUploadPath(importId)}?${query}`,
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** What the local upload route calls with the body it received. */
  async write(importId: string, body: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.path(importId), body);
  }

  async size(importId: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(importId))).size;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  read(importId: string, fromByte: number, toByte?: number): AsyncIterable<Uint8Array> {
    return createReadStream(this.path(importId), {
      start: fromByte,
      ...(toByte !== undefined ? { end: toByte - 1 } : {}),
    });
  }

  async remove(importId: string): Promise<void> {
    await rm(this.path(importId), { force: true });
  }
}
