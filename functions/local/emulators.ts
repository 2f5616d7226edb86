import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';

// aws-ses-v2-local is CommonJS with `exports.default`; require keeps that interop explicit.
const sesServer: (config: { host: string; port: number }) => Promise<Server> = createRequire(import.meta.url)(
  'aws-ses-v2-local',
).default;

export interface EmulatorPorts {
  dynamodb: number;
  sqs: number;
  ses: number;
}

export interface Emulators {
  endpoints: { dynamodb: string; sqs: string; ses: string };
  /** Sets the SDK's own service-endpoint variables, so unchanged handler code talks to the emulators. */
  applyToEnv(env?: NodeJS.ProcessEnv): void;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const url = (server: Server) => `http://${HOST}:${(server.address() as AddressInfo).port}`;

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function applyEndpoints(endpoints: Emulators['endpoints'], env: NodeJS.ProcessEnv): void {
  env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.dynamodb;
  env.AWS_ENDPOINT_URL_SQS = endpoints.sqs;
  env.AWS_ENDPOINT_URL_SESV2 = endpoints.ses;
  env.AWS_REGION ??= 'us-east-1';
  env.AWS_ACCESS_KEY_ID ??= 'local';
  env.AWS_SECRET_ACCESS_KEY ??= 'local';
}

/**
 * Starts dynalite, local-aws-sqs and aws-ses-v2-local in this process, bound to 127.0.0.1.
 * Port 0 picks a free port (the tests use that). `dataDir` persists DynamoDB between runs.
 */
export async function startEmulators(
  ports: EmulatorPorts,
  options: { dataDir?: string } = {},
): Promise<Emulators> {
  const dynamo: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    path: options.dataDir,
  });
  dynamo.listen(ports.dynamodb, HOST);
  await once(dynamo, 'listening');
  const sqs = await createSqsServer({
    port: ports.sqs,
    hostname: HOST,
    emulateQueueCreationLifecycle: false,
  });
  if (!sqs.listening) await once(sqs, 'listening');
  const ses = await sesServer({ host: HOST, port: ports.ses });
  const endpoints = { dynamodb: url(dynamo), sqs: url(sqs), ses: url(ses) };
  return {
    endpoints,
    applyToEnv: (env = process.env) => applyEndpoints(endpoints, env),
    async stop() {
      await Promise.all([closeServer(dynamo), closeServer(sqs), closeServer(ses)]);
    },
  };
}

/**
 * The same emulators in a child process (functions/local/emulators-child.ts), so DynamoDB, SQS
 * and SES do not share the CPU of the code that calls them — as on AWS, where they are services
 * apart from the function. The local stack and the benchmarks use this; the tests start the
 * emulators in their own process (one per test file already, started faster).
 */
export async function startEmulatorsApart(
  ports: EmulatorPorts,
  options: { dataDir?: string } = {},
): Promise<Emulators> {
  const child = fork(
    fileURLToPath(new URL('./emulators-child.ts', import.meta.url)),
    [JSON.stringify(ports), options.dataDir ?? ''],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // The child is TypeScript: under tsx (npm start, the benchmarks) it inherits tsx's loader.
      execArgv: process.execArgv.some((arg) => arg.includes('tsx'))
        ? process.execArgv
        : [...process.execArgv, '--import', 'tsx'],
    },
  );
  const exited = once(child, 'exit');
  const [message] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      throw new Error(`The emulators' process ended (exit code ${code}) before they were listening`);
    }),
  ])) as [{ endpoints: Emulators['endpoints'] }];
  const { endpoints } = message;
  return {
    endpoints,
    applyToEnv: (env = process.env) => applyEndpoints(endpoints, env),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send('stop');
      else child.kill();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
