// Usage (ops): credits or tokens over time by provider or model (stacked, group_by=day,provider
// or day,model), top users, and the CSV of the same report (GET
// /admin/api/usage?from&to&group_by&format=json|csv). Usage is recorded whether or not credits
// are enforced. Amounts are integers in micro-credits on the wire; the page shows credits and
// micro-credits.
import { api } from '../api.js';
import { stackedBars } from '../charts.js';
import { dateRange } from '../range.js';
import { daysBetween, download, fmtCredits, fmtCreditsBoth, fmtInt, h, notice, setChildren, table } from '../util.js';

const state = { split: 'provider', metric: 'credits', csvGroup: 'user' };
const TOP = 10;

/** The rows of a usage answer, whatever the envelope ({rows}, {items}, {groups} or a bare array). */
export function usageRows(doc) {
  const rows = Array.isArray(doc) ? doc : doc?.rows ?? doc?.items ?? doc?.groups ?? doc?.data ?? [];
  return Array.isArray(rows) ? rows : [];
}

/** Micro-credits charged in one usage row. */
export function rowMicro(r) {
  for (const k of ['charged_microcredits', 'cost_microcredits', 'credits_microcredits', 'microcredits', 'amount_microcredits']) {
    if (typeof r[k] === 'number') return r[k];
  }
  return 0;
}

/* One-dimension reports name the group in "key"; a two-dimension report (group_by=day,provider)
 * carries each dimension as its own field. */
const rowKey = (r, dim) => r[dim] ?? r.key;
const rowRequests = (r) => r.requests ?? null;

function render(root) {
  const chartBox = h('div', { class: 'chart-box' });
  const chartNote = h('p', { class: 'muted small' });
  const usersBox = h('div', { 'data-testid': 'top-users' });
  const csvOut = h('span', { 'aria-live': 'polite' });
  const splitSel = h('select', { 'aria-label': 'split by', onchange: () => {
    state.split = splitSel.value;
    loadChart();
  } }, ['provider', 'model'].map((v) => h('option', { value: v, selected: v === state.split }, v)));
  const metricSel = h('select', { 'aria-label': 'show', 'data-testid': 'usage-metric', onchange: () => {
    state.metric = metricSel.value;
    loadChart();
  } }, [['credits', 'credits charged'], ['tokens', 'tokens (input + output)']].map(([v, t]) =>
    h('option', { value: v, selected: v === state.metric }, t)));
  const csvSel = h('select', { 'aria-label': 'CSV grouped by', onchange: () => {
    state.csvGroup = csvSel.value;
  } }, ['user', 'provider', 'model', 'client', 'day'].map((v) => h('option', { value: v, selected: v === state.csvGroup }, v)));
  const range = dateRange(state, () => load(), { days: 30 });
  const csvBtn = h('button', { type: 'button', 'data-testid': 'csv', onclick: async () => {
    csvBtn.disabled = true;
    try {
      const text = await api('/usage', { query: { ...range.query(), group_by: state.csvGroup, format: 'csv' }, as: 'text' });
      download(`aigw-usage-${state.from}-${state.to}-by-${state.csvGroup}.csv`, text, 'text/csv');
      setChildren(csvOut, `Downloaded ${fmtInt(Math.max(0, text.trim().split('\n').length - 1))} rows.`);
    } catch (e) {
      setChildren(csvOut, notice('error', e.describe ? e.describe() : String(e)));
    } finally {
      csvBtn.disabled = false;
    }
  } }, 'Download CSV');

  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Usage'), range.el),
    h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', {}, 'Usage per day'),
      h('label', {}, 'show ', metricSel), h('label', {}, 'by ', splitSel)), chartBox, chartNote),
    h('div', { class: 'grid grid-2' },
      h('div', { class: 'card' }, h('h2', {}, `Top ${TOP} users`), usersBox),
      h('div', { class: 'card' }, h('h2', {}, 'Export'),
        h('p', { class: 'muted' }, 'The same report as GET /admin/api/usage?format=csv for the dates above. Reports hold counts, tokens and micro-credits, never prompt text.'),
        h('div', { class: 'actions' }, h('label', {}, 'Grouped by ', csvSel), csvBtn), csvOut)));

  const unavailable = (e) => e.status === 404
    ? notice('info', 'Usage reports are not available in this aigw build: GET /admin/api/usage answered 404 (metering is not enabled).')
    : notice('error', e.describe ? e.describe() : String(e));

  async function loadChart() {
    setChildren(chartBox, h('p', { class: 'muted' }, 'Loading…'));
    chartNote.textContent = '';
    try {
      let rows;
      let split = state.split;
      try {
        rows = usageRows(await api('/usage', { query: { ...range.query(), group_by: `day,${split}`, format: 'json' } }));
      } catch (e) {
        if (e.status !== 400) throw e;
        /* This aigw groups by one dimension only: one series of daily totals. */
        split = null;
        rows = usageRows(await api('/usage', { query: { ...range.query(), group_by: 'day', format: 'json' } }));
      }
      const days = daysBetween(state.from, state.to);
      const series = {};
      const tokens = state.metric === 'tokens';
      const value = (r) => (tokens ? (r.input_tokens ?? 0) + (r.output_tokens ?? 0) : rowMicro(r) / 1e6);
      let total = 0;
      let totalTokens = 0;
      for (const r of rows) {
        const day = String(split ? r.day : r.key).slice(0, 10);
        const name = split ? rowKey(r, split) ?? 'unknown' : 'all providers';
        const i = days.indexOf(day);
        if (i < 0) continue;
        if (!series[name]) series[name] = days.map(() => 0);
        series[name][i] += value(r);
        total += rowMicro(r);
        totalTokens += (r.input_tokens ?? 0) + (r.output_tokens ?? 0);
      }
      if (!rows.length) {
        setChildren(chartBox, h('p', { class: 'empty', 'data-testid': 'usage-empty' }, 'No calls in this date range.'));
        return;
      }
      stackedBars(chartBox, days, series, { yTitle: tokens ? 'tokens' : 'credits', testid: 'usage-chart',
        ariaLabel: `${tokens ? 'tokens' : 'credits'} per day by ${state.split}`,
        tickFmt: (v) => (tokens ? fmtInt(v) : fmtCredits(Math.round(v * 1e6), { unit: false })) });
      chartNote.textContent = `${fmtInt(rows.reduce((a, r) => a + (rowRequests(r) ?? 0), 0))} calls, ${fmtInt(totalTokens)} tokens, ${
        fmtCreditsBoth(total)} charged.${
        split ? '' : ' This aigw reports one grouping at a time (no group_by=day,provider), so the chart shows daily totals only.'}`;
    } catch (e) {
      setChildren(chartBox, unavailable(e));
    }
  }

  async function loadUsers() {
    setChildren(usersBox, h('p', { class: 'muted' }, 'Loading…'));
    try {
      const rows = usageRows(await api('/usage', { query: { ...range.query(), group_by: 'user', format: 'json' } }))
        .sort((a, b) => rowMicro(b) - rowMicro(a) || (b.input_tokens ?? 0) + (b.output_tokens ?? 0) - (a.input_tokens ?? 0) - (a.output_tokens ?? 0))
        .slice(0, TOP);
      setChildren(usersBox, table([
        { label: 'User', value: (r) => h('a', { href: '#/users', onclick: () => { sessionStorage.setItem('aigw.console.user', rowKey(r, 'user')); } }, rowKey(r, 'user') ?? '—') },
        { label: 'Calls', value: (r) => fmtInt(rowRequests(r)), class: 'num' },
        { label: 'Input tokens', value: (r) => fmtInt(r.input_tokens ?? 0), class: 'num' },
        { label: 'Output tokens', value: (r) => fmtInt(r.output_tokens ?? 0), class: 'num' },
        { label: 'Credits charged', value: (r) => fmtCredits(rowMicro(r), { unit: false }), class: 'num' },
        { label: 'Micro-credits charged', value: (r) => fmtInt(rowMicro(r)), class: 'num' },
        { label: 'Refunded (micro-credits)', value: (r) => fmtInt(r.refunded_microcredits ?? 0), class: 'num' },
        { label: 'Open', value: (r) => fmtInt(r.open_reservations ?? 0), class: 'num' },
      ], rows, { testid: 'top-users-table', empty: 'No calls in this date range.' }));
    } catch (e) {
      setChildren(usersBox, unavailable(e));
    }
  }

  function load() {
    loadChart();
    loadUsers();
  }
  load();
}

export default { id: 'usage', title: 'Usage', needs: ['ops'], render };
