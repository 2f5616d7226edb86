import * as z from 'zod/mini';
import { COLUMN_KINDS, INTERVALS, REPORT_IDS } from './report';

/** The one body every report answers with (GET /v1/admin/reports/{report}), in /v1/openapi.json. */
const describe = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text));

const cell = z.nullable(z.union([z.string(), z.number()]));
const row = z.record(z.string(), cell);

export const reportTableSchema = z.object({
  id: describe(z.string(), 'The table id: what format=csv&table= names.'),
  title: z.string(),
  columns: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      kind: describe(
        z.enum(COLUMN_KINDS),
        'count; rate (0..1); hours (a histogram bucket upper edge: 1, 2, 4, 8, 12, 24, 48, 72, 120, 168, 336, 720, 1440, 2160); score; text.',
      ),
    }),
  ),
  rows: z.array(row),
  previous: z.optional(
    describe(z.array(row), 'The same rows for the previous period of the same length (compare=previous).'),
  ),
});

export const reportSeriesSchema = z.object({
  id: z.string(),
  title: z.string(),
  keys: z.array(z.string()),
  points: z.array(
    z.object({
      period: describe(z.string(), 'The first day of the period (YYYY-MM-DD; weeks start on Monday).'),
      values: z.record(z.string(), z.number()),
    }),
  ),
});

export const reportBodySchema = z.object({
  report: z.enum(REPORT_IDS),
  timeZone: describe(z.string(), 'The account time zone days are counted in (IANA).'),
  from: z.string(),
  to: z.string(),
  interval: z.enum(INTERVALS),
  generatedAt: z.string(),
  freshAsOf: describe(
    z.nullable(z.string()),
    'Every timeline entry written before this time is counted (the aggregator runs each minute); null before its first run.',
  ),
  filters: z.object({
    source: z.optional(z.string()),
    campaign: z.optional(z.string()),
    form: z.optional(z.string()),
    platform: z.optional(z.string()),
    sequence: z.optional(z.string()),
  }),
  tables: z.array(reportTableSchema),
  series: z.array(reportSeriesSchema),
});
