import type { HttpResult } from './http';

/** The small pages behind links in emails (unsubscribe, confirm): self-contained, no scripts, escaped. */

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

export function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#1f2933;color:#fff;cursor:pointer}
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>
`;
}

/** One button that POSTs the same link (token included): nothing changes until it is pressed. */
export function postButton(token: string, label: string): string {
  return `<form method="post" action="?t=${escapeHtml(encodeURIComponent(token))}">
<button type="submit">${escapeHtml(label)}</button>
</form>`;
}

export function htmlResponse(statusCode: number, body: string): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // No external assets, no scripts; the token stays off other sites' logs.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'referrer-policy': 'no-referrer',
      'x-robots-tag': 'noindex',
    },
    body,
  };
}
