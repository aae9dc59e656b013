// The console shell: sign-in, role discovery, navigation (hash routes #/usage, #/users, ...) and
// page mounting. Pages are modules exporting {id, title, needs, render(root, ctx)}; render may
// return a cleanup function (the Health page stops polling with it).
import { ApiError, probeRoles, setUnauthorizedHandler, token } from './api.js';
import { h, notice, setChildren } from './util.js';
import usage from './pages/usage.js';
import users from './pages/users.js';
import redactions from './pages/redactions.js';
import retention from './pages/retention.js';
import health from './pages/health.js';

const PAGES = [usage, users, redactions, retention, health];
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const session = document.getElementById('session');

let roles = null; /* {privacy, ops, role} once signed in */
let cleanup = null;

const allowedFor = (page, r) => page.needs.some((n) => r[n]);

function signOut(message) {
  token.clear();
  roles = null;
  showSignIn(message);
}

setUnauthorizedHandler((e) => signOut(`Signed out: ${e.message}`));

function showSignIn(message) {
  if (cleanup) cleanup();
  cleanup = null;
  setChildren(nav);
  setChildren(session);
  const input = h('input', { id: 'token', type: 'password', name: 'token', autocomplete: 'off', required: true,
    spellcheck: 'false', placeholder: 'admin token', 'aria-describedby': 'token-help' });
  const status = h('div', { class: 'signin-status', 'aria-live': 'polite' },
    message ? notice('error', message) : null);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'card signin', 'data-testid': 'signin',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const tok = input.value.trim();
      if (!tok) return;
      button.disabled = true;
      setChildren(status, notice('info', 'Checking the token…'));
      try {
        const r = await probeRoles(tok);
        token.set(tok);
        roles = r;
        enter();
      } catch (e) {
        const msg = e instanceof ApiError && e.status === 401
          ? 'aigw does not know this token. Use one of the admin_tokens from the gateway config.'
          : e instanceof ApiError ? e.describe() : String(e);
        setChildren(status, notice('error', msg));
        button.disabled = false;
      }
    } },
  h('h1', {}, 'Sign in'),
  h('p', { class: 'muted' }, 'The console shows what your admin token’s role allows: ',
    h('b', {}, 'ops'), ' (usage, credits, health), ', h('b', {}, 'privacy'),
    ' (redactions, retention, consent, export, erasure) or ', h('b', {}, 'admin'), ' (both).'),
  h('label', { for: 'token' }, 'Admin token'),
  input,
  h('p', { id: 'token-help', class: 'hint' },
    'Kept in this tab only (sessionStorage) and sent as Authorization: Bearer.'),
  button,
  status);
  setChildren(main, form);
  input.focus();
}

function enter() {
  setChildren(session,
    h('span', { class: `role role-${roles.role}`, 'data-testid': 'role' }, roles.role),
    h('button', { type: 'button', class: 'link', onclick: () => signOut() }, 'Sign out'));
  setChildren(nav, PAGES.filter((p) => allowedFor(p, roles)).map((p) =>
    h('a', { href: `#/${p.id}`, dataset: { page: p.id } }, p.title)));
  route();
}

function route() {
  if (!roles) return;
  if (cleanup) cleanup();
  cleanup = null;
  const id = location.hash.replace(/^#\/?/, '').split('?')[0];
  const visible = PAGES.filter((p) => allowedFor(p, roles));
  const page = PAGES.find((p) => p.id === id) || visible[0];
  /* Name the page in the URL without a hashchange: a click on its own link then re-renders nothing. */
  if (id !== page.id) history.replaceState(null, '', `#/${page.id}`);
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('active', a.dataset.page === page.id);
  document.title = `${page.title} · aigw console`;
  const root = h('section', { class: 'page', 'data-page': page.id });
  setChildren(main, root);
  if (!allowedFor(page, roles)) {
    /* A hidden link is not access control: the page still asks the server, which answers 403. */
    root.append(notice('warn', `The ${page.title} page is for the ${page.needs.join(' or ')} role; you are signed in as ${roles.role}.`));
  }
  try {
    const r = page.render(root, { roles });
    cleanup = typeof r === 'function' ? r : null;
  } catch (e) {
    root.append(notice('error', `This page failed: ${e.message}`));
  }
}

window.addEventListener('hashchange', route);

(async () => {
  const tok = token.get();
  if (!tok) return showSignIn();
  try {
    roles = await probeRoles(tok);
    enter();
  } catch (e) {
    signOut(e instanceof ApiError ? e.describe() : String(e));
  }
})();
