// Worker stall on a large body (issue 13): how long a one-worker aigw stops answering other requests while it handles
// one 20 MiB chat prompt full of numbers, with the body's privacy pass on the event loop (limits.scan_offload_min_bytes
// out of reach: the behaviour before) and on the scan threads (the default). A report, not a test: nothing asserts a
// time. Node built-ins only; the upstream is a tiny in-process HTTP server answering one fixed chat completion.
//
// Usage: node bench/scan_stall.mjs [BUILD_DIR] [RUNS]     (default build, 3 runs per mode; medians printed)
//
// Per run: the large request is sent on its own connection; meanwhile a probe sends GET /healthz on another keep-alive
// connection, one after the other, until the large request is answered. "stall" = the longest probe round trip (the
// worker could not answer for that long), "probes" = how many were answered during the large request, "large" = the
// large request's own time. A last row probes the same gateway as long with no large request: the noise floor of
// the machine (other processes' load delays a probe too).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const build = path.resolve(process.argv[2] || 'build');
const runs = Number(process.argv[3] || 3);
const bin = path.join(build, 'aigw');
const KEY = 'bench-client-key-0001';
const BODY_BYTES = 20 << 20;

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

async function freePort() {
  const s = http.createServer();
  const p = await listen(s);
  await new Promise((r) => s.close(r));
  return p;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(port, agent, { method = 'GET', p = '/healthz', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A prompt full of numbers (phone numbers, card-like groups, dates, order ids), deterministic.
function prompt(bytes) {
  const parts = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `call +1 415 555 ${String(1000 + (i % 9000))} about order ${100000 + i} of 2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}, ref ${(i * 7919) % 100000000}. `;
    parts.push(s);
    n += s.length;
  }
  return parts.join('').slice(0, bytes);
}

async function startAigw(upstreamPort, offloadMin, dir) {
  const port = await freePort();
  const config = {
    listen: [{ host: '127.0.0.1', port }], workers: 1, clients: [{ name: 'bench', key: KEY }],
    providers: { openai: { base_url: `http://127.0.0.1:${upstreamPort}`, api_key: 'sk-bench' } },
    limits: { max_request_body_bytes: 24 << 20, scan_offload_min_bytes: offloadMin },
    upstream: { first_byte_timeout_ms: 60000, idle_timeout_ms: 60000 }, access_log: { path: '' },
    pii: { default_action: 'tokenize' },
  };
  const file = path.join(dir, `aigw-${offloadMin}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const proc = spawn(bin, ['serve', '--config', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  children.add(proc);
  proc.on('exit', () => children.delete(proc));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await request(port, false)) === 200) return { port, proc };
    } catch {
      /* not up yet */
    }
    await sleep(50);
  }
  proc.kill('SIGKILL');
  throw new Error('aigw did not start');
}

// The noise floor: the same probe for `ms` with no large request (other load on the machine shows up here).
async function idle(port, ms) {
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let stall = 0;
  let probes = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const s = process.hrtime.bigint();
    await probe(port, probeAgent);
    stall = Math.max(stall, Number(process.hrtime.bigint() - s) / 1e6);
    probes++;
  }
  probeAgent.destroy();
  return { stall, probes, largeMs: ms };
}

async function once(port, body) {
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await request(port, probeAgent); // the probe's connection is open before the large request starts
  let done = false;
  let stall = 0;
  let probes = 0;
  const t0 = process.hrtime.bigint();
  const large = request(port, false, { method: 'POST', p: '/v1/chat/completions', body,
    headers: { authorization: `Bearer ${KEY}`, 'x-aigw-user': 'bench', 'content-type': 'application/json',
      'content-length': Buffer.byteLength(body) } }).then((st) => {
    done = true;
    return st;
  });
  while (!done) {
    const s = process.hrtime.bigint();
    await probe(port, probeAgent);
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    if (!done) probes++;
    stall = Math.max(stall, ms);
  }
  const status = await large;
  const largeMs = Number(process.hrtime.bigint() - t0) / 1e6;
  probeAgent.destroy();
  if (status !== 200) throw new Error(`large request answered ${status}`);
  return { stall, probes, largeMs };
}

// A probe that failed (a kept-alive connection closed under it) is sent again on a new connection; counted apart.
let probeErrors = 0;
async function probe(port, agent) {
  try {
    await request(port, agent);
  } catch {
    probeErrors++;
    await request(port, false);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

const upstream = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const out = JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion', created: 0, model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
const upstreamPort = await listen(upstream);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigw-scan-stall-'));
const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt(BODY_BYTES) }] });
const rows = [];
let baseline = null;
for (const [label, min] of [['on the event loop (before)', 2 ** 31], ['on the scan threads (default)', 256 << 10]]) {
  const gw = await startAigw(upstreamPort, min, dir);
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await once(gw.port, body));
  if (min !== 2 ** 31) {
    const base = [];
    for (let i = 0; i < runs; i++) base.push(await idle(gw.port, median(rs.map((r) => r.largeMs))));
    baseline = { label: 'no large request (probe alone, as long)', stall: median(base.map((r) => r.stall)),
      probes: median(base.map((r) => r.probes)), large: NaN, all: base.map((r) => r.stall.toFixed(0)).join(' / ') };
  }
  gw.proc.kill('SIGTERM');
  await new Promise((r) => gw.proc.on('exit', r));
  rows.push({ label, stall: median(rs.map((r) => r.stall)), probes: median(rs.map((r) => r.probes)),
    large: median(rs.map((r) => r.largeMs)), all: rs.map((r) => r.stall.toFixed(0)).join(' / ') });
}
rows.push(baseline);
upstream.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`body: ${(body.length / 1048576).toFixed(1)} MiB JSON, one chat message of numbers; ${runs} runs per mode, medians`);
console.log('| body scan | worker stall (longest /healthz round trip) | /healthz answered meanwhile | large request | stall per run (ms) |');
console.log('|---|---:|---:|---:|---|');
if (probeErrors) console.log(`(${probeErrors} probe(s) failed on a kept-alive connection and were sent again)`);
for (const r of rows) {
  console.log(`| ${r.label} | ${r.stall.toFixed(1)} ms | ${r.probes} | ${Number.isNaN(r.large) ? '–' : `${r.large.toFixed(0)} ms`} | ${r.all} |`);
}
