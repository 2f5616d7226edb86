import * as z from 'zod/mini';
import { SALES_OUTCOMES } from '../leads/lead';

/** HubSpot's default `lifecyclestage` values (a portal may add its own ids). */
const LIFECYCLE = /^[a-z0-9_]+$/;
const slackId = z
  .string()
  .check(z.regex(/^[A-Z0-9]{5,}$/, 'must be a Slack id such as C0123ABCD or U0123ABCD'));
const username = z.string().check(z.regex(/^[a-z0-9._-]+$/, 'must be a Leadflow username'));

const slackSchema = z.object({
  enabled: z._default(z.boolean(), false),
  /** `bot`: chat.postMessage with SLACK_BOT_TOKEN; `webhook`: SLACK_WEBHOOK_URL (+ SLACK_MANAGERS_WEBHOOK_URL). */
  mode: z._default(z.enum(['bot', 'webhook']), 'bot'),
  channels: z._default(z.object({ sales: z.optional(slackId), managers: z.optional(slackId) }), {}),
  users: z._default(z.record(username, slackId), {}),
});

const hubspotSchema = z.object({
  enabled: z._default(z.boolean(), false),
  fields: z._default(
    z.record(
      z.string().check(z.minLength(1)),
      z.string().check(z.regex(/^[a-z0-9_]+$/, 'must be a HubSpot property name')),
    ),
    {
      email: 'email',
      firstName: 'firstname',
      lastName: 'lastname',
      company: 'company',
      jobTitle: 'jobtitle',
      phone: 'phone',
      country: 'country',
    },
  ),
  owners: z._default(
    z.record(username, z.string().check(z.regex(/^\d+$/, 'must be a HubSpot owner id (digits)'))),
    {},
  ),
  lifecycle: z._default(
    z.partialRecord(
      z.enum(SALES_OUTCOMES, { error: `must be a sales outcome (${SALES_OUTCOMES.join(', ')})` }),
      z.string().check(z.regex(LIFECYCLE, 'must be a lifecyclestage id')),
    ),
    {},
  ),
  taskDueHours: z._default(z.number().check(z.positive()), 4),
});

/** config/integrations.yaml: where Slack posts and how HubSpot maps (no secrets: those are in the integrations secret). */
export const integrationsConfigSchema = z
  .object({ slack: z.prefault(slackSchema, {}), hubspot: z.prefault(hubspotSchema, {}) })
  .check(
    z.refine((c) => !c.slack.enabled || c.slack.mode === 'webhook' || c.slack.channels.sales !== undefined, {
      message: 'is required when Slack posts with a bot token',
      path: ['slack', 'channels', 'sales'],
    }),
  );
export type IntegrationsConfig = z.infer<typeof integrationsConfigSchema>;

/** Parses the config or throws one line per problem, each naming its path (`slack.users.ravi: ...`). */
export function parseIntegrationsConfig(value: unknown): IntegrationsConfig {
  const result = integrationsConfigSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    // A bad record key (an unknown outcome) reports its own problem one level down.
    const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined;
    const path = [...issue.path, ...(issue.code === 'invalid_key' ? [String(issue.input ?? '?')] : [])].join(
      '.',
    );
    if (issue.code === 'unrecognized_keys')
      return `${path}: unknown ${issue.keys.join(', ')} (a sales outcome: ${SALES_OUTCOMES.join(', ')})`;
    return `${path || '(root)'}: ${inner?.message ?? issue.message}`;
  });
  throw new Error(`Invalid integrations config: ${problems.join('; ')}`);
}
