import { Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { LeadflowFunction } from './leadflow-function';

/** The groups people are put in; each gives the API role of the same name. */
export const CONSOLE_GROUPS = [
  { name: 'admin', description: 'Everything, including tokens, settings and erasure.' },
  { name: 'sales-manager', description: 'Sales rights, plus the team views.' },
  { name: 'sales', description: 'Claims hot leads and records outcomes.' },
  { name: 'marketing', description: 'Forms, scoring, nurture and lead look-ups.' },
] as const;

/** What the console asks for at sign-in (its app client allows these and no others). */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;

/** A company identity provider speaking OpenID Connect (Entra ID, Okta, Google Workspace...). */
export interface ConsoleOidcProvider {
  /** Shown on the managed login page; letters, digits, spaces, `-` and `_`. */
  readonly name: string;
  readonly issuerUrl: string;
  readonly clientId: string;
  /** The name of the Secrets Manager secret holding the client secret. */
  readonly clientSecretName: string;
  /** @default ['openid', 'email', 'profile'] */
  readonly scopes?: string[];
}

/** A company identity provider speaking SAML 2.0. */
export interface ConsoleSamlProvider {
  readonly name: string;
  /** The IdP's metadata document URL. */
  readonly metadataUrl: string;
}

export interface ConsoleAuthProps {
  /** The managed login domain: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
  /** Where the console is sent back with the authorization code. */
  readonly callbackUrls: string[];
  /** Where the console is sent back after signing out. */
  readonly logoutUrls: string[];
  /**
   * `optional`: each person may add a TOTP app; `required`: nobody signs in without one.
   * @default 'optional'
   */
  readonly mfa?: 'optional' | 'required';
  readonly oidcProviders?: ConsoleOidcProvider[];
  readonly samlProviders?: ConsoleSamlProvider[];
  /** @default RemovalPolicy.RETAIN (people and their MFA enrolments are not re-creatable) */
  readonly removalPolicy?: RemovalPolicy;
}

/** Context keys a stack can read the federation from (`cdk deploy -c leadflow:consoleOidcProviders='[...]'`). */
export const CONSOLE_OIDC_CONTEXT = 'leadflow:consoleOidcProviders';
export const CONSOLE_SAML_CONTEXT = 'leadflow:consoleSamlProviders';

/** The identity providers given as JSON arrays in the app context; none when absent. */
export function consoleProvidersFromContext(
  scope: Construct,
): Pick<ConsoleAuthProps, 'oidcProviders' | 'samlProviders'> {
  const read = <T>(key: string): T[] => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined) return [];
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (!Array.isArray(parsed)) throw new Error(`context ${key} must be a JSON array`);
    return parsed as T[];
  };
  return {
    oidcProviders: read<ConsoleOidcProvider>(CONSOLE_OIDC_CONTEXT),
    samlProviders: read<ConsoleSamlProvider>(CONSOLE_SAML_CONTEXT),
  };
}

/**
 * How people sign in to the Leadflow Console: a Cognito user pool (no self sign-up; admins add
 * people and put them in a group), its managed login pages, and one public app client using the
 * authorization code grant with PKCE. The API verifies the client's access tokens itself.
 */
export class ConsoleAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The `iss` of the pool's tokens. */
  readonly issuer: string;
  /** Pre token generation (V2_0): puts the person's name in access tokens (functions/handlers/pre-token.ts). */
  readonly preToken: LeadflowFunction;

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);
    const mfa = props.mfa ?? 'optional';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: true, mutable: true },
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Essentials: managed login and access-token customization; threat protection needs Plus.
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // A throwaway (DESTROY) pool must be deletable with its stack.
      deletionProtection: props.removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    // Access tokens carry no name, and the API records who made a change from them. The V2_0 event may
    // add claims to access tokens; it needs the Essentials feature plan set above.
    this.preToken = new LeadflowFunction(this, 'PreToken', {
      entry: 'pre-token',
      description: "Leadflow: puts the person's name in the console's access tokens",
      memorySize: 256,
      // Cognito waits 5 seconds for a trigger, then fails the sign-in.
      timeout: Duration.seconds(5),
      ...(props.removalPolicy !== undefined && { logRemovalPolicy: props.removalPolicy }),
    });
    this.userPool.addTrigger(
      cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preToken.function,
      cognito.LambdaVersion.V2_0,
    );

    for (const [precedence, group] of CONSOLE_GROUPS.entries()) {
      this.userPool.addGroup(`Group-${group.name}`, {
        groupName: group.name,
        description: group.description,
        precedence,
      });
    }

    const federated = this.identityProviders(props);

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'leadflow-console',
      generateSecret: false,
      // Passwords only through SRP (never sent in clear); refresh tokens are always allowed.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: CONSOLE_SCOPES.map((scope) => cognito.OAuthScope.custom(scope)),
        callbackUrls: props.callbackUrls,
        logoutUrls: props.logoutUrls,
      },
      supportedIdentityProviders: [
        cognito.UserPoolClientIdentityProvider.COGNITO,
        ...federated.map((idp) => cognito.UserPoolClientIdentityProvider.custom(idp.name)),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        emailVerified: true,
        fullname: true,
      }),
    });
    for (const { provider } of federated) this.client.node.addDependency(provider);

    // Managed login pages need a style for the client; Cognito's own is used.
    new cognito.CfnManagedLoginBranding(this, 'Branding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;

    if (mfa === 'optional') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional while the console is rolled out: every person can enrol a TOTP app from managed ' +
          'login, and federated people get MFA from their company IdP. Set mfa: "required" once all ' +
          'password users have enrolled.',
      });
    }
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (compromised credentials, adaptive authentication) needs the Plus feature plan, ' +
        'billed per monthly active user on top of Essentials. A handful of internal users with a 14-character ' +
        'password policy, optional TOTP and no self sign-up do not justify it yet; revisit with the number of users.',
    });
  }

  private identityProviders(props: ConsoleAuthProps): { name: string; provider: Construct }[] {
    const attributeMapping: cognito.AttributeMapping = {
      email: cognito.ProviderAttribute.other('email'),
      fullname: cognito.ProviderAttribute.other('name'),
    };
    const oidc = (props.oidcProviders ?? []).map((p) => ({
      name: p.name,
      provider: new cognito.UserPoolIdentityProviderOidc(this, `Oidc-${p.name}`, {
        userPool: this.userPool,
        name: p.name,
        issuerUrl: p.issuerUrl,
        clientId: p.clientId,
        // A {{resolve:secretsmanager:...}} reference: CloudFormation reads the secret, the template never holds it.
        clientSecret: SecretValue.secretsManager(p.clientSecretName).unsafeUnwrap(),
        scopes: p.scopes ?? ['openid', 'email', 'profile'],
        attributeRequestMethod: cognito.OidcAttributeRequestMethod.GET,
        attributeMapping,
      }),
    }));
    const saml = (props.samlProviders ?? []).map((p) => ({
      name: p.name,
      provider: new cognito.UserPoolIdentityProviderSaml(this, `Saml-${p.name}`, {
        userPool: this.userPool,
        name: p.name,
        metadata: cognito.UserPoolIdentityProviderSamlMetadata.url(p.metadataUrl),
        attributeMapping: {
          email: cognito.ProviderAttribute.other(
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
          ),
          fullname: cognito.ProviderAttribute.other(
            'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
          ),
        },
      }),
    }));
    return [...oidc, ...saml];
  }
}
