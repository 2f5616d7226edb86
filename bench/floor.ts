import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocalStack } from '../functions/local/stack';
import { dynamo } from '../functions/shared/aws/dynamodb';
import { apiHop } from './ceiling';
import { combine, pool, warmUp } from './stats';

type Run = Awaited<ReturnType<typeof pool>>;

/**
 * Runs `task` against a bare PutItem floor on the same dynalite and a bare pass through the local
 * API (`apiHop`), in alternating rounds so drift in machine load hits all alike, counting the
 * handler's DynamoDB requests during the task.
 */
export async function againstPutFloor(
  stack: LocalStack,
  options: { rounds: number; puts: number; tasks: number; concurrency: number },
  task: (round: number, i: number) => Promise<void>,
) {
  const run = Date.now();
  const floors: Run[] = [];
  const hops: Run[] = [];
  const work: Run[] = [];
  let requests = 0;
  const counter = 'bench-count';
  // Every path warmed until its rate settles (stats.ts warmUp): the floor's, the API hop's and the work's.
  await warmUp((i) => barePut(stack.tableName, `${run}#warm`, i), options.concurrency);
  await warmUp((i) => apiHop(stack, i), options.concurrency);
  await warmUp((i) => task(-1, i), options.concurrency);
  for (let round = 0; round < options.rounds; round += 1) {
    floors.push(
      await pool(options.puts, options.concurrency, (i) => barePut(stack.tableName, `${run}#${round}`, i)),
    );
    hops.push(await pool(options.puts, options.concurrency, (i) => apiHop(stack, i)));
    dynamo.middlewareStack.add(
      (next) => (args) => {
        requests += 1;
        return next(args);
      },
      { step: 'initialize', name: counter },
    );
    work.push(await pool(options.tasks, options.concurrency, (i) => task(round, i)));
    dynamo.middlewareStack.remove(counter);
  }
  return {
    floor: combine(floors),
    hop: combine(hops),
    work: combine(work),
    requestsPerTask: requests / (options.tasks * options.rounds),
  };
}

/** The floor's request: one small PutItem through the shared client (`tag` keeps runs and rounds apart). */
export async function barePut(table: string, tag: string, i: number): Promise<void> {
  await dynamo.send(
    new PutCommand({
      TableName: table,
      Item: { pk: `BENCH#${tag}#${i}`, sk: 'PUT', n: i, at: new Date().toISOString() },
    }),
  );
}
