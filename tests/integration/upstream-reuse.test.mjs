// Upstream easy-handle reuse (gateway/upstream.c): one worker, so every call takes the handle the call
// before it gave back to the pool (curl_easy_reset, then the handle's cached CURLU when the URL is the
// same). A call must carry nothing of the calls before it on that handle: not their URL, method, body,
// headers or provider key, also when the earlier call failed (first-byte timeout: the transfer was
// cancelled mid-flight; connection refused: curl ended it) and when it went to another provider with
// another auth style.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MODELS, PROVIDER_KEYS, lastRequest, startProviderMock } from './lib/providers.mjs';
import { authHeaders, rawRequest, startAigw } from './lib/harness.mjs';

const env = { mocks: {} };
let openai;
let openrouter;
let anthropic;

before(async () => {
  for (const p of ['openai', 'openrouter', 'anthropic']) env.mocks[p] = await startProviderMock(p, `reuse-mock-${p}`);
  ({ openai, openrouter, anthropic } = env.mocks);
  const providers = {};
  for (const [p, m] of Object.entries(env.mocks)) providers[p] = { base_url: m.url, api_key: PROVIDER_KEYS[p] };
  // fireworks on a closed port: every call to it fails in curl (connection refused)
  providers.fireworks = { base_url: 'http://127.0.0.1:1', api_key: 'fw_dead_port_key_0001' };
  env.gw = await startAigw({ name: 'reuse-aigw', mockUrl: openai.url,
    // the marker headers must reach the provider on their own call for "not on the next one" to mean anything
    config: { workers: 1, providers, models: MODELS, drain_timeout_ms: 500, upstream: { first_byte_timeout_ms: 600,
      forward_headers: ['x-mock-*', 'x-first-call', 'x-dead-port-call', 'x-delete-call'] },
      retry: { max_retries: 0 } } });
});
after(async () => {
  if (env.gw) await env.gw.stop();
  await Promise.all(Object.values(env.mocks).map((m) => m.stop()));
});

const chat = (model, content) => JSON.stringify({ model, messages: [{ role: 'user', content }] });
const OTHER_KEYS = (own) => Object.entries(PROVIDER_KEYS).filter(([p]) => p !== own).map(([, k]) => k)
  .concat(['fw_dead_port_key_0001']);

/** The mock's last request on `path` carries only what this call sent. */
function assertClean(rec, provider, { method, bodyLen }) {
  assert.equal(rec.method, method, `${provider}: method of this call`);
  for (const h of ['x-first-call', 'x-mock-delay-ms', 'x-dead-port-call', 'x-delete-call']) {
    assert.equal(rec.headers[h], undefined, `${provider}: header ${h} of an earlier call on the handle`);
  }
  const text = JSON.stringify(rec);
  for (const k of OTHER_KEYS(provider)) assert.ok(!text.includes(k), `${provider}: another provider's key reached it`);
  if (bodyLen === 0) {
    assert.equal(rec.body, '', `${provider}: no body`);
    assert.equal(rec.headers['content-length'], undefined, `${provider}: no content-length`);
    assert.equal(rec.headers['transfer-encoding'], undefined, `${provider}: no transfer-encoding`);
  } else {
    assert.equal(Buffer.byteLength(rec.body), bodyLen, `${provider}: this call's body only`);
  }
}

test('a reused handle carries nothing of the calls before it (timeout, connection refused, other providers)', async () => {
  // 1. openai, a body over 64 KiB (sent by curl's read callback), an extra header; the mock waits past the
  //    first-byte timeout: aigw cancels the transfer and the handle goes back to the pool mid-call
  const big = chat('gpt-4o-mini', 'the quick brown fox jumps over the lazy dog. '.repeat(1900));
  let r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: '/v1/chat/completions', body: big,
    headers: authHeaders({ 'x-first-call': 'one', 'x-mock-delay-ms': '3000' }) });
  assert.equal(r.status, 504, r.body);
  const first = await lastRequest(openai, '/v1/chat/completions');
  assert.equal(first.headers['x-first-call'], 'one');
  assert.equal(first.headers.authorization, `Bearer ${PROVIDER_KEYS.openai}`);

  // 2. openrouter: another provider, port and key, a small body (CURLOPT_POSTFIELDS)
  const small = chat('openrouter/auto', 'second call');
  r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: '/v1/chat/completions', body: small,
    headers: authHeaders() });
  assert.equal(r.status, 200, r.body);
  let rec = await lastRequest(openrouter, '/api/v1/chat/completions');
  assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEYS.openrouter}`);
  assertClean(rec, 'openrouter', { method: 'POST', bodyLen: Buffer.byteLength(rec.body) });
  assert.ok(Buffer.byteLength(rec.body) < 1024, 'the 80 KiB body of call 1 did not follow');
  assert.equal(JSON.parse(rec.body).messages[0].content, 'second call');

  // 3. fireworks on a closed port: curl fails the transfer (connection refused) with this call's headers set
  r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: '/fireworks/inference/v1/chat/completions',
    body: chat('accounts/fireworks/models/x', 'third call'), headers: authHeaders({ 'x-dead-port-call': 'three' }) });
  assert.equal(r.status, 502, r.body);

  // 4. openai GET: no body, no content-length, GET (not the POST of calls 1-3), openai's key only
  r = await rawRequest({ port: env.gw.port }, { method: 'GET', path: '/v1/models', headers: authHeaders() });
  assert.equal(r.status, 200, r.body);
  rec = await lastRequest(openai, '/v1/models');
  assert.equal(rec.headers.authorization, `Bearer ${PROVIDER_KEYS.openai}`);
  assertClean(rec, 'openai', { method: 'GET', bodyLen: 0 });

  // 5. openai DELETE (CURLOPT_CUSTOMREQUEST), then 6. a POST on the same handle must be a POST again
  r = await rawRequest({ port: env.gw.port }, { method: 'DELETE', path: '/v1/models/ft:gpt-4o-mini:org:custom:abc123',
    headers: authHeaders({ 'x-delete-call': 'five' }) });
  assert.equal(r.status, 404, r.body); // the mock's answer: no such model
  const del = await lastRequest(openai, '/v1/models/ft:gpt-4o-mini:org:custom:abc123');
  assert.equal(del.method, 'DELETE');
  r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: '/v1/chat/completions',
    body: chat('gpt-4o-mini', 'sixth call'), headers: authHeaders() });
  assert.equal(r.status, 200, r.body);
  rec = await lastRequest(openai, '/v1/chat/completions');
  assert.equal(JSON.parse(rec.body).messages[0].content, 'sixth call');
  assertClean(rec, 'openai', { method: 'POST', bodyLen: Buffer.byteLength(rec.body) });

  // 7. anthropic: another auth style (x-api-key); the Authorization line of the calls before must not follow
  const msg = JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 16,
    messages: [{ role: 'user', content: 'seventh call' }] });
  r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: '/anthropic/v1/messages', body: msg,
    headers: authHeaders({ 'anthropic-version': '2023-06-01' }) });
  assert.equal(r.status, 200, r.body);
  rec = await lastRequest(anthropic, '/v1/messages');
  assert.equal(rec.headers['x-api-key'], PROVIDER_KEYS.anthropic);
  assert.equal(rec.headers.authorization, undefined, 'no Authorization of an earlier call');
  assertClean(rec, 'anthropic', { method: 'POST', bodyLen: Buffer.byteLength(rec.body) });

  // every mock's log, whole: no other provider's key, ever
  for (const [p, m] of Object.entries(env.mocks)) {
    const text = m.logText();
    for (const k of OTHER_KEYS(p)) assert.ok(!text.includes(k), `${p}'s mock saw another provider's key`);
  }
});

test('the same URL again on a reused handle, between other URLs, reaches that URL', async () => {
  // the handle keeps the parsed form of its last URL (CURLOPT_CURLU); alternate URLs, ports and paths
  await openai.reset();
  await openrouter.reset();
  const seq = [
    [openai, '/v1/chat/completions', 'gpt-4o-mini'], [openai, '/v1/chat/completions', 'gpt-4o-mini'],
    [openrouter, '/api/v1/chat/completions', 'openrouter/auto'], [openai, '/v1/embeddings', null],
    [openai, '/v1/chat/completions', 'gpt-4o-mini'], [openrouter, '/api/v1/chat/completions', 'openrouter/auto'],
  ];
  for (const [i, [, p, model]] of seq.entries()) {
    const body = model ? chat(model, `call ${i}`) : JSON.stringify({ model: 'text-embedding-3-small', input: `call ${i}` });
    const r = await rawRequest({ port: env.gw.port }, { method: 'POST', path: p.replace('/api/v1/', '/v1/'), body,
      headers: authHeaders() });
    assert.equal(r.status, 200, `call ${i}: ${r.body}`);
  }
  const got = { openai: await openai.requests(), openrouter: await openrouter.requests() };
  for (const [i, [m, p]] of seq.entries()) {
    const hits = got[m.provider].filter((rec) => rec.body.includes(`call ${i}`));
    assert.equal(hits.length, 1, `call ${i} reached ${m.provider} once`);
    assert.equal(hits[0].path, p, `call ${i} path`);
  }
  assert.equal(got.openai.length + got.openrouter.length, seq.length, 'no call reached another mock');
});
