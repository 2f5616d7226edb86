import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CLIENT_IP_HEADER_ENV, PUBLIC_URL_ENV } from '../../../functions/shared/env-names';
import { type HandlerName, ROUTES } from '../../../functions/shared/routes';
import type { LeadflowFunction } from '../../constructs/leadflow-function';
import { resourcePrefix } from '../../constructs/names';
import { PublicEdge, publicEdgePropsFromContext } from '../../constructs/public-edge';
import type { ServiceContext } from './context';
import { httpsUrl, throttleSettings } from './props';

/** One access log line per request; no user agent, no body, no query string (they can hold PII). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
};

/** The functions behind routes, and send-email, whose links point at the API. */
export interface RoutedFunctions {
  readonly formSubmission: LeadflowFunction;
  readonly adminLeads: LeadflowFunction;
  readonly activities: LeadflowFunction;
  readonly adminScoring: LeadflowFunction;
  readonly adminNurture: LeadflowFunction;
  readonly adminLeadExports: LeadflowFunction;
  readonly adminLeadImports: LeadflowFunction;
  readonly public: LeadflowFunction;
  readonly sales: LeadflowFunction;
  readonly webhooks: LeadflowFunction;
  readonly unsubscribe: LeadflowFunction;
  readonly confirm: LeadflowFunction;
  readonly sendEmail: LeadflowFunction;
  readonly reports: LeadflowFunction;
  readonly adminWebhooks: LeadflowFunction;
  readonly adminForms: LeadflowFunction;
}

/** The HTTP API: its stage with access logs, every route of the shared route table and the fallback. */
export function httpApi({ stack, props, logRemovalPolicy }: ServiceContext, functions: RoutedFunctions) {
  const {
    formSubmission,
    adminLeads,
    activities,
    adminScoring,
    adminNurture,
    adminLeadExports,
    public: publicFn,
    sales,
    webhooks,
    unsubscribe,
    confirm,
    sendEmail,
  } = functions;
  // The public edge (CloudFront + WAF) when asked for, or when a custom domain is set; with the domain
  // CloudFront is the only way in: the execute-api endpoint is disabled.
  const edgeProps = props.publicEdge === false ? undefined : publicEdgePropsFromContext(stack);
  const edgeOn = props.publicEdge === true || edgeProps?.domainName !== undefined;
  // No corsPreflight here: API-level CORS would allow the same origins for every form, but each
  // form lists its own allowed origins, so the form function answers CORS (and OPTIONS) itself.
  const api = new HttpApi(stack, 'HttpApi', {
    apiName: resourcePrefix(stack),
    description: 'Leadflow public API (v1)',
    createDefaultStage: false,
    ...(edgeOn && edgeProps?.domainName !== undefined && { disableExecuteApiEndpoint: true }),
  });

  const accessLogs = new logs.LogGroup(stack, 'AccessLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: logRemovalPolicy,
  });
  const stage = new HttpStage(stack, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: throttleSettings(props.throttle),
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogs),
      format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
    },
  });

  // Routes come from functions/shared/routes.ts, the table the local server serves too.
  const integrations: Record<HandlerName, HttpLambdaIntegration> = {
    'form-submission': new HttpLambdaIntegration('FormSubmissionIntegration', formSubmission.function),
    'admin-leads': new HttpLambdaIntegration('AdminLeadsIntegration', adminLeads.function),
    activities: new HttpLambdaIntegration('ActivitiesIntegration', activities.function),
    'admin-scoring': new HttpLambdaIntegration('AdminScoringIntegration', adminScoring.function),
    'admin-nurture': new HttpLambdaIntegration('AdminNurtureIntegration', adminNurture.function),
    'admin-lead-exports': new HttpLambdaIntegration('AdminLeadExportsIntegration', adminLeadExports.function),
    'admin-lead-imports': new HttpLambdaIntegration(
      'AdminLeadImportsIntegration',
      functions.adminLeadImports.function,
    ),
    public: new HttpLambdaIntegration('PublicIntegration', publicFn.function),
    sales: new HttpLambdaIntegration('SalesIntegration', sales.function),
    webhooks: new HttpLambdaIntegration('WebhooksIntegration', webhooks.function),
    unsubscribe: new HttpLambdaIntegration('UnsubscribeIntegration', unsubscribe.function),
    confirm: new HttpLambdaIntegration('ConfirmIntegration', confirm.function),
    reports: new HttpLambdaIntegration('ReportsIntegration', functions.reports.function),
    'admin-webhooks': new HttpLambdaIntegration('AdminWebhooksIntegration', functions.adminWebhooks.function),
    'admin-forms': new HttpLambdaIntegration('AdminFormsIntegration', functions.adminForms.function),
  };
  for (const route of ROUTES) {
    const [added] = api.addRoutes({
      path: route.path,
      methods: [route.method as HttpMethod],
      integration: integrations[route.handler],
    });
    if (added) acknowledgeNoAuthorizer([added], NO_AUTHORIZER_REASON[route.handler]);
  }
  // Unknown paths get the contract's error body from the public function, not API Gateway's own.
  const fallback = new HttpRoute(stack, 'DefaultRoute', {
    httpApi: api,
    routeKey: HttpRouteKey.DEFAULT,
    integration: integrations.public,
  });
  acknowledgeNoAuthorizer(
    [fallback],
    'Catch-all for unknown paths: the public function answers 404 route_not_found in the contract ' +
      'error body; it reads no table and holds no data.',
  );

  // After the routes: the edge puts a throttle on named routes of the stage.
  const edge = edgeOn
    ? new PublicEdge(stack, 'PublicEdge', { api, stage, ...edgeProps, removalPolicy: logRemovalPolicy })
    : undefined;
  if (edge) {
    // Behind CloudFront, API Gateway's source IP is CloudFront's: the per-IP limits and the consent
    // record read the visitor's address from the header CloudFront sets (and forwards, see PublicEdge).
    for (const fn of [formSubmission, adminLeads, activities, adminScoring, adminNurture].concat([
      publicFn,
      sales,
      webhooks,
      unsubscribe,
      confirm,
    ]))
      fn.function.addEnvironment(CLIENT_IP_HEADER_ENV, 'cloudfront-viewer-address');
  }

  // Unsubscribe and confirmation links point at the public URL: the operator's, else the edge's
  // (the custom domain, or the distribution's address), else the API's own endpoint. No cycle:
  // send-email is behind a queue, not a route, so the API does not depend on it.
  const givenUrl = props.publicUrl === undefined ? undefined : httpsUrl('publicUrl', props.publicUrl);
  const domainUrl =
    edgeProps?.domainName === undefined || !edgeOn ? undefined : `https://${edgeProps.domainName}`;
  const publicUrl = givenUrl ?? edge?.publicUrl ?? api.apiEndpoint;
  sendEmail.function.addEnvironment(PUBLIC_URL_ENV, publicUrl);
  // admin-nurture is behind routes of this API: the API's endpoint (or the distribution in front of it)
  // in its environment would be a dependency cycle. Without a URL known at synth the function links
  // to the domain the request came in on.
  const literalUrl = givenUrl ?? domainUrl;
  if (literalUrl !== undefined)
    for (const fn of [adminNurture, functions.adminForms])
      fn.function.addEnvironment(PUBLIC_URL_ENV, literalUrl);
  return { api, accessLogs, stage, edge, publicUrl, literalUrl };
}

/** Why each function's routes have no API Gateway authorizer (cdk-nag AwsSolutions-APIG4). */
const NO_AUTHORIZER_REASON: Record<HandlerName, string> = {
  'form-submission':
    'Public by contract: any website may post a form, and browsers send CORS preflight (OPTIONS) ' +
    'without credentials. Abuse is limited by stage throttling and per-IP/per-email rate limits ' +
    'in the function, which also answers CORS per form.',
  // Bearer tokens are checked by middleware inside the function, not by an API Gateway
  // authorizer: an HTTP API authorizer answers 401/403 with its own {"message": ...} body, and
  // the public contract requires {"error":{"code","message"}} on every 4xx.
  'admin-leads':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing or sales). An API Gateway authorizer cannot answer with the ' +
    'contract error body {"error":{"code","message"}}.',
  activities:
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (ingest). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  'admin-lead-exports':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing or sales), and an export is read only by who started it (or an admin). ' +
    'An API Gateway authorizer cannot answer with the contract error body {"error":{"code","message"}}.',
  'admin-lead-imports':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing or admin), and an import is seen only by who started it (or an admin). ' +
    'An API Gateway authorizer cannot answer with the contract error body {"error":{"code","message"}}.',
  'admin-webhooks':
    'Authorized inside the function: the Bearer token (or signed-in person) is checked and its role ' +
    'checked (admin). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  reports:
    'Authorized inside the function: the Bearer token (or signed-in person) is checked and its role ' +
    'checked (marketing or sales-manager). An API Gateway authorizer cannot answer with the contract ' +
    'error body {"error":{"code","message"}}.',
  'admin-scoring':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing). An API Gateway authorizer cannot answer with the contract error ' +
    'body {"error":{"code","message"}}.',
  'admin-forms':
    'Authorized inside the function: the Bearer token (or signed-in person) is checked and its role ' +
    'checked (marketing). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  'admin-nurture':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing). An API Gateway authorizer cannot answer with the contract error ' +
    'body {"error":{"code","message"}}.',
  sales:
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (sales). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  webhooks:
    'Public by contract: Meta, Google Ads, LinkedIn and TikTok call these webhooks without AWS credentials. ' +
    'Each request is authenticated inside the function by its HMAC signature over the raw body, ' +
    'verification token or shared key (401/403, nothing stored otherwise).',
  unsubscribe:
    'Public by contract: RFC 8058 one-click unsubscribe (and the page behind the link) must work without ' +
    'login or confirmation, straight from the e-mail. Each request is authenticated inside the function by ' +
    'the HMAC-signed token in the link; a bad or tampered token changes nothing.',
  confirm:
    'Public by contract: the double opt-in link in the confirmation e-mail must work without login, straight ' +
    'from the e-mail. Each request is authenticated inside the function by the HMAC-signed, expiring token in ' +
    'the link; GET changes nothing, and a bad, tampered or expired token changes nothing.',
  public:
    'Public by contract: health check, OpenAPI document, JSON Schemas of the contracts and the form ' +
    'embed script hold no data and are fetched by browsers, CRMs and monitors without credentials.',
};

function acknowledgeNoAuthorizer(routes: HttpRoute[], reason: string): void {
  for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
}
