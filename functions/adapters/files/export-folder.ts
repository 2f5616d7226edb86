import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExportFiles } from '../../core/leads/export-ports';

const SAFE_ID = /^exp_[0-9A-Z]{26}$/;

/**
 * Local exports: the CSV in a folder of the local stack; the link is the API's own file route,
 * which serves it to the person who asked (the local stand-in for S3 and its presigned URL).
 */
export class FolderExportFiles implements ExportFiles {
  constructor(
    private readonly dir: string,
    private readonly apiUrl: () => string,
    private readonly linkSeconds = 15 * 60,
  ) {}

  private path(exportId: string): string {
    if (!SAFE_ID.test(exportId)) throw new RangeError('not an export id');
    return join(this.dir, `${exportId}.csv`);
  }

  async write(exportId: string, csv: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.path(exportId), csv, 'utf8');
  }

  async link(exportId: string): Promise<{ url: string; expiresAt: string }> {
    return {
      url: `${this.apiUrl()}/v1/admin/leads/exports/${encodeURIComponent(exportId)}/file`,
      expiresAt: new Date(Date.now() + this.linkSeconds * 1000).toISOString(),
    };
  }

  async read(exportId: string): Promise<string | undefined> {
    return readFile(this.path(exportId), 'utf8');
  }

  async remove(exportId: string): Promise<void> {
    await rm(this.path(exportId), { force: true });
  }
}
