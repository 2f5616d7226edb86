import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import {
  actionsOf,
  logicalIdOf,
  resourceOf,
  SKIP_BUNDLING,
  SYNTH_TIMEOUT,
  statementsOfRole,
} from './support';

describe('service stack props', SYNTH_TIMEOUT, () => {
  it('takes throttling and form rate limits from its props', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: {
        throttle: { rateLimit: 5, burstLimit: 10 },
        rateLimitPerIpPerMinute: 60,
        rateLimitPerEmailPerMinute: 2,
      },
    });
    const template = Template.fromStack(service);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '60',
          LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '2',
        }),
      },
    });
  });

  it('takes the claim window of the sales function from its props', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: { claimWindowSeconds: 600 },
    });
    const sales = resourceOf(Template.fromStack(service), logicalIdOf(service.functions.sales.function));
    expect(sales.Properties.Environment).toMatchObject({
      Variables: { LEADFLOW_CLAIM_WINDOW_SECONDS: '600' },
    });
  });

  it('refuses a claim window SQS would reject as a visibility timeout (over 12 hours) or the function at cold start', () => {
    for (const claimWindowSeconds of [0, 90.5, 43_201]) {
      expect(() =>
        buildApp({ stage: 'dev', context: SKIP_BUNDLING, service: { claimWindowSeconds } }),
      ).toThrow(/claimWindowSeconds must be an integer from 1 to 43200/);
    }
  });

  it('takes the platform API base URLs and the Graph API version from its props, for both webhook functions', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: {
        metaGraphUrl: 'https://graph.staging.example.com',
        metaGraphVersion: 'v22.0',
        linkedinApiUrl: 'https://linkedin.staging.example.com/api',
      },
    });
    const template = Template.fromStack(service);
    for (const fn of [service.functions.webhooks, service.functions.adLeads]) {
      expect(resourceOf(template, logicalIdOf(fn.function)).Properties.Environment).toMatchObject({
        Variables: {
          META_GRAPH_URL: 'https://graph.staging.example.com',
          META_GRAPH_VERSION: 'v22.0',
          LINKEDIN_API_URL: 'https://linkedin.staging.example.com/api',
        },
      });
    }
  });

  it('refuses a platform API URL that is not an absolute https base URL, and a malformed Graph API version', () => {
    for (const metaGraphUrl of ['http://graph.facebook.com', 'graph.facebook.com', 'https://x.test/?a=1']) {
      expect(() => buildApp({ stage: 'dev', context: SKIP_BUNDLING, service: { metaGraphUrl } })).toThrow(
        /metaGraphUrl must be an https base URL/,
      );
    }
    expect(() =>
      buildApp({
        stage: 'dev',
        context: SKIP_BUNDLING,
        service: { linkedinApiUrl: 'ftp://api.linkedin.com' },
      }),
    ).toThrow(/linkedinApiUrl must be an https base URL/);
    for (const metaGraphVersion of ['21.0', 'v21', 'v21.0/../me']) {
      expect(() => buildApp({ stage: 'dev', context: SKIP_BUNDLING, service: { metaGraphVersion } })).toThrow(
        /metaGraphVersion must look like v21.0/,
      );
    }
  });

  it('takes the pace of send-email from its props: batch size, maximum and (opt-in) reserved concurrency', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: {
        emailSending: { batchSize: 8, maxConcurrency: 4, reservedConcurrency: 6 },
        accountConcurrency: 1000,
      },
    });
    const template = Template.fromStack(service);
    const fn = logicalIdOf(service.functions.sendEmail.function);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn },
      BatchSize: 8,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    expect(resourceOf(template, fn).Properties.ReservedConcurrentExecutions).toBe(6);
    // tick follows the pace: 300 jobs a minute per invocation in flight, whatever the batch size.
    expect(resourceOf(template, logicalIdOf(service.functions.tick.function)).Properties).toMatchObject({
      Environment: { Variables: { LEADFLOW_NURTURE_MAX_PER_TICK: '1200' } },
    });
  });

  it('reserves nothing when only maxConcurrency is given: the event source holds the pace', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: { emailSending: { maxConcurrency: 3 } },
    });
    const template = Template.fromStack(service);
    const fn = logicalIdOf(service.functions.sendEmail.function);
    expect(resourceOf(template, fn).Properties.ReservedConcurrentExecutions).toBeUndefined();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn },
      ScalingConfig: { MaximumConcurrency: 3 },
    });
  });

  it('refuses a reservation without the account quota, or one that leaves less than 100 executions unreserved', () => {
    const reserving = (accountConcurrency?: number) => () =>
      buildApp({
        stage: 'dev',
        context: SKIP_BUNDLING,
        service: {
          emailSending: { reservedConcurrency: 2 },
          ...(accountConcurrency !== undefined && { accountConcurrency }),
        },
      });
    expect(reserving()).toThrow(
      /reserves concurrency \(send-email 2\) but accountConcurrency is not set: give the account's Lambda concurrency quota/,
    );
    // A fresh account: a quota of 10 can reserve nothing.
    expect(reserving(10)).toThrow(
      /reserves 2 concurrent executions \(send-email 2\), but the account's quota of 10 must keep 100 unreserved: at most 0 can be reserved/,
    );
    expect(reserving(101)).toThrow(/quota of 101 must keep 100 unreserved: at most 1 can be reserved/);
    expect(reserving(102)).not.toThrow();
  });

  it('refuses a pace SQS or Lambda would reject, or reserved concurrency below what the event source may use', () => {
    for (const [emailSending, error] of [
      [{ batchSize: 0 }, /batchSize must be an integer from 1 to 10/],
      [{ batchSize: 11 }, /batchSize must be an integer from 1 to 10/],
      [{ maxConcurrency: 1 }, /maxConcurrency must be an integer from 2 to 1000/],
      [{ maxConcurrency: 2.5 }, /maxConcurrency must be an integer from 2 to 1000/],
      [
        { maxConcurrency: 4, reservedConcurrency: 3 },
        /reservedConcurrency must be an integer of at least maxConcurrency \(4\)/,
      ],
    ] as const) {
      expect(() =>
        buildApp({
          stage: 'dev',
          context: SKIP_BUNDLING,
          service: { emailSending, accountConcurrency: 1000 },
        }),
      ).toThrow(error);
    }
  });

  it('refuses stage throttling API Gateway would reject', () => {
    for (const [throttle, error] of [
      [{ rateLimit: 0, burstLimit: 10 }, /throttle.rateLimit must be a positive number/],
      [
        { rateLimit: 10, burstLimit: 5 },
        /throttle.burstLimit must be a whole number of requests of at least the rate limit \(10\)/,
      ],
      [{ rateLimit: 10, burstLimit: 20.5 }, /throttle.burstLimit must be a whole number/],
    ] as const) {
      expect(() => buildApp({ stage: 'dev', context: SKIP_BUNDLING, service: { throttle } })).toThrow(error);
    }
  });

  it('points unsubscribe links at a public URL from its props (a custom domain), and refuses one that is not https', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      service: { publicUrl: 'https://api.leadflow.example' },
    });
    const template = Template.fromStack(service);
    // admin-nurture too (its previews sign real links); without the prop it has no LEADFLOW_PUBLIC_URL.
    for (const name of ['sendEmail', 'adminNurture'] as const) {
      const fn = resourceOf(template, logicalIdOf(service.functions[name].function));
      expect(fn.Properties.Environment, name).toMatchObject({
        Variables: { LEADFLOW_PUBLIC_URL: 'https://api.leadflow.example' },
      });
    }
    expect(() =>
      buildApp({
        stage: 'dev',
        context: SKIP_BUNDLING,
        service: { publicUrl: 'http://api.leadflow.example' },
      }),
    ).toThrow(/publicUrl must be an https base URL/);
  });

  it('lets send-email and admin-nurture send as the sender identity from the app props or the leadflow:senderIdentity context', () => {
    const identityIn = (service: LeadflowApp['service'], name: 'sendEmail' | 'adminNurture') =>
      JSON.stringify(
        statementsOfRole(Template.fromStack(service), logicalIdOf(service.functions[name].role)).find(
          (statement) => actionsOf(statement).includes('ses:SendEmail'),
        )?.Resource,
      );
    const fromProps = buildApp({
      stage: 'dev',
      context: SKIP_BUNDLING,
      senderIdentity: 'news@mail.example.com',
    });
    const fromContext = buildApp({
      stage: 'dev',
      context: { ...SKIP_BUNDLING, 'leadflow:senderIdentity': 'mail.example.com' },
    });
    for (const name of ['sendEmail', 'adminNurture'] as const) {
      expect(identityIn(fromProps.service, name)).toContain(':identity/news@mail.example.com"');
      expect(identityIn(fromContext.service, name)).toContain(':identity/mail.example.com"');
      expect(identityIn(fromContext.service, name)).not.toContain('leadflow.example');
    }
  });

  it('refuses a rate limit the function would reject at cold start', () => {
    expect(() =>
      buildApp({ stage: 'dev', context: SKIP_BUNDLING, service: { rateLimitPerIpPerMinute: 0 } }),
    ).toThrow(/rateLimitPerIpPerMinute must be a positive integer/);
  });
});
