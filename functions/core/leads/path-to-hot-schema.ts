import * as z from 'zod/mini';
import type { PathToHot } from '../scoring/path-to-hot';

const describe = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text));
// The grades spelled out (as scoring/responses.ts does) so the lead view needs no full-zod model schema.
const grade = z.enum(['A', 'B', 'C', 'D', 'F']);

const hotStepSchema = z.object({
  rule: z.string(),
  kind: z.enum(['fit', 'engagement']),
  points: describe(
    z.number(),
    'What the step adds (a fit rule replacing another on its field: the difference).',
  ),
  times: describe(z.number(), 'Activities it takes (engagement); 1 for a fit rule.'),
  what: describe(z.string(), 'What the lead would do or tell, e.g. form_submitted "demo-request".'),
  perDay: z.optional(describe(z.number(), "The rule's per-day cap: more a day adds nothing.")),
});

/** GET /v1/admin/leads/{leadId} `pathToHot`: what it would take the lead to become hot (scoring/path-to-hot.ts). */
export const pathToHotSchema = z.union([
  z.object({ status: z.literal('hot'), modelVersion: z.number() }),
  z.object({ status: z.literal('with_sales'), modelVersion: z.number() }),
  z.object({
    status: describe(
      z.enum(['reachable', 'unreachable']),
      'unreachable: the rules left (caps used up) cannot close the gap; steps say what they still give.',
    ),
    modelVersion: z.number(),
    now: describe(
      z.object({ fit: z.number(), engagement: z.number(), total: z.number(), grade }),
      'The score today (engagement fades): the gap is measured from it.',
    ),
    hot: z.object({ total: z.number(), minGrade: z.nullable(grade), fitForGrade: z.nullable(z.number()) }),
    gap: describe(
      z.object({ total: z.number(), fit: z.number(), engagement: z.number() }),
      'Points short: fit to the minimum grade, engagement for the rest, and in all.',
    ),
    steps: describe(z.array(hotStepSchema), 'The fewest rules that close the gap, fit first.'),
  }),
]);

// The schema and the core type must describe the same answer.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _same: Same<z.infer<typeof pathToHotSchema>, PathToHot> = true;
void _same;
