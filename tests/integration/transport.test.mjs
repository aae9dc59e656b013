// Transports: h2c with prior knowledge and with Upgrade (curl, nghttp, node's http2 client),
// TLS with ALPN h2 using a self-signed cert made by the test, many streams on one connection,
// and HTTP/2 over TLS upstream to a TLS mock (certificate checked against upstream.ca_file).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  CLIENT_KEY, USER, artifactDir, client, lastMockRequest, makeCert, run, startAigw, startMock,
} from './lib/harness.mjs';

let mock;
let gw;
let tls;
let dir;
const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'transport test' }] });

before(async () => {
  dir = artifactDir('transport');
  tls = makeCert(dir);
  fs.writeFileSync(path.join(dir, 'chat.json'), chatBody);
  mock = await startMock({ name: 'transport-mock' });
  gw = await startAigw({ name: 'transport-aigw', mockUrl: mock.url, tls });
});
after(async () => {
  if (gw) await gw.stop();
  if (mock) await mock.stop();
});

const curlAuth = ['-H', `authorization: Bearer ${CLIENT_KEY}`, '-H', `x-aigw-user: ${USER}`];

async function curl(args) {
  const r = await run('curl', ['-sS', '-o', path.join(dir, 'curl.body'), '-w', '%{http_code} %{http_version}', ...args]);
  assert.equal(r.code, 0, `curl failed: ${r.stderr}`);
  return { line: r.stdout.trim(), body: fs.readFileSync(path.join(dir, 'curl.body'), 'utf8') };
}

/** One request on an http2 session; resolves {status, headers, body, times[]} (arrival time per DATA chunk). */
function h2req(session, { method = 'POST', path: p = '/v1/chat/completions', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': method, ':path': p, authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER,
      'content-type': 'application/json', ...headers,
    });
    const chunks = [];
    const times = [];
    let head = null;
    req.on('response', (h) => { head = h; });
    req.on('data', (c) => {
      chunks.push(c);
      times.push(performance.now());
    });
    req.on('end', () => resolve({ status: head && head[':status'], headers: head, body: Buffer.concat(chunks).toString('utf8'), times }));
    req.on('error', reject);
    req.end(body);
  });
}

describe('h2c on the plain listener', () => {
  test('curl --http2-prior-knowledge POST chat -> 200 over HTTP/2', async () => {
    const r = await curl(['--http2-prior-knowledge', ...curlAuth, '-H', 'content-type: application/json',
      '--data-binary', `@${path.join(dir, 'chat.json')}`, `${gw.url}/v1/chat/completions`]);
    assert.equal(r.line, '200 2');
    assert.equal(JSON.parse(r.body).object, 'chat.completion');
  });

  test('curl --http2 (Upgrade: h2c) GET models -> 200 over HTTP/2', async () => {
    const r = await curl(['--http2', ...curlAuth, `${gw.url}/v1/models`]);
    assert.equal(r.line, '200 2');
    assert.ok(JSON.parse(r.body).data.length > 0);
  });

  test('plain HTTP/1.1 on the same port', async () => {
    const r = await curl(['--http1.1', ...curlAuth, `${gw.url}/v1/models`]);
    assert.equal(r.line, '200 1.1');
  });

  test('nghttp (prior knowledge) POST chat -> :status 200', async () => {
    const r = await run('nghttp', ['-v', '-H', `authorization: Bearer ${CLIENT_KEY}`, '-H', `x-aigw-user: ${USER}`,
      '-H', 'content-type: application/json', '-d', path.join(dir, 'chat.json'), `${gw.url}/v1/chat/completions`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /:status: 200/);
    assert.match(r.stdout, /x-aigw-request-id: \S+/);
    assert.match(r.stdout, /"object":\s*"chat\.completion"/);
  });

  test('nghttp -u (Upgrade) GET models -> :status 200', async () => {
    const r = await run('nghttp', ['-v', '-u', '-H', `authorization: Bearer ${CLIENT_KEY}`, '-H', `x-aigw-user: ${USER}`,
      `${gw.url}/v1/models`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /HTTP Upgrade (request|response)/i);
    assert.match(r.stdout, /:status: 200/);
  });

  test('20 concurrent streams on one h2c connection, each its own answer and request id', async () => {
    const session = http2.connect(gw.url);
    try {
      const res = await Promise.all(Array.from({ length: 20 }, (_, i) => h2req(session, {
        headers: { 'x-mock-echo': '1' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `stream-${i}` }] }),
      })));
      res.forEach((r, i) => {
        assert.equal(r.status, 200);
        assert.equal(JSON.parse(r.body).choices[0].message.content, `stream-${i}`);
      });
      assert.equal(new Set(res.map((r) => r.headers['x-aigw-request-id'])).size, 20);
    } finally {
      session.close();
    }
  });
});

describe('TLS listener (self-signed cert, ALPN h2)', () => {
  test('curl --http2 -k https:// POST chat -> 200 over HTTP/2', async () => {
    const r = await curl(['--http2', '-k', ...curlAuth, '-H', 'content-type: application/json',
      '--data-binary', `@${path.join(dir, 'chat.json')}`, `https://127.0.0.1:${gw.tlsPort}/v1/chat/completions`]);
    assert.equal(r.line, '200 2');
  });

  test('curl verifies the cert with --cacert and HTTP/1.1 over TLS works', async () => {
    const r = await curl(['--http1.1', '--cacert', tls.cert, ...curlAuth, `https://127.0.0.1:${gw.tlsPort}/v1/models`]);
    assert.equal(r.line, '200 1.1');
  });

  test('node http2 over TLS: streamed chat arrives in paced DATA frames', async () => {
    const session = http2.connect(`https://127.0.0.1:${gw.tlsPort}`, { ca: fs.readFileSync(tls.cert) });
    try {
      assert.equal(await new Promise((r) => session.on('connect', () => r(session.alpnProtocol))), 'h2');
      const r = await h2req(session, {
        headers: { 'x-mock-chunk-delay-ms': '150' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      assert.equal(r.status, 200);
      assert.match(r.body, /data: \[DONE\]/);
      assert.ok(r.times[r.times.length - 1] - r.times[0] >= 300, 'DATA frames spread over time');
    } finally {
      session.close();
    }
  });
});

describe('upstream over TLS (HTTP/2 via ALPN)', () => {
  let tmock;
  let tgw;
  before(async () => {
    tmock = await startMock({ name: 'transport-tlsmock', tls });
    tgw = await startAigw({ name: 'transport-tls-upstream-aigw', mockUrl: tmock.url,
      config: { upstream: { ca_file: tls.cert } } });
  });
  after(async () => {
    if (tgw) await tgw.stop();
    if (tmock) await tmock.stop();
  });

  test('SDK chat reaches the TLS mock over HTTP/2', async () => {
    const sdk = client(tgw);
    const r = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'tls up' }] });
    assert.equal(r.model, 'gpt-4o-mini');
    const m = await lastMockRequest(tmock, '/v1/chat/completions');
    assert.equal(m.http_version, '2.0', 'libcurl negotiated h2 with the provider');
    assert.equal(m.headers.authorization, 'Bearer sk-upstream-test');
  });

  test('streams and repeated requests over the pooled h2 upstream', async () => {
    const sdk = client(tgw);
    for (let i = 0; i < 3; i++) {
      const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
        messages: [{ role: 'user', content: `tls stream ${i}` }] }, { headers: { 'x-mock-echo': '1' } });
      let text = '';
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
      assert.equal(text, `tls stream ${i}`);
    }
  });

  test('an upstream cert not signed by upstream.ca_file is rejected (502)', async () => {
    const other = makeCert(artifactDir('transport-othercert'));
    const bad = await startAigw({ name: 'transport-badca-aigw', mockUrl: tmock.url, config: { upstream: { ca_file: other.cert } } });
    try {
      const n = (await tmock.requests()).length;
      let err = null;
      try {
        await client(bad).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof OpenAI.APIError, String(err));
      assert.equal(err.status, 502);
      assert.equal((await tmock.requests()).length, n, 'nothing sent over an unverified connection');
    } finally {
      await bad.stop();
    }
  });
});
