import { authorize } from '../core/kernel/auth';
import { dayOf } from '../core/reports/days';
import { parseReportRequest } from '../core/reports/query';
import { readReport, tableCsv } from '../core/reports/read';
import { type HttpEvent, header, json } from '../shared/http';
import { httpHandler } from '../shared/middleware';
import { reportReading } from '../shared/wiring/reports';
import { requestVerifier } from '../shared/wiring/request-verifier';
import '../shared/identity';

const tokens = requestVerifier();
const deps = reportReading();

/** GET /v1/admin/reports/{report}: a report as JSON, or one of its tables as CSV (marketing, sales managers). */
export const handler = httpHandler(async (event: HttpEvent) => {
  await authorize(tokens, header(event, 'authorization'), ['marketing', 'sales-manager']);
  const today = dayOf(deps.clock.now().toISOString(), deps.timeZone);
  const request = parseReportRequest(event.pathParameters?.report, { ...event.queryStringParameters }, today);
  const body = await readReport(deps, request);
  if (!request.csvTable) return json(200, body);
  const { filename, csv } = tableCsv(body, request.csvTable);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
    body: csv,
  };
});
