// Lifecycle: client aborts cancel the upstream transfer (h1 and h2), a 100 MB response to a slow
// reader keeps aigw's memory flat (backpressure), SIGTERM drains in-flight streams and exits 0.
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, test } from 'node:test';
import {
  CLIENT_KEY, USER, authHeaders, client, httpStatus, rssKb, sleep, startAigw, startMock, waitFor,
} from './lib/harness.mjs';

let mock;
let gw;

// ASan's quarantine (256 MB by default) keeps freed memory resident, which would make the RSS
// check below measure ASan rather than aigw; keep it small for this file only.
const asanEnv = { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS ? `${process.env.ASAN_OPTIONS}:` : ''}quarantine_size_mb=8` };

before(async () => {
  mock = await startMock({ name: 'lifecycle-mock' });
  gw = await startAigw({ name: 'lifecycle-aigw', mockUrl: mock.url, env: asanEnv });
});
after(async () => {
  if (gw) await gw.stop();
  if (mock) await mock.stop();
});

const findByText = async (text) => (await mock.requests()).find((r) => r.body.includes(text));

test('client abort mid-stream (HTTP/1.1, SDK) cancels the upstream transfer', async () => {
  const sdk = client(gw);
  const marker = 'abort-h1-marker';
  const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
    messages: [{ role: 'user', content: marker }] }, { headers: { 'x-mock-chunk-delay-ms': '400' } });
  let n = 0;
  try {
    for await (const c of stream) {
      assert.ok(c);
      if (++n === 1) stream.controller.abort();
    }
  } catch {
    /* the SDK reports the abort */
  }
  assert.equal(n, 1);
  const rec = await waitFor(async () => {
    const r = await findByText(marker);
    return r && r.aborted ? r : null;
  }, { timeoutMs: 3000, msg: 'mock sees the upstream response aborted' });
  assert.equal(rec.aborted, true);
});

test('client RST_STREAM mid-stream (HTTP/2) cancels the upstream transfer', async () => {
  const marker = 'abort-h2-marker';
  const session = http2.connect(gw.url);
  try {
    await new Promise((resolve, reject) => {
      const req = session.request({ ':method': 'POST', ':path': '/v1/chat/completions', 'content-type': 'application/json',
        authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'x-mock-chunk-delay-ms': '400' });
      req.on('data', () => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        resolve();
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: marker }] }));
    });
    const rec = await waitFor(async () => {
      const r = await findByText(marker);
      return r && r.aborted ? r : null;
    }, { timeoutMs: 3000, msg: 'mock sees the upstream response aborted' });
    assert.equal(rec.aborted, true);
    // The connection stays usable for other streams.
    const ok = await new Promise((resolve, reject) => {
      const req = session.request({ ':method': 'GET', ':path': '/healthz' });
      req.on('response', (h) => resolve(h[':status']));
      req.on('error', reject);
      req.resume();
      req.end();
    });
    assert.equal(ok, 200);
  } finally {
    session.close();
  }
});

test('100 MB response to a slow reader: aigw RSS stays flat', { timeout: 120000 }, async () => {
  const total = 100 * 1024 * 1024;
  const pid = gw.pid;
  const base = rssKb(pid);
  let peak = base;
  const sampler = setInterval(() => { peak = Math.max(peak, rssKb(pid)); }, 25);
  try {
    const got = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: gw.port, method: 'POST', path: '/v1/chat/completions',
        headers: authHeaders({ 'x-mock-large-bytes': String(total) }), agent: false }, async (res) => {
        try {
          assert.equal(res.statusCode, 200);
          let bytes = 0;
          res.on('data', (c) => { bytes += c.length; });
          res.on('end', () => resolve(bytes));
          res.on('error', reject);
          // Not reading at all for 1 s (under idle_timeout_ms): without backpressure aigw would pull all 100 MB from the
          // mock (loopback, a fraction of a second) into memory now.
          res.pause();
          await sleep(1000);
          // Then read in bursts with pauses, slower than the provider can send.
          while (!res.readableEnded && !res.destroyed) {
            res.resume();
            await sleep(10);
            res.pause();
            await sleep(10);
          }
        } catch (e) {
          reject(e);
        }
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'big' }] }));
    });
    assert.equal(got, total);
  } finally {
    clearInterval(sampler);
  }
  const growMb = (peak - base) / 1024;
  process.stderr.write(`slow-client: aigw RSS base ${(base / 1024).toFixed(1)} MB, peak ${(peak / 1024).toFixed(1)} MB\n`);
  assert.ok(growMb < 64, `aigw RSS grew by ${growMb.toFixed(1)} MB while streaming 100 MB to a slow reader`);
});

function tryConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e) => resolve(e.code));
  });
}

test('SIGTERM drains in-flight streams and requests, refuses new work, exits 0', { timeout: 60000 }, async () => {
  const dmock = await startMock({ name: 'lifecycle-drain-mock' });
  const dgw = await startAigw({ name: 'lifecycle-drain-aigw', mockUrl: dmock.url });
  try {
    const sdk = client(dgw);
    const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
      stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'drain me' }] },
    { headers: { 'x-mock-chunk-delay-ms': '400' } });
    // A slow non-stream request in flight too (first byte after 1 s, under the 1.5 s timeout).
    const slow = sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow one' }] },
      { headers: { 'x-mock-delay-ms': '1000' } });
    await waitFor(async () => (await dmock.requests()).length >= 2, { msg: 'both requests reached the mock' });

    const chunks = [];
    let signalled = false;
    let during = null;
    for await (const c of stream) {
      chunks.push(c);
      if (!signalled) {
        signalled = true;
        dgw.proc.kill('SIGTERM');
        // While draining (the stream has ~2 s to go): no new work is served, the listener is
        // closed or /readyz says 503. Polled for up to 1.5 s so a loaded machine does not flake.
        const end = Date.now() + 1500;
        do {
          await sleep(50);
          const conn = await tryConnect(dgw.port);
          during = conn === 'connected' ? await httpStatus(`${dgw.url}/readyz`) : conn;
        } while (during === 200 && Date.now() < end);
      }
    }
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, 'Hello Jane Doe, nice to meet you!', 'the in-flight stream completed');
    assert.equal(chunks[chunks.length - 1].usage.total_tokens, 25);
    const slowRes = await slow;
    assert.equal(slowRes.object, 'chat.completion', 'the in-flight request completed');
    assert.ok(during === 'ECONNREFUSED' || during === 503, `new work while draining got ${during}`);

    const exit = await Promise.race([dgw.exited, sleep(10000).then(() => null)]);
    assert.ok(exit, 'aigw exited within 10 s after the last stream ended');
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(await tryConnect(dgw.port), 'ECONNREFUSED');
  } finally {
    await dgw.stop('SIGKILL', 1000);
    await dmock.stop();
  }
});

test('SIGTERM when idle exits 0 promptly', async () => {
  const imock = await startMock({ name: 'lifecycle-idle-mock' });
  const igw = await startAigw({ name: 'lifecycle-idle-aigw', mockUrl: imock.url });
  try {
    await client(igw).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm' }] });
    const t0 = Date.now();
    const exit = await igw.stop('SIGTERM', 10000);
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
    assert.ok(!exit.killed);
    assert.ok(Date.now() - t0 < 5000);
  } finally {
    await imock.stop();
  }
});
