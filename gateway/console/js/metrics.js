// Prometheus text format (exposition format 0.0.4) parsing and the few computations the Health
// page needs. Pure functions, no DOM: tests/integration/console.test.mjs imports this file in
// node too.

/**
 * Parses the text into samples [{name, labels: {k: v}, value}]. Comments, blank lines and
 * timestamps are ignored; label values are unescaped (\\, \", \n).
 */
export function parseProm(text) {
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[3]) {
      const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let l;
      while ((l = re.exec(m[3])) !== null) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    }
    const v = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    out.push({ name: m[1], labels, value: v });
  }
  return out;
}

/** Sum of every sample called name whose labels pass filter (labels => bool). */
export function sum(samples, name, filter = () => true) {
  let s = 0;
  for (const x of samples) if (x.name === name && filter(x.labels)) s += x.value;
  return s;
}

/** A histogram's cumulative buckets [{le, count}] (sorted by le) and its _count / _sum. */
export function histogram(samples, name) {
  const buckets = [];
  for (const x of samples) {
    if (x.name === `${name}_bucket`) {
      const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
      const b = buckets.find((y) => y.le === le);
      if (b) b.count += x.value; /* the same bucket under other labels: add them up */
      else buckets.push({ le, count: x.value });
    }
  }
  buckets.sort((a, b) => a.le - b.le);
  return { buckets, count: sum(samples, `${name}_count`), sum: sum(samples, `${name}_sum`) };
}

/** Bucket-wise b - a of two histograms of the same series (a counter reset gives b). */
export function histDelta(a, b) {
  if (!a || b.count < a.count) return b;
  return {
    buckets: b.buckets.map((x) => ({ le: x.le, count: x.count - (a.buckets.find((y) => y.le === x.le)?.count ?? 0) })),
    count: b.count - a.count,
    sum: b.sum - a.sum,
  };
}

/**
 * The q-quantile (0..1) of a cumulative histogram, interpolated linearly inside the bucket as
 * Prometheus' histogram_quantile() does; a quantile in the +Inf bucket gives the highest finite
 * bound. @return seconds, or null when the histogram is empty.
 */
export function quantile(hist, q) {
  const { buckets } = hist;
  if (!buckets.length) return null;
  const total = buckets[buckets.length - 1].count;
  if (!(total > 0)) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (b.le === Infinity) return prevLe;
      const inBucket = b.count - prevCount;
      return inBucket > 0 ? prevLe + (b.le - prevLe) * ((rank - prevCount) / inBucket) : b.le;
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}

/**
 * The Health page's numbers from one scrape, or from the change between two scrapes
 * (prev = {at: ms, samples}, cur = {at: ms, samples}; prev may be null: totals since start).
 * @return {requests, rate (req/s or null), errors5xx, errors4xx, errorRate, clientErrorRate,
 *          overhead: {p50, p99}, duration: {p50, p99}, window: seconds or null}.
 */
export function healthStats(prev, cur) {
  const req = (s, f) => sum(s, 'aigw_requests_total', f);
  const is5 = (l) => Number(l.status) >= 500;
  const is4 = (l) => Number(l.status) >= 400 && Number(l.status) < 500;
  const total = req(cur.samples);
  const reset = prev && req(prev.samples) > total;
  const base = prev && !reset ? prev : null;
  const d = (f) => req(cur.samples, f) - (base ? req(base.samples, f) : 0);
  const n = d(() => true);
  const e5 = d(is5);
  const e4 = d(is4);
  const window = base ? (cur.at - base.at) / 1000 : null;
  const ov = histDelta(base && histogram(base.samples, 'aigw_overhead_seconds'), histogram(cur.samples, 'aigw_overhead_seconds'));
  const du = histDelta(base && histogram(base.samples, 'aigw_request_duration_seconds'),
    histogram(cur.samples, 'aigw_request_duration_seconds'));
  return {
    requests: n,
    total,
    rate: window ? n / window : null,
    errors5xx: e5,
    errors4xx: e4,
    errorRate: n ? e5 / n : null,
    clientErrorRate: n ? e4 / n : null,
    overhead: { p50: quantile(ov, 0.5), p99: quantile(ov, 0.99), count: ov.count },
    duration: { p50: quantile(du, 0.5), p99: quantile(du, 0.99), count: du.count },
    window,
  };
}

/**
 * Upstream circuit breakers from aigw_upstream_circuit_* samples: one row per origin
 * {origin, state: 'closed'|'open'|'half-open', failures, opened, rejected}, open ones first.
 */
export function breakerRows(samples) {
  const rows = new Map();
  const row = (origin) => {
    if (!rows.has(origin)) rows.set(origin, { origin, state: 'closed', failures: 0, opened: 0, rejected: 0 });
    return rows.get(origin);
  };
  const states = ['closed', 'open', 'half-open'];
  for (const x of samples) {
    if (x.labels.origin === undefined) continue;
    if (x.name === 'aigw_upstream_circuit_state') row(x.labels.origin).state = states[x.value] ?? 'unknown';
    else if (x.name === 'aigw_upstream_circuit_failures') row(x.labels.origin).failures = x.value;
    else if (x.name === 'aigw_upstream_circuit_opened_total') row(x.labels.origin).opened = x.value;
    else if (x.name === 'aigw_upstream_circuit_rejected_total') row(x.labels.origin).rejected = x.value;
  }
  const rank = { open: 0, 'half-open': 1, unknown: 2, closed: 3 };
  return [...rows.values()].sort((a, b) => rank[a.state] - rank[b.state] || a.origin.localeCompare(b.origin));
}
