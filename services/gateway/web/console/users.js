import { api } from './api.js';
import { fmt, h } from './dom.js';

const $ = (id) => document.getElementById(id);

/** The one-time password, once: a read-only field, a Copy button and the warning (like a new key). */
function showOneTimePassword(email, password) {
  const dialog = $('invite-dialog');
  $('invite-who').textContent = email;
  $('invite-password').value = password;
  $('invite-copy-status').textContent = '';
  dialog.showModal();
  $('invite-password').select();
  $('invite-copy').onclick = async () => {
    try {
      await navigator.clipboard.writeText(password);
    } catch {
      $('invite-password').select();
      document.execCommand('copy');
    }
    $('invite-copy-status').textContent = 'Copied to the clipboard.';
  };
  return new Promise((resolve) => {
    $('invite-done').onclick = () => { $('invite-password').value = ''; dialog.close(); resolve(); };
  });
}

/** Everyone sees the organisation's users; only owners get the invite form (POST /users is owner-only). */
export async function renderUsers(state) {
  const isOwner = state.user.role === 'owner';
  $('invite-form').hidden = !isOwner;
  $('invite-submit').disabled = !isOwner;
  $('invite-note').hidden = isOwner;
  const { data } = await api.get('/users');
  $('users-table').querySelector('tbody').replaceChildren(...data.map((user) => h('tr', { 'data-user-email': user.email },
    h('td', {}, user.email),
    h('td', {}, user.role),
    h('td', {}, user.mustChangePassword ? 'One-time (not yet changed)' : 'Set'),
    h('td', {}, fmt.date(user.createdAt)))));
}

export function wireInviteForm(state) {
  $('invite-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('invite-error').textContent = '';
    const form = new FormData(event.target);
    const body = { email: String(form.get('email') ?? '').trim(), role: form.get('role') };
    try {
      const result = await api.post('/users', body);
      event.target.reset();
      await showOneTimePassword(result.data.user.email, result.data.oneTimePassword);
      await renderUsers(state);
    } catch (error) {
      $('invite-error').textContent = error.details ? error.details.map((d) => `${d.field}: ${d.message}`).join('; ') : error.message;
    }
  });
}
