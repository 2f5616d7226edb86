/**
 * `leadflow suppressions export [--out FILE]`: the suppression list as CSV for an admin (an audit, a
 * hand-over to another sending tool that shares the key). Keyed hashes only (HMAC of the inbox's
 * identity under the install's identity key), never an address: the file cannot be read back into
 * people without the key. Scans the table with the operator's credentials, a page at a time.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanSuppressions } from '../../functions/adapters/dynamodb/suppression-store';
import { csvCell } from '../../functions/core/leads/lead-csv';

export const SUPPRESSIONS_HEADER = 'suppressionKey,reason,at,source,erasedAt\r\n';

export async function exportSuppressions(
  db: DynamoDBDocumentClient,
  tableName: string,
  write: (csv: string) => void,
): Promise<number> {
  write(SUPPRESSIONS_HEADER);
  let rows = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scanSuppressions(db, tableName, start);
    for (const e of page.entries) {
      write(`${[e.hash, e.reason, e.at, e.source, e.erasedAt ?? null].map(csvCell).join(',')}\r\n`);
      rows += 1;
    }
    start = page.next;
  } while (start);
  return rows;
}
