import { readFileSync } from 'node:fs';
import { App, type AppProps, type Environment, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import { ServiceStack, type ServiceStackProps } from './stacks/service-stack';
import { StatefulStack, type StatefulStackProps } from './stacks/stateful-stack';

export interface BuildAppProps {
  /** Overrides the `stage` context and the LEADFLOW_STAGE variable. @default 'dev' */
  readonly stage?: string;
  /** Extra app context (tests use it to skip bundling, for instance). */
  readonly context?: AppProps['context'];
  readonly outdir?: string;
  /** @default account and region from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, when set */
  readonly env?: Environment;
  readonly service?: Pick<
    ServiceStackProps,
    | 'throttle'
    | 'rateLimitPerIpPerMinute'
    | 'rateLimitPerEmailPerMinute'
    | 'claimWindowSeconds'
    | 'metaGraphUrl'
    | 'metaGraphVersion'
    | 'linkedinApiUrl'
    | 'publicUrl'
    | 'emailSending'
  >;
  readonly stateful?: Pick<StatefulStackProps, 'hotLeadMaxReceiveCount'>;
  /**
   * The SES identity (domain or address) nurture e-mail is sent from. Overrides the
   * `leadflow:senderIdentity` context. @default the domain of `sender.email` in config/settings.yaml
   */
  readonly senderIdentity?: string;
}

/** The context key operators set the sender identity with: `cdk deploy -c leadflow:senderIdentity=example.com`. */
export const SENDER_IDENTITY_CONTEXT = 'leadflow:senderIdentity';

const SETTINGS_FILE = new URL('../config/settings.yaml', import.meta.url);

export interface LeadflowApp {
  readonly app: App;
  readonly stage: string;
  readonly stateful: StatefulStack;
  readonly service: ServiceStack;
}

/**
 * Builds the Leadflow CDK app without synthesizing it, so tests can inspect it. cdk-nag
 * (AwsSolutions) runs as a validation plugin: an unacknowledged finding fails `synth`.
 */
export function buildApp(props: BuildAppProps = {}): LeadflowApp {
  const app = new App({
    ...(props.context && { context: props.context }),
    ...(props.outdir && { outdir: props.outdir }),
  });
  const stage = resolveStage(props.stage ?? app.node.tryGetContext('stage') ?? process.env.LEADFLOW_STAGE);
  // dev deployments are throwaway; every other stage keeps its data and logs.
  const isDev = stage === 'dev';
  const env = props.env ?? defaultEnv();

  const stateful = new StatefulStack(app, 'LeadflowStateful', {
    ...(env && { env }),
    ...props.stateful,
    description: `Leadflow (${stage}): table, queues, topics, secrets and SES configuration set`,
    protectData: !isDev,
    senderIdentity:
      props.senderIdentity ?? app.node.tryGetContext(SENDER_IDENTITY_CONTEXT) ?? defaultSenderIdentity(),
  });
  const service = new ServiceStack(app, 'LeadflowService', {
    ...(env && { env }),
    ...props.service,
    description: `Leadflow (${stage}): functions, HTTP API and schedules`,
    table: stateful.table,
    rescoreQueue: stateful.rescoreQueue.queue,
    hotLeadQueue: stateful.hotLeadQueue.queue,
    adLeadQueue: stateful.adLeadQueue.queue,
    emailJobQueue: stateful.emailJobQueue.queue,
    webhookSecrets: stateful.webhookSecrets,
    signingSecrets: stateful.signingSecrets,
    identityKey: stateful.identityKey,
    sesEventsTopic: stateful.sesEvents.topic,
    sesEventsDeadLetterQueue: stateful.sesEvents.deadLetterQueue,
    configurationSet: stateful.sesEvents.configurationSet,
    senderIdentityArn: stateful.senderIdentityArn,
    logRemovalPolicy: isDev ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });

  Tags.of(app).add('app', 'leadflow');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, stage, stateful, service };
}

function resolveStage(value: unknown): string {
  const stage = value ?? 'dev';
  if (typeof stage !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `stage must be a short lower-case name such as dev or prod, got ${JSON.stringify(stage)}`,
    );
  }
  return stage;
}

/**
 * The domain of the sender address in config/settings.yaml (`hello@leadflow.example` ->
 * `leadflow.example`): a verified domain lets SES send as any address in it, so a marketer who
 * changes the local part needs no redeploy.
 */
function defaultSenderIdentity(): string {
  const settings = parse(readFileSync(SETTINGS_FILE, 'utf8')) as { sender?: { email?: unknown } } | null;
  const email = settings?.sender?.email;
  const domain = typeof email === 'string' ? email.split('@')[1] : undefined;
  if (!domain) {
    throw new Error(
      `config/settings.yaml has no sender.email address to send from; set it, or the ${SENDER_IDENTITY_CONTEXT} context`,
    );
  }
  return domain;
}

/** Offline synth must not need credentials: env is set only from what the CLI provides. */
function defaultEnv(): Environment | undefined {
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  if (!account && !region) return undefined;
  return { ...(account && { account }), ...(region && { region }) };
}
