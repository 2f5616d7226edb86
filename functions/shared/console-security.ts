/**
 * The console's Content-Security-Policy, the same locally (functions/local/server.ts) and on AWS
 * (infra/constructs/console-hosting.ts): scripts, styles and API calls from the console's own origin
 * only, token calls to the sign-in provider's origins, never framed, no plug-ins, forms post home.
 */
export function consoleContentSecurityPolicy(signInOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...signInOrigins].join(' '),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
