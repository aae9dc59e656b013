// Health (ops): request rate, error rate and overhead percentiles from /metrics (Prometheus
// text), scraped every 5 s while the page is open. Counters are cumulative since the gateway
// started, so rates and percentiles come from the change between two scrapes; the first scrape
// shows totals since start. Percentiles are interpolated inside histogram buckets
// (js/metrics.js), as Prometheus' histogram_quantile() does. The upstream card shows each
// provider origin's circuit breaker and the retries per provider (docs/internals/retry.md).
import { request } from '../api.js';
import { lines } from '../charts.js';
import { breakerRows, healthStats, parseProm, sum } from '../metrics.js';
import { fmtInt, fmtPct, fmtSeconds, h, notice, setChildren, table } from '../util.js';

const INTERVAL_MS = 5000;
const HISTORY = 60; /* scrapes kept for the chart: 5 minutes */
const history = []; /* {at, stats} kept between visits */
let last = null;

function tile(label, value, sub, testid) {
  return h('div', { class: 'tile', 'data-testid': testid }, h('div', { class: 'tile-label' }, label),
    h('div', { class: 'tile-value' }, value), h('div', { class: 'tile-sub' }, sub));
}

function render(root) {
  const tiles = h('div', { class: 'tiles', 'data-testid': 'health-tiles' }, h('p', { class: 'muted' }, 'Loading…'));
  const rateBox = h('div', { class: 'chart-box chart-small' });
  const overheadBox = h('div', { class: 'chart-box chart-small' });
  const err = h('div', { 'aria-live': 'polite' });
  const detail = h('div');
  const upstream = h('div');
  const stamp = h('span', { class: 'muted small' });
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Health'), stamp),
    err, tiles,
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Requests and 5xx errors, last 5 minutes'), rateBox),
      h('div', { class: 'card' }, h('h2', {}, 'Overhead inside aigw, last 5 minutes'), overheadBox)),
    h('div', { class: 'card' }, h('h2', {}, 'Upstream circuit breakers and retries'), upstream),
    h('div', { class: 'card' }, h('h2', {}, 'Since the gateway started'), detail));

  async function scrape() {
    try {
      const text = await request('/metrics', { as: 'text' });
      const cur = { at: Date.now(), samples: parseProm(text) };
      const s = healthStats(last, cur);
      const since = healthStats(null, cur);
      last = cur;
      if (s.window !== null) {
        history.push({ at: cur.at, stats: s });
        while (history.length > HISTORY) history.shift();
      }
      setChildren(err);
      /* A quiet window has no requests: show the numbers since start instead, and say so. */
      const quiet = s.window === null || s.requests === 0;
      const t = quiet ? since : s;
      const win = quiet ? (s.window === null ? 'since start' : `since start (no requests in the last ${Math.round(s.window)} s)`)
        : `last ${Math.round(s.window)} s`;
      setChildren(tiles,
        tile('Request rate', s.rate === null ? '—' : `${s.rate.toFixed(s.rate < 10 ? 2 : 0)}/s`,
          s.window === null ? 'needs a second scrape (5 s)' : `last ${Math.round(s.window)} s`, 'tile-rate'),
        tile('Error rate (5xx)', fmtPct(t.errorRate), `${fmtInt(t.errors5xx)} of ${fmtInt(t.requests)} requests, ${win}`, 'tile-errors'),
        tile('Refused (4xx)', fmtPct(t.clientErrorRate), `${fmtInt(t.errors4xx)} requests (auth, policy, limits), ${win}`, 'tile-4xx'),
        tile('Overhead p50', fmtSeconds(t.overhead.p50), `time inside aigw, ${win}`, 'tile-p50'),
        tile('Overhead p99', fmtSeconds(t.overhead.p99), `${fmtInt(t.overhead.count)} requests measured, ${win}`, 'tile-p99'));
      const labels = history.map((x) => new Date(x.at).toISOString().slice(11, 19));
      if (history.length >= 2) {
        lines(rateBox, labels, {
          'requests/s': history.map((x) => x.stats.rate),
          '5xx/s': history.map((x) => x.stats.errors5xx / x.stats.window),
        }, { yTitle: 'per second', testid: 'health-rate-chart', ariaLabel: 'request and error rate over time' });
        lines(overheadBox, labels, {
          'overhead p50 (µs)': history.map((x) => (x.stats.overhead.p50 === null ? null : x.stats.overhead.p50 * 1e6)),
          'overhead p99 (µs)': history.map((x) => (x.stats.overhead.p99 === null ? null : x.stats.overhead.p99 * 1e6)),
        }, { yTitle: 'µs', testid: 'health-overhead-chart', ariaLabel: 'overhead percentiles over time' });
      } else {
        for (const b of [rateBox, overheadBox]) {
          setChildren(b, h('p', { class: 'empty' }, 'Collecting: the chart starts after two more scrapes (every 5 s).'));
        }
      }
      const byStatus = {};
      for (const x of cur.samples) {
        if (x.name !== 'aigw_requests_total') continue;
        const k = `${x.labels.provider || '—'} ${x.labels.status || ''}`;
        byStatus[k] = (byStatus[k] || 0) + x.value;
      }
      const redactions = cur.samples.filter((x) => x.name === 'aigw_redactions_total' && x.value > 0);
      setChildren(detail, h('div', { class: 'grid' },
        h('div', {}, h('h3', {}, 'Requests by provider and status'),
          table([{ label: 'Provider', value: ([k]) => k.split(' ')[0] }, { label: 'Status', value: ([k]) => k.split(' ')[1] },
            { label: 'Requests', value: ([, n]) => fmtInt(n), class: 'num' }],
          Object.entries(byStatus).sort((a, b) => b[1] - a[1]), { empty: 'No requests yet.' })),
        h('div', {}, h('h3', {}, 'Latency'),
          table([{ label: '', value: (r) => r[0] }, { label: 'p50', value: (r) => fmtSeconds(r[1]), class: 'num' },
            { label: 'p99', value: (r) => fmtSeconds(r[2]), class: 'num' }], [
            ['Overhead (inside aigw)', since.overhead.p50, since.overhead.p99],
            ['Whole request', since.duration.p50, since.duration.p99],
          ]),
          h('p', { class: 'muted small' }, `Store queue depth: ${fmtInt(sum(cur.samples, 'aigw_store_queue_depth'))}. `,
            `Requests since start: ${fmtInt(since.requests)}.`)),
        h('div', {}, h('h3', {}, 'Redactions by type'),
          table([{ label: 'Type', value: (x) => x.labels.type }, { label: 'Findings', value: (x) => fmtInt(x.value), class: 'num' }],
            redactions.sort((a, b) => b.value - a.value), { empty: 'No personal data found in any request yet.' }))));
      const retries = {};
      for (const x of cur.samples) {
        if (x.name !== 'aigw_upstream_retries_total' && x.name !== 'aigw_upstream_retries_refused_total') continue;
        const r = retries[x.labels.provider] || (retries[x.labels.provider] = { retried: 0, refused: 0 });
        if (x.name === 'aigw_upstream_retries_total') r.retried += x.value;
        else r.refused += x.value;
      }
      setChildren(upstream, h('div', { class: 'grid' },
        h('div', {}, h('h3', {}, 'Circuit breaker per upstream origin'),
          table([{ label: 'Origin', value: (r) => r.origin },
            { label: 'State', value: (r) => (r.state === 'closed' ? r.state : h('strong', {}, r.state)) },
            { label: 'Failures in a row', value: (r) => fmtInt(r.failures), class: 'num' },
            { label: 'Opened', value: (r) => fmtInt(r.opened), class: 'num' },
            { label: 'Refused while open', value: (r) => fmtInt(r.rejected), class: 'num' }],
          breakerRows(cur.samples), { empty: 'No upstream called yet.', testid: 'breaker-table' })),
        h('div', {}, h('h3', {}, 'Retries since start'),
          table([{ label: 'Provider', value: ([p]) => p }, { label: 'Retried', value: ([, r]) => fmtInt(r.retried), class: 'num' },
            { label: 'Not retried (budget, breaker, side effects, ...)', value: ([, r]) => fmtInt(r.refused), class: 'num' }],
          Object.entries(retries).filter(([, r]) => r.retried + r.refused > 0), { empty: 'No retries yet.' }))));
      stamp.textContent = `Scraped ${new Date(cur.at).toISOString().slice(11, 19)} UTC, every ${INTERVAL_MS / 1000} s`;
    } catch (e) {
      setChildren(err, notice('error', e.describe ? e.describe() : String(e)));
    }
  }
  scrape();
  const timer = setInterval(scrape, INTERVAL_MS);
  return () => clearInterval(timer);
}

export default { id: 'health', title: 'Health', needs: ['ops'], render };
