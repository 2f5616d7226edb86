import {
  cognitoAccessTokenVerifier,
  eitherVerifier,
  oidcAccessTokenVerifier,
} from '../../adapters/auth/jwt-verifier';
import type { TokenVerifier } from '../../core/kernel/auth';
import { authConfig } from '../config';
import { tokenStore } from './kernel';

/**
 * Who is calling: a signed-in person's access token (Cognito on AWS, the local OpenID provider on
 * `npm start`) or a machine's API token. Without auth settings only API tokens are accepted.
 * Apart from kernel.ts so that only the functions of routes a person signs in to bundle
 * aws-jwt-verify: the public routes (forms, webhooks, unsubscribe, confirm) import the kernel's
 * stores and never parse the JWT verifier at cold start (test/infra/bundle-inputs.test.ts).
 */
export function requestVerifier(): TokenVerifier {
  const auth = authConfig();
  const apiTokens = tokenStore();
  if (auth.kind === 'cognito') return eitherVerifier(cognitoAccessTokenVerifier(auth), apiTokens);
  if (auth.kind === 'oidc') return eitherVerifier(oidcAccessTokenVerifier(auth), apiTokens);
  return apiTokens;
}
