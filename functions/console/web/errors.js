// How a failed API call is shown: the API's own code and message; refusals say so plainly.
import { ApiError } from './api.js';
import { h } from './dom.js';

export function errorBox(e) {
  if (e instanceof ApiError) {
    const title = e.status === 403 ? 'Not permitted' : e.status === 401 ? 'Not signed in' : `Error ${e.status || ''}`.trim();
    return h('div', { class: 'error', role: 'alert', 'data-status': e.status, 'data-code': e.code },
      h('strong', null, title), ` (${e.code}): ${e.message}`);
  }
  return h('div', { class: 'error', role: 'alert' }, h('strong', null, 'Error'), `: ${e.message}`);
}

/** Shows the API's validation message next to the field it names (the message starts with the field's name). */
export function showFieldErrors(form, e, fields) {
  form.querySelectorAll('.field-error').forEach((p) => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  if (!(e instanceof ApiError) || e.code !== 'VALIDATION') return false;
  const name = fields.find((f) => e.message.startsWith(f) || e.message.startsWith(`rate.${f}`)
    || e.message.startsWith(`"${f}"`));
  if (!name) return false;
  const control = form.querySelector(`[name="${name}"]`);
  const line = form.querySelector(`#${control.id}-error`);
  line.textContent = e.message;
  control.setAttribute('aria-invalid', 'true');
  control.focus();
  return true;
}
