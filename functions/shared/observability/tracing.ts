import type { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/**
 * X-Ray tracing with Powertools Tracer: under the segment Lambda opens for each invocation, a
 * subsegment for the handler and one per DynamoDB, SQS, SES and Secrets Manager call of the SDK
 * clients in shared/aws (and per outgoing HTTP request). Tracer, and the X-Ray SDK under it, are
 * imported dynamically: bundled, but evaluated only where they would trace — Powertools' own
 * rule: in Lambda (AWS_EXECUTION_ENV set, not SAM local), unless POWERTOOLS_TRACE_ENABLED is
 * `false`. Elsewhere (the local stack, tests, the CLI) they are never evaluated and no X-Ray
 * daemon is looked for; in Lambda the import starts at cold start.
 */
export function tracingWanted(vars: Record<string, string | undefined> = process.env): boolean {
  if (vars.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() === 'false') return false;
  return Boolean(vars.AWS_EXECUTION_ENV) && !vars.AWS_SAM_LOCAL;
}

const clients: unknown[] = [];
let tracer: Promise<Tracer | undefined> | undefined;
let loaded: Tracer | undefined;

/** The tracer (undefined where tracing is off), with every registered SDK client captured. */
export function loadTracer(): Promise<Tracer | undefined> {
  tracer ??= tracingWanted()
    ? import('@aws-lambda-powertools/tracer').then(({ Tracer }) => {
        loaded = new Tracer({ serviceName: 'leadflow' });
        for (const client of clients) loaded.captureAWSv3Client(client);
        return loaded;
      })
    : Promise.resolve(undefined);
  return tracer;
}

/**
 * Registers an AWS SDK v3 client for subsegments and returns it: captured when the tracer loads
 * (at once if it already has), never where tracing is off.
 */
export function traced<T>(client: T): T {
  clients.push(client);
  loaded?.captureAWSv3Client(client);
  return client;
}

/**
 * Powertools' middy tracer middleware (the handler's subsegment, cold-start and service
 * annotations, the error as metadata; not the response), behind the lazy load above: where
 * tracing is off, each phase is one resolved promise.
 */
export function tracing<E, R>(): MiddlewareObj<E, R> {
  let inner: MiddlewareObj<E, R> | undefined;
  return {
    before: async (request) => {
      const current = await loadTracer();
      if (!current) return;
      // Never the handler's answer as trace metadata: it can carry a lead's personal data.
      inner ??= captureLambdaHandler(current, { captureResponse: false }) as MiddlewareObj<E, R>;
      await inner.before?.(request);
    },
    after: async (request) => {
      await inner?.after?.(request);
    },
    onError: async (request) => {
      await inner?.onError?.(request);
    },
  };
}

// In Lambda, start loading during the cold start instead of in the first invocation.
if (tracingWanted()) void loadTracer();
