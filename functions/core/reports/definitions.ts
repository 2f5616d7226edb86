import { emailReport } from './email';
import { funnelReport } from './funnel';
import type { ReportDefinition, ReportId } from './report';
import { salesReport } from './sales';
import { scoringReport } from './scoring';
import { sequencesReport } from './sequences';
import { sourcesReport } from './sources';

export interface ReportSettings {
  /** How long a hot lead may wait unclaimed, or a claim go unanswered (salesConfig().slaMinutes). */
  slaMinutes: number;
}

/** Every report, in the order the API lists them; the aggregator applies all of their increments. */
export function reportDefinitions(settings: ReportSettings): Record<ReportId, ReportDefinition> {
  return {
    funnel: funnelReport,
    sources: sourcesReport,
    email: emailReport,
    sales: salesReport(settings.slaMinutes),
    scoring: scoringReport,
    sequences: sequencesReport,
  };
}
