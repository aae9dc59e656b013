// Small DOM and formatting helpers shared by the pages. Everything the store returns (user ids,
// routes, field paths) is attacker-influenced text: it only ever reaches the page through
// textContent (h() below), never innerHTML.

/**
 * Creates an element: h('a', {href: '#', class: 'x', onclick: fn}, 'text', child, [children]).
 * Attributes starting with "on" become listeners; null/false attributes and children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces every child of el. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A table: columns [{label, value: row => text|Node, class}], rows; empty: message when none. */
export function table(columns, rows, { empty = 'Nothing to show.', caption, testid } = {}) {
  if (!rows.length) return h('p', { class: 'empty', 'data-testid': testid ? `${testid}-empty` : null }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', { 'data-testid': testid },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { class: c.class, scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.class }, c.value(r))))))));
}

/** A notice box: kind is 'error', 'info', 'ok' or 'warn'. */
export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** µs since the epoch -> "2026-11-21 10:04:05 UTC" (null -> "—"). */
export function fmtTime(us) {
  if (us === null || us === undefined) return '—';
  const d = new Date(Math.floor(us / 1000));
  return `${isoDay(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** Date -> "YYYY-MM-DD" (UTC). */
export function isoDay(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** "YYYY-MM-DD" + n days -> "YYYY-MM-DD" (UTC calendar arithmetic). */
export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return isoDay(d);
}

/** Every day from..to inclusive ("YYYY-MM-DD"), at most 400. */
export function daysBetween(from, to) {
  const out = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Seconds -> "90 days", "24 hours", "30 minutes", "off" for 0. */
export function fmtTtl(s) {
  if (!s) return 'not kept';
  if (s % 86400 === 0) return `${s / 86400} day${s === 86400 ? '' : 's'}`;
  if (s % 3600 === 0) return `${s / 3600} hour${s === 3600 ? '' : 's'}`;
  if (s % 60 === 0) return `${s / 60} minutes`;
  return `${s} s`;
}

/** Integer with thousands separators. */
export function fmtInt(n) {
  return Number(n ?? 0).toLocaleString('en-US');
}

/**
 * Micro-credits (integer, maybe a BigInt-sized number from JSON) -> "12.345678 credits" without
 * going through floating point for the fraction.
 */
export function fmtCredits(micro, { unit = true } = {}) {
  if (micro === null || micro === undefined) return '—';
  const neg = micro < 0;
  const s = String(Math.abs(Math.trunc(micro))).padStart(7, '0');
  const whole = Number(s.slice(0, -6)).toLocaleString('en-US');
  const frac = s.slice(-6).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}${unit ? ' credits' : ''}`;
}

/** Micro-credits -> "12,500,000 micro-credits" (the unit the API and the ledger use). */
export function fmtMicro(micro) {
  if (micro === null || micro === undefined) return '—';
  return `${Number(micro).toLocaleString('en-US')} micro-credits`;
}

/** Both units, one rule everywhere (issue 13): "12.5 credits (12,500,000 micro-credits)". */
export function fmtCreditsBoth(micro) {
  if (micro === null || micro === undefined) return '—';
  return `${fmtCredits(micro)} (${fmtMicro(micro)})`;
}

/**
 * "12.5" credits -> 12500000 micro-credits, exactly (decimal string arithmetic, at most 6
 * fraction digits). @return the integer, or null when the text is not a number.
 */
export function parseCredits(text) {
  const m = /^\s*(-)?(\d{1,12})(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!m) return null;
  const v = Number(m[2]) * 1e6 + Number((m[3] || '').padEnd(6, '0'));
  return m[1] ? -v : v;
}

/** Seconds -> "412 µs", "3.2 ms", "1.40 s". */
export function fmtSeconds(s) {
  if (s === null || s === undefined || Number.isNaN(s)) return '—';
  if (s < 1e-3) return `${Math.round(s * 1e6)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(s < 0.01 ? 2 : 1)} ms`;
  return `${s.toFixed(2)} s`;
}

/** Ratio -> "1.5 %". */
export function fmtPct(r) {
  if (r === null || r === undefined || Number.isNaN(r)) return '—';
  return `${(r * 100).toFixed(r > 0 && r < 0.01 ? 2 : 1)} %`;
}

/** A fixed colour per name, stable across pages and reloads. */
const PALETTE = ['#2f6fdf', '#e0752d', '#2ca05a', '#c7383f', '#8a5cc7', '#8c6249', '#d46fb4', '#6b7280',
  '#b4a21c', '#1fa8b8', '#5b8c2a', '#a83f8f', '#3f5fa8', '#d9a441', '#4f9c8e', '#9b4d2e'];
export function colorFor(name) {
  let x = 0;
  for (const ch of String(name)) x = (x * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[x % PALETTE.length];
}

/** Saves text as a file download (export, CSV). */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, class: 'hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
