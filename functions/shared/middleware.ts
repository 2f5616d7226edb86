import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { errorResponse, type HttpEvent, type HttpResult } from './http';
import { logger } from './logger';
import { metricsPublishing } from './observability/metrics';
import { tracing } from './observability/tracing';

/** Maps whatever a handler throws to the public error body; never rethrows, so no raw 5xx escapes. */
const errorBody = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async function mapError(request) {
    request.response = errorResponse(request.error);
  },
});

/**
 * The middy chain every HTTP handler shares: X-Ray tracing (outermost, where tracing is on), the
 * invocation's EMF counters published at its end, context-aware logger, then error mapping;
 * `extra` middlewares (e.g. a steady duration) run innermost-last, around the handler.
 */
export function httpHandler(
  handler: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  ...extra: MiddlewareObj<HttpEvent, HttpResult>[]
) {
  const chain = middy<HttpEvent, HttpResult>(handler)
    .use(tracing())
    .use(metricsPublishing())
    .use(injectLambdaContext(logger))
    .use(errorBody());
  for (const middleware of extra) chain.use(middleware);
  return chain;
}

/**
 * The chain of the queue, topic and schedule handlers: X-Ray tracing and the invocation's EMF
 * counters; errors pass through untouched (the event source retries). No early timeout (middy's
 * default): a job runs until Lambda's own timeout, as without middy.
 */
export function eventHandler<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const chain = middy<E, R>(handler, { timeoutEarlyInMillis: 0 }).use(tracing()).use(metricsPublishing());
  // Without a context (tests, scripts) middy passes an empty one, as before.
  return (event, context) => chain(event, context as Context);
}
