/** The small pages of the unsubscribe link: self-contained (no scripts, no external assets), escaped. */

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(title: string, content: string): string {
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

/** GET: one button that POSTs the same URL (token included): nothing changes until it is pressed. */
export function unsubscribePage(token: string): string {
  return page(
    'Unsubscribe',
    `<p>Stop receiving marketing emails from us at this address?</p>
<form method="post" action="?t=${escapeHtml(encodeURIComponent(token))}">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function unsubscribedPage(): string {
  return page(
    'You are unsubscribed',
    '<p>You will not receive marketing emails from us at this address any more. It can take a moment for emails already on their way to stop.</p>',
  );
}

export function invalidLinkPage(): string {
  return page(
    'This link is not valid',
    '<p>We could not read this unsubscribe link. Please use the link from the latest email you received from us, or reply to that email and ask to be unsubscribed.</p>',
  );
}
