import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { CognitoSignIn, ConsoleConfig } from '../../console/src/config';
import { consoleContentSecurityPolicy } from '../../functions/shared/console-security';
import { CONSOLE_ROUTING_CODE } from './console-routing';
import { acknowledgeDeploymentFunction, consoleSite } from './console-site';
import { exportBucketName, importUploadOrigin } from './lead-exports';

/** The Cognito user pool people sign in to the console with (infra/constructs/console-auth.ts). */
export interface ConsoleSignIn {
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  readonly clientId: string;
  /** The managed login domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainUrl: string;
  readonly scopes: readonly string[];
}

export interface ConsoleHostingProps {
  /** The public edge's distribution: the console is served at /console/ beside the API. */
  readonly distribution: cloudfront.Distribution;
  /** Where the console bucket's server access logs go (the edge's log bucket), under `console-bucket/`. */
  readonly accessLogs: s3.IBucket;
  /** The public URL the API and console share (`https://api.example.com`): the console's API base. */
  readonly url: string;
  readonly signIn: ConsoleSignIn;
  /** Of the bucket, its files and the deployment's logs. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The Leadflow Console on AWS: its built files in a private S3 bucket, read by the public edge's
 * CloudFront distribution through Origin Access Control at /console/*, beside the API. A CloudFront
 * Function answers every console page (a path without a file extension) with index.html, so the
 * API keeps its own 404s. config.json is written from the stack's real values (the user pool, its
 * client and managed login domain). Responses carry a strict Content-Security-Policy, HSTS,
 * nosniff, no referrer and no framing; hashed assets are cached for a year, index.html and
 * config.json revalidated every time.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly routing: cloudfront.Function;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;
  /** The hashed assets (long-lived), then index.html and config.json (revalidated). */
  readonly assets: s3deploy.BucketDeployment;
  readonly entry: s3deploy.BucketDeployment;
  /** What /console/config.json holds (deploy-time values are CloudFormation tokens). */
  readonly config: ConsoleConfig;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const root = props.url.replace(/\/+$/, '');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy,
    });

    // GetObject only, for this distribution only (the bucket policy's AWS:SourceArn condition).
    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    this.routing = new cloudfront.Function(this, 'Routing', {
      comment: 'Leadflow console: pages to index.html, /console to /console/',
      code: cloudfront.FunctionCode.fromInline(CONSOLE_ROUTING_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });
    const signInOrigin = props.signIn.domainUrl;
    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Leadflow console: CSP, HSTS, nosniff, no referrer, no framing',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The Import page PUTs CSV files to presigned links of the exports bucket (found by its name,
          // as the service stack finds it; its CORS allows the console's origin).
          contentSecurityPolicy: consoleContentSecurityPolicy([
            signInOrigin,
            importUploadOrigin(exportBucketName(this)),
          ]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        // The callback URL carries the authorization code: no page tells another origin where it came from.
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      },
    });
    // As the files say: hashed assets a year, index.html and config.json never without revalidation.
    const cache = new cloudfront.CachePolicy(this, 'Cache', {
      comment: 'Leadflow console: cached as each file says',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.days(365),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const behavior: cloudfront.AddBehaviorOptions = {
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cache,
      responseHeadersPolicy: this.responseHeaders,
      compress: true,
      functionAssociations: [
        { function: this.routing, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
      ],
    };
    props.distribution.addBehavior('/console/*', origin, behavior);
    props.distribution.addBehavior('/console', origin, behavior);

    this.config = { apiUrl: root, auth: cognitoSignIn(props.signIn) };
    const site = consoleSite();
    const retainOnDelete = removalPolicy !== RemovalPolicy.DESTROY;
    const logGroup = new logs.LogGroup(this, 'DeploymentLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy,
    });
    const common = {
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'console/',
      // Files of earlier builds stay: a page loaded before a deploy still finds its assets.
      prune: false,
      retainOnDelete,
      logGroup,
    } satisfies Partial<s3deploy.BucketDeploymentProps>;
    this.assets = new s3deploy.BucketDeployment(this, 'Assets', {
      ...common,
      sources: [site],
      exclude: ['index.html'],
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
    });
    this.entry = new s3deploy.BucketDeployment(this, 'Entry', {
      ...common,
      sources: [site, s3deploy.Source.jsonData('config.json', this.config)],
      exclude: ['*'],
      include: ['index.html', 'config.json'],
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: props.distribution,
      distributionPaths: ['/console', '/console/*'],
    });
    // index.html names assets by hash: it goes up once they are there.
    this.entry.node.addDependency(this.assets);

    acknowledgeDeploymentFunction(this, this.bucket);
  }
}

/** config.json's sign-in: the managed login's endpoints, given rather than discovered (see console/src/config.ts). */
function cognitoSignIn(signIn: ConsoleSignIn): CognitoSignIn {
  const domain = signIn.domainUrl;
  return {
    kind: 'cognito',
    issuer: signIn.issuer,
    clientId: signIn.clientId,
    scopes: [...signIn.scopes],
    domain,
    authorizationEndpoint: `${domain}/oauth2/authorize`,
    tokenEndpoint: `${domain}/oauth2/token`,
    revocationEndpoint: `${domain}/oauth2/revoke`,
    logoutEndpoint: `${domain}/logout`,
  };
}
