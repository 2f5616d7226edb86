import type { Form, FormField } from './form';

/**
 * The HTML a web developer pastes to put a form on a page: the demo page shows it, and the forms
 * admin answers it (with the embed script's tag) for the console's Copy button.
 */
export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/**
 * Element ids carry the form id: the page shows several forms with the same field names, and a
 * repeated id would tie a label to another form's field. Field names have no '-', so
 * `f-<form>-<field>` never repeats.
 */
const fieldId = (form: Form, field: FormField) => `f-${form.id}-${field.name}`;
const consentTextId = (form: Form) => `consent-text-${form.id}`;

function input(form: Form, field: FormField): string {
  const id = fieldId(form, field);
  const label = escapeHtml(field.label ?? field.name);
  const required = field.required ? ' required' : '';
  switch (field.type) {
    case 'boolean': {
      // The consent box is described by the consent text shown under the fields.
      const describedBy =
        form.consent?.field === field.name ? ` aria-describedby="${consentTextId(form)}"` : '';
      return `<label class="check"><input type="checkbox" id="${id}" name="${field.name}" value="true"${describedBy}${required}> ${label}</label>`;
    }
    case 'textarea':
      return `<label for="${id}">${label}</label><textarea id="${id}" name="${field.name}" maxlength="${field.maxLength}"${required}></textarea>`;
    case 'select':
      return `<label for="${id}">${label}</label><select id="${id}" name="${field.name}"${required}><option value=""></option>${field.options
        .map((o) => `<option>${escapeHtml(o)}</option>`)
        .join('')}</select>`;
    default: {
      const type =
        field.type === 'email'
          ? 'email'
          : field.type === 'phone'
            ? 'tel'
            : field.type === 'number'
              ? 'number'
              : 'text';
      // `novalidate` on the form leaves validation to the API, so its errors show the same with or without JS.
      return `<label for="${id}">${label}</label><input type="${type}" id="${id}" name="${field.name}"${required}>`;
    }
  }
}

/** The embed snippet for one form, as README tells a web developer to paste it (labels tied to fields by id). */
export function formSnippet(form: Form, apiUrl: string): string {
  const consent = form.consent
    ? `\n  <p class="consent-text" id="${consentTextId(form)}">${escapeHtml(form.consent.text)}</p>`
    : '';
  const fields = form.fields.map((f) => `  <div class="field">${input(form, f)}</div>`).join('\n');
  return `<form data-leadflow novalidate method="post" action="${apiUrl}/v1/forms/${form.id}/submissions" id="form-${form.id}">
${fields}${consent}
  <input type="text" name="${form.honeypotField}" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-9999px">
  <button type="submit">${escapeHtml(form.name)}</button>
</form>`;
}

/** The snippet with the script tag that enhances it (GET /v1/embed.js). */
export function embedSnippet(form: Form, apiUrl: string): string {
  return `${formSnippet(form, apiUrl)}\n<script src="${apiUrl}/v1/embed.js" defer></script>\n`;
}
