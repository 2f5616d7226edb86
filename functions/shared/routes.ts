/** Every API route and the handler (functions/handlers/<name>.ts) that serves it: CDK and the local server read this. */
export const ROUTES = [
  { method: 'POST', path: '/v1/forms/{formId}/submissions', handler: 'form-submission' },
  { method: 'OPTIONS', path: '/v1/forms/{formId}/submissions', handler: 'form-submission' },
  // Before /v1/admin/leads/{leadId}: the local server takes the first route that matches.
  { method: 'GET', path: '/v1/admin/leads/export', handler: 'admin-leads' },
  { method: 'POST', path: '/v1/admin/leads/exports', handler: 'admin-lead-exports' },
  { method: 'GET', path: '/v1/admin/leads/exports/{exportId}', handler: 'admin-lead-exports' },
  { method: 'GET', path: '/v1/admin/leads/exports/{exportId}/file', handler: 'admin-lead-exports' },
  { method: 'POST', path: '/v1/admin/leads/imports', handler: 'admin-lead-imports' },
  { method: 'POST', path: '/v1/admin/leads/imports/{importId}/start', handler: 'admin-lead-imports' },
  { method: 'GET', path: '/v1/admin/leads/imports/{importId}', handler: 'admin-lead-imports' },
  { method: 'GET', path: '/v1/admin/leads/imports/{importId}/errors', handler: 'admin-lead-imports' },
  { method: 'GET', path: '/v1/admin/leads/{leadId}', handler: 'admin-leads' },
  { method: 'POST', path: '/v1/admin/leads/{leadId}/notes', handler: 'admin-leads' },
  { method: 'POST', path: '/v1/admin/leads/{leadId}/unsubscribe', handler: 'admin-leads' },
  { method: 'GET', path: '/v1/admin/leads', handler: 'admin-leads' },
  { method: 'DELETE', path: '/v1/admin/leads/{leadId}', handler: 'admin-leads' },
  { method: 'GET', path: '/v1/unsubscribe', handler: 'unsubscribe' },
  { method: 'POST', path: '/v1/unsubscribe', handler: 'unsubscribe' },
  { method: 'GET', path: '/v1/confirm', handler: 'confirm' },
  { method: 'POST', path: '/v1/confirm', handler: 'confirm' },
  { method: 'POST', path: '/v1/activities', handler: 'activities' },
  { method: 'GET', path: '/v1/admin/reports/{report}', handler: 'reports' },
  { method: 'GET', path: '/v1/admin/scoring', handler: 'admin-scoring' },
  { method: 'POST', path: '/v1/admin/scoring/validate', handler: 'admin-scoring' },
  { method: 'POST', path: '/v1/admin/scoring/versions', handler: 'admin-scoring' },
  { method: 'POST', path: '/v1/admin/scoring/versions/{version}/activate', handler: 'admin-scoring' },
  { method: 'POST', path: '/v1/admin/scoring/simulate', handler: 'admin-scoring' },
  { method: 'POST', path: '/v1/admin/scoring/backtest', handler: 'admin-scoring' },
  { method: 'GET', path: '/v1/admin/scoring/rescore', handler: 'admin-scoring' },
  { method: 'GET', path: '/v1/admin/nurture', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/nurture/validate', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/nurture/versions', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/nurture/versions/{version}/activate', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/nurture/versions/{version}/diff/{other}', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/sequences/{id}/preview', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/sequences/{id}/enrollments', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/templates/{id}/test-send', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/templates/preview', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/templates/variables', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/segments', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/segments/preview', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/broadcasts/preview', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/broadcasts', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/broadcasts/{id}', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/broadcasts', handler: 'admin-nurture' },
  { method: 'PUT', path: '/v1/admin/broadcasts/{id}', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/broadcasts/{id}/schedule', handler: 'admin-nurture' },
  { method: 'POST', path: '/v1/admin/broadcasts/{id}/cancel', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/broadcasts/{id}/results', handler: 'admin-nurture' },
  { method: 'GET', path: '/v1/admin/webhooks/endpoints', handler: 'admin-webhooks' },
  { method: 'POST', path: '/v1/admin/webhooks/endpoints', handler: 'admin-webhooks' },
  { method: 'GET', path: '/v1/admin/webhooks/endpoints/{id}', handler: 'admin-webhooks' },
  { method: 'PATCH', path: '/v1/admin/webhooks/endpoints/{id}', handler: 'admin-webhooks' },
  { method: 'DELETE', path: '/v1/admin/webhooks/endpoints/{id}', handler: 'admin-webhooks' },
  { method: 'POST', path: '/v1/admin/webhooks/endpoints/{id}/rotate-secret', handler: 'admin-webhooks' },
  { method: 'GET', path: '/v1/admin/webhooks/endpoints/{id}/deliveries', handler: 'admin-webhooks' },
  {
    method: 'POST',
    path: '/v1/admin/webhooks/endpoints/{id}/deliveries/{deliveryId}/retry',
    handler: 'admin-webhooks',
  },
  { method: 'POST', path: '/v1/admin/webhooks/endpoints/{id}/test', handler: 'admin-webhooks' },
  { method: 'POST', path: '/v1/sales/claims', handler: 'sales' },
  { method: 'POST', path: '/v1/sales/claims/{claimToken}/extend', handler: 'sales' },
  { method: 'POST', path: '/v1/sales/claims/{claimToken}/release', handler: 'sales' },
  { method: 'POST', path: '/v1/sales/leads/{leadId}/outcome', handler: 'sales' },
  { method: 'GET', path: '/v1/sales/queue', handler: 'sales' },
  { method: 'GET', path: '/v1/sales/claims', handler: 'sales' },
  { method: 'GET', path: '/v1/sales/team', handler: 'sales' },
  { method: 'POST', path: '/v1/sales/leads/{leadId}/reassign', handler: 'sales' },
  { method: 'POST', path: '/v1/sales/leads/{leadId}/release', handler: 'sales' },
  { method: 'GET', path: '/v1/webhooks/meta', handler: 'webhooks' },
  { method: 'POST', path: '/v1/webhooks/meta', handler: 'webhooks' },
  { method: 'POST', path: '/v1/webhooks/google', handler: 'webhooks' },
  { method: 'GET', path: '/v1/webhooks/linkedin', handler: 'webhooks' },
  { method: 'POST', path: '/v1/webhooks/linkedin', handler: 'webhooks' },
  { method: 'POST', path: '/v1/webhooks/tiktok', handler: 'webhooks' },
  { method: 'GET', path: '/v1/health', handler: 'public' },
  { method: 'GET', path: '/v1/openapi.json', handler: 'public' },
  { method: 'GET', path: '/v1/embed.js', handler: 'public' },
  { method: 'GET', path: '/v1/schemas/hot-lead.v1.json', handler: 'public' },
  { method: 'GET', path: '/v1/schemas/lead-erased.v1.json', handler: 'public' },
  { method: 'GET', path: '/v1/schemas/webhook-events.v1.json', handler: 'public' },
] as const;

export type Route = (typeof ROUTES)[number];
export type HandlerName = Route['handler'];

/** Queue-driven handlers: the queue (by its local name) and the handler that consumes it. */
export const QUEUE_CONSUMERS = [
  { queue: 'rescore-jobs', handler: 'rescore' },
  { queue: 'ad-leads', handler: 'ad-leads' },
  { queue: 'email-jobs', handler: 'send-email' },
  { queue: 'lead-exports', handler: 'lead-export' },
  { queue: 'lead-imports', handler: 'lead-import' },
  { queue: 'integration-deliveries', handler: 'integration-deliveries' },
] as const;

/** SNS-driven handlers: the topic (by its local name) and the handler subscribed to it. */
export const SNS_CONSUMERS = [{ topic: 'ses-events', handler: 'ses-events' }] as const;

/** Scheduled handlers: EventBridge rate(1 minute) on AWS, every few seconds locally. */
export const SCHEDULED = [{ handler: 'tick' }] as const;

/** The env var a function reads a queue's URL from: rescore-jobs → LEADFLOW_QUEUE_RESCORE_JOBS. */
export { queueUrlEnv } from './env-names';
