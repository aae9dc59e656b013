// Test harness for aigw's integration tests: starts the mock provider and the real aigw binary
// on free loopback ports with a config object, waits for them to be ready, keeps their output
// under tests/integration/artifacts/<name>/ and kills whatever is left when the test process
// exits. Everything here is plain node built-ins plus the official openai SDK.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../../..');
// One directory per run (run.sh sets AIGW_ARTIFACTS), so concurrent runs never share files.
export const ARTIFACTS = path.resolve(process.env.AIGW_ARTIFACTS || path.join(HERE, '../artifacts', `manual-${process.pid}`));
export const MOCK_SCRIPT = path.join(REPO, 'tests/mockprovider/server.mjs');
/** Provider wire-format fixtures copied into the repository (sources: tests/fixtures/providers/README.md). */
export const FIXTURES_DIR = path.join(REPO, 'tests/fixtures/providers');
export const AIGW_BIN = path.resolve(process.env.AIGW_BIN || path.join(REPO, 'build/aigw'));
// aigw requires client keys of at least 16 characters.
export const CLIENT_KEY = 'test-client-key-0001';
export const UPSTREAM_KEY = 'sk-upstream-test';
export const USER = 'user-123';

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/**
 * Awaits p, or after ms the value of onTimeout() (which may throw). The timer is cleared when p
 * settles first: a pending sleep() kept each test file running up to 10 s after its last test.
 */
export async function withTimeout(p, ms, onTimeout) {
  let timer;
  const t = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (e) {
        reject(e);
      }
    }, ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/** A fresh directory under artifacts/ for one component of one test file. */
export function artifactDir(name) {
  const dir = path.join(ARTIFACTS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A loopback TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Polls fn until it returns a truthy value; throws with msg after timeoutMs. */
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 50, msg = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${msg}`);
    await sleep(intervalMs);
  }
}

function tail(file, bytes = 4000) {
  try {
    const b = fs.readFileSync(file);
    return b.subarray(Math.max(0, b.length - bytes)).toString('utf8');
  } catch {
    return '';
  }
}

function trackExit(proc) {
  // A leftover child must never keep a test file's process alive (the exit hook kills it).
  proc.unref();
  proc.exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      children.delete(proc);
      proc.exitInfo = { code, signal };
      resolve(proc.exitInfo);
    });
  });
  children.add(proc);
}

/** Sends sig and waits up to timeoutMs for exit, then SIGKILLs. Returns {code, signal, killed}. */
async function stopProc(proc, sig = 'SIGTERM', timeoutMs = 10000) {
  if (proc.exitInfo) return proc.exitInfo;
  proc.kill(sig);
  const r = await withTimeout(proc.exited, timeoutMs, () => null);
  if (r) return r;
  proc.kill('SIGKILL');
  const k = await withTimeout(proc.exited, 5000, () => ({ code: null, signal: 'SIGKILL' }));
  return { ...k, killed: true };
}

/** Self-signed P-256 cert for 127.0.0.1 made with openssl, as the issue describes. */
export function makeCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
  { stdio: 'ignore' });
  return { cert, key };
}

// ---------------------------------------------------------------------------------------------
// Mock provider

/**
 * Starts tests/mockprovider/server.mjs. opts: {name, tls: {cert, key}, apiKey, port (default: any free one)}.
 * Returns {port, url, logFile, requests(), reset(), stop(), proc}.
 */
export async function startMock(opts = {}) {
  const name = opts.name || 'mock';
  const dir = artifactDir(name);
  const logFile = path.join(dir, 'requests.jsonl');
  const args = [MOCK_SCRIPT, '--port', String(opts.port ?? 0), '--log', logFile];
  if (opts.tls) args.push('--tls-cert', opts.tls.cert, '--tls-key', opts.tls.key);
  if (opts.apiKey) args.push('--api-key', opts.apiKey);
  const errFile = path.join(dir, 'stderr.log');
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', fs.openSync(errFile, 'w')] });
  trackExit(proc);
  const rl = readline.createInterface({ input: proc.stdout });
  const port = await withTimeout(Promise.race([
    new Promise((resolve) => rl.once('line', (l) => resolve(JSON.parse(l).port))),
    proc.exited.then(() => { throw new Error(`mock exited early: ${tail(errFile)}`); }),
  ]), 10000, () => { throw new Error('mock did not start in 10 s'); });
  rl.close();
  proc.stdout.unref();
  const scheme = opts.tls ? 'https' : 'http';
  const ctl = (method, p) => new Promise((resolve, reject) => {
    // Control calls always go over plain h1 on the same port (TLS mock: via https with the test CA).
    const mod = opts.tls ? import('node:https') : Promise.resolve({ default: http });
    mod.then(({ default: m }) => {
      const req = m.request({ host: '127.0.0.1', port, path: p, method,
        ca: opts.tls ? fs.readFileSync(opts.tls.cert) : undefined }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      });
      req.on('error', reject);
      req.end();
    });
  });
  return {
    name, port, proc, logFile, dir,
    url: `${scheme}://127.0.0.1:${port}`,
    /** Every request the mock received (abort events merged), oldest first. */
    requests: () => ctl('GET', '/__mock/requests'),
    reset: () => ctl('POST', '/__mock/reset'),
    /** How many requests with `x-mock-hold: name` the mock holds now. */
    held: async (name) => (await ctl('GET', `/__mock/held?hold=${encodeURIComponent(name)}`)).held,
    /** Lets the requests held under `name` go on (and later ones pass at once). */
    release: (name) => ctl('POST', `/__mock/release?hold=${encodeURIComponent(name)}`),
    /** Raw text of the JSONL log, for "this string never reached the provider" checks. */
    logText: () => fs.readFileSync(logFile, 'utf8'),
    stop: () => stopProc(proc, 'SIGTERM', 3000),
  };
}

// ---------------------------------------------------------------------------------------------
// aigw

function isObj(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge for config objects: objects merge, everything else (arrays too) replaces. */
export function merge(base, over) {
  if (!isObj(base) || !isObj(over)) return over === undefined ? base : over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = v === undefined ? base[k] : merge(base[k], v);
  return out;
}

/**
 * Starts `aigw serve --config FILE`. opts: {name, mockUrl, tls: {cert, key} (adds a TLS listener),
 * config: object deep-merged over the defaults, env}. Waits for GET /healthz == 200.
 * Returns {port, tlsPort, url, baseURL, pid, proc, dir, config, accessLog, stderrFile, stop(sig), kill()}.
 */
export async function startAigw(opts = {}) {
  // freePort() hands out a port that was free a moment ago, from the ephemeral range, where any
  // process's outgoing connection may take it before aigw binds it: when the harness chose the
  // ports and the bind failed for that reason, start again on new ones.
  const ownPorts = !(opts.config && opts.config.listen);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAigwOnce(opts);
    } catch (e) {
      if (!ownPorts || attempt >= 3 || !/already in use/.test(String(e.message))) throw e;
    }
  }
}

async function startAigwOnce(opts) {
  const name = opts.name || 'aigw';
  const dir = artifactDir(name);
  if (!fs.existsSync(AIGW_BIN)) throw new Error(`aigw binary not found at ${AIGW_BIN} (set AIGW_BIN)`);
  const port = await freePort();
  const tlsPort = opts.tls ? await freePort() : null;
  const accessLog = path.join(dir, 'access.log');
  const listen = [{ host: '127.0.0.1', port }];
  if (opts.tls) listen.push({ host: '127.0.0.1', port: tlsPort, tls: { cert: opts.tls.cert, key: opts.tls.key } });
  const base = {
    listen,
    workers: 2,
    clients: [{ name: 'backend', key: CLIENT_KEY }],
    providers: { openai: { base_url: opts.mockUrl, api_key: UPSTREAM_KEY } },
    limits: { max_request_body_bytes: 1048576 },
    // the mock provider is steered by x-mock-* request headers (tests/mockprovider); aigw forwards only the headers a
    // provider reads, and config upstream.forward_headers adds these
    upstream: { connect_timeout_ms: 2000, first_byte_timeout_ms: 1500, idle_timeout_ms: 1500, max_connections: 64,
      forward_headers: ['x-mock-*'] },
    access_log: { path: accessLog },
    pii: { default_action: 'tokenize' },
  };
  const config = merge(base, opts.config || {});
  const configFile = path.join(dir, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const stderrFile = path.join(dir, 'stderr.log');
  const fd = fs.openSync(stderrFile, 'w');
  const proc = spawn(AIGW_BIN, ['serve', '--config', configFile], {
    stdio: ['ignore', fd, fd], env: { ...process.env, ...(opts.env || {}) },
  });
  fs.closeSync(fd);
  trackExit(proc);
  const url = `http://127.0.0.1:${port}`;
  // opts.startTimeoutMs: a config with custom PII regexes compiles its vectorscan databases at start (~0.2 s; several
  // seconds under ASan, more on a loaded machine)
  const startMs = opts.startTimeoutMs || 15000;
  const deadline = Date.now() + startMs;
  for (;;) {
    if (proc.exitInfo) {
      throw new Error(`aigw exited during start (${JSON.stringify(proc.exitInfo)}):\n${tail(stderrFile)}`);
    }
    const st = await httpStatus(`${url}/healthz`);
    if (st === 200) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`aigw not healthy after ${startMs / 1000} s (last status ${st}):\n${tail(stderrFile)}`);
    }
    await sleep(50);
  }
  return {
    name, port, tlsPort, url, proc, dir, config, configFile, accessLog, stderrFile,
    pid: proc.pid,
    baseURL: `${url}/v1`,
    stderr: () => tail(stderrFile, 20000),
    /** SIGTERM (default) and wait for exit; SIGKILL after timeoutMs. Returns {code, signal, killed}. */
    stop: (sig = 'SIGTERM', timeoutMs = 10000) => stopProc(proc, sig, timeoutMs),
    exited: proc.exited,
  };
}

/** Status code of a GET, or null when the connection fails. */
export function httpStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(null));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(null);
    });
  });
}

/** Official SDK client pointed at aigw; opts.user false omits X-AIGW-User. */
export function client(gw, opts = {}) {
  const headers = {};
  if (opts.user !== false) headers['X-AIGW-User'] = opts.user || USER;
  return new OpenAI({
    baseURL: opts.baseURL || gw.baseURL,
    apiKey: opts.apiKey || CLIENT_KEY,
    maxRetries: 0,
    timeout: opts.timeout || 20000,
    defaultHeaders: headers,
  });
}

/**
 * A raw HTTP/1.1 upstream on 127.0.0.1 (a free port) for answers the mock provider cannot write: a malformed head, an
 * odd Content-Type, a compressed body. A connection's request is read whole (the head up to the blank line, then
 * Content-Length bytes of body) and handed to `handler(head, body, sock)`: head the request line and fields as
 * latin1 text, body a Buffer; the handler writes the whole answer with sock.end(...) (one request a connection:
 * answer with Connection: close). Socket errors are ignored (aigw may hang up first). Resolves to
 * {port, url, close()}; close() stops listening and drops open connections (await it on teardown).
 */
export async function rawUpstream(handler) {
  const socks = new Set();
  const srv = net.createServer((sock) => {
    socks.add(sock);
    sock.on('close', () => socks.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let done = false;
    sock.on('data', (c) => {
      if (done) return;
      buf = Buffer.concat([buf, c]);
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      const head = buf.subarray(0, i).toString('latin1');
      const m = /content-length:\s*(\d+)/i.exec(head);
      if (buf.length - i - 4 < (m ? Number(m[1]) : 0)) return;
      done = true;
      handler(head, buf.subarray(i + 4), sock);
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      for (const s of socks) s.destroy();
      srv.close(() => resolve());
    }),
  };
}

/** Writes `text` on a fresh TCP connection and returns everything read until the server closes (or 3 s pass). */
export function rawSocket(port, text) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks = [];
    const t = setTimeout(() => {
      s.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    }, 3000);
    s.on('data', (c) => chunks.push(c));
    s.on('end', () => {
      clearTimeout(t);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
    s.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.write(text);
  });
}

/**
 * Raw HTTP/1.1 request (no SDK) for bad-input tests. Returns {status, headers, body (string), json}.
 * opts: {method, path, headers, body, timeoutMs}.
 */
export function rawRequest(gw, opts) {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.isBuffer(opts.body) ? opts.body : Buffer.from(opts.body);
    const headers = { ...(opts.headers || {}) };
    if (body !== undefined && headers['content-length'] === undefined) headers['content-length'] = body.length;
    const req = http.request({ host: '127.0.0.1', port: gw.port, method: opts.method || 'GET', path: opts.path,
      headers, agent: false, localAddress: opts.localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try {
          json = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(opts.timeoutMs || 15000, () => req.destroy(new Error('raw request timed out')));
    req.end(body);
  });
}

export const authHeaders = (extra = {}) => ({
  authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json', ...extra,
});

/** Access-log lines (parsed) once the file holds a line matching pred (polls up to 5 s). */
export async function accessLogLine(gw, pred) {
  return waitFor(() => {
    let text = '';
    try {
      text = fs.readFileSync(gw.accessLog, 'utf8');
    } catch {
      return null;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const o = JSON.parse(line);
        if (pred(o)) return o;
      } catch {
        /* partial line */
      }
    }
    return null;
  }, { timeoutMs: 5000, msg: 'access log line' });
}

/** Resident set size of a process in KiB (VmRSS from /proc). */
export function rssKb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Runs a command, returns {code, stdout, stderr} (never throws on non-zero exit). */
export function run(cmd, args, { timeoutMs = 20000, input } = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (c) => out.push(c));
    p.stderr.on('data', (c) => err.push(c));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    p.stdin.end(input);
  });
}

/** The last request the mock received for a path (after waiting for it to appear). */
export async function lastMockRequest(mock, p) {
  return waitFor(async () => {
    const all = await mock.requests();
    const hits = all.filter((r) => r.path === p);
    return hits.length ? hits[hits.length - 1] : null;
  }, { timeoutMs: 3000, msg: `mock request to ${p}` });
}

/** Starts a mock and an aigw in front of it for one test file. */
export async function startPair(name, opts = {}) {
  const mock = await startMock({ name: `${name}-mock`, ...(opts.mock || {}) });
  let gw;
  try {
    gw = await startAigw({ name: `${name}-aigw`, mockUrl: mock.url, ...(opts.aigw || {}) });
  } catch (e) {
    await mock.stop();
    throw e;
  }
  return { mock, gw, stop: async () => { await gw.stop(); await mock.stop(); } };
}

// ---------------------------------------------------------------------------------------------
// Privacy store and admin API (store.test.mjs, admin.test.mjs)

/** Admin tokens of storeSetup()'s config, one per role (aigw wants >= 12 characters). */
export const ADMIN_TOKENS = { privacy: 'privacy-token-0001', ops: 'ops-token-000001', admin: 'admin-token-00001' };

/** Runs `aigw ARGS...` synchronously. Returns {code, stdout, stderr}; never throws on exit != 0. */
export function aigwCli(args, { timeoutMs = 20000 } = {}) {
  const r = spawnSync(AIGW_BIN, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `aigw keygen FILE`; returns the key id it printed. */
export function keygen(file) {
  const r = aigwCli(['keygen', file]);
  if (r.code !== 0) throw new Error(`aigw keygen ${file} failed (${r.code}): ${r.stderr}`);
  const m = /master key ([0-9a-f]+)/.exec(r.stdout);
  return m ? m[1] : null;
}

/**
 * A data directory (artifacts/<name>, separate from aigw's own directory so that restarts keep
 * it) with a fresh master key, and the config sections that turn the SQLite store on.
 * over.store replaces the SQLite section (PostgreSQL: {driver: 'postgres', dsn}).
 * Returns {dir, keyFile, keyId, db, config} (config: deep-merge it into startAigw's config).
 */
export function storeSetup(name, over = {}) {
  const dir = artifactDir(name);
  const keyFile = path.join(dir, 'master.key');
  const keyId = keygen(keyFile);
  const db = path.join(dir, 'aigw.db');
  const config = merge({
    master_key_file: keyFile,
    store: { driver: 'sqlite', path: db },
    log_bodies: 'scrubbed',
    admin_tokens: Object.entries(ADMIN_TOKENS).map(([role, token]) => ({ role, token })),
  }, over);
  if (over.store) config.store = over.store; // e.g. {driver: 'postgres', dsn}: replaces, not merged
  return { dir, keyFile, keyId, db, config };
}

/** Writes a complete aigw config file (e.g. for CLI commands against a copy of a database). */
export function writeConfig(file, config) {
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** One query through the sqlite3 CLI in JSON mode: an array of row objects. Waits up to 10 s for
 * aigw's write lock (busy timeout) instead of failing with "database is locked" while its journal commits. */
export function sqlite(db, sql) {
  const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 10000', db, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

/** Admin API request: token null sends no Authorization header. Returns rawRequest's result. */
export function adminRequest(gw, method, p, token, body) {
  const headers = {};
  if (token != null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return rawRequest(gw, { method, path: `/admin/api${p}`, headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
}

/**
 * A private throwaway PostgreSQL server (scripts/pg-test-server.sh with its own directory, so
 * the unit tests' server is never touched). Returns {database(name) -> {dsn, psql(sql) -> rows
 * as arrays of strings}: a fresh, empty database, stop()}.
 */
export function startPostgres(name) {
  const dir = path.join('/tmp', `aigw-pg-${name}-${process.pid}`);
  const env = { ...process.env, AIGW_PG_DIR: dir };
  const script = path.join(REPO, 'scripts/pg-test-server.sh');
  const base = execFileSync(script, ['start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const query = (dsn, sql) => execFileSync('psql', [dsn, '-qtAX', '-F', '\t', '-c', sql],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  let running = true;
  const stop = () => {
    if (!running) return;
    running = false;
    execFileSync(script, ['stop'], { env, stdio: 'ignore' });
    fs.rmSync(`${dir}.lock`, { force: true });
  };
  process.on('exit', stop); // also when a test file dies half-way
  return {
    database: (dbName) => {
      const db = `aigw_${dbName.replace(/[^a-z0-9]/g, '_')}`;
      query(base, `DROP DATABASE IF EXISTS ${db}`);
      query(base, `CREATE DATABASE ${db}`);
      const dsn = base.replace(/dbname=\S+/, `dbname=${db}`);
      return { dsn, psql: (sql) => query(dsn, sql) };
    },
    stop,
  };
}
