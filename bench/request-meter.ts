type Client = {
  middlewareStack: {
    add: (mw: never, options: { step: 'initialize'; name: string }) => void;
    remove: (name: string) => boolean;
  };
};

export interface RequestCount {
  dynamo: number;
  /** Requests naming the one queue watched (the queue pollers' long polls on other queues are not counted). */
  queue: number;
}

/**
 * Counts the requests the handlers make on the shared DynamoDB and SQS clients while a piece of
 * work runs (the bench's stack runs no tick meanwhile, so all of them are the handlers').
 */
export function meterRequests(dynamo: Client, sqs: Client, queueUrl: string) {
  let current: RequestCount | undefined;
  const name = 'bench-request-meter';
  dynamo.middlewareStack.add(
    ((next: (a: unknown) => Promise<unknown>) => (args: unknown) => {
      if (current) current.dynamo += 1;
      return next(args);
    }) as never,
    { step: 'initialize', name },
  );
  sqs.middlewareStack.add(
    ((next: (a: { input: { QueueUrl?: string } }) => Promise<unknown>) =>
      (args: { input: { QueueUrl?: string } }) => {
        if (current && args.input.QueueUrl === queueUrl) current.queue += 1;
        return next(args);
      }) as never,
    { step: 'initialize', name },
  );
  return {
    none: (): RequestCount => ({ dynamo: 0, queue: 0 }),
    /** Runs `work`, adding the requests made meanwhile to `into`. */
    async during<T>(into: RequestCount, work: () => Promise<T>): Promise<T> {
      current = into;
      try {
        return await work();
      } finally {
        current = undefined;
      }
    },
    stop() {
      dynamo.middlewareStack.remove(name);
      sqs.middlewareStack.remove(name);
    },
  };
}
