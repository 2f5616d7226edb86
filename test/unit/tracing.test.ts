import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Tracer is loaded only where it would trace (Powertools' rule: in Lambda, unless
 * POWERTOOLS_TRACE_ENABLED=false); there it captures the shared SDK clients, so each DynamoDB,
 * SQS, SES and Secrets Manager call gets an X-Ray subsegment. No daemon is needed to check the
 * wiring: capturing only adds the X-Ray middleware to each client.
 */
const SAVED = { ...process.env };
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';

afterEach(() => {
  process.env = { ...SAVED };
  vi.resetModules();
});

async function loadWith(vars: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  process.env.AWS_REGION ??= 'eu-west-1';
  vi.resetModules();
  const tracing = await import('../../functions/shared/observability/tracing');
  const clients = {
    dynamodb: (await import('../../functions/shared/aws/dynamodb')).dynamo,
    sqs: (await import('../../functions/shared/aws/sqs')).sqs,
    ses: (await import('../../functions/shared/aws/ses')).ses,
    secretsManager: (await import('../../functions/shared/aws/secrets-manager')).secretsManager,
  };
  return { tracing, clients };
}

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) =>
  client.middlewareStack.identify().join(' ');

describe('X-Ray tracing (Powertools Tracer)', () => {
  it('in Lambda, captures the DynamoDB, SQS, SES and Secrets Manager clients', async () => {
    const { tracing, clients } = await loadWith({
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      POWERTOOLS_TRACE_ENABLED: undefined,
      AWS_SAM_LOCAL: undefined,
    });
    const tracer = await tracing.loadTracer();
    expect(tracer?.isTracingEnabled()).toBe(true);
    for (const client of Object.values(clients)) expect(middlewareNames(client)).toContain(XRAY_MIDDLEWARE);
  });

  it('with POWERTOOLS_TRACE_ENABLED=false, or outside Lambda, loads no tracer and captures nothing', async () => {
    for (const vars of [
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', POWERTOOLS_TRACE_ENABLED: 'false' },
      { AWS_EXECUTION_ENV: undefined, POWERTOOLS_TRACE_ENABLED: undefined },
    ]) {
      const { tracing, clients } = await loadWith(vars);
      expect(await tracing.loadTracer()).toBeUndefined();
      for (const client of Object.values(clients))
        expect(middlewareNames(client)).not.toContain(XRAY_MIDDLEWARE);
    }
  });

  it('follows Powertools’ own rule for when to trace', async () => {
    const { tracing } = await loadWith({});
    expect(tracing.tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x' })).toBe(true);
    expect(
      tracing.tracingWanted({
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        POWERTOOLS_TRACE_ENABLED: 'FALSE',
      }),
    ).toBe(false);
    expect(tracing.tracingWanted({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x', AWS_SAM_LOCAL: 'true' })).toBe(
      false,
    );
    expect(tracing.tracingWanted({})).toBe(false);
  });
});
