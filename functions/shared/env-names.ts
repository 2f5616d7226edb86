/**
 * Environment variable names and their defaults, shared by the functions (functions/shared/config.ts
 * parses them) and infra/ (which sets them). Constants only: importing this module reads nothing.
 */

/** The DynamoDB table every function reads and writes. Required. */
export const TABLE_NAME_ENV = 'LEADFLOW_TABLE_NAME';
/** The secret key lead ids and suppression keys are derived with. Required where ids are derived. */
export const IDENTITY_KEY_ENV = 'LEADFLOW_IDENTITY_KEY';
/** ARN of the JSON secret with the webhook secrets (`leadflow/webhooks`); unset locally, where env holds them. */
export const WEBHOOK_SECRETS_ARN_ENV = 'LEADFLOW_WEBHOOK_SECRETS_ARN';
/** ARN of the JSON secret with UNSUBSCRIBE_KEY (and UNSUBSCRIBE_KEY_PREVIOUS / _NEXT during a key roll) (`leadflow/signing`); unset locally. */
export const SIGNING_SECRETS_ARN_ENV = 'LEADFLOW_SIGNING_SECRETS_ARN';
/** The current signing key itself, read locally when no signing-secrets ARN is set. */
export const UNSUBSCRIBE_KEY_ENV = 'LEADFLOW_UNSUBSCRIBE_KEY';
/** Locally: the signing key before the last roll (verifies only), when set. */
export const UNSUBSCRIBE_KEY_PREVIOUS_ENV = 'LEADFLOW_UNSUBSCRIBE_KEY_PREVIOUS';
/** Locally: the signing key staged for the next roll (verifies only), when set. */
export const UNSUBSCRIBE_KEY_NEXT_ENV = 'LEADFLOW_UNSUBSCRIBE_KEY_NEXT';
/** How long a function keeps a secret read from Secrets Manager before reading it again, in seconds. */
export const SECRETS_MAX_AGE_SECONDS_ENV = 'LEADFLOW_SECRETS_MAX_AGE_SECONDS';
/** The SES configuration set every e-mail is sent with (it publishes bounces and complaints). Required to send. */
export const SES_CONFIGURATION_SET_ENV = 'LEADFLOW_SES_CONFIGURATION_SET';
/**
 * The SES configuration set for transactional mail (double opt-in confirmations): kept sending when
 * the marketing set is paused for reputation. Unset: confirmations use LEADFLOW_SES_CONFIGURATION_SET.
 */
export const SES_TRANSACTIONAL_CONFIGURATION_SET_ENV = 'LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET';
/**
 * The request header holding the client's address when a proxy stands in front of the API
 * (`cloudfront-viewer-address` behind the public edge, `ip:port`). Unset: API Gateway's sourceIp.
 */
export const CLIENT_IP_HEADER_ENV = 'LEADFLOW_CLIENT_IP_HEADER';
/** Signed-in people on AWS: the Cognito user pool whose access tokens the API accepts. */
export const USER_POOL_ID_ENV = 'LEADFLOW_USER_POOL_ID';
/** The Cognito app client (the console) access tokens must be issued to. */
export const USER_POOL_CLIENT_ID_ENV = 'LEADFLOW_USER_POOL_CLIENT_ID';
/** Signed-in people elsewhere (the local OpenID provider): the issuer whose access tokens the API accepts. */
export const AUTH_ISSUER_ENV = 'LEADFLOW_AUTH_ISSUER';
/** The issuer's JWKS URI (its signing keys). */
export const AUTH_JWKS_URI_ENV = 'LEADFLOW_AUTH_JWKS_URI';
/** The OAuth client (the console) access tokens must be issued to. */
export const AUTH_CLIENT_ID_ENV = 'LEADFLOW_AUTH_CLIENT_ID';
/** Base URL unsubscribe and confirmation links point at. */
export const PUBLIC_URL_ENV = 'LEADFLOW_PUBLIC_URL';
/** How long a function keeps the active forms, scoring model and nurture config, in seconds. */
export const CONFIG_CACHE_SECONDS_ENV = 'LEADFLOW_CONFIG_CACHE_SECONDS';
/** Form submissions accepted per client IP per minute. */
export const RATE_LIMIT_PER_IP_PER_MIN_ENV = 'LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN';
/** Form submissions accepted per email address per minute. */
export const RATE_LIMIT_PER_EMAIL_PER_MIN_ENV = 'LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN';
/** Double opt-in confirmation e-mails per client IP per hour. */
export const CONFIRMATIONS_PER_IP_PER_HOUR_ENV = 'LEADFLOW_CONFIRMATIONS_PER_IP_PER_HOUR';
/** The shortest time a form submission answers in, in ms (0 turns it off). */
export const CAPTURE_MIN_RESPONSE_MS_ENV = 'LEADFLOW_CAPTURE_MIN_RESPONSE_MS';
/** How long a claim keeps a hot lead from other reps, in seconds. */
export const CLAIM_WINDOW_SECONDS_ENV = 'LEADFLOW_CLAIM_WINDOW_SECONDS';
/** How long a hot lead may wait unclaimed, or stay claimed with no outcome, before the manager view flags it, in minutes. */
export const SALES_SLA_MINUTES_ENV = 'LEADFLOW_SALES_SLA_MINUTES';
/** How long tick waits before re-sending a hand-off still marked pending, in seconds. */
export const HANDOFF_RESEND_AFTER_SECONDS_ENV = 'LEADFLOW_HANDOFF_RESEND_AFTER_SECONDS';
/** How long tick's lease on a lead with nurture steps due lasts, in seconds. */
export const NURTURE_LEASE_SECONDS_ENV = 'LEADFLOW_NURTURE_LEASE_SECONDS';
/** The most leads tick queues nurture jobs for in one run. */
export const NURTURE_MAX_PER_TICK_ENV = 'LEADFLOW_NURTURE_MAX_PER_TICK';
/** Base URL of Meta's Graph API. */
export const META_GRAPH_URL_ENV = 'META_GRAPH_URL';
/** Graph API version leads are fetched with. */
export const META_GRAPH_VERSION_ENV = 'META_GRAPH_VERSION';
/** Base URL of LinkedIn's API (Lead Sync form responses). */
export const LINKEDIN_API_URL_ENV = 'LINKEDIN_API_URL';
/** LinkedIn API version (the `LinkedIn-Version` header). */
export const LINKEDIN_API_VERSION_ENV = 'LINKEDIN_API_VERSION';

/** `rescore-jobs` → `LEADFLOW_QUEUE_RESCORE_JOBS`: the variable a function reads a queue's URL from. */
export function queueUrlEnv(name: string): string {
  return `LEADFLOW_QUEUE_${name.replace(/-/g, '_').toUpperCase()}`;
}

/** The IANA time zone reports count days, weeks and months in (the account's zone). Default UTC. */
export const REPORT_TIME_ZONE_ENV = 'LEADFLOW_REPORT_TIME_ZONE';
/** On AWS: the S3 bucket raw timeline events are archived to as JSON lines (queried with Athena). */
export const EVENTS_BUCKET_ENV = 'LEADFLOW_EVENTS_BUCKET';
/** Locally: the folder raw timeline events are archived to, in the bucket's layout (`npm start -- --events-dir`). */
export const EVENTS_DIR_ENV = 'LEADFLOW_EVENTS_DIR';
/** On AWS: the S3 bucket large lead exports (CSV) are written to and downloaded from. */
export const EXPORTS_BUCKET_ENV = 'LEADFLOW_EXPORTS_BUCKET';
/** Locally: the folder large lead exports (CSV) are written to. */
export const EXPORTS_DIR_ENV = 'LEADFLOW_EXPORTS_DIR';

/**
 * Outbound webhooks: `true` lets endpoints use http://127.0.0.1:<port> (a receiver on the same
 * machine). Set only by the local stack (`npm start`); never on AWS, where only public https goes.
 */
export const WEBHOOKS_ALLOW_LOCAL_HTTP_ENV = 'LEADFLOW_WEBHOOKS_ALLOW_LOCAL_HTTP';
/** The first retry's backoff ceiling of an integration delivery, in seconds (doubles per attempt). */
export const WEBHOOK_RETRY_BASE_SECONDS_ENV = 'LEADFLOW_WEBHOOK_RETRY_BASE_SECONDS';

/**
 * Slack and HubSpot (issue 17): ARN of the JSON secret `leadflow-<stage>/integrations`
 * (SLACK_BOT_TOKEN, SLACK_WEBHOOK_URL, SLACK_MANAGERS_WEBHOOK_URL, HUBSPOT_ACCESS_TOKEN); unset
 * locally, where env holds those keys.
 */
export const INTEGRATIONS_SECRET_ARN_ENV = 'LEADFLOW_INTEGRATIONS_SECRET_ARN';
/** config/integrations.yaml as JSON (infra and the local stack set it from the file). */
export const INTEGRATIONS_CONFIG_ENV = 'LEADFLOW_INTEGRATIONS_CONFIG';
/** Slack's Web API base URL (the local fake's locally). */
export const SLACK_API_URL_ENV = 'LEADFLOW_SLACK_API_URL';
/** HubSpot's API base URL (the local fake's locally). */
export const HUBSPOT_API_URL_ENV = 'LEADFLOW_HUBSPOT_API_URL';

/** The defaults, defined once: the functions fall back to them and infra sets them unless told otherwise. */
export const CONFIG_DEFAULTS = {
  configCacheSeconds: 30,
  secretsMaxAgeSeconds: 300,
  rateLimitPerIpPerMinute: 30,
  rateLimitPerEmailPerMinute: 5,
  confirmationsPerIpPerHour: 10,
  captureMinResponseMs: 150,
  claimWindowSeconds: 1800,
  salesSlaMinutes: 15,
  handoffResendAfterSeconds: 60,
  nurtureLeaseSeconds: 900,
  nurtureMaxPerTick: 20_000,
  metaGraphUrl: 'https://graph.facebook.com',
  metaGraphVersion: 'v21.0',
  linkedinApiUrl: 'https://api.linkedin.com',
  linkedinApiVersion: '202610',
  slackApiUrl: 'https://slack.com/api',
  hubspotApiUrl: 'https://api.hubapi.com',
} as const;
