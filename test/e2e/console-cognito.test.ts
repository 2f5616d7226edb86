import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoSignIn } from '../../console/src/config';
import type { LocalStack } from '../../functions/local/stack';
import { startTestStack } from '../fixtures/local-api';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './local-stack';

/**
 * The console's Cognito path in Chromium: config.json says `kind: cognito` with the endpoints given
 * (as the AWS deployment writes it), pointing at the local OpenID provider for sign-in. The console
 * signs in without discovery, and signs out by revoking the refresh token and going to the managed
 * login's /logout, which is intercepted here (there is no Cognito on this machine).
 */
let stack: LocalStack;
let browser: Browser;
const MANAGED_LOGIN = 'https://leadflow-test-123456789012.auth.eu-west-1.amazoncognito.com';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the console with Cognito sign-in', () => {
  it('signs in with the given endpoints, then signs out: refresh token revoked, managed login /logout with the client and the console URL', async () => {
    const discovery = (await (
      await fetch(`${stack.auth.issuer}/.well-known/openid-configuration`)
    ).json()) as {
      authorization_endpoint: string;
      token_endpoint: string;
    };
    // Same origin as the provider (the console's CSP allows it), answered here: the local provider has no revocation.
    const revocationEndpoint = `${stack.auth.issuer}/test-revoke`;
    const auth: CognitoSignIn = {
      kind: 'cognito',
      issuer: stack.auth.issuer,
      clientId: stack.auth.clientId,
      scopes: ['openid', 'email', 'profile'],
      domain: MANAGED_LOGIN,
      authorizationEndpoint: discovery.authorization_endpoint,
      tokenEndpoint: discovery.token_endpoint,
      revocationEndpoint,
      logoutEndpoint: `${MANAGED_LOGIN}/logout`,
    };
    const context = await browser.newContext();
    await context.route('**/console/config.json', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ apiUrl: stack.apiUrl, auth }),
      }),
    );
    const revoked: string[] = [];
    await context.route(revocationEndpoint, async (route) => {
      const request = route.request();
      if (request.method() === 'POST') revoked.push(request.postData() ?? '');
      await route.fulfill({
        status: 200,
        headers: {
          'access-control-allow-origin': stack.apiUrl,
          'access-control-allow-headers': 'content-type, accept',
        },
        body: '',
      });
    });
    await context.route(`${MANAGED_LOGIN}/**`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>Signed out</title><h1>Signed out</h1>',
      }),
    );
    const page = await context.newPage();
    const discovered: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/.well-known/openid-configuration')) discovered.push(request.url());
    });

    const user = stack.auth.users.find((u) => u.username === 'ravi');
    if (!user) throw new Error('no seeded rep ravi');
    await page.goto(`${stack.apiUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('User name or email').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.apiUrl}/console/**`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const session = JSON.parse(
      (await page.evaluate(() => sessionStorage.getItem('leadflow.session'))) ?? '{}',
    );
    expect(session).toMatchObject({ username: 'ravi', roles: ['sales'] });
    expect(discovered).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${MANAGED_LOGIN}/logout?**`);
    const logout = new URL(page.url());
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: stack.auth.clientId,
      logout_uri: `${stack.apiUrl}/console/`,
    });
    expect(revoked).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(revoked[0]))).toMatchObject({
      token: session.refreshToken,
      client_id: stack.auth.clientId,
    });

    // Back at the console (where Cognito sends the browser): signed out.
    await page.goto(`${stack.apiUrl}/console/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('leadflow.session'))).toBeNull();
    await context.close();
  });
});
