// The console's shell: sign-in with an API key, the views the key's role may open, and the hash router.
import { call, credentials, ApiError } from './api.js';
import { errorBox } from './errors.js';
import { h, field } from './dom.js';
import { tenantViews } from './views/tenant.js';
import { operatorViews } from './views/operator.js';
import { minerViews } from './views/miner.js';

const ALL = { ...tenantViews, ...operatorViews, ...minerViews };
const MENUS = {
  TENANT: Object.keys(tenantViews),
  ADMIN: [...Object.keys(operatorViews), ...Object.keys(tenantViews)],
  MINER: Object.keys(minerViews),
};

let caller = null;
let stopCurrent = () => {};

function parseHash() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const [name, query] = raw.split('?');
  return { name: name || '', params: new URLSearchParams(query ?? '') };
}

/** Navigates to a view with parameters (written into the hash, so a view can be linked and reloaded). */
export function go(name, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined));
  const text = query.toString();
  window.location.hash = `#/${name}${text ? '?' + text : ''}`;
}

function renderNav() {
  const nav = document.getElementById('nav');
  nav.replaceChildren();
  if (!caller) return;
  const current = parseHash().name;
  nav.append(h('ul', null, (MENUS[caller.role] ?? []).map((name) => h('li', null,
    h('a', { href: `#/${name}`, id: `nav-${name.replace('/', '-')}`, 'aria-current': name === current ? 'page' : null },
      ALL[name].title)))));
}

function signInView(message) {
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', required: true });
  const form = h('form', { id: 'sign-in', class: 'card', onsubmit: async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    input.value = '';
    credentials.keep(key);
    await start();
  } }, h('h1', null, 'Sign in'),
  h('p', null, 'Paste an API key. It is kept in this tab only (session storage) and sent to the API as a bearer token.'),
  field('API key', input),
  h('button', { type: 'submit', id: 'sign-in-submit' }, 'Sign in'),
  message ? h('p', { class: 'error', role: 'alert', id: 'sign-in-error' }, message) : null);
  document.getElementById('view').replaceChildren(form);
  input.focus();
}

async function route() {
  stopCurrent();
  stopCurrent = () => {};
  if (!caller) return;
  const { name, params } = parseHash();
  const menu = MENUS[caller.role] ?? [];
  if (!name || !ALL[name]) {
    go(menu[0] ?? '');
    return;
  }
  renderNav();
  const view = document.getElementById('view');
  const heading = h('h1', { tabindex: '-1' }, ALL[name].title);
  const body = h('div', { class: 'view-body', 'aria-busy': 'true' });
  view.replaceChildren(heading, body);
  heading.focus();
  try {
    const stop = await ALL[name].render(body, { caller, params, go: (p) => go(name, p), open: go });
    if (typeof stop === 'function') stopCurrent = stop;
  } catch (e) {
    body.replaceChildren(errorBox(e));
  } finally {
    body.setAttribute('aria-busy', 'false');
    body.dataset.ready = 'true';
  }
}

async function start() {
  const who = document.getElementById('who');
  const signOut = document.getElementById('sign-out');
  if (!credentials.key()) {
    caller = null;
    who.textContent = '';
    signOut.hidden = true;
    renderNav();
    signInView();
    return;
  }
  try {
    caller = await call('/session');
  } catch (e) {
    credentials.forget();
    caller = null;
    renderNav();
    signInView(e instanceof ApiError && e.status === 401 ? 'That key was not accepted.' : e.message);
    return;
  }
  who.textContent = `${caller.principal} (${caller.role.toLowerCase()})`;
  signOut.hidden = false;
  await route();
}

document.getElementById('sign-out').addEventListener('click', () => {
  credentials.forget();
  window.location.hash = '';
  start();
});
window.addEventListener('hashchange', route);
start();
