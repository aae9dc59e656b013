// Chart.js (vendored from npm at build time as /admin/vendor/chart.umd.js, a classic script that
// defines window.Chart) behind two helpers. Without the library (a build without npm) the pages
// still show their tables and say that the chart is missing.
import { colorFor, h, setChildren } from './util.js';

const instances = new WeakMap();

function mount(box, config, testid) {
  instances.get(box)?.destroy();
  if (typeof window.Chart !== 'function') {
    setChildren(box, h('p', { class: 'empty' }, 'Charts are not available: this aigw was built without the chart library (npm).'));
    return null;
  }
  const canvas = h('canvas', { 'data-testid': testid, role: 'img', 'aria-label': config.ariaLabel || 'chart' });
  setChildren(box, canvas);
  const chart = new window.Chart(canvas, config);
  instances.set(box, chart);
  return chart;
}

const baseOptions = (yTitle, tickFmt) => ({
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  interaction: { mode: 'index', intersect: false },
  plugins: {
    legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 12 } } },
    tooltip: tickFmt ? { callbacks: { label: (c) => `${c.dataset.label}: ${tickFmt(c.parsed.y)}` } } : {},
  },
  scales: {
    x: { stacked: true, grid: { display: false } },
    y: { stacked: true, beginAtZero: true, title: { display: !!yTitle, text: yTitle },
      ticks: tickFmt ? { callback: (v) => tickFmt(v) } : { precision: 0 } },
  },
});

/**
 * A stacked bar chart in box: labels (x), series {name: [values per label]}. yTitle names the
 * unit; tickFmt formats values (default: integers).
 */
export function stackedBars(box, labels, series, { yTitle, tickFmt, testid, ariaLabel } = {}) {
  const datasets = Object.keys(series).sort().map((name) => ({
    label: name, data: series[name], backgroundColor: colorFor(name), borderWidth: 0, maxBarThickness: 48,
  }));
  return mount(box, { type: 'bar', data: { labels, datasets }, options: baseOptions(yTitle, tickFmt), ariaLabel }, testid);
}

/** A line chart: labels (x), series {name: [values]} (null = gap). */
export function lines(box, labels, series, { yTitle, tickFmt, testid, ariaLabel } = {}) {
  const datasets = Object.keys(series).map((name) => ({
    label: name, data: series[name], borderColor: colorFor(name), backgroundColor: colorFor(name),
    pointRadius: 2, tension: 0.2, spanGaps: false,
  }));
  const options = baseOptions(yTitle, tickFmt);
  options.scales.x.stacked = false;
  options.scales.y.stacked = false;
  return mount(box, { type: 'line', data: { labels, datasets }, options, ariaLabel }, testid);
}
