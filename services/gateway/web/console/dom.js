/** Tiny DOM builder: text always goes through textContent, so nothing from the API is parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'className') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const numberFormat = new Intl.NumberFormat('en-GB');
export const fmt = {
  n: (value) => numberFormat.format(value ?? 0),
  pct: (value) => `${((value ?? 0) * 100).toFixed(1)} %`,
  ms: (value) => (value == null ? '—' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`),
  bytes(value) {
    const v = value ?? 0;
    if (v < 1024) return `${v} B`;
    const units = ['KB', 'MB', 'GB', 'TB'];
    let n = v / 1024, i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return `${n.toFixed(1)} ${units[i]}`;
  },
  date: (value) => (value ? new Date(value).toISOString().slice(0, 10) : '—'),
  time: (value) => (value ? new Date(value).toISOString().replace('T', ' ').slice(0, 19) : '—'),
};

/** A horizontal share bar, width set through the CSSOM (the page's CSP allows no inline style attributes). */
export function shareBar(share, label) {
  const inner = h('span');
  inner.style.width = `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%`;
  return h('div', { className: 'hbar', role: 'img', 'aria-label': label }, inner);
}

export function table(caption, headers, rows) {
  return h('div', { className: 'table-wrap' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { colspan: headers.length, className: 'muted' }, 'No data yet')) : rows.map((cells) => h('tr', {}, cells.map((c) => h('td', {}, c))))),
  ));
}
