import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, type Environment, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parse } from 'yaml';
import { integrationsConfigJson } from './constructs/connectors';
import { CONSOLE_SCOPES } from './constructs/console-auth';
import { exportBucketName } from './constructs/lead-exports';
import { RESOURCE_PREFIX_CONTEXT } from './constructs/names';
import { PUBLIC_EDGE_CONTEXT } from './constructs/public-edge';
import {
  CONTEXT,
  type ContextServiceProps,
  servicePropsFromContext,
  statefulPropsFromContext,
  stringOf,
} from './context';
import { refusePlaceholders, THROWAWAY_STAGES } from './placeholders';
import { ServiceStack } from './stacks/service-stack';
import { StatefulStack, type StatefulStackProps } from './stacks/stateful-stack';

export interface BuildAppProps {
  /**
   * The stage (`dev`, `test`, `prod`, ...): overrides the `stage` context and the LEADFLOW_STAGE
   * variable. One of the three is required: there is no default stage.
   */
  readonly stage?: string;
  /** Extra app context (tests use it to skip bundling, for instance). */
  readonly context?: AppProps['context'];
  readonly outdir?: string;
  /** @default account and region from CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, when set */
  readonly env?: Environment;
  /** Overrides, prop by prop, what the `leadflow:*` context sets (infra/context.ts). */
  readonly service?: ContextServiceProps;
  readonly stateful?: Pick<StatefulStackProps, 'hotLeadMaxReceiveCount'>;
  /**
   * The SES identity (domain or address) nurture e-mail is sent from. Overrides the
   * `leadflow:senderIdentity` context. @default the domain of `sender.email` in the config's settings.yaml
   */
  readonly senderIdentity?: string;
  /**
   * The marketer config the stage goes live with (settings.yaml, forms/): a stage other than dev and
   * test refuses its sample values. Overrides the `leadflow:configDir` context. @default config/
   */
  readonly configDir?: string;
}

/** The context key operators set the sender identity with: `cdk deploy -c leadflow:senderIdentity=example.com`. */
export const SENDER_IDENTITY_CONTEXT = CONTEXT.senderIdentity;

const CONFIG_DIR = fileURLToPath(new URL('../config', import.meta.url));

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
  const stage = resolveStage(
    props.stage ?? app.node.tryGetContext(CONTEXT.stage) ?? process.env.LEADFLOW_STAGE,
  );
  // Every resource name carries the stage, so two stages can share an account and region.
  app.node.setContext(RESOURCE_PREFIX_CONTEXT, `leadflow-${stage}`);
  // Throwaway stages (dev, test) lose their data with the stack; every other one keeps it.
  const protect = !THROWAWAY_STAGES.includes(stage);
  const env = props.env ?? defaultEnv();
  const configDir = props.configDir ?? stringOf(app.node, CONTEXT.configDir) ?? CONFIG_DIR;
  const serviceProps = { ...servicePropsFromContext(app.node), ...props.service };
  const explicitIdentity = props.senderIdentity ?? stringOf(app.node, CONTEXT.senderIdentity);
  refusePlaceholders(stage, configDir, {
    ...(explicitIdentity !== undefined && { senderIdentity: explicitIdentity }),
    ...(serviceProps.publicUrl !== undefined && { publicUrl: serviceProps.publicUrl }),
  });

  const consoleProps = consoleFromContext(app, serviceProps.publicUrl);
  const stateful = new StatefulStack(app, 'LeadflowStateful', {
    ...(env && { env }),
    ...statefulPropsFromContext(app.node),
    ...props.stateful,
    stackName: `LeadflowStateful-${stage}`,
    terminationProtection: protect,
    description: `Leadflow (${stage}): table, queues, topics, secrets and SES configuration set`,
    protectData: protect,
    senderIdentity: explicitIdentity ?? defaultSenderIdentity(configDir),
    ...consoleProps,
  });
  const consoleAuth = stateful.consoleAuth;
  const service = new ServiceStack(app, 'LeadflowService', {
    ...(env && { env }),
    ...serviceProps,
    stackName: `LeadflowService-${stage}`,
    terminationProtection: protect,
    description: `Leadflow (${stage}): functions, HTTP API and schedules`,
    table: stateful.table,
    rescoreQueue: stateful.rescoreQueue.queue,
    hotLeadQueue: stateful.hotLeadQueue.queue,
    adLeadQueue: stateful.adLeadQueue.queue,
    emailJobQueue: stateful.emailJobQueue.queue,
    exportQueue: stateful.leadExports.queue.queue,
    exportBucketName: exportBucketName(stateful),
    importQueue: stateful.leadExports.importQueue.queue,
    deliveryQueue: stateful.integrationDeliveries.queue.queue,
    deliveryDeadLetterQueue: stateful.integrationDeliveries.queue.deadLetterQueue,
    webhookSecrets: stateful.webhookSecrets,
    integrationSecrets: stateful.integrationSecrets,
    integrationsConfig: integrationsConfigJson(configDir),
    signingSecrets: stateful.signingSecrets,
    identityKey: stateful.identityKey,
    sesEventsTopic: stateful.sesEvents.topic,
    sesEventsDeadLetterQueue: stateful.sesEvents.deadLetterQueue,
    configurationSet: stateful.sesEvents.configurationSet,
    transactionalConfigurationSet: stateful.transactionalConfigurationSet.configurationSet,
    operatorsTopic: stateful.operatorsTopic.topic,
    senderIdentityArn: stateful.senderIdentityArn,
    logRemovalPolicy: protect ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    ...(consoleAuth && {
      userPool: {
        userPoolId: consoleAuth.userPool.userPoolId,
        clientId: consoleAuth.client.userPoolClientId,
        preToken: consoleAuth.preToken,
      },
    }),
    // The console is hosted beside the API when the public edge is on (ServiceStack.hostConsole).
    ...(consoleAuth &&
      consoleProps.consoleUrl !== undefined && {
        console: {
          url: consoleProps.consoleUrl,
          signIn: {
            issuer: consoleAuth.issuer,
            clientId: consoleAuth.client.userPoolClientId,
            domainUrl: consoleAuth.domain.baseUrl(),
            scopes: CONSOLE_SCOPES,
          },
        },
      }),
  });

  Tags.of(app).add('app', 'leadflow');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  return { app, stage, stateful, service };
}

/**
 * The console's sign-in settings: its URL is the public URL (`leadflow:publicUrl`), else the custom
 * domain (`leadflow:domainName`); without either there is no user pool (API tokens only).
 */
function consoleFromContext(
  app: App,
  publicUrl: string | undefined,
): Pick<StatefulStackProps, 'consoleUrl' | 'consoleDomainPrefix' | 'consoleMfa'> {
  const domainName = stringOf(app.node, PUBLIC_EDGE_CONTEXT.domainName);
  const consoleUrl = publicUrl ?? (domainName === undefined ? undefined : `https://${domainName}`);
  const prefix = stringOf(app.node, CONTEXT.consoleDomainPrefix);
  if (prefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    throw new Error(
      `context ${CONTEXT.consoleDomainPrefix} must be 1 to 63 lower-case letters, digits and dashes, got "${prefix}"`,
    );
  }
  const mfa = stringOf(app.node, CONTEXT.consoleMfa);
  if (mfa !== undefined && mfa !== 'optional' && mfa !== 'required') {
    throw new Error(`context ${CONTEXT.consoleMfa} must be optional or required, got "${mfa}"`);
  }
  return {
    ...(consoleUrl !== undefined && { consoleUrl }),
    ...(prefix !== undefined && { consoleDomainPrefix: prefix }),
    ...(mfa !== undefined && { consoleMfa: mfa }),
  };
}

function resolveStage(value: unknown): string {
  if (value === undefined) {
    throw new Error(
      'No stage given: pass one, e.g. `cdk deploy --all -c stage=prod` (or `-c stage=dev` for a throwaway one). ' +
        'It names the stacks and every resource, and decides whether data is protected.',
    );
  }
  if (typeof value !== 'string' || !/^[a-z][a-z0-9-]{0,19}$/.test(value)) {
    throw new Error(
      `stage must be a short lower-case name such as dev or prod, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * The domain of the sender address in the config's settings.yaml (`hello@leadflow.example` ->
 * `leadflow.example`): a verified domain lets SES send as any address in it, so a marketer who
 * changes the local part needs no redeploy.
 */
function defaultSenderIdentity(configDir: string): string {
  const settings = parse(readFileSync(join(configDir, 'settings.yaml'), 'utf8')) as {
    sender?: { email?: unknown };
  } | null;
  const email = settings?.sender?.email;
  const domain = typeof email === 'string' ? email.split('@')[1] : undefined;
  if (!domain) {
    throw new Error(
      `${join(configDir, 'settings.yaml')} has no sender.email address to send from; set it, or the ${SENDER_IDENTITY_CONTEXT} context`,
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
