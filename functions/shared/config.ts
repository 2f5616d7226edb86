import * as z from 'zod/mini';
import * as env from './env-names';

/**
 * The functions' configuration, parsed from the environment with one schema per concern. Each
 * `*Config()` parses once per container (at cold start, where the wiring calls it) and fails
 * with every bad variable's name; `read*Config(vars)` parses the given variables (tests).
 * A blank variable counts as unset. Defaults come from env-names.ts, which infra sets from too.
 */
type Vars = Record<string, string | undefined>;

const required = z.string();
const optional = z.optional(z.string());
const positiveInt = z.optional(
  z.pipe(
    z.string().check(z.trim(), z.regex(/^[1-9]\d*$/, 'must be a positive integer')),
    z.transform(Number),
  ),
);
const wholeNumber = z.optional(
  z.pipe(
    z.string().check(z.trim(), z.regex(/^\d+$/, 'must be a whole number of 0 or more')),
    z.transform(Number),
  ),
);
const baseUrl = z.optional(
  z.pipe(
    z.string().check(z.trim(), z.regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')),
    z.transform((url) => url.replace(/\/+$/, '')),
  ),
);

/** Parses `vars` (only the schema's keys) or throws naming each bad variable. */
function parse<S extends z.ZodMiniObject>(schema: S, vars: Vars): z.infer<S> {
  const picked: Vars = {};
  // Values stay as given (a key is a key, spaces included); numbers and URLs trim their own.
  for (const name of Object.keys(schema.shape)) {
    const value = vars[name];
    picked[name] = value?.trim() === '' ? undefined : value;
  }
  const result = schema.safeParse(picked);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return picked[name] === undefined
      ? `${name} is required`
      : `${name} ${issue.message}, got "${picked[name]}"`;
  });
  throw new Error(`Invalid environment: ${problems.join('; ')}`);
}

/** Memoizes a reader: the environment is parsed once per container. */
function once<T>(read: (vars: Vars) => T): () => T {
  let value: { parsed: T } | undefined;
  return () => {
    value ??= { parsed: read(process.env) };
    return value.parsed;
  };
}

const storeSchema = z.object({
  [env.TABLE_NAME_ENV]: required,
  [env.CONFIG_CACHE_SECONDS_ENV]: positiveInt,
});
/** The table, and how long active forms, scoring model and nurture config are cached. */
export function readStoreConfig(vars: Vars) {
  const parsed = parse(storeSchema, vars);
  return {
    tableName: parsed[env.TABLE_NAME_ENV],
    configCacheMs: (parsed[env.CONFIG_CACHE_SECONDS_ENV] ?? env.CONFIG_DEFAULTS.configCacheSeconds) * 1000,
  };
}
export const storeConfig = once(readStoreConfig);

const identitySchema = z.object({ [env.IDENTITY_KEY_ENV]: required });
/** The key lead ids and suppression keys are derived with. */
export const identityKey = once((vars) => parse(identitySchema, vars)[env.IDENTITY_KEY_ENV]);

/** The URL of a queue by its product name (`hot-leads`); required by whoever sends to or reads it. */
export function queueUrl(name: string, vars: Vars = process.env): string {
  const variable = env.queueUrlEnv(name);
  return parse(z.object({ [variable]: required }), vars)[variable] as string;
}

const captureSchema = z.object({
  [env.RATE_LIMIT_PER_IP_PER_MIN_ENV]: positiveInt,
  [env.RATE_LIMIT_PER_EMAIL_PER_MIN_ENV]: positiveInt,
  [env.CONFIRMATIONS_PER_IP_PER_HOUR_ENV]: positiveInt,
  [env.CAPTURE_MIN_RESPONSE_MS_ENV]: wholeNumber,
});
/** Form capture: rate limits and the answer-time floor (0 turns it off). */
export function readCaptureConfig(vars: Vars) {
  const parsed = parse(captureSchema, vars);
  const d = env.CONFIG_DEFAULTS;
  return {
    limits: {
      perIpPerMinute: parsed[env.RATE_LIMIT_PER_IP_PER_MIN_ENV] ?? d.rateLimitPerIpPerMinute,
      perEmailPerMinute: parsed[env.RATE_LIMIT_PER_EMAIL_PER_MIN_ENV] ?? d.rateLimitPerEmailPerMinute,
      confirmationsPerIpPerHour: parsed[env.CONFIRMATIONS_PER_IP_PER_HOUR_ENV] ?? d.confirmationsPerIpPerHour,
    },
    minimumResponseMs: parsed[env.CAPTURE_MIN_RESPONSE_MS_ENV] ?? d.captureMinResponseMs,
  };
}
export const captureConfig = once(readCaptureConfig);

const handoffSchema = z.object({
  [env.CLAIM_WINDOW_SECONDS_ENV]: positiveInt,
  [env.HANDOFF_RESEND_AFTER_SECONDS_ENV]: positiveInt,
});
/** Hand-off to sales: the claim window and when tick re-sends a pending hand-off. */
export function readHandoffConfig(vars: Vars) {
  const parsed = parse(handoffSchema, vars);
  return {
    claimWindowSeconds: parsed[env.CLAIM_WINDOW_SECONDS_ENV] ?? env.CONFIG_DEFAULTS.claimWindowSeconds,
    resendAfterSeconds:
      parsed[env.HANDOFF_RESEND_AFTER_SECONDS_ENV] ?? env.CONFIG_DEFAULTS.handoffResendAfterSeconds,
  };
}
export const handoffConfig = once(readHandoffConfig);

const salesSchema = z.object({ [env.SALES_SLA_MINUTES_ENV]: positiveInt });
/** The sales SLA the manager view checks: how long a hot lead may wait unclaimed, or held with no outcome. */
export function readSalesConfig(vars: Vars) {
  const parsed = parse(salesSchema, vars);
  return { slaMinutes: parsed[env.SALES_SLA_MINUTES_ENV] ?? env.CONFIG_DEFAULTS.salesSlaMinutes };
}
export const salesConfig = once(readSalesConfig);

const nurtureQueueSchema = z.object({
  [env.NURTURE_LEASE_SECONDS_ENV]: positiveInt,
  [env.NURTURE_MAX_PER_TICK_ENV]: positiveInt,
});
/** How tick queues due nurture steps: the lease on each lead and the most leads per run. */
export function readNurtureQueueConfig(vars: Vars) {
  const parsed = parse(nurtureQueueSchema, vars);
  return {
    leaseSeconds: parsed[env.NURTURE_LEASE_SECONDS_ENV] ?? env.CONFIG_DEFAULTS.nurtureLeaseSeconds,
    maxLeads: parsed[env.NURTURE_MAX_PER_TICK_ENV] ?? env.CONFIG_DEFAULTS.nurtureMaxPerTick,
  };
}
export const nurtureQueueConfig = once(readNurtureQueueConfig);

const sendingSchema = z.object({
  [env.SES_CONFIGURATION_SET_ENV]: required,
  [env.SES_TRANSACTIONAL_CONFIGURATION_SET_ENV]: optional,
});
/**
 * Sending e-mail: the SES configuration set is required — without it SES publishes no bounce or
 * complaint, and they never reach the suppression list. Transactional mail (confirmations) has
 * its own set when given, so pausing marketing sends keeps confirmations going.
 */
export function readSendingConfig(vars: Vars) {
  const parsed = parse(sendingSchema, vars);
  const configurationSet = parsed[env.SES_CONFIGURATION_SET_ENV];
  return {
    configurationSet,
    transactionalConfigurationSet: parsed[env.SES_TRANSACTIONAL_CONFIGURATION_SET_ENV] ?? configurationSet,
  };
}
export const sendingConfig = once(readSendingConfig);

const reportsSchema = z.object({ [env.REPORT_TIME_ZONE_ENV]: optional });
/** The time zone reports count in (an IANA name, checked by the reports context). Default UTC. */
export function readReportsConfig(vars: Vars) {
  return { timeZone: parse(reportsSchema, vars)[env.REPORT_TIME_ZONE_ENV] ?? 'UTC' };
}
export const reportsConfig = once(readReportsConfig);

const eventArchiveSchema = z.object({ [env.EVENTS_BUCKET_ENV]: optional, [env.EVENTS_DIR_ENV]: optional });
/** Where raw timeline events are archived: an S3 bucket on AWS, a folder locally, or nowhere. */
export function readEventArchiveConfig(vars: Vars) {
  const parsed = parse(eventArchiveSchema, vars);
  return { bucket: parsed[env.EVENTS_BUCKET_ENV], dir: parsed[env.EVENTS_DIR_ENV] };
}
export const eventArchiveConfig = once(readEventArchiveConfig);

const webhooksSchema = z.object({
  [env.WEBHOOKS_ALLOW_LOCAL_HTTP_ENV]: z.optional(z.enum(['true', 'false'])),
  [env.WEBHOOK_RETRY_BASE_SECONDS_ENV]: positiveInt,
});
/**
 * Outbound webhooks: whether http://127.0.0.1:<port> endpoints are allowed (the local stack only),
 * and the first retry's backoff ceiling (undefined: the core's 120 s).
 */
export function readWebhooksConfig(vars: Vars) {
  const parsed = parse(webhooksSchema, vars);
  return {
    allowLocalHttp: parsed[env.WEBHOOKS_ALLOW_LOCAL_HTTP_ENV] === 'true',
    retryBaseSeconds: parsed[env.WEBHOOK_RETRY_BASE_SECONDS_ENV],
  };
}
export const webhooksConfig = once(readWebhooksConfig);

const exportsSchema = z.object({ [env.EXPORTS_BUCKET_ENV]: optional, [env.EXPORTS_DIR_ENV]: optional });
/** Where large lead exports are written: an S3 bucket on AWS, a folder locally. */
export function readExportsConfig(vars: Vars) {
  const parsed = parse(exportsSchema, vars);
  return { bucket: parsed[env.EXPORTS_BUCKET_ENV], dir: parsed[env.EXPORTS_DIR_ENV] };
}
export const exportsConfig = once(readExportsConfig);

const publicUrlSchema = z.object({ [env.PUBLIC_URL_ENV]: baseUrl });
/** The base URL unsubscribe and confirmation links point at (no trailing slash), when set. */
export function readPublicUrl(vars: Vars): string | undefined {
  return parse(publicUrlSchema, vars)[env.PUBLIC_URL_ENV];
}
/** The public URL where links must have one (send-email): required. */
export const publicUrl = once((vars) => {
  const url = readPublicUrl(vars);
  if (url === undefined) throw new Error(`Invalid environment: ${env.PUBLIC_URL_ENV} is required`);
  return url;
});
/** The public URL where the request's own domain can stand in (admin-nurture). */
export const publicUrlIfSet = once(readPublicUrl);

const secretsSchema = z.object({
  [env.SIGNING_SECRETS_ARN_ENV]: optional,
  [env.UNSUBSCRIBE_KEY_ENV]: optional,
  [env.UNSUBSCRIBE_KEY_PREVIOUS_ENV]: optional,
  [env.UNSUBSCRIBE_KEY_NEXT_ENV]: optional,
  [env.WEBHOOK_SECRETS_ARN_ENV]: optional,
  [env.SECRETS_MAX_AGE_SECONDS_ENV]: positiveInt,
});
/**
 * Where secrets come from: Secrets Manager ARNs on AWS, read again after `maxAgeSeconds`;
 * locally the signing keys themselves.
 */
export function readSecretsConfig(vars: Vars) {
  const parsed = parse(secretsSchema, vars);
  return {
    signingSecretsArn: parsed[env.SIGNING_SECRETS_ARN_ENV],
    unsubscribeKey: parsed[env.UNSUBSCRIBE_KEY_ENV],
    unsubscribeKeyPrevious: parsed[env.UNSUBSCRIBE_KEY_PREVIOUS_ENV],
    unsubscribeKeyNext: parsed[env.UNSUBSCRIBE_KEY_NEXT_ENV],
    webhookSecretsArn: parsed[env.WEBHOOK_SECRETS_ARN_ENV],
    maxAgeSeconds: parsed[env.SECRETS_MAX_AGE_SECONDS_ENV] ?? env.CONFIG_DEFAULTS.secretsMaxAgeSeconds,
  };
}
export const secretsConfig = once(readSecretsConfig);

const platformSchema = z.object({
  [env.META_GRAPH_URL_ENV]: baseUrl,
  [env.META_GRAPH_VERSION_ENV]: optional,
  [env.LINKEDIN_API_URL_ENV]: baseUrl,
  [env.LINKEDIN_API_VERSION_ENV]: optional,
});
/** Where ad-platform leads are fetched from. */
export function readPlatformConfig(vars: Vars) {
  const parsed = parse(platformSchema, vars);
  const d = env.CONFIG_DEFAULTS;
  return {
    metaGraphUrl: parsed[env.META_GRAPH_URL_ENV] ?? d.metaGraphUrl,
    metaGraphVersion: parsed[env.META_GRAPH_VERSION_ENV] ?? d.metaGraphVersion,
    linkedinApiUrl: parsed[env.LINKEDIN_API_URL_ENV] ?? d.linkedinApiUrl,
    linkedinApiVersion: parsed[env.LINKEDIN_API_VERSION_ENV] ?? d.linkedinApiVersion,
  };
}
export const platformConfig = once(readPlatformConfig);

const clientIpSchema = z.object({
  [env.CLIENT_IP_HEADER_ENV]: z.optional(
    z.string().check(z.trim(), z.regex(/^[a-z0-9-]+$/, 'must be a lower-case header name')),
  ),
});
/** Where the client's address comes from: a proxy's header (behind the public edge), else sourceIp. */
export function readClientIpConfig(vars: Vars) {
  return { header: parse(clientIpSchema, vars)[env.CLIENT_IP_HEADER_ENV] };
}
export const clientIpConfig = once(readClientIpConfig);

const authSchema = z.object({
  [env.USER_POOL_ID_ENV]: optional,
  [env.USER_POOL_CLIENT_ID_ENV]: optional,
  [env.AUTH_ISSUER_ENV]: baseUrl,
  [env.AUTH_JWKS_URI_ENV]: baseUrl,
  [env.AUTH_CLIENT_ID_ENV]: optional,
});
export type AuthConfig =
  | { kind: 'cognito'; userPoolId: string; clientId: string }
  | { kind: 'oidc'; issuer: string; jwksUri: string; clientId: string }
  | { kind: 'none' };
/**
 * Which signed-in people the API accepts: a Cognito user pool (AWS), an OpenID issuer (the local
 * provider), or none (API tokens only). Half a setting is an error naming what is missing.
 */
export function readAuthConfig(vars: Vars): AuthConfig {
  const p = parse(authSchema, vars);
  const pool = p[env.USER_POOL_ID_ENV];
  const poolClient = p[env.USER_POOL_CLIENT_ID_ENV];
  const issuer = p[env.AUTH_ISSUER_ENV];
  const jwksUri = p[env.AUTH_JWKS_URI_ENV];
  const client = p[env.AUTH_CLIENT_ID_ENV];
  const missing = (names: [string, unknown][]) =>
    names.filter(([, v]) => v === undefined).map(([n]) => `${n} is required`);
  if (pool !== undefined || poolClient !== undefined) {
    const gaps = missing([
      [env.USER_POOL_ID_ENV, pool],
      [env.USER_POOL_CLIENT_ID_ENV, poolClient],
    ]);
    if (gaps.length > 0) throw new Error(`Invalid environment: ${gaps.join('; ')}`);
    return { kind: 'cognito', userPoolId: pool as string, clientId: poolClient as string };
  }
  if (issuer !== undefined || jwksUri !== undefined || client !== undefined) {
    const gaps = missing([
      [env.AUTH_ISSUER_ENV, issuer],
      [env.AUTH_JWKS_URI_ENV, jwksUri],
      [env.AUTH_CLIENT_ID_ENV, client],
    ]);
    if (gaps.length > 0) throw new Error(`Invalid environment: ${gaps.join('; ')}`);
    return { kind: 'oidc', issuer: issuer as string, jwksUri: jwksUri as string, clientId: client as string };
  }
  return { kind: 'none' };
}
export const authConfig = once(readAuthConfig);
