import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './api-gateway';

/** The handler entry (functions/handlers/<entry>.ts) whose invocation is running, as Lambda would tell them apart. */
const running = new AsyncLocalStorage<string>();
// Off until a test asks: AsyncLocalStorage's first run() turns on Node's promise hooks for the
// whole process (~2-3% of the local stack's CPU under load), which Lambda does not pay.
let naming = false;

/** From now on, every invocation's entry is known to whatever runs during it (`runningEntry`). */
export function nameInvocations() {
  naming = true;
}

/**
 * Invokes a handler as its own Lambda function would be: with a context naming it, and with the
 * entry's name known to whatever runs during the call (the shared AWS clients' middleware, say),
 * so a test can tell which function made each AWS call (test/fixtures/aws-calls.ts).
 */
export function invokeLocally<E, R>(
  entry: string,
  handler: (event: E, context: Context) => Promise<R>,
  event: E,
): Promise<R> {
  const invoke = () => handler(event, lambdaContext(entry));
  return naming ? running.run(entry, invoke) : invoke();
}

/** The handler entry running now, or undefined outside an invocation (the stack's own calls) or before `nameInvocations`. */
export const runningEntry = (): string | undefined => running.getStore();
