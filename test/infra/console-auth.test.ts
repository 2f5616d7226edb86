import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  CONSOLE_OIDC_CONTEXT,
  CONSOLE_SAML_CONTEXT,
  ConsoleAuth,
  type ConsoleAuthProps,
  consoleProvidersFromContext,
} from '../../infra/constructs/console-auth';
import { synthNagFindings } from './support';

const CALLBACK = 'https://console.leadflow.example/auth/callback';
const LOGOUT = 'https://console.leadflow.example/';

/** The construct alone in a bare stack, with cdk-nag AwsSolutions as in the app. */
function build(props: Partial<ConsoleAuthProps> = {}, context: Record<string, unknown> = {}) {
  const app = new App({ context });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'ConsoleAuthTest', { env: { account: '111111111111', region: 'eu-west-1' } });
  const auth = new ConsoleAuth(stack, 'ConsoleAuth', {
    domainPrefix: 'leadflow-test',
    callbackUrls: [CALLBACK],
    logoutUrls: [LOGOUT],
    ...consoleProvidersFromContext(stack),
    ...props,
  });
  return { app, stack, auth, template: () => Template.fromStack(stack) };
}

describe('ConsoleAuth (Cognito user pool for the console)', () => {
  const { template, auth, stack } = build();
  const t = template();

  it('has no self sign-up, email as a sign-in alias, a strong password policy and optional TOTP', () => {
    t.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AliasAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 5,
        },
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'ESSENTIALS',
      DeletionProtection: 'ACTIVE',
    });
    t.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('has the four groups, admin first', () => {
    const groups = Object.values(t.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g as { Properties: { GroupName: string; Precedence: number } }).Properties,
    );
    expect(groups.sort((a, b) => a.Precedence - b.Precedence).map((g) => g.GroupName)).toEqual([
      'admin',
      'sales-manager',
      'sales',
      'marketing',
    ]);
  });

  it('has one public app client: authorization code only, no secret, our URLs, openid/email/profile', () => {
    t.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'leadflow-console',
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [CALLBACK],
      LogoutURLs: [LOGOUT],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
  });

  it('has a managed login domain with the given prefix and a branding for the client', () => {
    t.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'leadflow-test',
      ManagedLoginVersion: 2,
    });
    t.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      ClientId: { Ref: Match.stringLikeRegexp('ConsoleClient') },
    });
  });

  it('gives the issuer the API verifies tokens against', () => {
    const issuer = JSON.stringify(stack.resolve(auth.issuer));
    expect(issuer).toContain('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(issuer).toContain(
      JSON.stringify({ Ref: stack.getLogicalId(auth.userPool.node.defaultChild as CfnElement) }),
    );
  });

  it('federates OIDC and SAML providers given in context, offered by the client', () => {
    const { template: federated } = build(
      {},
      {
        [CONSOLE_OIDC_CONTEXT]: JSON.stringify([
          {
            name: 'Entra',
            issuerUrl: 'https://login.microsoftonline.com/tenant/v2.0',
            clientId: 'abc',
            clientSecretName: 'leadflow/console/entra',
          },
        ]),
        [CONSOLE_SAML_CONTEXT]: [{ name: 'Okta', metadataUrl: 'https://example.okta.com/app/metadata' }],
      },
    );
    const f = federated();
    f.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Entra',
      ProviderType: 'OIDC',
      ProviderDetails: Match.objectLike({
        oidc_issuer: 'https://login.microsoftonline.com/tenant/v2.0',
        client_id: 'abc',
      }),
    });
    f.hasResourceProperties('AWS::Cognito::UserPoolIdentityProvider', {
      ProviderName: 'Okta',
      ProviderType: 'SAML',
      ProviderDetails: { MetadataURL: 'https://example.okta.com/app/metadata' },
    });
    f.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      SupportedIdentityProviders: ['COGNITO', 'Entra', 'Okta'],
    });
  });

  it('refuses federation context that is not a JSON array', () => {
    expect(() => build({}, { [CONSOLE_SAML_CONTEXT]: '{"name":"Okta"}' })).toThrow(/must be a JSON array/);
  });
});

describe('ConsoleAuth and cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged, with a reason for optional MFA and for no Plus plan', () => {
    const { app, auth } = build();
    expect(synthNagFindings(app)).toEqual([]);
    expect(Object.keys(acknowledged(auth.userPool)).sort()).toEqual([
      'AwsSolutions-COG2',
      'AwsSolutions-COG8',
    ]);
    // The pre token trigger carries only what every Leadflow function does (X-Ray's "*", the pinned runtime).
    expect(Object.keys(acknowledged(auth.preToken)).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
    ]);
  });

  it('needs no MFA acknowledgement when MFA is required', () => {
    const { app, auth, template } = build({ mfa: 'required' });
    template().hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    expect(synthNagFindings(app)).toEqual([]);
    expect(Object.keys(acknowledged(auth.userPool))).toEqual(['AwsSolutions-COG8']);
  });
});

function acknowledged(root: IConstruct): Record<string, string> {
  const found: Record<string, string> = {};
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found[id.replace(/^annotation::/i, '')] = reason;
      }
    }
  }
  return found;
}
