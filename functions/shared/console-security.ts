/**
 * The console's Content-Security-Policy, the same locally (functions/local/server.ts) and on AWS
 * (infra/constructs/console-hosting.ts): scripts, styles and API calls from the console's own origin
 * only, token calls to the sign-in provider's origins, never framed, no plug-ins, forms post home.
 * Inline styles are allowed (scripts are not): the template editor previews an email, all inline
 * styles, in a sandboxed srcdoc frame, which inherits this policy; CodeMirror injects its theme as a
 * <style>. Email images load from any https origin, as they would in the reader's mail client.
 */
export function consoleContentSecurityPolicy(signInOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    ["connect-src 'self'", ...signInOrigins].join(' '),
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
