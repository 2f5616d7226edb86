import { Aws, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import type { HandlerName, QUEUE_CONSUMERS, SCHEDULED, SNS_CONSUMERS } from '../../functions/shared/routes';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { eventsBucketName } from '../../infra/constructs/event-archive';
import { exportBucketName } from '../../infra/constructs/lead-exports';
import { actionsOf, logicalIdOf, SKIP_BUNDLING, statementsOfRole } from './support';

export type FunctionName = keyof LeadflowApp['service']['functions'];
export const FUNCTION_NAMES = [
  'formSubmission',
  'adminLeads',
  'activities',
  'adminScoring',
  'rescore',
  'public',
  'sales',
  'tick',
  'webhooks',
  'adLeads',
  'unsubscribe',
  'confirm',
  'sesEvents',
  'sendEmail',
  'adminNurture',
  'reports',
  'adminLeadExports',
  'leadExport',
  'adminLeadImports',
  'leadImport',
  'adminWebhooks',
  'integrationDeliveries',
  'adminForms',
] as const satisfies readonly FunctionName[];

/** The function each handler entry (functions/handlers/<entry>.ts) is deployed as. */
export const FUNCTION_OF_ENTRY = {
  'form-submission': 'formSubmission',
  'admin-leads': 'adminLeads',
  activities: 'activities',
  'admin-scoring': 'adminScoring',
  'admin-nurture': 'adminNurture',
  rescore: 'rescore',
  public: 'public',
  sales: 'sales',
  tick: 'tick',
  webhooks: 'webhooks',
  'ad-leads': 'adLeads',
  unsubscribe: 'unsubscribe',
  confirm: 'confirm',
  'ses-events': 'sesEvents',
  'send-email': 'sendEmail',
  'admin-lead-exports': 'adminLeadExports',
  'lead-export': 'leadExport',
  'admin-lead-imports': 'adminLeadImports',
  'lead-import': 'leadImport',
  reports: 'reports',
  'admin-webhooks': 'adminWebhooks',
  'integration-deliveries': 'integrationDeliveries',
  'admin-forms': 'adminForms',
} as const satisfies Record<
  | HandlerName
  | (typeof QUEUE_CONSUMERS)[number]['handler']
  | (typeof SNS_CONSUMERS)[number]['handler']
  | (typeof SCHEDULED)[number]['handler'],
  FunctionName
>;

export const DEFAULT_ENV = {
  POWERTOOLS_SERVICE_NAME: 'leadflow',
  POWERTOOLS_METRICS_NAMESPACE: 'Leadflow',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
};

export interface ServiceTemplates {
  readonly built: LeadflowApp;
  readonly template: Template;
}

/**
 * The dev app and its service stack's template. With `bundle`, the handlers are really bundled
 * (which also proves they build with the shared esbuild options); without, only the template's
 * shape is there.
 */
export function buildServiceTemplates({ bundle }: { bundle: boolean }): ServiceTemplates {
  const built = buildApp({ stage: 'dev', ...(bundle ? {} : { context: SKIP_BUNDLING }) });
  return { built, template: Template.fromStack(built.service) };
}

/** Helpers over the service stack the caller built (read through `current`, once its beforeAll ran). */
export function serviceHelpers(current: () => ServiceTemplates) {
  const built = () => current().built;
  const template = () => current().template;
  const id = (name: FunctionName) => logicalIdOf(built().service.functions[name].function);
  const roleId = (name: FunctionName) => logicalIdOf(built().service.functions[name].role);
  const statementsFor = (name: FunctionName, service: string) =>
    statementsOfRole(template(), roleId(name)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith(`${service}:`)),
    );
  // Table and queues as the service stack sees them: names, URLs and ARNs imported from the stateful stack.
  const imported = (construct: IConstruct, attribute: 'Ref' | 'Arn') => ({
    'Fn::ImportValue': exportOf(built().stateful, construct, attribute),
  });
  const table = (attribute: 'Ref' | 'Arn') => imported(built().stateful.table, attribute);
  const rescoreQueue = (attribute: 'Ref' | 'Arn') => imported(built().stateful.rescoreQueue.queue, attribute);
  const hotLeadQueue = (attribute: 'Ref' | 'Arn') => imported(built().stateful.hotLeadQueue.queue, attribute);
  const adLeadQueue = (attribute: 'Ref' | 'Arn') => imported(built().stateful.adLeadQueue.queue, attribute);
  const emailJobQueue = (attribute: 'Ref' | 'Arn') =>
    imported(built().stateful.emailJobQueue.queue, attribute);
  const exportQueue = (attribute: 'Ref' | 'Arn') =>
    imported(built().stateful.leadExports.queue.queue, attribute);
  const importQueue = (attribute: 'Ref' | 'Arn') =>
    imported(built().stateful.leadExports.importQueue.queue, attribute);
  const deliveryQueue = (attribute: 'Ref' | 'Arn') =>
    imported(built().stateful.integrationDeliveries.queue.queue, attribute);
  const deliveryDlq = (attribute: 'Ref' | 'Arn') =>
    imported(built().stateful.integrationDeliveries.queue.deadLetterQueue, attribute);
  // The service stack finds the export bucket by its name (a grant cdk-nag can name), not by a cross-stack token.
  const exportBucket = (attribute: 'Ref' | 'Arn') => {
    const name = exportBucketName(built().service);
    return built().service.resolve(attribute === 'Ref' ? name : `arn:${Aws.PARTITION}:s3:::${name}`);
  };
  // A secret's Ref is its ARN, and so is a topic's.
  const webhookSecrets = () => imported(built().stateful.webhookSecrets, 'Ref');
  const signingSecrets = () => imported(built().stateful.signingSecrets, 'Ref');
  const integrationSecrets = () => imported(built().stateful.integrationSecrets, 'Ref');
  const identityKeySecret = () => imported(built().stateful.identityKey, 'Ref');
  const sesEventsTopic = () => imported(built().stateful.sesEvents.topic, 'Ref');
  const sesEventsDlq = () => imported(built().stateful.sesEvents.deadLetterQueue, 'Arn');
  const configurationSetName = () => imported(built().stateful.sesEvents.configurationSet, 'Ref');
  const transactionalSetName = () =>
    imported(built().stateful.transactionalConfigurationSet.configurationSet, 'Ref');
  /** An SES ARN in the deploying account and region: `arn:<partition>:ses:<region>:<account>` + rest. */
  const sesArn = (...rest: unknown[]) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ses:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ...rest,
      ],
    ],
  });

  /** Every resource a function may be granted something on, by a readable name. */
  const knownResources = () => ({
    table: table('Arn'),
    'table/index/gsi1': { 'Fn::Join': ['', [table('Arn'), '/index/gsi1']] },
    'table/index/gsi2': { 'Fn::Join': ['', [table('Arn'), '/index/gsi2']] },
    ...Object.fromEntries(
      ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9', 'gsi10', 'gsi11', 'gsi12', 'gsi13'].map(
        (index) => [`table/index/${index}`, { 'Fn::Join': ['', [table('Arn'), `/index/${index}`]] }],
      ),
    ),
    'rescore-jobs': rescoreQueue('Arn'),
    'hot-leads': hotLeadQueue('Arn'),
    'ad-leads': adLeadQueue('Arn'),
    'email-jobs': emailJobQueue('Arn'),
    'lead-exports': exportQueue('Arn'),
    'lead-imports': importQueue('Arn'),
    'integration-deliveries': deliveryQueue('Arn'),
    'integration-deliveries-dlq': deliveryDlq('Arn'),
    'lead-exports-bucket/imports/*': built().service.resolve(
      `arn:${Aws.PARTITION}:s3:::${exportBucketName(built().service)}/imports/*`,
    ),
    'lead-exports-bucket/exports/*': built().service.resolve(
      `arn:${Aws.PARTITION}:s3:::${exportBucketName(built().service)}/exports/*`,
    ),
    'events-bucket/events/*': built().service.resolve(
      `arn:${Aws.PARTITION}:s3:::${eventsBucketName(built().service)}/events/*`,
    ),
    'webhook-secrets': webhookSecrets(),
    'integration-secrets': integrationSecrets(),
    'signing-secrets': signingSecrets(),
    'ses-events-dlq': sesEventsDlq(),
    // The sender identity defaults to the domain of sender.email in config/settings.yaml.
    'ses-identity/leadflow.example': sesArn(':identity/leadflow.example'),
    'ses-configuration-set/leadflow': sesArn(':configuration-set/', configurationSetName()),
    'ses-configuration-set/leadflow-transactional': sesArn(':configuration-set/', transactionalSetName()),
  });
  /**
   * What the function's role may do beyond its logs and traces: resource name -> sorted actions.
   * Flattened per action and resource, so it does not depend on how statements are grouped.
   */
  const grantsOf = (name: FunctionName): Record<string, string[]> => {
    const names = Object.entries(knownResources()).map(
      ([label, resource]) => [JSON.stringify(resource), label] as const,
    );
    const labelOf = (resource: unknown) =>
      names.find(([json]) => json === JSON.stringify(resource))?.[1] ?? `unknown ${JSON.stringify(resource)}`;
    const grants: Record<string, Set<string>> = {};
    for (const statement of statementsOfRole(template(), roleId(name))) {
      expect(statement.Effect).toBe('Allow');
      const actions = actionsOf(statement).filter((action) => !/^(logs|xray):/.test(action));
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const resource of actions.length > 0 ? resources : []) {
        const label = labelOf(resource);
        grants[label] ??= new Set();
        for (const action of actions) grants[label].add(action);
      }
    }
    return Object.fromEntries(Object.entries(grants).map(([label, actions]) => [label, [...actions].sort()]));
  };

  return {
    id,
    roleId,
    statementsFor,
    imported,
    table,
    rescoreQueue,
    hotLeadQueue,
    adLeadQueue,
    emailJobQueue,
    exportQueue,
    importQueue,
    deliveryQueue,
    deliveryDlq,
    exportBucket,
    webhookSecrets,
    integrationSecrets,
    signingSecrets,
    identityKeySecret,
    sesEventsTopic,
    sesEventsDlq,
    configurationSetName,
    transactionalSetName,
    sesArn,
    knownResources,
    grantsOf,
  };
}

/** Name of the stateful stack's export of a resource's Ref or Arn, the one the service stack imports. */
export function exportOf(stack: Stack, construct: IConstruct, attribute: 'Ref' | 'Arn'): string {
  const id = logicalIdOf(construct);
  const value = attribute === 'Ref' ? { Ref: id } : { 'Fn::GetAtt': [id, 'Arn'] };
  // Only the exports: an output for operators (TableName) may carry the same value.
  const outputs = (
    Object.values(Template.fromStack(stack).findOutputs('*', { Value: value })) as {
      Export?: { Name: string };
    }[]
  ).filter((output) => output.Export);
  const name = outputs[0]?.Export?.Name;
  if (outputs.length !== 1 || !name) throw new Error(`expected one export of ${id} ${attribute}`);
  return name;
}

export function onlyOne<T>(items: T[]): T {
  const [item, ...rest] = items;
  if (item === undefined || rest.length > 0) throw new Error(`expected exactly one, got ${items.length}`);
  return item;
}
