import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssetHashType, DefaultStackSynthesizer, DockerImage, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';

const CONSOLE_SRC = fileURLToPath(new URL('../../console/src', import.meta.url));
const CONSOLE_BUILD = pathToFileURL(fileURLToPath(new URL('../../console/build.mjs', import.meta.url))).href;
const BOOTSTRAP_QUALIFIER_CONTEXT = '@aws-cdk/core:bootstrapQualifier';

/**
 * The built console as a deploy asset: synth runs `buildConsole` (console/build.mjs, esbuild) into
 * the asset's directory, so a clean clone needs no build step before `cdk synth` or `cdk deploy`.
 * The asset's hash is the built files', so an unchanged console deploys nothing. Tests that skip
 * bundling get the sources as a stand-in, as for the functions.
 */
export function consoleSite(): s3deploy.ISource {
  return s3deploy.Source.asset(CONSOLE_SRC, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling (esbuild on this machine) always answers.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      local: {
        tryBundle(outputDir: string) {
          const build = `const { buildConsole } = await import(${JSON.stringify(CONSOLE_BUILD)});
await buildConsole({ outdir: ${JSON.stringify(outputDir)} });`;
          execFileSync(process.execPath, ['--input-type=module', '-e', build], {
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          return true;
        },
      },
    },
  });
}

/**
 * cdk-nag on the one function (a CDK singleton per stack) behind the console's BucketDeployments:
 * its role, grants and runtime are aws-cdk-lib's, and it runs only while CloudFormation deploys.
 */
export function acknowledgeDeploymentFunction(scope: Construct, bucket: s3.Bucket): void {
  const stack = Stack.of(scope);
  const handler = stack.node
    .findAll()
    .find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment') && c.node.scope === stack);
  if (!handler) throw new Error('ConsoleHosting: no BucketDeployment function to acknowledge');
  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const qualifier: string =
    stack.node.tryGetContext(BOOTSTRAP_QUALIFIER_CONTEXT) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  // The bootstrap asset bucket as cdk-nag writes it: cdk-<qualifier>-assets-<account>-<region>.
  const assets = `arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-${known(stack.account, '<AWS::AccountId>')}-${known(stack.region, '<AWS::Region>')}/*`;
  const consoleBucket = `<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*`;
  const copy =
    "CDK's BucketDeployment (aws-s3-deployment) copies the console build from the bootstrap asset bucket into " +
    'the console bucket (aws s3 sync): the wildcards are the S3 object actions and the objects of those two named ' +
    'buckets, granted by aws-cdk-lib; the function runs only at deploy time.';
  Validations.of(handler).acknowledge(
    { id: `AwsSolutions-IAM5[Resource::${assets}]`, reason: copy },
    { id: `AwsSolutions-IAM5[Resource::${consoleBucket}]`, reason: copy },
    ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: copy,
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'cloudfront:CreateInvalidation and GetInvalidation, granted by aws-cdk-lib on "*": after a deploy the ' +
        "function clears the console's index.html and config.json from the edge's cache. Invalidations change no data.",
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        "The role aws-cdk-lib gives its BucketDeployment function; the function's logs go to the console's " +
        'deployment log group (one month), and it runs only at deploy time.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        "The runtime of the BucketDeployment function (Python, with the AWS CLI layer) is aws-cdk-lib's choice and " +
        'moves with its upgrades; it runs only at deploy time, never on a request.',
    },
  );
}
