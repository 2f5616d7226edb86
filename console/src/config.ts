/** /console/config.json: where the API is and which OpenID provider people sign in with. */
export interface ConsoleConfig {
  apiUrl: string;
  /** null when sign-in is not configured for this deployment. */
  auth: { issuer: string; clientId: string; scopes: string[] } | null;
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
