// Session 11: aigw forwards only the request headers a provider reads (issue 10, fail closed; "we send only what the
// provider needs"). An end user's IP address that a load balancer or CDN in front of aigw sets (X-Real-IP,
// True-Client-IP, CF-Connecting-IP, X-Client-IP), a trace context, an SDK's telemetry and any header aigw does not
// know reached the provider before: only Forwarded and X-Forwarded-For were dropped.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLIENT_KEY, USER, aigwCli, rawRequest, writeConfig, artifactDir } from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';
import path from 'node:path';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'fwdhdr', config: { upstream: { forward_headers: ['x-mock-*', 'X-Trace-*', 'x-app-tenant'] } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

const CLIENT_IP = {
  'x-real-ip': '203.0.113.7', 'x-client-ip': '203.0.113.8', 'true-client-ip': '203.0.113.9',
  'cf-connecting-ip': '203.0.113.10', 'fastly-client-ip': '203.0.113.11', 'x-cluster-client-ip': '203.0.113.12',
  'x-forwarded-for': '203.0.113.13', forwarded: 'for=203.0.113.14', 'x-original-forwarded-for': '203.0.113.15',
};
const NOISE = {
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'vendor=abc',
  'x-stainless-os': 'Linux', 'x-stainless-runtime-version': 'v20.0.0', 'accept-language': 'de-DE',
  'x-unknown-thing': 'anything', cookie: 'sid=1', referer: 'https://app.example/u/42', origin: 'https://app.example',
};

async function sendAndGet(mock, path, headers, body) {
  await Promise.all(Object.values(mocks).map((m) => m.reset()));
  const r = await rawRequest(gw, { method: 'POST', path, headers, body: JSON.stringify(body) });
  assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.status} ${r.body}`);
  const recs = await mock.requests();
  assert.equal(recs.length, 1);
  return recs[0].headers;
}

function assertNone(got, names, where) {
  for (const n of names) assert.equal(got[n], undefined, `${where}: ${n} reached the provider`);
}

describe('request headers: only what a provider reads', () => {
  test('client IP addresses, trace context, SDK telemetry and unknown headers are dropped; HTTP and the provider\'s own '
    + 'headers are forwarded', async () => {
    const base = { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json',
      accept: 'application/json', 'user-agent': 'OpenAI/JS 5.0.0', ...CLIENT_IP, ...NOISE };
    const oa = await sendAndGet(mocks.openai, '/v1/chat/completions',
      { ...base, 'openai-beta': 'assistants=v2', 'anthropic-beta': 'files-api-2025-04-14', prefer: 'wait' },
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assertNone(oa, [...Object.keys(CLIENT_IP), ...Object.keys(NOISE), 'anthropic-beta', 'prefer'], 'openai');
    assert.equal(oa['openai-beta'], 'assistants=v2');
    assert.equal(oa['user-agent'], 'OpenAI/JS 5.0.0');
    assert.equal(oa.accept, 'application/json');
    assert.match(oa['content-type'], /^application\/json/);

    const an = await sendAndGet(mocks.anthropic, '/anthropic/v1/messages',
      { 'x-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json', 'anthropic-version': '2023-06-01',
        'anthropic-beta': 'files-api-2025-04-14', 'openai-beta': 'assistants=v2', ...CLIENT_IP, ...NOISE },
      { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    assertNone(an, [...Object.keys(CLIENT_IP), ...Object.keys(NOISE), 'openai-beta'], 'anthropic');
    assert.equal(an['anthropic-version'], '2023-06-01');
    assert.equal(an['anthropic-beta'], 'files-api-2025-04-14');

    const rp = await sendAndGet(mocks.replicate, '/replicate/v1/predictions',
      { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json', prefer: 'wait=5',
        'cancel-after': '30s', ...CLIENT_IP },
      { version: 'abc', input: { prompt: 'a cat' } });
    assertNone(rp, Object.keys(CLIENT_IP), 'replicate');
    assert.equal(rp.prefer, 'wait=5');
    assert.equal(rp['cancel-after'], '30s');
  });

  test('upstream.forward_headers adds names and prefixes, in any case', async () => {
    const h = await sendAndGet(mocks.openai, '/v1/chat/completions',
      { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json',
        'X-Trace-Id': 't-1', 'x-app-tenant': 'acme', 'x-app-tenant-2': 'no' },
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(h['x-trace-id'], 't-1');
    assert.equal(h['x-app-tenant'], 'acme');
    assert.equal(h['x-app-tenant-2'], undefined, 'a name without * is not a prefix');
  });

  test('a forwarded header is still scanned: personal data there refuses the request', async () => {
    await Promise.all(Object.values(mocks).map((m) => m.reset()));
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json',
        'x-trace-id': 'jane.doe@example.com' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(r.status, 400, r.body);
    assert.match(r.body, /pii_in_header/);
    assert.deepEqual(await mocks.openai.requests(), []);
  });

  test('a bad upstream.forward_headers entry is refused at start with the entry named', async () => {
    const dir = artifactDir('fwdhdr-check');
    for (const [entry, re] of [['x trace', /forward_headers\[0\]/], ['*', /forward_headers\[0\]/], ['x-*-id', /forward_headers\[0\]/]]) {
      const file = path.join(dir, 'config.json');
      writeConfig(file, { upstream: { forward_headers: [entry] } });
      const r = await aigwCli(['check', '--config', file]);
      assert.notEqual(r.code, 0, `${entry} accepted`);
      assert.match(r.stderr + r.stdout, re);
    }
  });
});
