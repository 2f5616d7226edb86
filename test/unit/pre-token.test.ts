import type { Context, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { personName } from '../../functions/core/kernel/person-name';
import { handler } from '../../functions/handlers/pre-token';

const context = { functionName: 'pre-token', awsRequestId: 'req-1' } as Context;

/** The V2_0 event Cognito sends when managed login issues tokens (shape from the Cognito guide). */
function tokenEvent(
  userAttributes: Record<string, string>,
  userName = 'ada',
): PreTokenGenerationV2TriggerEvent {
  return {
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_AbCdEf123',
    userName,
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'console-client' },
    request: {
      userAttributes: { sub: '5f2c…', email: 'ada@example.com', ...userAttributes },
      groupConfiguration: { groupsToOverride: ['sales'], iamRolesToOverride: [], preferredRole: undefined },
      scopes: ['openid', 'email', 'profile'],
    },
    response: { claimsAndScopeOverrideDetails: {} },
  } as PreTokenGenerationV2TriggerEvent;
}

describe('pre token generation (Cognito V2_0)', () => {
  it("adds the person's name to the access token and nothing to the ID token or groups", async () => {
    const result = (await handler(
      tokenEvent({ name: 'Ada Lovelace' }),
      context,
    )) as PreTokenGenerationV2TriggerEvent;

    expect(result.response.claimsAndScopeOverrideDetails).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { name: 'Ada Lovelace' } },
    });
  });

  it('joins given and family name when the pool has no full name (a federated person)', async () => {
    const result = (await handler(
      tokenEvent({ given_name: 'Grace', family_name: 'Hopper' }, 'okta_grace'),
      context,
    )) as PreTokenGenerationV2TriggerEvent;

    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      name: 'Grace Hopper',
    });
  });

  it('falls back to the user name when the person has no name at all', async () => {
    const result = (await handler(
      tokenEvent({ name: '  ' }, 'ravi'),
      context,
    )) as PreTokenGenerationV2TriggerEvent;

    expect(
      result.response.claimsAndScopeOverrideDetails.accessTokenGeneration?.claimsToAddOrOverride,
    ).toEqual({
      name: 'ravi',
    });
  });
});

describe('personName', () => {
  it.each([
    [{ name: 'Sofia  Rossi\n' }, 'sofia', 'Sofia Rossi'],
    [{ name: 'Mia\u200b Chen\u0007' }, 'mia', 'Mia Chen'],
    [{ given_name: 'Alex' }, 'alex', 'Alex'],
    [{ family_name: 'Okafor' }, 'alex', 'Okafor'],
    [{}, ' maya ', 'maya'],
    [{}, '', 'unknown'],
  ])('%o with user name %j is recorded as %j', (attributes, username, expected) => {
    expect(personName(attributes, username)).toBe(expected);
  });

  it('keeps at most 200 characters', () => {
    expect(personName({ name: 'A'.repeat(500) }, 'ada')).toHaveLength(200);
  });
});
