/**
 * /v1/embed.js: progressive enhancement for a plain HTML form with `data-leadflow`.
 * Without JavaScript the form posts urlencoded and the API answers 303 (thank-you page, or
 * back with ?error=<code>). With it, the script posts JSON with an Idempotency-Key, shows field
 * errors inline and a success message, and falls back to the plain post if the network fails.
 * After a redirect back it shows its own fixed message for the code (unknown codes: a generic
 * one) and marks only the form's own fields: nothing else from the query reaches the page.
 * Dependency-free, ES2017, no globals but `Leadflow`.
 */
export const EMBED_SCRIPT = `(function () {
  'use strict';
  var ERR = 'leadflow-error';
  var GENERIC = 'Something went wrong. Please try again.';
  var MESSAGES = {
    validation_failed: 'The submission has invalid fields.',
    rate_limited: 'Too many attempts. Please wait a minute and try again.',
    origin_not_allowed: 'This form cannot be sent from this page.',
    form_not_found: 'This form is not available right now.',
    payload_too_large: 'The form is too large to send. Please shorten your answers.'
  };
  function key() {
    return (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function clearErrors(form) {
    form.querySelectorAll('.' + ERR).forEach(function (el) { el.remove(); });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    var summary = form.querySelector('[data-leadflow-message]');
    if (summary) summary.textContent = '';
  }
  function message(form, text) {
    var box = form.querySelector('[data-leadflow-message]');
    if (!box) {
      box = document.createElement('p');
      box.setAttribute('data-leadflow-message', '');
      box.setAttribute('role', 'alert');
      form.appendChild(box);
    }
    box.textContent = text;
  }
  function fieldError(form, path, text) {
    var input = form.elements.namedItem(path);
    if (!input || !input.insertAdjacentElement) { message(form, path + ' ' + text); return; }
    input.setAttribute('aria-invalid', 'true');
    var span = document.createElement('span');
    span.className = ERR;
    span.setAttribute('data-leadflow-error-for', path);
    span.textContent = text;
    input.insertAdjacentElement('afterend', span);
  }
  function showError(form, error) {
    var details = (error && error.details) || [];
    details.forEach(function (d) { fieldError(form, d.path, d.message); });
    message(form, (error && error.message) || GENERIC);
  }
  function formId(form) {
    var rest = form.action.split('/v1/forms/')[1] || '';
    return decodeURIComponent(rest.split('/')[0]);
  }
  function showQueryError(form) {
    var q = new URLSearchParams(location.search);
    // Only the form that failed: a page may carry several.
    if (!q.get('error') || q.get('error_form') !== formId(form)) return;
    (q.get('error_fields') || '').split(',').forEach(function (p) {
      var input = p && p.charAt(0) !== '_' && form.elements.namedItem(p);
      if (input && input.insertAdjacentElement) fieldError(form, p, 'please check this field');
    });
    var code = q.get('error');
    message(form, Object.prototype.hasOwnProperty.call(MESSAGES, code) ? MESSAGES[code] : GENERIC);
  }
  function enhance(form) {
    if (form.__leadflow) return;
    form.__leadflow = true;
    ['_page', '_referrer'].forEach(function (name) {
      if (form.elements.namedItem(name)) return;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = name === '_page' ? location.href : document.referrer;
      form.appendChild(input);
    });
    showQueryError(form);
    var attempt = null;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors(form);
      var data = {};
      new FormData(form).forEach(function (value, name) { if (typeof value === 'string') data[name] = value; });
      attempt = attempt || key();
      var button = form.querySelector('[type=submit]');
      if (button) button.disabled = true;
      fetch(form.action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': attempt },
        body: JSON.stringify(data)
      }).then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) {
          if (button) button.disabled = false;
          if (res.status === 202) {
            attempt = null;
            var done = form.getAttribute('data-success-message') || 'Thank you! We received your details.';
            form.dispatchEvent(new CustomEvent('leadflow:success', { detail: body }));
            form.reset();
            message(form, done);
            form.setAttribute('data-leadflow-state', 'success');
            return;
          }
          if (res.status !== 429) attempt = null;
          form.setAttribute('data-leadflow-state', 'error');
          showError(form, body.error);
        });
      }).catch(function () {
        // Network trouble: let the browser post the form itself.
        form.__leadflow = false;
        HTMLFormElement.prototype.submit.call(form);
      });
    });
  }
  function init() { document.querySelectorAll('form[data-leadflow]').forEach(enhance); }
  window.Leadflow = { init: init };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
})();
`;
