import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { NURTURE_CONFIG_ID } from '../adapters/dynamodb/nurture-configs';
import { SCORING_MODEL_ID } from '../adapters/dynamodb/scoring-models';
import { DynamoTokenStore } from '../adapters/dynamodb/token-store';
import { ConfigError, readForms, readNurtureConfig, readScoringModel } from '../adapters/files/config-dir';
import type { Form } from '../core/capture/form';
import { ROLES, type Role } from '../core/kernel/auth';
import { doubleOptInProblems } from '../core/nurture/confirmation';
import { ses } from '../shared/aws/ses';
import * as env from '../shared/env-names';
import { type HandlerName, QUEUE_CONSUMERS, queueUrlEnv, SCHEDULED, SNS_CONSUMERS } from '../shared/routes';
import { demoPage, thanksPage } from './demo-page';
import { startEmulators, startEmulatorsApart } from './emulators';
import { localIdentityKey } from './identity-key';
import { importUploadRoute } from './import-upload';
import { invokeLocally } from './invocation';
import { type LocalOidc, startLocalOidc } from './oidc/provider';
import { pollQueue, type QueueHandler } from './queue-poller';
import { createQueues, createTable } from './resources';
import { createApiServer, type HandlerLoader } from './server';
import { localEngagement } from './ses-engagement';
import { sesEventsEmulator } from './ses-events-emulator';
import { LocalSesTracking } from './ses-tracking';

export interface LocalStackOptions {
  apiPort: number;
  dynamodbPort: number;
  sqsPort: number;
  sesPort: number;
  /** The local OpenID provider people sign in at (127.0.0.1); 0 or unset picks a free port. */
  authPort?: number;
  configDir: string;
  dataDir?: string;
  tableName?: string;
  tokens?: Partial<Record<Role, string>>;
  rateLimits?: { perIpPerMinute?: number; perEmailPerMinute?: number };
  /** How often the local tick runs (default 3 s). */
  tickSeconds?: number;
  /** Raw timeline events are archived here in the S3 bucket's layout (`--events-dir`); none when unset. */
  eventsDir?: string;
  /**
   * Where the emulators run: `apart`, a child process of their own (`npm start`, the benchmarks:
   * DynamoDB's work is not on the handlers' CPU, as on AWS), or `inline`, this process (the
   * tests' in-process stacks; the default).
   */
  emulators?: 'apart' | 'inline';
}

export interface LocalStack {
  apiUrl: string;
  mailboxUrl: string;
  endpoints: { dynamodb: string; sqs: string; ses: string };
  tableName: string;
  tokens: Record<Role, string>;
  /**
   * Signed-in people: the local OpenID provider (issuer, the console's client id) and its seeded
   * people with their passwords (the same across restarts with a data dir).
   */
  auth: { issuer: string; clientId: string; users: LocalOidc['users'] };
  forms: Form[];
  queues: Record<string, string>;
  /** Resolves once `rounds` whole tick rounds (tick, then the SES events) that began after the call have ended. */
  afterTicks(rounds?: number): Promise<void>;
  stop(): Promise<void>;
}

/** The variable a fixed dev token is read from: sales-manager → LEADFLOW_DEV_TOKEN_SALES_MANAGER. */
export const devTokenEnv = (role: Role) => `LEADFLOW_DEV_TOKEN_${role.toUpperCase().replace(/-/g, '_')}`;

/**
 * Fixed dev tokens must be API tokens the API accepts (16 to 256 characters, no spaces; the longer
 * bearer tokens functions/core/kernel/auth.ts allows are signed-in people's JWTs); anything else would be printed and then refused with 401 on every
 * call. One line per refused token, naming its variable and the rule (the token itself is not shown).
 */
export function devTokenProblems(tokens: Partial<Record<Role, string>> | undefined): string[] {
  return Object.entries(tokens ?? {})
    .filter(([, token]) => token !== undefined && !/^\S{16,256}$/.test(token))
    .map(
      ([role, token]) =>
        `${devTokenEnv(role as Role)} must be 16 to 256 characters with no spaces ` +
        `(the API refuses shorter bearer tokens); it has ${token?.length ?? 0}`,
    );
}

/**
 * The whole pipeline on one machine: emulators, table and queues, config loaded, one token
 * per role, and the local API Gateway invoking the real handlers.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const tokenProblems = devTokenProblems(options.tokens);
  if (tokenProblems.length > 0) throw new Error(tokenProblems.join('\n'));
  const tableName = options.tableName ?? 'leadflow-local';
  const emulators = await (options.emulators === 'apart' ? startEmulatorsApart : startEmulators)(
    { dynamodb: options.dynamodbPort, sqs: options.sqsPort, ses: options.sesPort },
    { dataDir: options.dataDir },
  );
  let oidc: LocalOidc | undefined;
  try {
    emulators.applyToEnv();
    process.env[env.TABLE_NAME_ENV] = tableName;
    if (options.rateLimits?.perIpPerMinute) {
      process.env[env.RATE_LIMIT_PER_IP_PER_MIN_ENV] = String(options.rateLimits.perIpPerMinute);
    }
    if (options.rateLimits?.perEmailPerMinute) {
      process.env[env.RATE_LIMIT_PER_EMAIL_PER_MIN_ENV] = String(options.rateLimits.perEmailPerMinute);
    }
    process.env[env.IDENTITY_KEY_ENV] = await localIdentityKey(options.dataDir);
    // Unsubscribe links are signed with this key; a fresh one per start unless given (links die with it).
    process.env[env.UNSUBSCRIBE_KEY_ENV] ??= randomBytes(32).toString('base64url');
    // Config changes show at once locally; on AWS the cache keeps config reads off the hot path.
    process.env[env.CONFIG_CACHE_SECONDS_ENV] ??= '2';
    // Required to send (on AWS it routes bounces and complaints to ses-events); the SES emulator
    // takes any name, and the local stack turns stored mail into SES events itself.
    process.env[env.SES_CONFIGURATION_SET_ENV] ??= 'leadflow-local';
    // Large lead exports (an S3 bucket on AWS): under the data folder, else a folder of this run.
    process.env[env.EXPORTS_DIR_ENV] ??= join(
      options.dataDir ?? join(tmpdir(), `leadflow-${process.pid}`),
      'exports',
    );
    // The report aggregator (tick) archives each batch of timeline entries here, as S3 would get them.
    if (options.eventsDir) process.env[env.EVENTS_DIR_ENV] = options.eventsDir;
    // Outbound webhooks may go to a receiver on this machine (http://127.0.0.1:<port> only); never on AWS.
    process.env[env.WEBHOOKS_ALLOW_LOCAL_HTTP_ENV] ??= 'true';

    const ddb = new DynamoDBClient({});
    const sqs = new SQSClient({});
    await createTable(ddb, tableName);
    const queues = await createQueues(sqs, 'leadflow-');
    for (const [name, url] of Object.entries(queues)) process.env[queueUrlEnv(name)] = url;
    const pollers: { stop(): Promise<void> }[] = [];
    const db = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });

    // The queue-driven handlers, fed by the same SQS event shape Lambda's event source mapping builds.
    for (const { queue, handler } of QUEUE_CONSUMERS) {
      const url = queues[queue];
      if (url) {
        pollers.push(pollQueue(sqs, url, handler, () => loadQueueHandler(handler)));
      }
    }

    // tick: EventBridge rate(1 minute) on AWS; here every few seconds, never two runs at once.
    process.env[env.HANDOFF_RESEND_AFTER_SECONDS_ENV] ??= '5';
    // A lost email job is queued again after this lease (15 minutes on AWS).
    process.env[env.NURTURE_LEASE_SECONDS_ENV] ??= '30';
    const tickMs = (options.tickSeconds ?? 3) * 1000;
    // SES event publishing (configuration set → SNS → ses-events on AWS): after each tick, the
    // mail stored since the last one gets the events the SES mailbox simulator would publish.
    // aws-ses-v2-local keeps no tags and tracks nothing: the stack remembers the tags of each send
    // and tracks opens and clicks of marketing mail itself (ses-tracking.ts, ses-engagement.ts).
    const tracking = new LocalSesTracking(() => process.env[env.PUBLIC_URL_ENV] ?? 'http://localhost:3000');
    tracking.install(ses);
    const deliverSesEvent = async (event: SNSEvent) => {
      for (const { handler } of SNS_CONSUMERS.filter((c) => c.topic === 'ses-events')) {
        const module = await import(`../handlers/${handler}.ts`);
        await invokeLocally(handler, module.handler, event);
      }
    };
    const sesEvents = sesEventsEmulator(emulators.endpoints.ses, deliverSesEvent, undefined, (id) =>
      tracking.tagsOf(id),
    );
    const engagement = localEngagement(emulators.endpoints.ses, tracking, deliverSesEvent);
    let ticking = false;
    let rounds = 0;
    const roundWaiters: { round: number; resolve: () => void }[] = [];
    const ticker = setInterval(async () => {
      if (ticking) return;
      ticking = true;
      try {
        for (const { handler } of SCHEDULED) {
          const module = await import(`../handlers/${handler}.ts`);
          await invokeLocally(handler, module.handler, {
            source: 'aws.events',
            'detail-type': 'Scheduled Event',
          });
        }
      } catch (error) {
        console.error('local tick failed:', error instanceof Error ? error.message : error);
      }
      try {
        await sesEvents.poll();
      } catch (error) {
        console.error('local SES events failed:', error instanceof Error ? error.message : error);
      } finally {
        ticking = false;
        rounds += 1;
        for (const waiter of roundWaiters.filter((w) => w.round <= rounds)) {
          roundWaiters.splice(roundWaiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    }, tickMs);

    // Local-only routes: SES open/click tracking, and the upload link of CSV lead imports (S3 on AWS).
    const upload = importUploadRoute(join(process.env[env.EXPORTS_DIR_ENV] ?? '', 'imports'));
    const server = createApiServer(
      loadHandler,
      (url) => pages(url),
      async (method, url, body) => (await engagement.answer(method, url, body)) ?? upload(method, url, body),
    );
    server.listen(options.apiPort, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const apiUrl = `http://localhost:${port}`;
    // Unsubscribe links in nurture email point at this server.
    process.env[env.PUBLIC_URL_ENV] = apiUrl;
    // The console is served by this server under both names of this machine.
    const localOrigins = [apiUrl, `http://127.0.0.1:${port}`];

    // People sign in to the console at the local OpenID provider; the API accepts its access tokens.
    oidc = await startLocalOidc({
      port: options.authPort ?? 0,
      redirectUris: localOrigins.map((origin) => `${origin}/console/callback`),
      postLogoutRedirectUris: localOrigins.map((origin) => `${origin}/console/`),
      dataDir: options.dataDir,
    });
    process.env[env.AUTH_ISSUER_ENV] = oidc.issuer;
    process.env[env.AUTH_JWKS_URI_ENV] = oidc.jwksUri;
    process.env[env.AUTH_CLIENT_ID_ENV] = oidc.clientId;

    // The demo page is served by this server, so each form also accepts this server's own origin.
    const forms = (await readForms(options.configDir)).map((form) => ({
      ...form,
      allowedOrigins: [...new Set([...form.allowedOrigins, ...localOrigins])],
      thankYouUrl: form.thankYouUrl.replace('http://localhost:3000', apiUrl),
    }));
    const nurture = await readNurtureConfig(options.configDir);
    const optInProblems = doubleOptInProblems(forms, nurture?.config);
    if (optInProblems.length > 0) throw new ConfigError(join(options.configDir, 'forms'), optInProblems);
    const config = new DynamoConfigStore(db, tableName);
    // Versions published from config/ at start record this as who added and activated them.
    const by = { name: 'leadflow local stack (config/)' };
    for (const form of forms) await config.publish('form', form.id, form, new Date(), by);
    const scoring = await readScoringModel(options.configDir);
    if (scoring) {
      for (const warning of scoring.warnings) console.warn(`warning: ${warning}`);
      await config.publish('scoring', SCORING_MODEL_ID, scoring.model, new Date(), by);
    }
    if (nurture) {
      for (const warning of nurture.warnings) console.warn(`warning: ${warning}`);
      await config.publish('nurture', NURTURE_CONFIG_ID, nurture.config, new Date(), by);
    }

    const tokenStore = new DynamoTokenStore(db, tableName);
    const tokens = {} as Record<Role, string>;
    for (const role of ROLES) {
      tokens[role] = await tokenStore.create(role, `local ${role}`, options.tokens?.[role]);
    }

    function pages(url: URL) {
      if (url.pathname === '/')
        return { contentType: 'text/html; charset=utf-8', body: demoPage(forms, apiUrl, url.searchParams) };
      if (url.pathname === '/thanks') {
        const formId = url.searchParams.get('form');
        const doubleOptIn = forms.find((f) => f.id === formId)?.consent?.doubleOptIn === true;
        return { contentType: 'text/html; charset=utf-8', body: thanksPage(formId, doubleOptIn) };
      }
      return undefined;
    }

    return {
      apiUrl,
      mailboxUrl: emulators.endpoints.ses,
      endpoints: emulators.endpoints,
      tableName,
      tokens,
      auth: { issuer: oidc.issuer, clientId: oidc.clientId, users: oidc.users },
      forms,
      queues,
      afterTicks(count = 1) {
        // A round already running began before the call: it does not count.
        const round = rounds + count + (ticking ? 1 : 0);
        return new Promise<void>((resolve) => roundWaiters.push({ round, resolve }));
      },
      async stop() {
        clearInterval(ticker);
        tracking.uninstall(ses);
        while (ticking) await new Promise((resolve) => setTimeout(resolve, 20));
        await Promise.all(pollers.map((p) => p.stop()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await oidc?.stop();
        ddb.destroy();
        sqs.destroy();
        await emulators.stop();
      },
    };
  } catch (error) {
    await oidc?.stop();
    await emulators.stop();
    throw error;
  }
}

const loadQueueHandler = async (name: string): Promise<QueueHandler> => {
  const module = await import(`../handlers/${name}.ts`);
  return module.handler;
};

/** Handlers are imported after the env is set, exactly as a Lambda cold start reads it. */
const loadHandler: HandlerLoader = async (name: HandlerName) => {
  const module = await import(`../handlers/${name}.ts`);
  return module.handler;
};
