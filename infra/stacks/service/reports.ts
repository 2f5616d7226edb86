import { IANAZone } from 'luxon';
import { REPORT_TIME_ZONE_ENV } from '../../../functions/shared/env-names';
import { bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';

/** The account time zone reports count days in, checked at synth (an unknown zone fails it, with the prop's name). */
export function reportTimeZone(timeZone: string | undefined): string {
  const zone = timeZone ?? 'UTC';
  if (!IANAZone.isValidZone(zone))
    throw new Error(
      `ServiceStack reportTimeZone must be an IANA time zone (Europe/Berlin, UTC...), got "${zone}"`,
    );
  return zone;
}

/** Reports: the read API over the rollups tick keeps (GET /v1/admin/reports/{report}). */
export function reportFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const reports = new LeadflowFunction(stack, 'Reports', {
    entry: 'reports',
    description: 'Leadflow: funnel, sources, email, sales and scoring reports from the rollups',
    logRemovalPolicy,
    environment: { [REPORT_TIME_ZONE_ENV]: reportTimeZone(props.reportTimeZone) },
  });
  // Reads the API token (Get), a report's rollup rows (one Query per month of the range) and the
  // aggregator's cursors (Query): never an index, never a write.
  bindTable(reports.function, props.table, { actions: ['GetItem', 'Query'] });
  return { reports };
}
