import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalOidc, startLocalOidc } from '../../functions/local/oidc/provider';
import { seriousViolations } from './axe';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './local-stack';

/**
 * The local sign-in page (functions/local/oidc) as a person meets it: in headless Chromium, through
 * the authorization code + PKCE redirect, by keyboard only, checked with axe (no serious or
 * critical violation) in its first and its error state, and photographed for README.
 */
let REDIRECT_URI = '';
let oidc: LocalOidc;
let browser: Browser;
/** Stands in for the console at the redirect URI: records where the browser was sent. */
const callbacks: URL[] = [];
let console_: Server;

beforeAll(async () => {
  console_ = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? '/', REDIRECT_URI));
    res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Console</title><h1>Signed in</h1>');
  });
  await new Promise<void>((resolve) => console_.listen(0, '127.0.0.1', resolve));
  REDIRECT_URI = `http://127.0.0.1:${(console_.address() as AddressInfo).port}/auth/callback`;
  oidc = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI] });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  await mkdir('docs/screenshots', { recursive: true });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  await oidc?.stop();
  await new Promise((resolve) => console_?.close(resolve));
});

async function openSignIn(): Promise<{ page: Page }> {
  const context = await browser.newContext({ viewport: { width: 800, height: 640 } });
  const page = await context.newPage();
  const verifier = randomBytes(32).toString('base64url');
  const auth = new URL(`${oidc.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: oidc.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  await page.goto(auth.toString());
  return { page };
}

describe('the local sign-in page in Chromium', () => {
  it('has no serious or critical axe violation, before and after a wrong password', async () => {
    const { page } = await openSignIn();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sign in to Leadflow');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'docs/screenshots/sign-in.png' });

    await page.getByLabel('User name or email').fill('maya');
    await page.getByLabel('Password').fill('not-her-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    expect(await page.getByRole('alert').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: 'docs/screenshots/sign-in-error.png' });
    await page.context().close();
  }, 60_000);

  it('signs in with the keyboard only and returns to the console with a code', async () => {
    const { page } = await openSignIn();
    const maya = oidc.users.find((u) => u.username === 'maya');
    if (!maya) throw new Error('no seeded marketer');
    // Focus starts in the user-name field (autofocus); Tab moves to the password; Enter submits.
    // Typing before autofocus has applied would drop keys, so wait for it as a person would look.
    await page.waitForFunction(() => document.activeElement?.id === 'login');
    await page.keyboard.type(maya.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(maya.password);
    expect(await page.inputValue('#login')).toBe(maya.username);
    expect(await page.inputValue('#password')).toBe(maya.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${REDIRECT_URI}**`);
    // The browser also asks the stand-in for /favicon.ico: the redirect is the callback path.
    const callback = callbacks.filter((url) => url.pathname === '/auth/callback').at(-1);
    expect(callback?.searchParams.get('code')).toEqual(expect.any(String));
    expect(callback?.searchParams.get('error')).toBeNull();
    await page.context().close();
  }, 60_000);
});
