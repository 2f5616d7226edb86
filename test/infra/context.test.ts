import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { CONTEXT } from '../../infra/context';
import { logicalIdOf, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

/** A dev app built with `-c key=value` pairs, as the CDK CLI passes them: strings. */
const withContext = (context: Record<string, unknown>) =>
  buildApp({ stage: 'dev', context: { ...SKIP_BUNDLING, ...context } });

describe('operator settings as context', SYNTH_TIMEOUT, () => {
  it('takes every tunable service setting from leadflow:* context strings', () => {
    const { service } = withContext({
      'leadflow:publicUrl': 'https://go.acme-widgets.com',
      'leadflow:throttleRateLimit': '20',
      'leadflow:throttleBurstLimit': '40',
      'leadflow:rateLimitPerIpPerMinute': '12',
      'leadflow:rateLimitPerEmailPerMinute': '3',
      'leadflow:claimWindowSeconds': '900',
      'leadflow:metaGraphUrl': 'https://graph.staging.acme-widgets.com',
      'leadflow:metaGraphVersion': 'v23.0',
      'leadflow:linkedinApiUrl': 'https://linkedin.staging.acme-widgets.com',
      'leadflow:emailBatchSize': '10',
      'leadflow:emailMaxConcurrency': '4',
    });
    const template = Template.fromStack(service);
    const variables = (name: keyof typeof service.functions) =>
      (
        resourceOf(template, logicalIdOf(service.functions[name].function)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;

    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    expect(variables('formSubmission')).toMatchObject({
      LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '12',
      LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '3',
    });
    expect(variables('sales')).toMatchObject({ LEADFLOW_CLAIM_WINDOW_SECONDS: '900' });
    expect(variables('sendEmail')).toMatchObject({ LEADFLOW_PUBLIC_URL: 'https://go.acme-widgets.com' });
    // The forms admin's embed snippet posts to the public URL too.
    expect(variables('adminForms')).toMatchObject({ LEADFLOW_PUBLIC_URL: 'https://go.acme-widgets.com' });
    expect(JSON.stringify(variables('adLeads'))).toContain('https://graph.staging.acme-widgets.com');
    expect(JSON.stringify(variables('adLeads'))).toContain('v23.0');
    expect(JSON.stringify(variables('adLeads'))).toContain('https://linkedin.staging.acme-widgets.com');
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalIdOf(service.functions.sendEmail.function) },
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
  });

  it('takes numbers from cdk.json as numbers, and the hot-lead receive count for the stateful stack', () => {
    const { stateful, service } = withContext({
      'leadflow:hotLeadMaxReceiveCount': 3,
      'leadflow:rateLimitPerIpPerMinute': 45,
    });
    expect(
      resourceOf(Template.fromStack(stateful), logicalIdOf(stateful.hotLeadQueue.queue)).Properties
        .RedrivePolicy,
    ).toMatchObject({ maxReceiveCount: 3 });
    expect(
      resourceOf(Template.fromStack(service), logicalIdOf(service.functions.formSubmission.function))
        .Properties.Environment,
    ).toMatchObject({ Variables: { LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '45' } });
  });

  it('lets app props win over context, prop by prop', () => {
    const { service } = buildApp({
      stage: 'dev',
      context: {
        ...SKIP_BUNDLING,
        'leadflow:claimWindowSeconds': '900',
        'leadflow:rateLimitPerIpPerMinute': '12',
      },
      service: { claimWindowSeconds: 60 },
    });
    const template = Template.fromStack(service);
    expect(
      resourceOf(template, logicalIdOf(service.functions.sales.function)).Properties.Environment,
    ).toMatchObject({
      Variables: { LEADFLOW_CLAIM_WINDOW_SECONDS: '60' },
    });
    expect(
      resourceOf(template, logicalIdOf(service.functions.formSubmission.function)).Properties.Environment,
    ).toMatchObject({ Variables: { LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '12' } });
  });

  it('reserves concurrency for send-email only when asked, and checks it against the account quota given', () => {
    const reserved = (context: Record<string, unknown>) => {
      const { service } = withContext(context);
      return resourceOf(Template.fromStack(service), logicalIdOf(service.functions.sendEmail.function))
        .Properties.ReservedConcurrentExecutions;
    };
    expect(reserved({})).toBeUndefined();
    expect(reserved({ 'leadflow:reserveConcurrency': 'false' })).toBeUndefined();
    // true reserves what the event source may use.
    expect(
      reserved({
        'leadflow:reserveConcurrency': 'true',
        'leadflow:emailMaxConcurrency': '3',
        'leadflow:accountConcurrency': '1000',
      }),
    ).toBe(3);
    expect(reserved({ 'leadflow:reserveConcurrency': '5', 'leadflow:accountConcurrency': '1000' })).toBe(5);
    expect(() => withContext({ 'leadflow:reserveConcurrency': 'true' })).toThrow(
      /reserves concurrency \(send-email 2\) but accountConcurrency is not set/,
    );
    expect(() =>
      withContext({ 'leadflow:reserveConcurrency': 'true', 'leadflow:accountConcurrency': '10' }),
    ).toThrow(/the account's quota of 10 must keep 100 unreserved: at most 0 can be reserved/);
  });

  it('names the context key of a value of the wrong type', () => {
    for (const [key, value, error] of [
      [
        CONTEXT.claimWindowSeconds,
        'half an hour',
        /context leadflow:claimWindowSeconds must be a number, got "half an hour"/,
      ],
      [CONTEXT.throttleRateLimit, true, /context leadflow:throttleRateLimit must be a number, got true/],
      [CONTEXT.publicUrl, '', /context leadflow:publicUrl must be a non-empty string/],
      [CONTEXT.metaGraphVersion, 21, /context leadflow:metaGraphVersion must be a non-empty string, got 21/],
      [
        CONTEXT.reserveConcurrency,
        'yes',
        /context leadflow:reserveConcurrency must be true, false or a whole number/,
      ],
    ] as const) {
      expect(() => withContext({ [key]: value }), key).toThrow(error);
    }
  });

  it('refuses out-of-range context values with the stack prop they set', () => {
    for (const [context, error] of [
      [{ 'leadflow:claimWindowSeconds': '50000' }, /claimWindowSeconds must be an integer from 1 to 43200/],
      [{ 'leadflow:emailBatchSize': '11' }, /emailSending.batchSize must be an integer from 1 to 10/],
      [{ 'leadflow:metaGraphUrl': 'http://graph.facebook.com' }, /metaGraphUrl must be an https base URL/],
      [{ 'leadflow:metaGraphVersion': '21' }, /metaGraphVersion must look like v21.0/],
      [
        { 'leadflow:throttleBurstLimit': '10' },
        /throttle.burstLimit must be a whole number of requests of at least the rate limit \(50\)/,
      ],
      [{ 'leadflow:hotLeadMaxReceiveCount': '0' }, /maxReceiveCount must be an integer from 1 to 1000/],
    ] as const) {
      expect(() => withContext(context), JSON.stringify(context)).toThrow(error);
    }
  });

  it('sets the operations alarm thresholds from context, one key each', () => {
    const { service } = withContext({
      'leadflow:sesBounceRatePercent': '3',
      'leadflow:apiP99LatencyMs': 2000,
      'leadflow:queueAgeMinutesByQueue': '{"email-jobs": 15}',
    });
    const template = Template.fromStack(service);
    const threshold = (alarm: IConstruct | undefined) => {
      if (!alarm) throw new Error('no such alarm');
      return resourceOf(template, logicalIdOf(alarm)).Properties.Threshold;
    };
    const { alarms } = service.operations;
    expect(threshold(alarms.sesBounceRate)).toBe(0.03);
    expect(threshold(alarms.sesComplaintRate)).toBe(0.0008);
    expect(threshold(alarms.apiLatencyP99)).toBe(2000);
    expect(threshold(alarms.queueAges['email-jobs'])).toBe(15 * 60);
    expect(threshold(alarms.queueAges['hot-leads'])).toBe(120 * 60);
    expect(threshold(alarms.queueAges['ad-leads'])).toBe(30 * 60);
  });

  it('refuses an alarm threshold out of range, or of an unknown queue, naming its context key', () => {
    expect(() => withContext({ 'leadflow:sesBounceRatePercent': '6' })).toThrow(
      /context leadflow:sesBounceRatePercent must be more than 0 and below 5 \(AWS reviews the account at 5% bounces\)/,
    );
    expect(() => withContext({ 'leadflow:scheduleFailedMinutesOf5': '6' })).toThrow(
      /context leadflow:scheduleFailedMinutesOf5 must be a whole number from 1 to 5/,
    );
    expect(() => withContext({ 'leadflow:api5xxPercent': 'lots' })).toThrow(
      /context leadflow:api5xxPercent must be a number, got "lots"/,
    );
    expect(() => withContext({ 'leadflow:queueAgeMinutesByQueue': '{"inbox": 3}' })).toThrow(
      /context leadflow:queueAgeMinutesByQueue must be a JSON object of queue names \(rescore-jobs, ad-leads, email-jobs, hot-leads, lead-exports, lead-imports, integration-deliveries\) to minutes/,
    );
    expect(() => withContext({ 'leadflow:queueAgeMinutesByQueue': '{"email-jobs": 0}' })).toThrow(
      /queueAgeMinutesByQueue.email-jobs must be a whole number of 1 or more, got 0/,
    );
  });

  it('has every context key documented in the table of docs/operations.md, and no other', () => {
    const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| `([a-zA-Z0-9:]+)` \|/gm)].map((match) => match[1]);
    expect(documented.sort()).toEqual(Object.values(CONTEXT).sort());
  });
});
