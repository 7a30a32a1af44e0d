import { api } from './api.js';
import { loadUPlot } from './charts.js';
import { fmt, h, shareBar, table } from './dom.js';

const $ = (id) => document.getElementById(id);
let hourPlot = null;

function stat(label, value, detail, testId) {
  return h('div', { className: 'stat', 'data-stat': testId }, h('div', { className: 'label' }, label), h('div', { className: 'value' }, value), detail ? h('div', { className: 'small' }, detail) : '');
}

export async function renderOverview() {
  const { data } = await api.get('/usage/overview');
  const l = data.latencyMs;
  $('stats').replaceChildren(
    stat('Total requests', fmt.n(data.totalRequests), `${fmt.n(data.errors)} errors`, 'requests'),
    stat('Error rate', fmt.pct(data.errorRate), 'responses with status ≥ 400', 'error-rate'),
    stat('Average latency', fmt.ms(data.averageLatencyMs), l.p50 == null ? '' : `p50 ${fmt.ms(l.p50)} · p95 ${fmt.ms(l.p95)} · p99 ${fmt.ms(l.p99)}`, 'latency'),
    stat('Data transferred', fmt.bytes(data.bytesTransferred), 'response bodies', 'bytes'),
  );
  return data;
}

function card(title, ...content) {
  return h('section', { className: 'card', 'aria-label': title }, h('h3', {}, title), ...content);
}

export async function renderAnalytics() {
  const [{ data }, uPlot] = await Promise.all([api.get('/usage/analytics'), loadUPlot()]);
  const total = data.totalRequests || 1;
  const bar = h('div', { className: 'bar', role: 'img', 'aria-label': data.methods.map((m) => `${m.method} ${fmt.pct(m.share)}`).join(', ') || 'no requests' });
  for (const m of data.methods) {
    const part = h('span', { className: `m-${['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(m.method) ? m.method : 'other'}`, title: `${m.method} ${fmt.n(m.count)}` });
    part.style.width = `${(m.share * 100).toFixed(2)}%`;
    bar.append(part);
  }
  const maxSize = Math.max(1, ...data.responseSizes.map((s) => s.count));
  const hourChart = h('div', { className: 'chart', role: 'img', 'aria-label': 'Requests by hour of day (UTC), 30 days' });
  $('analytics').replaceChildren(
    card('Method breakdown', bar, h('div', { className: 'legend' }, data.methods.map((m) => h('span', {}, `${m.method}: ${fmt.n(m.count)} (${fmt.pct(m.share)})`)))),
    card('Top endpoints (30d)', table('Most-called paths', ['Endpoint', 'Requests', 'Errors', 'Avg latency'],
      data.topEndpoints.map((e) => [`${e.method} ${e.route}`, fmt.n(e.count), fmt.n(e.errors), fmt.ms(e.averageLatencyMs)]))),
    card('Recent errors (7d)', table('Errors by status and code', ['Status', 'Code', 'Count', 'Sample paths'],
      data.recentErrors.map((e) => [String(e.status), e.code ?? '—', fmt.n(e.count), e.samplePaths.join(', ')]))),
    card('Requests by hour (UTC, 30d)', hourChart),
    card('Response size distribution', ...data.responseSizes.map((s) => h('div', {}, h('span', {}, `${s.range}: ${fmt.n(s.count)}`), shareBar(s.count / maxSize, `${s.range}: ${s.count}`)))),
    card('Top user agents (30d)', table('Clients', ['User agent', 'Requests'], data.topUserAgents.map((u) => [u.userAgent, fmt.n(u.count)]))),
    card('Top IPs (30d)', table('Addresses', ['IP', 'Requests'], data.topIps.map((u) => [u.ip, fmt.n(u.count)]))),
    card('Usage by garage', table('Garages', ['Garage', 'Requests', 'Error rate', 'Avg latency'],
      data.garages.map((g) => [g.name, h('span', {}, fmt.n(g.count), shareBar(g.count / total, `${fmt.pct(g.count / total)} of requests`)), fmt.pct(g.errorRate), fmt.ms(g.averageLatencyMs)]))),
  );
  const garageFilter = document.querySelector('#audit-filters select[name=garageId]');
  const chosen = garageFilter.value;
  garageFilter.replaceChildren(h('option', { value: '' }, 'All garages'),
    ...data.garages.filter((g) => g.garageId).map((g) => h('option', { value: g.garageId }, g.name)));
  garageFilter.value = chosen;
  hourPlot?.destroy();
  hourPlot = new uPlot({
    width: Math.max(260, hourChart.clientWidth || 400), height: 180,
    scales: { x: { time: false } },
    series: [{ label: 'Hour' }, { label: 'Requests', stroke: '#0b57d0', fill: 'rgba(11,87,208,.3)', paths: uPlot.paths.bars({ size: [0.8] }) }],
    axes: [{ label: 'hour (UTC)' }, {}],
  }, [data.requestsByHourUtc.map((b) => b.hour), data.requestsByHourUtc.map((b) => b.count)], hourChart);
  return data;
}

// cursor pagination: the cursors of the pages seen so far, so "Previous" can go back
const audit = { cursors: [undefined], next: null, filters: {} };

export async function renderAudit(page = audit.cursors.length) {
  audit.cursors.length = Math.max(1, page);
  const params = new URLSearchParams({ limit: '20' });
  const cursor = audit.cursors.at(-1);
  if (cursor) params.set('cursor', cursor);
  for (const [name, value] of Object.entries(audit.filters)) if (value) params.set(name, value);
  const { data } = await api.get(`/audit?${params}`);
  $('audit-table').querySelector('tbody').replaceChildren(...(data.items.length === 0
    ? [h('tr', {}, h('td', { colspan: 7, className: 'muted' }, 'No requests match.'))]
    : data.items.map((r) => h('tr', {}, h('td', {}, fmt.time(r.timestamp)), h('td', {}, r.method), h('td', {}, r.route),
      h('td', {}, String(r.status), r.errorCode ? h('div', { className: 'small' }, r.errorCode) : ''), h('td', {}, fmt.ms(r.latencyMs)),
      h('td', { className: 'small' }, r.keyId ?? '—'), h('td', { className: 'small' }, r.clientIp ?? '—')))));
  audit.next = data.nextCursor;
  $('audit-page').textContent = `Page ${audit.cursors.length} · newest first`;
  $('audit-prev').disabled = audit.cursors.length <= 1;
  $('audit-next').disabled = !audit.next;
}

export function wireAudit() {
  $('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    audit.filters = Object.fromEntries(new FormData(event.target));
    void renderAudit(1);
  });
  $('audit-prev').onclick = () => void renderAudit(audit.cursors.length - 1);
  $('audit-next').onclick = () => {
    if (!audit.next) return;
    audit.cursors.push(audit.next);
    void renderAudit(audit.cursors.length);
  };
}
