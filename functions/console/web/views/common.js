// What the views share: the tenant a view is about, and loading an API answer into a section.
import { h, field } from '../dom.js';
import { errorBox } from '../errors.js';

/**
 * The tenant a tenant view shows. A tenant key gets its own principal unless the address names
 * another (the API then refuses it, and the view says so); an admin picks one.
 */
export function chosenTenant(body, ctx) {
  const named = ctx.params.get('tenant');
  if (ctx.caller.role !== 'ADMIN') return named || ctx.caller.principal;
  const input = h('input', { id: 'tenant', name: 'tenant', value: named ?? '', required: true, autocomplete: 'off' });
  body.append(h('form', { class: 'inline', id: 'tenant-form', onsubmit: (event) => {
    event.preventDefault();
    ctx.go({ ...Object.fromEntries(ctx.params), tenant: input.value.trim() });
  } }, field('Tenant', input), h('button', { type: 'submit', id: 'tenant-go' }, 'Show')));
  if (!named) body.append(h('p', { class: 'hint' }, 'Choose a tenant (the operator views list them under Top consumers).'));
  return named || null;
}

/** Runs a loader into a placeholder, showing the API's error in its place when it fails. */
export async function load(body, loader) {
  const slot = h('div', { class: 'slot' });
  body.append(slot);
  try {
    const nodes = await loader();
    slot.replaceChildren(...[nodes].flat().filter(Boolean));
  } catch (e) {
    slot.replaceChildren(errorBox(e));
  }
  return slot;
}

export const enc = encodeURIComponent;

/** A small form of controls that re-opens the view with its values as parameters. */
export function optionsForm(ctx, id, controls, label = 'Show') {
  return h('form', { class: 'inline', id, onsubmit: (event) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.target).entries());
    ctx.go({ ...Object.fromEntries(ctx.params), ...values, nextToken: '' });
  } }, controls, h('button', { type: 'submit', id: `${id}-go` }, label));
}

/** A select of fixed options. */
export function select(id, name, options, chosen) {
  return h('select', { id, name }, options.map(([value, text]) => h('option', { value, selected: value === chosen }, text)));
}
