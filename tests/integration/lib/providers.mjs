// Helpers for the per-provider SDK tests (providers*.test.mjs): one mock provider per provider
// (tests/mockprovider/server.mjs --provider NAME, each with its own upstream key), one aigw whose
// config points every provider at its mock, PII and image-metadata checks (exiftool).
//
// The mock is started here rather than through harness.startMock because of --provider; the
// artifacts, cleanup-on-exit and control calls follow the same conventions.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { MOCK_SCRIPT, artifactDir, startAigw, waitFor } from './harness.mjs';

// Gateway gaps found by providers*.test.mjs: mark a test { todo: GAPS.x } while aigw has the gap
// (it still runs and prints its failure); none is open now.
export const GAPS = {};

export const PROVIDERS = ['openai', 'gemini', 'anthropic', 'replicate', 'openrouter', 'deepseek', 'fireworks', 'fal'];

/** Upstream key per provider: distinct, so a test can tell which one reached which mock. */
export const PROVIDER_KEYS = {
  openai: 'sk-upstream-test',
  gemini: 'AIza-upstream-gemini-0001',
  anthropic: 'sk-ant-upstream-0001',
  replicate: 'r8_upstream_replicate_0001',
  openrouter: 'sk-or-v1-upstream-0001',
  deepseek: 'sk-ds-upstream-0001',
  fireworks: 'fw_upstream_0001',
  fal: 'fal-upstream-id:fal-upstream-secret',
};

/** Where a leaked client key would show up in the mock's log, per provider auth style. */
export const AUTH_HEADER = {
  openai: 'authorization', openrouter: 'authorization', deepseek: 'authorization', fireworks: 'authorization',
  replicate: 'authorization', gemini: 'x-goog-api-key', anthropic: 'x-api-key', fal: 'authorization',
};
export const AUTH_VALUE = {
  openai: (k) => `Bearer ${k}`, openrouter: (k) => `Bearer ${k}`, deepseek: (k) => `Bearer ${k}`,
  fireworks: (k) => `Bearer ${k}`, replicate: (k) => `Bearer ${k}`, gemini: (k) => k, anthropic: (k) => k,
  fal: (k) => `Key ${k}`,
};

const children = new Set();
process.on('exit', () => {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000);
  } catch {
    return '';
  }
}

/** Starts `server.mjs --provider NAME`. Returns {provider, url, port, requests(), reset(), logText(), stop()}. */
export async function startProviderMock(provider, name) {
  const dir = artifactDir(name);
  const logFile = path.join(dir, 'requests.jsonl');
  const errFile = path.join(dir, 'stderr.log');
  const proc = spawn(process.execPath, [MOCK_SCRIPT, '--provider', provider, '--port', '0', '--log', logFile,
    '--api-key', PROVIDER_KEYS[provider]], { stdio: ['ignore', 'pipe', fs.openSync(errFile, 'w')] });
  proc.unref();
  children.add(proc);
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => {
    children.delete(proc);
    resolve({ code, signal });
  }));
  const rl = readline.createInterface({ input: proc.stdout });
  let timer;
  // A pending timer would keep the test process alive after the tests: cleared in finally.
  const port = await Promise.race([
    new Promise((resolve) => rl.once('line', (l) => resolve(JSON.parse(l).port))),
    exited.then(() => { throw new Error(`mock ${provider} exited early: ${tail(errFile)}`); }),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`mock ${provider} did not start in 10 s`)), 10000); }),
  ]).finally(() => clearTimeout(timer));
  rl.close();
  proc.stdout.unref();
  const ctl = (method, p) => new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
  return {
    provider, port, dir, logFile,
    url: `http://127.0.0.1:${port}`,
    requests: () => ctl('GET', '/__mock/requests'),
    reset: () => ctl('POST', '/__mock/reset'),
    logText: () => fs.readFileSync(logFile, 'utf8'),
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The models globs of the unified /v1/ route used by these tests. */
export const MODELS = {
  'gemini-*': 'gemini',
  'deepseek-*': 'deepseek',
  'accounts/fireworks/*': 'fireworks',
  'openrouter/*': 'openrouter',
  'anthropic/*': 'openrouter',
};

/**
 * One mock per provider and one aigw in front of all of them.
 * opts: {name, providerConf: {gemini: {tier}}, config (deep-merged), providers (subset)}.
 * Returns {gw, mocks: {name: mock}, stop()}.
 */
export async function startProviders(opts = {}) {
  const name = opts.name || 'prov';
  const list = opts.providers || PROVIDERS;
  const mocks = {};
  await Promise.all(list.map(async (p) => { mocks[p] = await startProviderMock(p, `${name}-mock-${p}`); }));
  const providers = {};
  for (const p of list) {
    providers[p] = { base_url: mocks[p].url, api_key: PROVIDER_KEYS[p], ...((opts.providerConf || {})[p] || {}) };
  }
  let gw;
  try {
    gw = await startAigw({ name: `${name}-aigw`, mockUrl: (mocks.openai || Object.values(mocks)[0]).url, startTimeoutMs: opts.startTimeoutMs,
      // SDK clients keep idle keep-alive connections; a short drain keeps stop() fast.
      config: { providers, models: MODELS, drain_timeout_ms: 500, ...(opts.config || {}) } });
  } catch (e) {
    await Promise.all(Object.values(mocks).map((m) => m.stop()));
    throw e;
  }
  return {
    gw, mocks,
    stop: async () => {
      await gw.stop();
      await Promise.all(Object.values(mocks).map((m) => m.stop()));
    },
  };
}

/** Requests the mock received for which pred(record) holds, after waiting until there is at least one. */
export async function mockRequests(mock, pred, { min = 1 } = {}) {
  return waitFor(async () => {
    const hits = (await mock.requests()).filter(pred);
    return hits.length >= min ? hits : null;
  }, { timeoutMs: 3000, msg: `request on the ${mock.provider} mock` });
}

/** The last request on `mock` whose path matches `re` (string: exact path). */
export async function lastRequest(mock, re) {
  const m = typeof re === 'string' ? (r) => r.path === re : (r) => re.test(r.path);
  const hits = await mockRequests(mock, m);
  return hits[hits.length - 1];
}

/**
 * Key swap: every request the mock logged carries the provider key in the provider's header, and the
 * client key appears nowhere in the mock's log (no header, no body).
 */
export function assertKeysSwapped(mock, clientKey, records) {
  const hdr = AUTH_HEADER[mock.provider];
  const want = AUTH_VALUE[mock.provider](PROVIDER_KEYS[mock.provider]);
  assert.ok(records.length > 0, 'at least one request reached the mock');
  for (const r of records) assert.equal(r.headers[hdr], want, `${mock.provider} ${r.path}: ${hdr} is the provider key`);
  assert.ok(!mock.logText().includes(clientKey), `${mock.provider}: the client key never reached the provider`);
}

// ---------------------------------------------------------------------------------------------
// PII

export const RAW = {
  email: 'jane.doe@example.com',
  phone: '+1 415 555 0134',
  card: '4111 1111 1111 1111',
  ssn: '536-22-8765',
};
const LEAK_FORMS = [RAW.email, RAW.phone, '415 555 0134', '4155550134', RAW.card, '4111111111111111', RAW.ssn, '536228765'];
export const PROMPT = `Please reply to ${RAW.email} or call ${RAW.phone}; card ${RAW.card}, SSN ${RAW.ssn}.`;

/** No raw PII value in `text` (any of the forms a leak could take). */
export function assertNoPii(text, where) {
  for (const v of LEAK_FORMS) assert.ok(!text.includes(v), `${where} contains raw PII ${JSON.stringify(v)}`);
}

/** The echo of PROMPT came back with the original values (placeholders restored). */
export function assertRestored(text, where) {
  assert.ok(text.includes(RAW.email) && text.includes(RAW.card), `${where}: originals restored, got ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /<[A-Z_]+_\d+>/, `${where}: no placeholder left`);
}

// ---------------------------------------------------------------------------------------------
// Images: a small JPEG with GPS EXIF, written by libjpeg (8x8 baseline), tags added by exiftool.

const PLAIN_JPEG_B64 =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/' +
  '2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QA' +
  'HwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkK' +
  'FhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXG' +
  'x8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC' +
  'AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOE' +
  'hYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwB+hRfdooor' +
  'LE4Oj7R6HVjJP2rP/9k=';

/** exiftool's JSON view (-G groups) of an image given as bytes. */
export function exifOf(bytes, dir) {
  const f = path.join(dir, `exif-${process.pid}-${Math.random().toString(36).slice(2)}.bin`);
  fs.writeFileSync(f, bytes);
  try {
    return JSON.parse(execFileSync('exiftool', ['-j', '-G', f], { encoding: 'utf8' }))[0];
  } finally {
    fs.rmSync(f, { force: true });
  }
}

/**
 * Makes the test JPEG under `dir`: 8x8 pixels with EXIF GPS position, Artist, Make and an XMP
 * creator, added by exiftool. Returns {bytes, b64, dataUri}; checks that the tags are really there.
 */
export function makeGpsJpeg(dir) {
  const file = path.join(dir, 'gps.jpg');
  fs.writeFileSync(file, Buffer.from(PLAIN_JPEG_B64, 'base64'));
  execFileSync('exiftool', ['-q', '-overwrite_original', '-GPSLatitude=48.8584', '-GPSLatitudeRef=N',
    '-GPSLongitude=2.2945', '-GPSLongitudeRef=E', '-Artist=Jane Doe', '-Make=ACME', '-XMP-dc:Creator=Jane Doe', file]);
  const bytes = fs.readFileSync(file);
  const tags = exifOf(bytes, dir);
  assert.ok(tags['EXIF:GPSLatitude'] && tags['EXIF:Artist'], 'test image carries GPS EXIF');
  const b64 = bytes.toString('base64');
  return { bytes, b64, dataUri: `data:image/jpeg;base64,${b64}` };
}

/** Asserts the image bytes (base64 or data: URI) that reached the provider are a JPEG without EXIF/GPS/XMP. */
export function assertImageClean(value, dir, where) {
  const b64 = value.startsWith('data:') ? value.slice(value.indexOf(',') + 1) : value;
  const bytes = Buffer.from(b64, 'base64');
  const tags = exifOf(bytes, dir);
  assert.equal(tags['File:FileType'], 'JPEG', `${where}: still a JPEG`);
  const bad = Object.keys(tags).filter((k) => /^(EXIF|XMP|IPTC|Composite:GPS)/.test(k) || /GPS/.test(k));
  assert.deepEqual(bad, [], `${where}: metadata left after aigw: ${bad.map((k) => `${k}=${tags[k]}`).join(', ')}`);
  assert.ok(!bytes.includes(Buffer.from('Jane Doe')), `${where}: no Artist/Creator text in the bytes`);
  return tags;
}
