import {
  ArnFormat,
  Aws,
  CfnRule,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
} from 'aws-cdk-lib';
import {
  ApiMapping,
  type CfnRoute,
  type CfnStage,
  DomainName,
  type HttpApi,
  HttpRoute,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CloudFrontTarget } from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/shared/routes';

/** Context keys an operator sets the public edge with: `cdk deploy -c leadflow:domainName=api.example.com ...`. */
export const PUBLIC_EDGE_CONTEXT = {
  domainName: 'leadflow:domainName',
  certificateArn: 'leadflow:certificateArn',
  hostedZoneId: 'leadflow:hostedZoneId',
  originCertificateArn: 'leadflow:originCertificateArn',
  wafRateLimitPerIp: 'leadflow:wafRateLimitPerIp',
  wafManagedRules: 'leadflow:wafManagedRules',
  routeThrottles: 'leadflow:routeThrottles',
} as const;

/** The public routes a per-IP rate limit guards, each a request count per IP per minute. */
export interface RateLimitsPerIp {
  readonly forms: number;
  readonly unsubscribe: number;
  readonly confirm: number;
}

/**
 * Above the forms function's own per-IP limit (LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN, 30), so its 429
 * answers ordinary excess and the edge only stops floods. Unsubscribe is higher: mailbox providers
 * send RFC 8058 one-click unsubscribes for many recipients from a few servers.
 */
export const DEFAULT_RATE_LIMITS_PER_IP: RateLimitsPerIp = { forms: 60, unsubscribe: 300, confirm: 60 };

/** `common`: AWSManagedRulesCommonRuleSet; `bot`: AWSManagedRulesBotControlRuleSet (billed per request). */
export type ManagedRuleSet = 'common' | 'bot';
const MANAGED_RULE_SETS: readonly ManagedRuleSet[] = ['common', 'bot'];

/** Requests per second (steady) and burst of one route on the HTTP API stage. */
export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}
export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;
export type RouteThrottles = Partial<Record<RouteKey, RouteThrottle>>;

/**
 * Every route gets the stage's default throttle as its own bucket; form posts get a smaller one so
 * a flood on them holds fewer Lambda invocations and leaves the account's concurrency to webhooks,
 * unsubscribe and the sales API.
 */
export const DEFAULT_ROUTE_THROTTLES: RouteThrottles = {
  'POST /v1/forms/{formId}/submissions': { rateLimit: 20, burstLimit: 40 },
  'OPTIONS /v1/forms/{formId}/submissions': { rateLimit: 20, burstLimit: 40 },
};

export interface PublicEdgeWebAclProps {
  /** Merged over DEFAULT_RATE_LIMITS_PER_IP. */
  readonly rateLimitsPerIp?: Partial<RateLimitsPerIp>;
  /** @default ['common'] */
  readonly managedRules?: ManagedRuleSet[];
  /** Of the WAF log group (and, for PublicEdge, the CloudFront log bucket). @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export interface PublicEdgeProps extends PublicEdgeWebAclProps {
  readonly api: HttpApi;
  /** The stage the route throttles go on (and the custom domain maps to). */
  readonly stage: HttpStage;
  /** The public host name, e.g. `api.example.com`. The HTTP API must then have its execute-api endpoint disabled. */
  readonly domainName?: string;
  /** ACM certificate in us-east-1 for `domainName`, used by CloudFront. */
  readonly certificateArn?: string;
  /** Route 53 zone holding `domainName`: alias records are created, and the origin certificate if needed. */
  readonly hostedZoneId?: string;
  /**
   * ACM certificate for `domainName` in the stack's region, for API Gateway's custom domain (the
   * origin). Not needed in us-east-1 (`certificateArn` serves both) or with `hostedZoneId`.
   */
  readonly originCertificateArn?: string;
  /**
   * A CLOUDFRONT-scope web ACL made elsewhere (PublicEdgeWebAcl in a us-east-1 stack). Without it
   * the web ACL is created here, which needs this stack in us-east-1.
   */
  readonly webAclArn?: string;
  /** Merged over DEFAULT_ROUTE_THROTTLES. */
  readonly routeThrottles?: RouteThrottles;
  /** @default PriceClass.PRICE_CLASS_100 */
  readonly priceClass?: cloudfront.PriceClass;
}

export type PublicEdgeContextProps = Pick<
  PublicEdgeProps,
  | 'domainName'
  | 'certificateArn'
  | 'hostedZoneId'
  | 'originCertificateArn'
  | 'rateLimitsPerIp'
  | 'managedRules'
  | 'routeThrottles'
>;

/** The public edge settings from the app context, validated; keys that are absent stay undefined. */
export function publicEdgePropsFromContext(scope: Construct): PublicEdgeContextProps {
  const raw = (key: string): unknown => {
    const value: unknown = scope.node.tryGetContext(key);
    return value === '' ? undefined : value;
  };
  const text = (key: string): string | undefined => {
    const value = raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string')
      throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
    return value.trim();
  };
  const c = PUBLIC_EDGE_CONTEXT;
  const props: PublicEdgeContextProps = {
    domainName: text(c.domainName),
    certificateArn: text(c.certificateArn),
    hostedZoneId: text(c.hostedZoneId),
    originCertificateArn: text(c.originCertificateArn),
    rateLimitsPerIp: rateLimitsFrom(c.wafRateLimitPerIp, raw(c.wafRateLimitPerIp)),
    managedRules: managedRulesFrom(c.wafManagedRules, raw(c.wafManagedRules)),
    routeThrottles: routeThrottlesFrom(c.routeThrottles, raw(c.routeThrottles)),
  };
  checkDomain(props, `context ${c.domainName}`, `context ${c.certificateArn}`);
  return props;
}

/**
 * The AWS WAF web ACL in front of the public edge: per-IP rate limits on the public routes (answered
 * with the API's 429 error body), AWS managed rule groups as chosen, and a log of what it blocked or
 * counted. CloudFront only takes web ACLs of scope CLOUDFRONT, and those exist only in us-east-1.
 */
export class PublicEdgeWebAcl extends Construct {
  readonly arn: string;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: PublicEdgeWebAclProps = {}) {
    super(scope, id);
    requireUsEast1(this, 'a CloudFront web ACL (AWS WAF scope CLOUDFRONT)');
    const limits = { ...DEFAULT_RATE_LIMITS_PER_IP, ...props.rateLimitsPerIp };
    for (const [route, limit] of Object.entries(limits))
      rateLimit(`PublicEdge rateLimitsPerIp.${route}`, limit);
    const managed = new Set(props.managedRules ?? ['common']);

    const acl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      description: 'Leadflow public edge: per-IP rate limits on public routes, AWS managed rules',
      visibilityConfig: visibility('LeadflowPublicEdge'),
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: {
              code: 'rate_limited',
              message: 'Too many requests from this address; retry later.',
              details: [],
            },
          }),
        },
      },
      rules: [
        rateRule('RateLimitForms', 0, limits.forms, uriPath('STARTS_WITH', '/v1/forms/')),
        rateRule('RateLimitUnsubscribe', 1, limits.unsubscribe, uriPath('EXACTLY', '/v1/unsubscribe')),
        rateRule('RateLimitConfirm', 2, limits.confirm, uriPath('EXACTLY', '/v1/confirm')),
        ...(managed.has('common') ? [commonRules()] : []),
        ...(managed.has('bot') ? [botControl()] : []),
      ],
    });
    this.arn = acl.attrArn;

    // WAF only logs to groups named aws-waf-logs-*, in the web ACL's region.
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 100 })}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Bearer tokens and the signed unsubscribe/confirm tokens in query strings never reach the log.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { queryString: {} }],
      // Allowed requests are in the HTTP API's access log already; keep what the web ACL acted on.
      loggingFilter: {
        DefaultBehavior: 'DROP',
        Filters: [
          {
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: ['BLOCK', 'COUNT', 'CAPTCHA', 'CHALLENGE'].map((Action) => ({
              ActionCondition: { Action },
            })),
          },
        ],
      },
    });
  }
}

/**
 * CloudFront in front of the HTTP API, with the WAF web ACL, per-route throttles on the stage and,
 * when a domain is given, the API's custom domain as the only way in (its execute-api endpoint
 * must be disabled). Unsubscribe and confirmation links should use `publicUrl`.
 */
export class PublicEdge extends Construct {
  readonly distribution: cloudfront.Distribution;
  /** `https://<domainName>`, or the distribution's own `https://<id>.cloudfront.net` without a domain. */
  readonly publicUrl: string;
  readonly webAclArn: string;
  readonly webAcl?: PublicEdgeWebAcl;
  /** CloudFront's access logs; the console's bucket logs here too (infra/constructs/console-hosting.ts). */
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string, props: PublicEdgeProps) {
    super(scope, id);
    const { api, stage, domainName } = props;
    checkDomain(props, 'PublicEdge domainName', 'PublicEdge certificateArn');
    if (domainName !== undefined && api.disableExecuteApiEndpoint !== true) {
      throw new Error(
        `PublicEdge: with the custom domain ${domainName} the HTTP API must be created with disableExecuteApiEndpoint: true, so nobody can bypass CloudFront and AWS WAF`,
      );
    }
    if (domainName === undefined && api.disableExecuteApiEndpoint === true) {
      throw new Error(
        'PublicEdge: without a custom domain CloudFront reaches the HTTP API on its execute-api endpoint, which is disabled; set leadflow:domainName or enable the endpoint',
      );
    }
    if (props.webAclArn !== undefined && (props.rateLimitsPerIp || props.managedRules)) {
      throw new Error(
        'PublicEdge: rateLimitsPerIp and managedRules configure the web ACL PublicEdge creates; with webAclArn give them to the PublicEdgeWebAcl that made it',
      );
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    throttleRoutes(api, stage, { ...DEFAULT_ROUTE_THROTTLES, ...props.routeThrottles });

    this.webAcl = props.webAclArn === undefined ? new PublicEdgeWebAcl(this, 'WebAcl', props) : undefined;
    this.webAclArn = props.webAclArn ?? (this.webAcl as PublicEdgeWebAcl).arn;

    const origin = this.origin(props);
    const apiRequest = new cloudfront.OriginRequestPolicy(this, 'ApiRequest', {
      comment: 'Leadflow API: every query string and the headers the routes read',
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList(
        ...apiHeaders(domainName !== undefined),
      ),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });
    // CloudFront forwards Authorization only as part of the cache key. Nothing is kept unless the API
    // says so (default TTL 0), and then for a second at most, per token and query.
    const noCache = new cloudfront.CachePolicy(this, 'NoCache', {
      comment: 'Leadflow API: not cached; Authorization reaches the API',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    });
    // The embed script, OpenAPI document and JSON Schemas are the same for everyone; the API sets
    // max-age 300 to 3600 on them.
    const briefCache = new cloudfront.CachePolicy(this, 'BriefCache', {
      comment: 'Leadflow public documents: cached as the API says, an hour at most',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.minutes(5),
      maxTtl: Duration.hours(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // With the custom domain as origin, Host must reach it: CloudFront sends Host as the TLS SNI,
    // and API Gateway picks the custom domain (and its certificate) by it.
    const documentRequest =
      domainName === undefined
        ? undefined
        : new cloudfront.OriginRequestPolicy(this, 'DocumentRequest', {
            comment: 'Leadflow public documents: Host only, for the custom domain origin',
            headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('Host'),
          });
    const document: cloudfront.BehaviorOptions = {
      origin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: briefCache,
      ...(documentRequest && { originRequestPolicy: documentRequest }),
      compress: true,
    };

    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logs are written with an ACL grant; the bucket must accept ACLs.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
    });
    this.accessLogs = logBucket;
    Validations.of(logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is where CloudFront writes its access logs; logging the log bucket would only record ' +
        'CloudFront log delivery itself. Public access is blocked, SSL enforced and logs expire after 90 days.',
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Leadflow public edge',
      defaultBehavior: {
        origin,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: noCache,
        originRequestPolicy: apiRequest,
      },
      additionalBehaviors: {
        '/v1/embed.js': document,
        '/v1/openapi.json': document,
        '/v1/schemas/*': document,
      },
      ...(domainName !== undefined && {
        domainNames: [domainName],
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn as string),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
        sslSupportMethod: cloudfront.SSLMethod.SNI,
      }),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      webAclId: this.webAclArn,
      enableLogging: true,
      logBucket,
      logFilePrefix: 'cloudfront/',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Leads, ad platforms and mailbox providers reach the API from any country; restricting countries is ' +
        'a business decision, not a default. Abuse is limited per IP by AWS WAF and per route by API Gateway.',
    });
    if (domainName === undefined) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without leadflow:domainName the distribution serves the default *.cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes at TLSv1. With a custom domain the policy is TLSv1.2_2021; production ' +
          'sets one.',
      });
    }

    if (domainName !== undefined && props.hostedZoneId !== undefined) {
      const zone = this.zone(props.hostedZoneId);
      const target = route53.RecordTarget.fromAlias(new CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'AliasV4', { zone, recordName: `${domainName}.`, target });
      new route53.AaaaRecord(this, 'AliasV6', { zone, recordName: `${domainName}.`, target });
    }
    this.publicUrl = `https://${domainName ?? this.distribution.distributionDomainName}`;
  }

  private zoneRef?: route53.IHostedZone;
  private zone(hostedZoneId: string): route53.IHostedZone {
    this.zoneRef ??= route53.HostedZone.fromHostedZoneId(this, 'Zone', hostedZoneId);
    return this.zoneRef;
  }

  /** The execute-api endpoint, or the API's regional custom domain when a domain is set. */
  private origin(props: PublicEdgeProps): HttpOrigin {
    const options = {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    };
    const stack = Stack.of(this);
    if (props.domainName === undefined) {
      return new HttpOrigin(`${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, options);
    }
    const apiDomain = new DomainName(this, 'ApiDomain', {
      domainName: props.domainName,
      certificate: this.originCertificate(props),
    });
    new ApiMapping(this, 'ApiMapping', { api: props.api, domainName: apiDomain, stage: props.stage });
    return new HttpOrigin(apiDomain.regionalDomainName, options);
  }

  /** API Gateway's regional custom domain needs a certificate in the stack's own region. */
  private originCertificate(props: PublicEdgeProps): acm.ICertificate {
    const region = Stack.of(this).region;
    const domainName = props.domainName as string;
    if (props.originCertificateArn !== undefined) {
      const arnRegion = acmArnRegion('PublicEdge originCertificateArn', props.originCertificateArn);
      if (!Token.isUnresolved(region) && arnRegion !== region) {
        throw new Error(
          `PublicEdge originCertificateArn must be an ACM certificate in the stack's region ${region} (API Gateway's custom domain), got one in ${arnRegion}`,
        );
      }
      return acm.Certificate.fromCertificateArn(this, 'OriginCertificate', props.originCertificateArn);
    }
    if (region === 'us-east-1' || Token.isUnresolved(region)) {
      // An environment-agnostic stack is held to us-east-1 at deploy time by requireUsEast1.
      if (Token.isUnresolved(region))
        requireUsEast1(this, `the certificate ${props.certificateArn} for API Gateway`);
      return acm.Certificate.fromCertificateArn(this, 'OriginCertificate', props.certificateArn as string);
    }
    if (props.hostedZoneId !== undefined) {
      return new acm.Certificate(this, 'OriginCertificate', {
        domainName,
        validation: acm.CertificateValidation.fromDns(this.zone(props.hostedZoneId)),
      });
    }
    throw new Error(
      `PublicEdge: API Gateway needs a certificate for ${domainName} in ${region} (CloudFront's is in us-east-1); ` +
        `set ${PUBLIC_EDGE_CONTEXT.originCertificateArn} to one, or ${PUBLIC_EDGE_CONTEXT.hostedZoneId} to have it created`,
    );
  }
}

const RATE_LIMITED_BODY = 'rate-limited';

/** What the routes read (see functions/handlers). Authorization goes through the cache policy instead. */
function apiHeaders(customDomain: boolean): string[] {
  const headers = [
    'Accept',
    'Content-Type',
    'Origin',
    'Referer',
    'Idempotency-Key',
    'X-Hub-Signature-256',
    'X-LI-Signature',
    'TikTok-Signature',
    // The viewer's IP:port, set by CloudFront (a client cannot forge it): API Gateway's sourceIp is
    // CloudFront's address behind the edge.
    'CloudFront-Viewer-Address',
    ...(customDomain ? ['Host'] : []),
  ];
  // CloudFront's quota: 10 headers per origin request policy.
  if (headers.length > 10)
    throw new Error(`PublicEdge: ${headers.length} headers exceed CloudFront's 10 per policy`);
  return headers;
}

/** Route settings go on the stage's L1; the stage must wait for the routes they name, or deploy fails. */
function throttleRoutes(api: HttpApi, stage: HttpStage, throttles: RouteThrottles): void {
  const routes = new Map<string, CfnRoute>();
  for (const child of api.node.findAll()) {
    if (child instanceof HttpRoute) {
      const cfn = child.node.defaultChild as CfnRoute;
      routes.set(cfn.routeKey, cfn);
    }
  }
  const cfnStage = stage.node.defaultChild as CfnStage;
  // routeSettings is plain JSON to CDK: the keys are written as CloudFormation spells them.
  const settings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
  for (const [key, throttle] of Object.entries(throttles)) {
    if (!throttle) continue;
    routeThrottle(`PublicEdge routeThrottles["${key}"]`, throttle);
    const route = routes.get(key);
    if (!route) throw new Error(`PublicEdge routeThrottles: the HTTP API has no route "${key}"`);
    cfnStage.addResourceDependency(route, `route settings name ${key}`);
    settings[key] = { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit };
  }
  cfnStage.routeSettings = settings;
}

function rateRule(name: string, priority: number, limit: number, scope: wafv2.CfnWebACL.StatementProperty) {
  return {
    name,
    priority,
    action: {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: RATE_LIMITED_BODY,
          responseHeaders: [{ name: 'Retry-After', value: '60' }],
        },
      },
    },
    statement: {
      rateBasedStatement: {
        limit,
        aggregateKeyType: 'IP',
        evaluationWindowSec: 60,
        scopeDownStatement: scope,
      },
    },
    visibilityConfig: visibility(name),
  } satisfies wafv2.CfnWebACL.RuleProperty;
}

/**
 * Not on /v1/admin/: those routes take configuration documents (HTML e-mail templates, scoring
 * models) from bearer-token holders, which the cross-site-scripting rules would refuse. The body
 * size rule only counts: forms take 32 KB and the API answers 413 itself.
 */
function commonRules(): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'AWSManagedRulesCommonRuleSet',
    priority: 10,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: 'AWSManagedRulesCommonRuleSet',
        ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
        scopeDownStatement: { notStatement: { statement: uriPath('STARTS_WITH', '/v1/admin/') } },
      },
    },
    visibilityConfig: visibility('AWSManagedRulesCommonRuleSet'),
  };
}

/**
 * Form posts only: webhooks, one-click unsubscribes (sent by mailbox providers' servers) and API
 * clients are not browsers and would be refused as HTTP libraries.
 */
function botControl(): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'AWSManagedRulesBotControlRuleSet',
    priority: 20,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: 'AWSManagedRulesBotControlRuleSet',
        managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: 'COMMON' } }],
        scopeDownStatement: uriPath('STARTS_WITH', '/v1/forms/'),
      },
    },
    visibilityConfig: visibility('AWSManagedRulesBotControlRuleSet'),
  };
}

function uriPath(
  positionalConstraint: 'STARTS_WITH' | 'EXACTLY',
  path: string,
): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint,
      searchString: path,
      textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
    },
  };
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { metricName, cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true };
}

/**
 * A synth error when the stack's region is known and is not us-east-1; for an environment-agnostic
 * stack, a CloudFormation rule that stops the deploy with the same reason.
 */
function requireUsEast1(scope: Construct, what: string): void {
  const stack = Stack.of(scope);
  const why =
    `${what} can only be in us-east-1. Deploy this stack to us-east-1, or create PublicEdgeWebAcl in a ` +
    'us-east-1 stack and pass its arn as PublicEdge webAclArn (crossRegionReferences: true on both stacks), and ' +
    `set ${PUBLIC_EDGE_CONTEXT.originCertificateArn} or ${PUBLIC_EDGE_CONTEXT.hostedZoneId} for API Gateway's certificate`;
  if (!Token.isUnresolved(stack.region)) {
    if (stack.region !== 'us-east-1') throw new Error(`${why} (this stack deploys to ${stack.region})`);
    return;
  }
  if (stack.node.tryFindChild('LeadflowEdgeInUsEast1')) return;
  new CfnRule(stack, 'LeadflowEdgeInUsEast1', {
    assertions: [{ assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'), assertDescription: why }],
  });
}

function checkDomain(props: PublicEdgeContextProps, domainLabel: string, certificateLabel: string): void {
  const { domainName, certificateArn, hostedZoneId, originCertificateArn } = props;
  if (domainName !== undefined && !HOST_NAME.test(domainName)) {
    throw new Error(
      `${domainLabel} must be a lower-case host name such as api.example.com (no scheme, port or path), got "${domainName}"`,
    );
  }
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new Error(
      `${domainLabel} and ${certificateLabel} go together: CloudFront serves the domain with that certificate`,
    );
  }
  if (certificateArn !== undefined && acmArnRegion(certificateLabel, certificateArn) !== 'us-east-1') {
    throw new Error(
      `${certificateLabel} must be an ACM certificate in us-east-1 (CloudFront uses no other region)`,
    );
  }
  if (originCertificateArn !== undefined)
    acmArnRegion(`${PUBLIC_EDGE_CONTEXT.originCertificateArn}`, originCertificateArn);
  if (hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(hostedZoneId)) {
    throw new Error(
      `${PUBLIC_EDGE_CONTEXT.hostedZoneId} must be a Route 53 hosted zone id such as Z0123456789ABC, got "${hostedZoneId}"`,
    );
  }
  if (domainName === undefined && (hostedZoneId !== undefined || originCertificateArn !== undefined)) {
    throw new Error(
      `${PUBLIC_EDGE_CONTEXT.hostedZoneId} and ${PUBLIC_EDGE_CONTEXT.originCertificateArn} need ${PUBLIC_EDGE_CONTEXT.domainName}`,
    );
  }
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function acmArnRegion(label: string, arn: string): string {
  const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(arn);
  if (!match?.[1]) {
    throw new Error(
      `${label} must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>), got "${arn}"`,
    );
  }
  return match[1];
}

/** AWS WAF counts at least 10 requests per window. */
function rateLimit(label: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 10 || value > 2_000_000_000) {
    throw new Error(
      `${label} must be a whole number of requests per IP per minute from 10 to 2000000000, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function routeThrottle(label: string, value: unknown): RouteThrottle {
  const { rateLimit: rate, burstLimit: burst } = (value ?? {}) as Partial<RouteThrottle>;
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.keys(value).some((k) => k !== 'rateLimit' && k !== 'burstLimit') ||
    typeof rate !== 'number' ||
    !(rate > 0) ||
    rate > 10_000 ||
    typeof burst !== 'number' ||
    !Number.isInteger(burst) ||
    burst < 1 ||
    burst > 5_000
  ) {
    throw new Error(
      `${label} must be {"rateLimit": requests per second (0 to 10000), "burstLimit": whole requests (1 to 5000)}, got ${JSON.stringify(value)}`,
    );
  }
  return { rateLimit: rate, burstLimit: burst };
}

function json(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`context ${key} must be JSON, got ${JSON.stringify(value)}`);
  }
}

/** A number for all three routes, or `{"forms": 60, "unsubscribe": 300, "confirm": 60}` (any of them). */
function rateLimitsFrom(key: string, value: unknown): Partial<RateLimitsPerIp> | undefined {
  if (value === undefined) return undefined;
  const parsed = json(key, value);
  if (typeof parsed === 'number') {
    const limit = rateLimit(`context ${key}`, parsed);
    return { forms: limit, unsubscribe: limit, confirm: limit };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `context ${key} must be a number or an object of forms, unsubscribe and confirm, got ${JSON.stringify(value)}`,
    );
  }
  const limits: Record<string, number> = {};
  for (const [route, limit] of Object.entries(parsed)) {
    if (!(route in DEFAULT_RATE_LIMITS_PER_IP)) {
      throw new Error(
        `context ${key} has an unknown route "${route}"; the routes are forms, unsubscribe and confirm`,
      );
    }
    limits[route] = rateLimit(`context ${key}.${route}`, limit);
  }
  return limits;
}

/** `common,bot`, `common`, `none` (or a JSON array of the names). */
function managedRulesFrom(key: string, value: unknown): ManagedRuleSet[] | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(',').map((s) => s.trim())
      : [value];
  if (names.length === 1 && names[0] === 'none') return [];
  for (const name of names) {
    if (!MANAGED_RULE_SETS.includes(name as ManagedRuleSet)) {
      throw new Error(
        `context ${key} must list common and/or bot (comma-separated), or be none; got ${JSON.stringify(value)}`,
      );
    }
  }
  return [...new Set(names as ManagedRuleSet[])];
}

/** `{"POST /v1/forms/{formId}/submissions": {"rateLimit": 20, "burstLimit": 40}, ...}`, keys from the route table. */
function routeThrottlesFrom(key: string, value: unknown): RouteThrottles | undefined {
  if (value === undefined) return undefined;
  const parsed = json(key, value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `context ${key} must be an object of route keys ("POST /v1/forms/{formId}/submissions") to throttles`,
    );
  }
  const known = new Set(ROUTES.map((route) => `${route.method} ${route.path}`));
  const throttles: Record<string, RouteThrottle> = {};
  for (const [route, throttle] of Object.entries(parsed)) {
    if (!known.has(route)) {
      throw new Error(
        `context ${key} names "${route}", which is not a route of the API (METHOD /path as in functions/shared/routes.ts)`,
      );
    }
    throttles[route] = routeThrottle(`context ${key}["${route}"]`, throttle);
  }
  return throttles;
}
