import {
  cognitoAccessTokenVerifier,
  eitherVerifier,
  oidcAccessTokenVerifier,
} from '../../adapters/auth/jwt-verifier';
import { DynamoConfigStore } from '../../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../../adapters/dynamodb/lead-store';
import { DynamoSuppressionStore } from '../../adapters/dynamodb/suppression-store';
import { DynamoTokenStore } from '../../adapters/dynamodb/token-store';
import type { TokenVerifier } from '../../core/kernel/auth';
import type { Clock } from '../../core/kernel/clock';
import { dynamo } from '../aws/dynamodb';
import { authConfig, storeConfig } from '../config';

/** What every context shares: the table's stores, API tokens and the wall clock. */
export const clock: Clock = { now: () => new Date() };

export const tableName = () => storeConfig().tableName;
export const configStore = () => new DynamoConfigStore(dynamo, tableName());
export const tokenStore = () => new DynamoTokenStore(dynamo, tableName());
export const leadStore = () => new DynamoLeadStore(dynamo, tableName());
export const suppressionStore = () => new DynamoSuppressionStore(dynamo, tableName());

/**
 * Who is calling: a signed-in person's access token (Cognito on AWS, the local OpenID provider on
 * `npm start`) or a machine's API token. Without auth settings only API tokens are accepted.
 */
export function requestVerifier(): TokenVerifier {
  const auth = authConfig();
  const apiTokens = tokenStore();
  if (auth.kind === 'cognito') return eitherVerifier(cognitoAccessTokenVerifier(auth), apiTokens);
  if (auth.kind === 'oidc') return eitherVerifier(oidcAccessTokenVerifier(auth), apiTokens);
  return apiTokens;
}
