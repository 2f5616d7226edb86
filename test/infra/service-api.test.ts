import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes';
import type { LeadflowApp } from '../../infra/build-app';
import { buildServiceTemplates, FUNCTION_OF_ENTRY, serviceHelpers } from './service-fixture';
import { functionBehindRoute, logicalIdOf, resourceOf, SYNTH_TIMEOUT } from './support';

describe('service stack: HTTP API', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: false }));
  }, SYNTH_TIMEOUT.timeout);
  const { id } = serviceHelpers(() => ({ built, template }));

  describe('routes', () => {
    it.each([
      ['POST /v1/forms/{formId}/submissions', 'formSubmission'],
      ['OPTIONS /v1/forms/{formId}/submissions', 'formSubmission'],
      ['GET /v1/admin/leads/{leadId}', 'adminLeads'],
      ['GET /v1/admin/leads', 'adminLeads'],
      ['DELETE /v1/admin/leads/{leadId}', 'adminLeads'],
      ['GET /v1/unsubscribe', 'unsubscribe'],
      ['POST /v1/unsubscribe', 'unsubscribe'],
      ['GET /v1/confirm', 'confirm'],
      ['POST /v1/confirm', 'confirm'],
      ['POST /v1/activities', 'activities'],
      ['GET /v1/admin/scoring', 'adminScoring'],
      ['POST /v1/admin/scoring/versions/{version}/activate', 'adminScoring'],
      ['GET /v1/admin/scoring/rescore', 'adminScoring'],
      ['GET /v1/admin/nurture', 'adminNurture'],
      ['POST /v1/admin/nurture/versions/{version}/activate', 'adminNurture'],
      ['POST /v1/admin/templates/{id}/test-send', 'adminNurture'],
      ['POST /v1/admin/broadcasts', 'adminNurture'],
      ['GET /v1/admin/broadcasts/{id}', 'adminNurture'],
      ['POST /v1/sales/claims', 'sales'],
      ['POST /v1/sales/claims/{claimToken}/extend', 'sales'],
      ['POST /v1/sales/claims/{claimToken}/release', 'sales'],
      ['POST /v1/sales/leads/{leadId}/outcome', 'sales'],
      ['GET /v1/sales/queue', 'sales'],
      ['GET /v1/webhooks/meta', 'webhooks'],
      ['POST /v1/webhooks/meta', 'webhooks'],
      ['POST /v1/webhooks/google', 'webhooks'],
      ['GET /v1/health', 'public'],
      ['GET /v1/openapi.json', 'public'],
      ['GET /v1/embed.js', 'public'],
    ] as const)('sends %s to the %s function', (routeKey, name) => {
      expect(functionBehindRoute(template, routeKey)).toBe(id(name));
    });

    it('serves every route of the shared route table (the one the local server uses) from its handler', () => {
      for (const route of ROUTES) {
        expect(functionBehindRoute(template, `${route.method} ${route.path}`)).toBe(
          id(FUNCTION_OF_ENTRY[route.handler]),
        );
      }
    });

    it('answers unknown paths from the public function, with the contract error body', () => {
      expect(functionBehindRoute(template, '$default')).toBe(id('public'));
    });

    it('exposes no other route: the shared table and the $default fallback', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
    });

    it('sends the nine sales routes, and only those, to the sales function', () => {
      const salesRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('sales'),
      );
      expect(salesRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/sales/claims',
        'GET /v1/sales/queue',
        'GET /v1/sales/team',
        'POST /v1/sales/claims',
        'POST /v1/sales/claims/{claimToken}/extend',
        'POST /v1/sales/claims/{claimToken}/release',
        'POST /v1/sales/leads/{leadId}/outcome',
        'POST /v1/sales/leads/{leadId}/reassign',
        'POST /v1/sales/leads/{leadId}/release',
      ]);
    });

    it('sends every webhook route of the shared table, and nothing else, to the webhooks function', () => {
      const webhookRoutes = ROUTES.filter((route) => route.path.startsWith('/v1/webhooks/'));
      // Meta and Google at least; LinkedIn and TikTok join through the same table.
      expect(webhookRoutes.map((route) => `${route.method} ${route.path}`)).toEqual(
        expect.arrayContaining([
          'GET /v1/webhooks/meta',
          'POST /v1/webhooks/meta',
          'POST /v1/webhooks/google',
        ]),
      );
      const servedByWebhooks = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('webhooks'),
      );
      expect(servedByWebhooks).toEqual(webhookRoutes);
    });

    it('sends the twenty nurture admin routes (broadcasts, template previews and segments included), and only those, to the admin-nurture function', () => {
      const nurtureRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('adminNurture'),
      );
      expect(nurtureRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/admin/broadcasts',
        'GET /v1/admin/broadcasts/{id}',
        'GET /v1/admin/broadcasts/{id}/results',
        'GET /v1/admin/nurture',
        'GET /v1/admin/nurture/versions/{version}/diff/{other}',
        'GET /v1/admin/segments',
        'GET /v1/admin/templates/variables',
        'POST /v1/admin/broadcasts',
        'POST /v1/admin/broadcasts/preview',
        'POST /v1/admin/broadcasts/{id}/cancel',
        'POST /v1/admin/broadcasts/{id}/schedule',
        'POST /v1/admin/nurture/validate',
        'POST /v1/admin/nurture/versions',
        'POST /v1/admin/nurture/versions/{version}/activate',
        'POST /v1/admin/segments/preview',
        'POST /v1/admin/sequences/{id}/enrollments',
        'POST /v1/admin/sequences/{id}/preview',
        'POST /v1/admin/templates/preview',
        'POST /v1/admin/templates/{id}/test-send',
        'PUT /v1/admin/broadcasts/{id}',
      ]);
    });

    it('sends the two unsubscribe routes, and only those, to the unsubscribe function', () => {
      const unsubscribeRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('unsubscribe'),
      );
      expect(unsubscribeRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/unsubscribe',
        'POST /v1/unsubscribe',
      ]);
    });

    it('sends the two double opt-in confirmation routes, and only those, to the confirm function', () => {
      const confirmRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('confirm'),
      );
      expect(confirmRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/confirm',
        'POST /v1/confirm',
      ]);
    });

    it('puts no route in front of the rescore, tick, ad-leads, ses-events and send-email functions: only their queue, schedule or topic invoke them', () => {
      const routedFunctions = ROUTES.map((route) =>
        functionBehindRoute(template, `${route.method} ${route.path}`),
      );
      for (const name of ['rescore', 'tick', 'adLeads', 'sesEvents', 'sendEmail'] as const) {
        expect(routedFunctions).not.toContain(id(name));
      }
    });

    it('has no API Gateway authorizer: tokens are checked in the function to keep the error body', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    });

    it('leaves CORS to the form function (no API-level CORS configuration)', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.absent(),
      });
    });

    it('outputs the API URL', () => {
      template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });

  describe('stage', () => {
    it('throttles the default stage at 50 requests/s with bursts of 100', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('writes JSON access logs without user agent, body or query string to a one-month log group', () => {
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
        Properties: { AccessLogSettings: { DestinationArn: unknown; Format: string } };
      };
      const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
      const accessLogs = logicalIdOf(built.service.accessLogs);
      expect(DestinationArn).toEqual({ 'Fn::GetAtt': [accessLogs, 'Arn'] });
      expect(resourceOf(template, accessLogs).Properties).toMatchObject({ RetentionInDays: 30 });

      const fields = JSON.parse(Format) as Record<string, string>;
      expect(fields).toMatchObject({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        responseLength: '$context.responseLength',
        integrationLatency: '$context.integrationLatency',
      });
      expect(Object.values(fields).filter((value) => /userAgent|body|querystring/i.test(value))).toEqual([]);
    });
  });
});
