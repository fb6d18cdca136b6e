// Sign-in: a service token (Api:Tokens), checked against GET /api/console/session, kept in this
// tab's sessionStorage only and sent as a bearer token (no cookie, so nothing to forge).
import { ApiError, get, session } from './api.js';
import { el, errorBox } from './dom.js';

export async function showSignIn(view) {
  const message = sessionStorage.getItem('dce.console.message');
  sessionStorage.removeItem('dce.console.message');
  const status = el('div', { id: 'signin-status' }, message ? el('p', { class: 'notice' }, message) : null);
  const input = el('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true, placeholder: 'service token' });
  const form = el('form', { id: 'signin', class: 'card narrow' },
    el('h1', {}, 'Sign in'),
    el('p', { class: 'muted' }, 'Paste a token of this service (a viewer reads; an operator also pulls and pushes). It stays in this tab only.'),
    el('label', { for: 'token' }, 'Token'),
    input,
    el('button', { type: 'submit' }, 'Sign in'),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    status.replaceChildren(el('p', { class: 'muted' }, 'Checking…'));
    try {
      const who = await get('/api/console/session', { token });
      session.save(token, who);
      location.hash = '#/fleet';
    } catch (e) {
      const text = e instanceof ApiError && e.status === 401
        ? `This token is not accepted: it is unknown to this service or has expired (${e.message}).`
        : e.message;
      status.replaceChildren(errorBox(text));
    }
  });
  view.replaceChildren(form);
  input.focus();
}
