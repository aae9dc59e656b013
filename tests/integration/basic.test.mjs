// The official openai SDK through aigw against the mock provider: chat, responses, embeddings,
// images, models; what reaches the provider (auth swap, headers, body, query); aigw's response
// headers; the access log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  CLIENT_KEY, UPSTREAM_KEY, USER, accessLogLine, client, lastMockRequest, rawRequest, authHeaders, startPair,
} from './lib/harness.mjs';

let pair;
let mock;
let gw;
let sdk;

before(async () => {
  // end-to-end headers a provider does not read are dropped (README "Only the headers a provider reads"); the ones
  // named here are forwarded, so the tests below see that end-to-end headers pass and hop-by-hop ones do not
  pair = await startPair('basic', { aigw: { config: { upstream: {
    forward_headers: ['x-mock-*', 'x-custom-e2e', 'x-e2e-kept', 'x-hop-listed'] } } } });
  ({ mock, gw } = pair);
  sdk = client(gw);
});
after(async () => {
  if (pair) await pair.stop();
});

describe('chat completions', () => {
  test('non-stream: fixture answer, model from the request, aigw headers', async () => {
    const params = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hi to the basic test' }] };
    const { data, response } = await sdk.chat.completions.create(params).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(data.model, 'gpt-4o-mini');
    assert.match(data.choices[0].message.content, /^The payment was declined/);
    assert.equal(data.usage.total_tokens, 450);
    const rid = response.headers.get('x-aigw-request-id');
    assert.ok(rid && rid.length > 0, 'x-aigw-request-id present');
    const over = response.headers.get('x-aigw-overhead-us');
    assert.match(over ?? '', /^\d+$/, 'x-aigw-overhead-us is an integer');
  });

  test('what reaches the provider: same path and body, upstream key, no client key, no x-aigw-*', async () => {
    const params = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'developer', content: 'be brief' }, { role: 'user', content: 'forward-check-7781' }],
      temperature: 0.25,
      max_completion_tokens: 12,
    };
    await sdk.chat.completions.create(params, { headers: { 'x-custom-e2e': 'kept-value', 'x-not-listed': 'dropped' } });
    const r = await lastMockRequest(mock, '/v1/chat/completions');
    assert.ok(r.body.includes('forward-check-7781'));
    assert.equal(r.method, 'POST');
    // the same body, plus what the no-training policy forces for OpenAI (store:false)
    assert.deepEqual(JSON.parse(r.body), { ...params, store: false });
    assert.equal(r.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
    assert.equal(r.headers['x-custom-e2e'], 'kept-value', 'end-to-end header in upstream.forward_headers forwarded');
    assert.equal(r.headers['x-not-listed'], undefined, 'a header no provider reads and no config names is dropped');
    for (const h of Object.keys(r.headers)) assert.ok(!h.startsWith('x-stainless-'), `SDK telemetry ${h} reached the provider`);
    assert.match(r.headers['content-type'] ?? '', /^application\/json/);
    for (const h of Object.keys(r.headers)) assert.ok(!h.startsWith('x-aigw-'), `header ${h} must not reach the provider`);
    assert.ok(!mock.logText().includes(CLIENT_KEY), 'the client key never reaches the provider');
  });

  test('request ids are unique', async () => {
    const ids = new Set();
    for (let i = 0; i < 5; i++) {
      const { response } = await sdk.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `n${i}` }] }).withResponse();
      ids.add(response.headers.get('x-aigw-request-id'));
    }
    assert.equal(ids.size, 5);
  });

  test('/openai/v1 is an alias of /v1', async () => {
    const alias = client(gw, { baseURL: `${gw.url}/openai/v1` });
    const before = (await mock.requests()).length;
    const data = await alias.chat.completions.create({ model: 'gpt-alias', messages: [{ role: 'user', content: 'alias' }] });
    assert.equal(data.model, 'gpt-alias');
    const all = await mock.requests();
    assert.equal(all.length, before + 1);
    assert.equal(all[all.length - 1].path, '/v1/chat/completions');
  });

  test('end user from the body: user, then safety_identifier', async () => {
    const anon = client(gw, { user: false });
    const a = await anon.chat.completions.create({ model: 'gpt-4o-mini', user: 'body-user-1',
      messages: [{ role: 'user', content: 'who am i' }] });
    assert.equal(a.object, 'chat.completion');
    const b = await anon.chat.completions.create({ model: 'gpt-4o-mini', safety_identifier: 'body-user-2',
      messages: [{ role: 'user', content: 'who am i' }] });
    assert.equal(b.object, 'chat.completion');
  });
});

test('responses (non-stream)', async () => {
  const r = await sdk.responses.create({ model: 'gpt-5-mini', input: 'Summarise the claim', store: false });
  assert.equal(r.object, 'response');
  assert.equal(r.model, 'gpt-5-mini');
  assert.match(r.output_text, /water damage/);
  const m = await lastMockRequest(mock, '/v1/responses');
  assert.equal(JSON.parse(m.body).input, 'Summarise the claim');
});

test('embeddings: one vector per input', async () => {
  const r = await sdk.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta', 'gamma'],
    dimensions: 4, encoding_format: 'float' });
  assert.equal(r.data.length, 3);
  assert.deepEqual(r.data.map((d) => d.index), [0, 1, 2]);
  assert.equal(r.data[0].embedding.length, 4);
  assert.equal(r.model, 'text-embedding-3-small');
  const m = await lastMockRequest(mock, '/v1/embeddings');
  assert.deepEqual(JSON.parse(m.body).input, ['alpha', 'beta', 'gamma']);
});

test('images: dall-e-3 url and gpt-image-1 b64_json', async () => {
  const d = await sdk.images.generate({ model: 'dall-e-3', prompt: 'a lighthouse', size: '1024x1792', response_format: 'url' });
  assert.match(d.data[0].url, /^https:\/\//);
  const g = await sdk.images.generate({ model: 'gpt-image-1', prompt: 'a red square', size: '1024x1024' });
  assert.ok(g.data[0].b64_json.startsWith('iVBORw0KGgo'));
  assert.equal(g.usage.total_tokens, 296);
  const m = await lastMockRequest(mock, '/v1/images/generations');
  assert.equal(JSON.parse(m.body).prompt, 'a red square');
});

test('models list (GET) and the query string are forwarded', async () => {
  const page = await sdk.models.list();
  assert.ok(page.data.some((m) => m.id === 'gpt-4o-mini'));
  const r = await rawRequest(gw, { path: '/v1/models?limit=2&after=gpt-4o-mini', headers: authHeaders() });
  assert.equal(r.status, 200);
  const m = await lastMockRequest(mock, '/v1/models');
  assert.equal(m.method, 'GET');
  assert.equal(m.query, 'limit=2&after=gpt-4o-mini');
});

test('hop-by-hop request headers are not forwarded', async () => {
  const r = await rawRequest(gw, {
    method: 'POST', path: '/v1/chat/completions',
    headers: authHeaders({
      connection: 'keep-alive, x-hop-listed', 'x-hop-listed': 'hop-value', 'keep-alive': 'timeout=7',
      'proxy-authorization': 'Basic aG9wOmhvcA==', te: 'trailers', 'x-e2e-kept': 'e2e-value',
    }),
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hop test' }] }),
  });
  assert.equal(r.status, 200);
  const m = await lastMockRequest(mock, '/v1/chat/completions');
  assert.equal(m.headers['x-e2e-kept'], 'e2e-value');
  assert.equal(m.headers['x-hop-listed'], undefined,
    'header named in Connection is hop-by-hop (RFC 9110 7.6.1), upstream.forward_headers naming it or not');
  assert.equal(m.headers['proxy-authorization'], undefined);
  assert.notEqual(m.headers['keep-alive'], 'timeout=7');
  assert.ok(!(m.headers.connection ?? '').includes('x-hop-listed'));
  assert.ok(!(m.headers.te ?? '').includes('trailers'));
});

test('/healthz and /readyz', async () => {
  assert.equal((await rawRequest(gw, { path: '/healthz' })).status, 200);
  assert.equal((await rawRequest(gw, { path: '/readyz' })).status, 200);
});

test('access log: one JSON line per request with the required fields, no prompt text', async () => {
  const secretPrompt = 'zebra-quasar-4417 my diary entry';
  const { response } = await sdk.chat.completions
    .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: secretPrompt }] }).withResponse();
  const rid = response.headers.get('x-aigw-request-id');
  const line = await accessLogLine(gw, (o) => o.request_id === rid);
  for (const k of ['time', 'request_id', 'client', 'user', 'route', 'status', 'upstream_us', 'overhead_us']) {
    assert.ok(k in line, `access log has ${k}: ${JSON.stringify(line)}`);
  }
  // Bytes as one field or split into request and response bytes.
  const bytesOut = 'bytes' in line ? line.bytes : line.bytes_out;
  assert.ok(Number(bytesOut) > 0, `access log has response bytes: ${JSON.stringify(line)}`);
  assert.equal(line.route, '/v1/chat/completions');
  assert.equal(line.client, 'backend');
  // issue 14: the file is outside retention and erasure, so it holds a pseudonym, never the id
  assert.match(line.user, /^u:[0-9a-f]{16}$/);
  assert.ok(!fs.readFileSync(gw.accessLog, 'utf8').includes(USER), 'the access log file never holds the user id');
  assert.equal(line.status, 200);
  assert.ok(Number.isInteger(line.overhead_us) && line.overhead_us >= 0);
  assert.ok(Number.isInteger(line.upstream_us) && line.upstream_us >= 0);
  const text = fs.readFileSync(gw.accessLog, 'utf8');
  assert.ok(!text.includes('zebra-quasar'), 'prompt text never in the access log');
  assert.ok(!text.includes(CLIENT_KEY), 'client key never in the access log');
  assert.ok(!text.includes(UPSTREAM_KEY), 'provider key never in the access log');
  for (const l of text.split('\n').filter((s) => s.trim())) JSON.parse(l);
});

test('access log: remote_ip is the client address of each request (the worker caches the last one)', async () => {
  // from 127.0.0.2, 127.0.0.1, then 127.0.0.2 again (every 127/8 address is this host's on Linux)
  for (const ip of ['127.0.0.2', '127.0.0.1', '127.0.0.2']) {
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', localAddress: ip,
      headers: authHeaders({ 'content-type': 'application/json' }),
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'where from' }] }) });
    assert.equal(r.status, 200);
    const line = await accessLogLine(gw, (o) => o.request_id === r.headers['x-aigw-request-id']);
    assert.equal(line.remote_ip, ip);
  }
});

test('access log: rejected requests are logged too (401 with its request id)', async () => {
  const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions',
    headers: authHeaders({ authorization: 'Bearer wrong-key-for-access-log' }), body: '{"model":"m","messages":[]}' });
  assert.equal(r.status, 401);
  const rid = r.headers['x-aigw-request-id'];
  assert.ok(rid, 'error responses carry x-aigw-request-id');
  const line = await accessLogLine(gw, (o) => o.request_id === rid);
  assert.equal(line.status, 401);
  assert.ok(!fs.readFileSync(gw.accessLog, 'utf8').includes('wrong-key-for-access-log'));
});
