/**
 * Sign-in through a provider's OpenID discovery document (the local provider started by `npm start`,
 * or any OpenID provider with an end-session endpoint).
 */
export interface OidcSignIn {
  kind?: 'oidc';
  issuer: string;
  clientId: string;
  scopes: string[];
}

/**
 * Sign-in through an Amazon Cognito user pool's managed login (AWS). Its endpoints are given, not
 * discovered: the discovery document is on another host than the managed login, and Cognito has no
 * end-session endpoint, signing out at `<domain>/logout` instead.
 */
export interface CognitoSignIn {
  kind: 'cognito';
  /** The `iss` of the pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  issuer: string;
  clientId: string;
  scopes: string[];
  /** The managed login domain: `https://<prefix>.auth.<region>.amazoncognito.com`. */
  domain: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  logoutEndpoint: string;
}

/** /console/config.json: where the API is and which provider people sign in with. */
export interface ConsoleConfig {
  apiUrl: string;
  /** null when sign-in is not configured for this deployment. */
  auth: OidcSignIn | CognitoSignIn | null;
}

let loaded: Promise<ConsoleConfig> | undefined;

export function consoleConfig(): Promise<ConsoleConfig> {
  loaded ??= fetch('/console/config.json', { cache: 'no-store' }).then(async (res) => {
    if (!res.ok) throw new Error(`config.json answered ${res.status}`);
    const config = (await res.json()) as ConsoleConfig;
    return { apiUrl: config.apiUrl.replace(/\/$/, ''), auth: config.auth?.issuer ? config.auth : null };
  });
  return loaded;
}
