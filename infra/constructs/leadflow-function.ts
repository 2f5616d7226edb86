import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { esbuildOptions } from './bundling';

const handlersDir = fileURLToPath(new URL('../../functions/handlers/', import.meta.url));

export interface LeadflowFunctionProps {
  /** Handler name: bundles `functions/handlers/<entry>.ts`, which exports `handler`. */
  readonly entry: string;
  readonly description?: string;
  /** Added to the defaults; table/queue variables come from the bind* helpers instead. */
  readonly environment?: Record<string, string>;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Concurrency set aside for this function, and its ceiling: for a function whose pace must stay
   * bounded whoever invokes it. @default - none: the account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Lets Lambda run a chain of invocations that passes through the same queue again (a job that
   * queues its own next page): without it Lambda stops such a chain after about 16 hops. Give the
   * reason the chain ends, for whoever reads the call. @default - Lambda stops the loop
   */
  readonly allowRecursiveLoop?: { readonly because: string };
}

/**
 * The one place that holds Leadflow's function defaults: Node.js 22 on arm64, ESM bundle built
 * locally by esbuild (never Docker), X-Ray tracing, Powertools settings, and a log group with
 * one month retention. The role starts with write access to that log group only; bind* helpers
 * add the rest.
 */
export class LeadflowFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: LeadflowFunctionProps) {
    super(scope, id);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(props.entry)) {
      throw new Error(`LeadflowFunction entry must be a kebab-case handler name, got "${props.entry}"`);
    }

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Our own role instead of the default one: AWSLambdaBasicExecutionRole lets a function
    // create and write any log group in the account; this one writes to its own only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Leadflow ${props.entry} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${handlersDir}${props.entry}.ts`,
      handler: 'handler',
      description: props.description ?? `Leadflow ${props.entry}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.reservedConcurrentExecutions !== undefined && {
        reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      }),
      role: this.role,
      logGroup: this.logGroup,
      ...(props.allowRecursiveLoop && { recursiveLoop: lambda.RecursiveLoop.ALLOW }),
      // Active tracing also grants the role xray:PutTraceSegments and xray:PutTelemetryRecords.
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'leadflow',
        POWERTOOLS_METRICS_NAMESPACE: 'Leadflow',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        format: esbuildOptions.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        target: esbuildOptions.target,
        minify: esbuildOptions.minify,
        sourceMap: esbuildOptions.sourcemap,
        sourcesContent: esbuildOptions.sourcesContent,
        mainFields: esbuildOptions.mainFields,
        externalModules: esbuildOptions.external,
        banner: esbuildOptions.banner.js,
        forceDockerBundling: false,
      },
    });

    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement that tracing ACTIVE adds uses Resource "*": xray:PutTraceSegments and ' +
        'xray:PutTelemetryRecords do not support resource-level permissions. Data access is granted ' +
        'per resource ARN by the bind* helpers.',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'The runtime is pinned to Node.js 22 on purpose (DESIGN.md: Lambda runtime Node.js 22): the bundle ' +
        'targets node22 and the handlers are tested on it. Moving to a newer runtime is a deliberate change ' +
        'made here, not an automatic one.',
    });
  }
}
