// Redactions (privacy): counts per entity type per day (GET /admin/api/redactions/summary) and
// the filterable redaction log (GET /admin/api/redactions, paginated by next_cursor). The store
// keeps no raw values, only a keyed hash (value_hmac) that matches repeats of the same value.
import { api } from '../api.js';
import { stackedBars } from '../charts.js';
import { dateRange } from '../range.js';
import { daysBetween, fmtInt, fmtTime, h, notice, setChildren, table } from '../util.js';

const state = { type: '', route: '', user: '' };
const PAGE = 50;

// The type filter lists what the engine can report: its type table (GET /admin/api/redactions/types,
// every built-in type incl. the national identifiers) plus the types found in the date range (custom
// recognizers of the running config). Nothing is hard-coded here.
function setTypeOptions(sel, types) {
  const seen = new Set([...sel.options].map((o) => o.value));
  for (const t of types) {
    if (seen.has(t)) continue;
    seen.add(t);
    sel.append(h('option', { value: t, selected: t === state.type }, t));
  }
}

function render(root) {
  const chartBox = h('div', { class: 'chart-box' });
  const chartNote = h('p', { class: 'muted small' });
  const listBox = h('div', { 'data-testid': 'redaction-list' });
  const more = h('div', { class: 'more' });
  const typeSel = h('select', { name: 'type', 'aria-label': 'entity type', 'data-testid': 'redaction-type' },
    h('option', { value: '' }, 'any type'));
  if (state.type) setTypeOptions(typeSel, [state.type]);
  api('/redactions/types').then((r) => setTypeOptions(typeSel, r.types), () => {});
  const routeIn = h('input', { name: 'route', type: 'text', placeholder: '/v1/chat/completions', value: state.route });
  const userIn = h('input', { name: 'user', type: 'text', placeholder: 'user id', value: state.user });
  const range = dateRange(state, () => load());
  const filters = h('form', { class: 'filters', 'data-testid': 'redaction-filters', onsubmit: (e) => {
    e.preventDefault();
    load();
  } },
  h('label', {}, 'Type ', typeSel), h('label', {}, 'Route ', routeIn), h('label', {}, 'User ', userIn),
  h('button', { type: 'submit', class: 'primary' }, 'Filter'),
  h('button', { type: 'button', class: 'link', onclick: () => {
    typeSel.value = '';
    routeIn.value = '';
    userIn.value = '';
    load();
  } }, 'Clear'));

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Redactions'), range.el),
    h('p', { class: 'muted' }, 'One row per PII finding aigw scrubbed from a request. Values are never stored: ',
      'the hash column is a keyed hash, equal for equal values, so repeats can be matched.'),
    h('div', { class: 'card' }, h('h2', {}, 'Findings per day by type'), chartBox, chartNote),
    h('div', { class: 'card' }, h('h2', {}, 'Redaction log'), filters, listBox, more));

  let rows = [];
  async function loadSummary() {
    setChildren(chartBox, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const s = await api('/redactions/summary', { query: range.query() });
      const days = daysBetween(state.from, state.to);
      const series = {};
      for (const d of s.days) {
        if (!series[d.type]) series[d.type] = days.map(() => 0);
        const i = days.indexOf(d.day);
        if (i >= 0) series[d.type][i] += d.count;
      }
      setTypeOptions(typeSel, Object.keys(series).sort());
      const total = s.days.reduce((a, d) => a + d.count, 0);
      if (!total) {
        setChildren(chartBox, h('p', { class: 'empty', 'data-testid': 'redaction-chart-empty' },
          'No redactions in this date range.'));
        chartNote.textContent = '';
        return;
      }
      stackedBars(chartBox, days, series, { yTitle: 'findings', testid: 'redaction-chart', ariaLabel: 'redactions per day by type' });
      const byType = Object.entries(series).map(([t, v]) => `${t} ${fmtInt(v.reduce((a, b) => a + b, 0))}`);
      chartNote.textContent = `${fmtInt(total)} findings: ${byType.join(', ')}. The chart counts every finding in the date range (the filters below apply to the log only).`;
    } catch (e) {
      setChildren(chartBox, notice('error', e.describe ? e.describe() : String(e)));
      chartNote.textContent = '';
    }
  }

  async function loadList(cursor) {
    state.type = typeSel.value;
    state.route = routeIn.value.trim();
    state.user = userIn.value.trim();
    if (!cursor) {
      rows = [];
      setChildren(listBox, h('p', { class: 'muted' }, 'Loading…'));
    }
    setChildren(more);
    try {
      const r = await api('/redactions', { query: { ...range.query(), type: state.type, route: state.route,
        user: state.user, limit: PAGE, cursor } });
      rows = rows.concat(r.items);
      const filtered = state.type || state.route || state.user;
      setChildren(listBox, table([
        { label: 'Time', value: (x) => fmtTime(x.at), class: 'nowrap' },
        // long ids, routes and field paths are shortened (full text on hover) so the table fits 1280 px
        { label: 'User', value: (x) => h('span', { class: 'clip', title: x.user ?? '' }, x.user ?? '—') },
        { label: 'Route', value: (x) => h('span', { class: 'clip', title: x.route ?? '' }, x.route ?? '—') },
        { label: 'Field', value: (x) => h('code', { class: 'clip', title: x.field ?? '' }, x.field ?? '—') },
        { label: 'Type', value: (x) => h('span', { class: 'tag' }, x.type) },
        { label: 'Offsets', value: (x) => `${x.start}–${x.end}`, class: 'num', },
        { label: 'Action', value: (x) => x.action },
        { label: 'Keyed hash', value: (x) => h('code', { class: 'hash', title: x.value_hmac }, x.value_hmac ?? '—') },
        { label: 'Request', value: (x) => h('code', { title: x.request_id }, (x.request_id ?? '').slice(-8)) },
      ], rows, { testid: 'redaction-table',
        empty: filtered ? 'No redactions match these filters in this date range.'
          : 'No redactions in this date range: no request in it carried personal data aigw recognised.' }));
      if (rows.length) {
        setChildren(more, h('span', { class: 'muted' }, `${fmtInt(rows.length)} shown. Offsets are code points in the field's text.`),
          r.next_cursor ? h('button', { type: 'button', onclick: () => loadList(r.next_cursor) }, 'Load more') : null);
      }
    } catch (e) {
      setChildren(listBox, notice('error', e.describe ? e.describe() : String(e)));
    }
  }

  function load() {
    loadSummary();
    loadList();
  }
  load();
}

export default { id: 'redactions', title: 'Redactions', needs: ['privacy'], render };
