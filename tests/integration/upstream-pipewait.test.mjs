// Calls to a plain-http upstream do not queue behind the first one (gateway/upstream.c): libcurl's PIPEWAIT makes a
// transfer wait for a connection that might multiplex, and over http:// curl learns that a connection will not
// (HTTP/1.1) only when its first answer's headers arrive; a slow first answer (a local model that takes seconds to
// its first byte) held every other call of the worker back that long. PIPEWAIT is set for https:// upstreams only,
// where ALPN answers the question at the TLS handshake.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { authHeaders, rawRequest, startPair, waitFor } from './lib/harness.mjs';

let pair;
before(async () => {
  pair = await startPair('pipewait', { aigw: { config: { workers: 1,
    upstream: { first_byte_timeout_ms: 20000, idle_timeout_ms: 20000 } } } });
});
after(async () => {
  if (pair) await pair.stop();
});

const chat = (content) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

test('a second call is forwarded and answered while the first one waits for its answer (fresh worker, http upstream)',
  async () => {
    const { gw, mock } = pair;
    // the first call of the worker: held at the mock until released
    const first = rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', body: chat('first call'),
      headers: authHeaders({ 'x-mock-hold': 'pw-first' }) });
    await waitFor(async () => (await mock.held('pw-first')) === 1, { timeoutMs: 10000, msg: 'the first call reached the mock' });
    // a second one right after: it must not wait for the first answer's headers
    const second = await Promise.race([
      rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', body: chat('second call'), headers: authHeaders() }),
      new Promise((resolve) => setTimeout(() => resolve(null), 8000)),
    ]);
    const stillHeld = await mock.held('pw-first');
    await mock.release('pw-first');
    const r1 = await first;
    assert.notEqual(second, null, 'the second call was not answered while the first one was held');
    assert.equal(second.status, 200, second.body);
    assert.equal(stillHeld, 1, 'the first call was still held when the second was answered');
    assert.equal(r1.status, 200, r1.body);
  });
