import { escapeHtml, formSnippet } from '../core/capture/embed-snippet';
import type { Form } from '../core/capture/form';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
section{border:1px solid #d7dce5;border-radius:8px;padding:1rem 1.5rem;margin:1.5rem 0}
.field{margin:.6rem 0}label{display:block;font-weight:600}.check{font-weight:400}
input:not([type=checkbox]),select,textarea{width:100%;padding:.4rem;font:inherit;box-sizing:border-box}
[aria-invalid=true]{border:2px solid #c62828}.leadflow-error{color:#c62828;font-size:.9rem}
[data-leadflow-message]{font-weight:600}.leadflow-notice{color:#c62828;font-weight:600}.consent-text{font-size:.85rem;color:#555}
button{padding:.5rem 1rem;font:inherit}`;

/**
 * The page's own words for each error code the API redirects with (?error=<code>): nothing from
 * the query is shown but the names of the form's own fields, so a crafted link cannot put text
 * on the page. An unknown code gets the generic message.
 */
export const ERROR_MESSAGES: Readonly<Record<string, string>> = {
  validation_failed: 'The submission has invalid fields.',
  rate_limited: 'Too many attempts. Please wait a minute and try again.',
  origin_not_allowed: 'This form cannot be sent from this page.',
  form_not_found: 'This form is not available right now.',
  payload_too_large: 'The form is too large to send. Please shorten your answers.',
};
export const GENERIC_ERROR = 'Something went wrong. Please try again.';

/** With JavaScript off, the redirect's ?error= is shown by the page itself (as a site's server would). */
function errorNotice(form: Form, query: URLSearchParams): string {
  const code = query.get('error');
  if (!code || query.get('error_form') !== form.id) return '';
  const text = Object.hasOwn(ERROR_MESSAGES, code) ? ERROR_MESSAGES[code] : GENERIC_ERROR;
  const named = (query.get('error_fields') ?? '').split(',');
  const fields = form.fields.filter((f) => named.includes(f.name)).map((f) => f.label ?? f.name);
  const message = `${text}${fields.length > 0 ? ` Check: ${fields.join(', ')}.` : ''}`;
  return `<p class="leadflow-notice" role="alert">${escapeHtml(message)}</p>`;
}

export function demoPage(forms: Form[], apiUrl: string, query = new URLSearchParams()): string {
  const sections = forms
    .map(
      (f) =>
        `<section><h2>${escapeHtml(f.name)}</h2><p>${escapeHtml(f.description ?? '')}</p>\n${errorNotice(f, query)}${formSnippet(f, apiUrl)}</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Leadflow demo forms</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>Leadflow demo forms</h1>
<p>Each form posts to the local API. With JavaScript the embed script sends JSON and shows errors inline; without it the browser posts the form and follows the redirect.</p>
${sections}
<script src="${apiUrl}/v1/embed.js" defer></script>
</body></html>`;
}

export function thanksPage(formId: string | null, doubleOptIn = false): string {
  // A double opt-in form's thank-you page is the marketer's; this demo one says what happens next.
  const next = doubleOptIn
    ? '<p id="confirm-notice">Please check your inbox: click the link in our email to confirm your subscription. Nothing is sent until you do.</p>'
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title><style>${STYLE}</style></head>
<body><h1 id="thanks">Thank you!</h1><p>We received your ${escapeHtml(formId ?? 'form')} submission.</p>${next}<p><a href="/">Back to the demo forms</a></p></body></html>`;
}
