// Proxy environment variables for the upstream client (docs/config.md "Proxy environment variables"):
// aigw reads them once at start (gateway/upstream.c) and must pick the proxy exactly as libcurl would
// per transfer: http:// upstreams use http_proxy (lower case only: HTTP_PROXY is ignored, httpoxy),
// https:// upstreams https_proxy then HTTPS_PROXY, both fall back to all_proxy then ALL_PROXY; no_proxy
// then NO_PROXY lists hosts reached directly ("*" = all); a variable set to "" counts as unset.
// A forward proxy made here records what goes through it (absolute-form requests for http://,
// CONNECT tunnels for https://) and relays it to the mock.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { artifactDir, authHeaders, makeCert, rawRequest, startAigw, startMock } from './lib/harness.mjs';

const VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
let mock;
let tmock;
let tls;
let proxy;
let proxyUrl;
const seen = [];

before(async () => {
  tls = makeCert(artifactDir('proxy-tls'));
  mock = await startMock({ name: 'proxy-mock' });
  tmock = await startMock({ name: 'proxy-tls-mock', tls });
  proxy = http.createServer((req, res) => {
    seen.push({ kind: 'request', target: req.url });
    const u = new URL(req.url);
    const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method,
      headers: req.headers }, (r) => {
      res.writeHead(r.statusCode, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  proxy.on('connect', (req, sock, head) => {
    seen.push({ kind: 'connect', target: req.url });
    const [host, port] = req.url.split(':');
    const up = net.connect(Number(port), host, () => {
      sock.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(sock);
      sock.pipe(up);
    });
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${proxy.address().port}`;
});
after(async () => {
  if (mock) await mock.stop();
  if (tmock) await tmock.stop();
  if (proxy) {
    proxy.closeAllConnections();
    proxy.close();
  }
});

/** One aigw with exactly `vars` set (every other proxy variable set to "", i.e. unset), one chat call. */
async function callWith(name, vars, { https = false } = {}) {
  const env = Object.fromEntries(VARS.map((v) => [v, vars[v] ?? '']));
  const m = https ? tmock : mock;
  const gw = await startAigw({ name: `proxy-${name}`, mockUrl: m.url, env,
    config: { workers: 1, upstream: https ? { ca_file: tls.cert } : {} } });
  try {
    seen.length = 0;
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `proxy ${name}` }] });
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', body, headers: authHeaders() });
    assert.equal(r.status, 200, `${name}: ${r.body}`);
    const hits = (await m.requests()).filter((rec) => rec.body.includes(`proxy ${name}`));
    assert.equal(hits.length, 1, `${name}: the call reached the mock once`);
    return [...seen];
  } finally {
    await gw.stop();
  }
}

const viaProxy = (seenList, m) => seenList.filter((s) =>
  (s.kind === 'request' && s.target === `${m.url}/v1/chat/completions`) ||
  (s.kind === 'connect' && s.target === `127.0.0.1:${m.port}`)).length;

test('http:// upstream: http_proxy is used, HTTP_PROXY (upper case) is not', async () => {
  assert.equal(viaProxy(await callWith('lower', { http_proxy: proxyUrl }), mock), 1);
  assert.deepEqual(await callWith('upper', { HTTP_PROXY: proxyUrl }), [], 'HTTP_PROXY is ignored for http://');
});

test('all_proxy / ALL_PROXY are the fallback; https_proxy does not apply to http://', async () => {
  assert.equal(viaProxy(await callWith('all', { all_proxy: proxyUrl }), mock), 1);
  assert.equal(viaProxy(await callWith('ALL', { ALL_PROXY: proxyUrl }), mock), 1);
  assert.deepEqual(await callWith('https-only', { https_proxy: proxyUrl, HTTPS_PROXY: proxyUrl }), []);
});

test('no_proxy / NO_PROXY: listed hosts and "*" are reached directly', async () => {
  assert.deepEqual(await callWith('noproxy', { http_proxy: proxyUrl, no_proxy: '127.0.0.1' }), []);
  assert.deepEqual(await callWith('NOPROXY', { ALL_PROXY: proxyUrl, NO_PROXY: '*' }), []);
  assert.equal(viaProxy(await callWith('noproxy-other', { http_proxy: proxyUrl, no_proxy: 'example.com' }), mock), 1);
});

test('https:// upstream: HTTPS_PROXY (CONNECT tunnel, the certificate still checked against upstream.ca_file)', async () => {
  assert.equal(viaProxy(await callWith('tls-upper', { HTTPS_PROXY: proxyUrl }, { https: true }), tmock), 1);
  assert.equal(viaProxy(await callWith('tls-lower', { https_proxy: proxyUrl }, { https: true }), tmock), 1);
  assert.equal(viaProxy(await callWith('tls-all', { all_proxy: proxyUrl }, { https: true }), tmock), 1);
  assert.deepEqual(await callWith('tls-http-only', { http_proxy: proxyUrl }, { https: true }), [],
    'http_proxy does not apply to https://');
  assert.deepEqual(await callWith('tls-noproxy', { HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' }, { https: true }), []);
});
