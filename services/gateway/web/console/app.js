import { ApiError, changePassword, login, logout, refresh } from './api.js';
import { renderAnalytics, renderAudit, renderOverview, wireAudit } from './analytics.js';
import { renderKeys, wireCreateDialog } from './keys.js';
import { renderUsers, wireInviteForm } from './users.js';

const $ = (id) => document.getElementById(id);
const state = { user: null };

async function reload() {
  const addon = state.user.organisation.apiAccessEnabled;
  $('addon-notice').hidden = addon;
  $('keys-section').hidden = !addon;
  const jobs = [renderOverview(), renderAnalytics(), renderAudit(1), renderUsers(state)];
  if (addon) jobs.push(renderKeys(state, reload));
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') console.error(r.reason);
  document.body.dataset.ready = 'true';
}

async function enter(user) {
  state.user = user;
  $('login').hidden = true;
  $('dashboard').hidden = false;
  $('whoami').hidden = false;
  $('who').textContent = `${user.email} · ${user.role} · ${user.organisation.name}`;
  $('password-change').hidden = !user.mustChangePassword;
  await reload();
  $('main').focus();
}

function showLogin(message = '') {
  state.user = null;
  $('dashboard').hidden = true;
  $('whoami').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  document.body.dataset.ready = 'login';
  $('email').focus();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('login-error').textContent = '';
  try {
    await enter(await login($('email').value, $('password').value));
    $('password').value = '';
  } catch (error) {
    $('login-error').textContent = error instanceof ApiError && error.status === 401 ? 'The email or password is incorrect.' : (error.message ?? 'Login failed.');
  }
});

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('password-error').textContent = '';
  try {
    state.user = await changePassword($('current-password').value, $('new-password').value);
    $('password-form').reset();
    $('password-change').hidden = true;
  } catch (error) {
    $('password-error').textContent = error.details ? error.details.map((d) => `${d.field}: ${d.message}`).join('; ') : error.message;
  }
});

$('signout').onclick = async () => {
  await logout();
  showLogin('You are signed out.');
};

wireCreateDialog(reload);
wireInviteForm(state);
wireAudit();
const restored = await refresh();
if (restored) await enter(restored);
else showLogin();
