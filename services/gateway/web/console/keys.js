import { api } from './api.js';
import { loadUPlot } from './charts.js';
import { fmt, h } from './dom.js';

const $ = (id) => document.getElementById(id);
let usagePlot = null;

function methodBreakdown(methods) {
  const entries = Object.entries(methods ?? {}).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '' : h('div', { className: 'small' }, entries.map(([m, n]) => `${m} ${fmt.n(n)}`).join(' · '));
}

/** Asks before anything permanent; resolves true on Confirm. */
function confirmAction(text, okLabel) {
  const dialog = $('confirm-dialog');
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel;
  dialog.showModal();
  return new Promise((resolve) => {
    const done = (answer) => () => { dialog.close(); $('confirm-ok').onclick = null; $('confirm-cancel').onclick = null; resolve(answer); };
    $('confirm-ok').onclick = done(true);
    $('confirm-cancel').onclick = done(false);
  });
}

/** The raw key, once: a read-only field, a Copy button and the warning. */
export function showSecret(rawKey) {
  const dialog = $('secret-dialog');
  $('secret-value').value = rawKey;
  $('copy-status').textContent = '';
  dialog.showModal();
  $('secret-value').select();
  $('copy-secret').onclick = async () => {
    try {
      await navigator.clipboard.writeText(rawKey);
    } catch {
      $('secret-value').select();
      document.execCommand('copy');
    }
    $('copy-status').textContent = 'Copied to the clipboard.';
  };
  return new Promise((resolve) => {
    $('secret-done').onclick = () => { $('secret-value').value = ''; dialog.close(); resolve(); };
  });
}

export async function renderKeys(state, reload) {
  const { data } = await api.get('/keys');
  const canManage = state.user.role !== 'viewer';
  $('key-count').textContent = `${data.activeKeys} of ${data.maxActiveKeys} active keys`;
  const create = $('create-key');
  create.hidden = !canManage;
  create.disabled = data.activeKeys >= data.maxActiveKeys;
  create.title = create.disabled ? 'The organisation has reached its maximum of active keys' : '';
  const filter = document.querySelector('#audit-filters select[name=keyId]');
  filter.replaceChildren(h('option', { value: '' }, 'All keys'), ...data.items.map((k) => h('option', { value: k.id }, `${k.name} (${k.prefix})`)));

  const rows = data.items.map((key) => {
    const u = key.usage;
    const active = key.status === 'active';
    const actions = [h('button', { type: 'button', className: 'secondary', onclick: () => showUsage(key), 'aria-label': `View usage of ${key.name}` }, 'View usage')];
    if (active && canManage) {
      actions.push(h('button', { type: 'button', className: 'secondary', 'aria-label': `Rotate ${key.name}`, onclick: async () => {
        if (!(await confirmAction(`Rotate "${key.name}"? The current key stops working now and a new one is shown once.`, 'Rotate'))) return;
        const result = await api.post(`/keys/${key.id}/rotate`, {});
        await showSecret(result.data.rawKey);
        await reload();
      } }, 'Rotate'));
      actions.push(h('button', { type: 'button', className: 'danger', 'aria-label': `Revoke ${key.name}`, onclick: async () => {
        if (!(await confirmAction(`Revoke "${key.name}"? This is permanent: calls with it will be refused.`, 'Revoke'))) return;
        await api.post(`/keys/${key.id}/revoke`);
        await reload();
      } }, 'Revoke'));
    }
    return h('tr', { className: active ? 'active' : 'revoked', 'data-key-id': key.id },
      h('td', {}, h('strong', {}, key.name), h('div', { className: 'small' }, key.prefix)),
      h('td', {}, key.permission === 'read' ? 'Read only' : 'Read & Write'),
      h('td', { className: 'requests-30d' }, fmt.n(u.requests30d), methodBreakdown(u.methods30d)),
      h('td', {}, fmt.n(u.lifetimeRequests)),
      h('td', {}, fmt.n(u.errors30d), u.errorSpike ? h('div', { className: 'spike' }, '▲ spike (24 h)') : ''),
      h('td', {}, fmt.ms(u.averageLatencyMs)),
      h('td', {}, fmt.bytes(u.bytes30d)),
      h('td', { className: 'small' }, `First ${fmt.date(u.firstRequestAt)}`, h('br'), `Last ${fmt.date(u.lastRequestAt)}`),
      h('td', {}, h('span', { className: `badge ${key.status}` }, key.status === 'active' ? 'Active' : key.status === 'expired' ? 'Expired' : 'Revoked')),
      h('td', {}, actions),
    );
  });
  $('keys-table').querySelector('tbody').replaceChildren(...rows);
  return data;
}

async function showUsage(key) {
  const [{ data }, uPlot] = await Promise.all([api.get(`/keys/${key.id}/usage`), loadUPlot()]);
  const panel = $('key-usage');
  panel.hidden = false;
  $('key-usage-title').textContent = `Usage of "${key.name}" (${key.prefix}) · p50 ${fmt.ms(data.latencyMs.p50)} · p95 ${fmt.ms(data.latencyMs.p95)}`;
  const chart = $('key-usage-chart');
  usagePlot?.destroy();
  chart.replaceChildren();
  const xs = data.daily.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  usagePlot = new uPlot({
    width: Math.max(280, chart.clientWidth || 600), height: 200,
    series: [{}, { label: 'Requests', stroke: '#0b57d0', fill: 'rgba(11,87,208,.15)' }, { label: 'Errors', stroke: '#b3261e' }],
    axes: [{}, {}],
  }, [xs, data.daily.map((d) => d.requests), data.daily.map((d) => d.errors)], chart);
  $('key-endpoints').querySelector('tbody').replaceChildren(...data.endpoints.map((e) => h('tr', {},
    h('td', {}, `${e.method} ${e.route}`), h('td', {}, fmt.n(e.requests)), h('td', {}, fmt.n(e.errors)),
    h('td', {}, fmt.ms(e.averageLatencyMs)), h('td', {}, fmt.ms(e.p95LatencyMs)), h('td', {}, fmt.bytes(e.bytes)))));
  panel.scrollIntoView({ block: 'start' });
  $('close-usage').focus();
}

export function wireCreateDialog(reload) {
  const dialog = $('create-dialog');
  $('close-usage').onclick = () => { $('key-usage').hidden = true; };
  $('create-key').onclick = () => { $('create-form').reset(); $('create-error').textContent = ''; dialog.showModal(); $('key-name').focus(); };
  $('create-cancel').onclick = () => dialog.close();
  $('create-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { name: String(form.get('name') ?? '').trim(), permission: form.get('permission') };
    const garages = String(form.get('garageIds') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (garages.length > 0) body.garageIds = garages;
    if (form.get('expiresAt')) body.expiresAt = `${form.get('expiresAt')}T23:59:59Z`;
    try {
      const result = await api.post('/keys', body);
      dialog.close();
      await showSecret(result.data.rawKey);
      await reload();
    } catch (error) {
      $('create-error').textContent = error.details ? error.details.map((d) => `${d.field}: ${d.message}`).join('; ') : error.message;
    }
  });
}
