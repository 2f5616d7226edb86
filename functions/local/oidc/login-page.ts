const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const STYLE = `<style>
  body { font: 1rem/1.5 system-ui, sans-serif; max-width: 24rem; margin: 3rem auto; padding: 0 1rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; }
  button { margin-top: 1.5rem; padding: .5rem 1.25rem; font: inherit; }
  :focus-visible { outline: 3px solid #1a55c4; outline-offset: 2px; }
  #error { color: #a1001b; font-weight: 600; }
</style>`;

const shell = (title: string, main: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${STYLE}
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;

/**
 * The sign-out question the console's "Sign out" leads to: `form` is the provider's own form
 * (its action and anti-forgery field); the buttons submit it, "yes" signs out. No script.
 */
export function logoutPage(form: string): string {
  return shell(
    'Sign out – Leadflow (local)',
    `<h1>Sign out of Leadflow?</h1>
${form}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button>`,
  );
}

/** After signing out when the console gave no address to return to. */
export function signedOutPage(): string {
  return shell(
    'Signed out – Leadflow (local)',
    '<h1>You are signed out</h1>\n<p>You can close this tab.</p>',
  );
}

/** A request the provider refuses before any sign-in (an unknown client or redirect, no PKCE). */
export function errorPage(error: string, description?: string): string {
  return shell(
    'Error: Sign in – Leadflow (local)',
    `<h1>This sign-in cannot go on</h1>
<p id="error" role="alert">${escapeHtml(description ?? error)}</p>
<p>Go back to the console and sign in again.</p>`,
  );
}

/**
 * The local sign-in page: one h1, labelled fields in reading order (Tab, Enter submits), the error
 * announced and linked to the fields, and a link to cancel. No script.
 */
export function loginPage(options: { uid: string; login?: string; error?: string }): string {
  const { uid, login = '', error } = options;
  const action = `/interaction/${encodeURIComponent(uid)}`;
  const described = error ? ' aria-describedby="error" aria-invalid="true"' : '';
  return shell(
    `${error ? 'Error: ' : ''}Sign in – Leadflow (local)`,
    `<h1>Sign in to Leadflow</h1>
<p>Local stack: use one of the people and passwords printed by <code>npm start</code>.</p>
${error ? `<p id="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${action}/login">
  <label for="login">User name or email</label>
  <input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(login)}"${described}${error ? '' : ' autofocus'}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${described}${error ? ' autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>
<p><a href="${action}/abort">Cancel and go back</a></p>`,
  );
}
