import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** Builds the app without running esbuild, for tests that only look at the templates' shape. */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

/** A config directory with no sample values: what a stage other than dev or test must be built from. */
export const PRODUCTION_CONFIG_DIR = fileURLToPath(new URL('./fixtures/production-config', import.meta.url));

/** The props of a prod app the tests can build: its stage, a production config, no bundling. */
export const PROD = { stage: 'prod', configDir: PRODUCTION_CONFIG_DIR, context: SKIP_BUNDLING } as const;

/** Building and bundling three functions takes a few seconds, more on a busy machine. */
export const SYNTH_TIMEOUT = { timeout: 120_000 };

export interface PolicyStatement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
}

interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** Logical ID of the CloudFormation resource behind an L2 construct. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

export function resourceOf(template: Template, logicalId: string): CfnResource {
  const resources = template.toJSON().Resources as Record<string, CfnResource>;
  const resource = resources[logicalId];
  if (!resource?.Properties) throw new Error(`no resource ${logicalId} with properties in the template`);
  return resource;
}

/** Logical ID of the function a route key (`POST /v1/...`) invokes, through its integration. */
export function functionBehindRoute(template: Template, routeKey: string): string {
  const routes = Object.values(
    template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
  ) as CfnResource[];
  if (routes.length !== 1) throw new Error(`expected one route ${routeKey}, found ${routes.length}`);
  // Target: { 'Fn::Join': ['', ['integrations/', { Ref: <integration> }]] }
  const target = routes[0]?.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
  const integration = resourceOf(template, target['Fn::Join'][1][1].Ref);
  const uri = integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
  return uri['Fn::GetAtt'][0];
}

/** Every statement of every IAM policy attached to the role. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatement[] {
  const policies = Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
    }),
  ) as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }[];
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export interface NagFinding {
  rule: string;
  severity: string;
  path: string;
}

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    violations: { ruleName: string; severity?: string; violatingConstructs: { constructPath: string }[] }[];
  }[];
}

/**
 * Synthesizes the app and returns the cdk-nag (AwsSolutions) findings nobody acknowledged.
 * cdk-nag 3 is a validation plugin: its findings do not become annotations but go to
 * validation-report.json in the cloud assembly, and synth throws when the report fails.
 */
export function synthNagFindings(app: App): NagFinding[] {
  let synthError: unknown;
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  const reportFile = join(app.outdir, 'validation-report.json');
  if (!existsSync(reportFile)) throw synthError ?? new Error(`synth wrote no ${reportFile}`);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as ValidationReport;
  const findings = report.pluginReports
    .filter((plugin) => plugin.pluginName === 'AwsSolutions')
    .flatMap((plugin) => plugin.violations)
    .flatMap((violation) =>
      violation.violatingConstructs.map((construct) => ({
        rule: violation.ruleName,
        severity: violation.severity ?? 'unknown',
        path: construct.constructPath,
      })),
    );
  // A synth that failed for another reason than nag must not pass as "no findings".
  if (synthError && findings.length === 0) throw synthError;
  return findings;
}
