// Session 10, the request side attacked as an adversarial client would (issue 10: aigw forwards only what it scanned).
// Each test is a bypass that reached the mock provider with the old binary: personal data in a JSON number, a body
// whose charset label or second Content-Encoding header would have the provider read other text than the one
// scanned, percent-encoded data in a header or inside a URL in the body, a phone number in the query or a header,
// base64 text in an opaque provider token, a method override header.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLIENT_KEY, USER, rawRequest, rawSocket } from './lib/harness.mjs';
import { RAW, assertNoPii, startProviders } from './lib/providers.mjs';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'fcreq', providerConf: { gemini: { tier: 'paid' } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

const bearer = (extra = {}) => ({ authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER,
  'content-type': 'application/json', ...extra });
const goog = (extra = {}) => ({ 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json',
  ...extra });
const anth = (extra = {}) => ({ 'x-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json',
  'anthropic-version': '2023-06-01', ...extra });
const chatBody = (content = 'hello', extra = {}) => JSON.stringify({ model: 'gpt-4o-mini',
  messages: [{ role: 'user', content }], ...extra });
const post = (path, headers, body) => rawRequest(gw, { method: 'POST', path, headers, body });
const CARD = '4111111111111111';

async function resetAll() {
  await Promise.all(Object.values(mocks).map((m) => m.reset()));
}
async function nothingForwarded() {
  for (const [name, m] of Object.entries(mocks)) assert.deepEqual(await m.requests(), [], `${name} received a request`);
}
async function only(mock) {
  const recs = await mock.requests();
  assert.equal(recs.length, 1, `one request reached the ${mock.provider} mock`);
  return recs[0];
}

describe('JSON numbers are text a model reads', () => {
  test('a card number written as a JSON number is scrubbed (Gemini functionResponse, Anthropic tool_use, OpenAI tool '
    + 'arguments, Replicate and fal inputs); with a fraction or exponent too', async () => {
    const cases = [
      ['gemini', '/gemini/v1beta/models/gemini-2.5-flash:generateContent', goog(),
        `{"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"functionCall":{"name":"lookup",`
        + `"args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"lookup","response":{"card":${CARD},`
        + '"f":4.111111111111111e15,"g":4111111111111111.0}}}]}]}'],
      ['anthropic', '/anthropic/v1/messages', anth(),
        `{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"assistant","content":[{"type":"tool_use",`
        + `"id":"toolu_01","name":"pay","input":{"card":${CARD}}}]},{"role":"user","content":[{"type":"tool_result",`
        + '"tool_use_id":"toolu_01","content":"ok"}]}]}'],
      ['openai', '/v1/chat/completions', bearer(), JSON.stringify({ model: 'gpt-4o-mini', messages: [
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'pay',
          arguments: `{"card":${CARD}}` } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'ok' }] })
        .replace('}]}', `}],"metadata_n":${CARD}}`)],
      ['replicate', '/replicate/v1/predictions', bearer(), `{"version":"abc","input":{"prompt":"x","n":${CARD}}}`],
      ['fal', '/fal/', bearer({ authorization: `Key ${CLIENT_KEY}`, 'x-fal-target-url': 'https://queue.fal.run/fal-ai/flux/dev' }),
        `{"prompt":"x","loras":[{"path":"https://x.org/a.safetensors","scale":41111111.11111111e8}]}`],
    ];
    for (const [name, path, headers, body] of cases) {
      await resetAll();
      const r = await post(path, headers, body);
      assert.ok(r.status === 200 || r.status === 201, `${name}: ${r.status} ${r.body}`);
      const rec = await only(mocks[name]);
      assertNoPii(rec.body, name);
      assert.match(rec.body, /"<CREDIT_CARD_1>"/, `${name}: the number became its placeholder as a string: ${rec.body}`);
    }
  });

  test('numbers without personal data stay numbers, byte for byte', async () => {
    await resetAll();
    const body = chatBody('hi', { max_tokens: 4096, temperature: 0.7, seed: 1234567890, metadata_ts: 1767225600123,
      top_p: 1e-3 });
    const r = await post('/v1/chat/completions', bearer(), body);
    assert.equal(r.status, 200, r.body);
    const rec = await only(mocks.openai);
    for (const t of ['"max_tokens":4096', '"temperature":0.7', '"seed":1234567890', '"metadata_ts":1767225600123',
      '"top_p":0.001']) {
      assert.ok(rec.body.includes(t) || (t === '"top_p":0.001' && rec.body.includes('"top_p":1e-3')), `${t}: ${rec.body}`);
    }
  });
});

describe('the body is read as the provider will read it', () => {
  test('a charset other than UTF-8 on the body: 415, nothing forwarded (charset=utf-7 turns "+AEA-" into "@")', async () => {
    await resetAll();
    const body = chatBody('write to jane.doe+AEA-example.com');
    for (const ct of ['application/json; charset=utf-7', 'application/json;charset="UTF-7"', 'text/plain; charset=utf-16',
      'application/json; charset=iso-2022-jp', 'application/json; charset=utf-8; charset=utf-7',
      'multipart/form-data; boundary=x; charset=utf-7']) {
      const r = await post('/v1/chat/completions', bearer({ 'content-type': ct }), body);
      assert.equal(r.status, 415, `${ct}: ${r.body}`);
      assert.equal(r.json.error.code, 'unsupported_media_type', ct);
    }
    await nothingForwarded();
    for (const ct of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json;charset=utf8']) {
      const r = await post('/v1/chat/completions', bearer({ 'content-type': ct }), chatBody('hi'));
      assert.equal(r.status, 200, `${ct}: ${r.body}`);
    }
  });

  test('a coding in a second Content-Encoding header: 415, nothing forwarded', async () => {
    await resetAll();
    const body = chatBody('hi');
    for (const second of ['br', 'gzip', 'identity, deflate']) {
      const r = await rawSocket(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n`
        + `X-AIGW-User: ${USER}\r\nContent-Type: application/json\r\nContent-Encoding: identity\r\nContent-Encoding: ${second}\r\n`
        + `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
      assert.match(r, /^HTTP\/1\.1 415 /, `${second}: ${r.slice(0, 300)}`);
      assert.match(r, /unsupported_content_encoding/);
    }
    await nothingForwarded();
    const ok = await post('/v1/chat/completions', bearer({ 'content-encoding': 'identity' }), body);
    assert.equal(ok.status, 200, ok.body);
  });

  test('a method override header: 405, nothing forwarded (the provider would run another method)', async () => {
    await resetAll();
    for (const h of ['X-HTTP-Method-Override', 'x-http-method', 'X-Method-Override']) {
      const r = await post('/gemini/v1beta/models/gemini-2.5-flash:generateContent', goog({ [h]: 'DELETE' }),
        JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }));
      assert.equal(r.status, 405, `${h}: ${r.body}`);
    }
    await nothingForwarded();
  });
});

describe('outside the body and inside encodings', () => {
  test('percent-encoded personal data in a forwarded header (W3C baggage, a URL): 400 pii_in_header', async () => {
    await resetAll();
    for (const [h, v] of [['baggage', 'userEmail=jane.doe%40example.com'], ['x-source', 'https://t.io/?e=jane.doe%40example.com'],
      ['x-note', `card ${CARD.replace(/(\d{4})/g, '$1%20').trim()}`]]) {
      const r = await post('/v1/chat/completions', bearer({ [h]: v }), chatBody());
      assert.equal(r.status, 400, `${h}: ${r.body}`);
      assert.equal(r.json.error.code, 'pii_in_header', h);
    }
    await nothingForwarded();
  });

  test('a phone number in the query or a forwarded header: 400; SDK headers and pagination still pass', async () => {
    await resetAll();
    const q = await post(`/v1/chat/completions?note=${encodeURIComponent(RAW.phone)}`, bearer(), chatBody());
    assert.equal(q.status, 400, q.body);
    assert.equal(q.json.error.code, 'pii_in_url');
    const h = await post('/v1/chat/completions', bearer({ 'x-note': `call ${RAW.phone}` }), chatBody());
    assert.equal(h.status, 400, h.body);
    assert.equal(h.json.error.code, 'pii_in_header');
    await nothingForwarded();
    const ok = await rawRequest(gw, { method: 'GET', path: '/v1/models?limit=20&after=1767225600&order=desc',
      headers: bearer({ 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0 Safari/537.36',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'x-stainless-timeout': '600',
        'x-request-id': '123e4567-e89b-12d3-a456-426614174000' }) });
    assert.equal(ok.status, 200, ok.body);
  });

  test('percent-encoded personal data inside a URL in the body: 400 pii_in_encoded_text, nothing forwarded', async () => {
    await resetAll();
    const img = (url) => JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: [
      { type: 'text', text: 'what is this' }, { type: 'image_url', image_url: { url } }] }] });
    for (const url of ['https://tracker.io/p.png?e=jane.doe%40example.com', 'https://tracker.io/p.png?tel=%2B1%20415%20555%200134',
      `https://tracker.io/p.png?c=${CARD.match(/\d{4}/g).join('%20')}`, `https://tracker.io/p.png?c=${CARD}%20`]) {
      const r = await post('/v1/chat/completions', bearer(), img(url));
      assert.equal(r.status, 400, `${url}: ${r.body}`);
      assert.equal(r.json.error.code, 'pii_in_encoded_text', url);
      assert.ok(!r.body.includes('jane.doe'), 'the message never repeats the value');
    }
    const fal = await post('/fal/', bearer({ authorization: `Key ${CLIENT_KEY}`, 'x-fal-target-url': 'https://queue.fal.run/fal-ai/flux/dev' }),
      JSON.stringify({ prompt: 'x', loras: [{ path: 'https://x.org/a.safetensors?owner=jane.doe%40example.com', scale: 1 }] }));
    assert.equal(fal.status, 400, fal.body);
    await nothingForwarded();
    const ok = await post('/v1/chat/completions', bearer(), img('https://example.org/a%20b/p.png?q=red%20car%26blue&d=2026%2D12%2D07'));
    assert.equal(ok.status, 200, ok.body);
    assert.match((await only(mocks.openai)).body, /a%20b\/p\.png\?q=red%20car%26blue&d=2026%2D12%2D07/);
  });

  test('base64 text with personal data in an opaque provider token: 400 invalid_opaque_field; binary tokens pass', async () => {
    await resetAll();
    const b64 = Buffer.from(`note for ${RAW.email}, card ${RAW.card}`).toString('base64');
    const cases = [
      ['/anthropic/v1/messages', anth(), JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: b64 }] }, { role: 'user', content: 'hi' }] })],
      ['/gemini/v1beta/models/gemini-2.5-flash:generateContent', goog(), JSON.stringify({ contents: [{ role: 'user',
        parts: [{ text: 'hi', thoughtSignature: b64 }] }] })],
      ['/v1/responses', bearer(), JSON.stringify({ model: 'gpt-4o-mini', input: [{ type: 'reasoning', id: 'rs_1', summary: [],
        encrypted_content: b64 }] })],
    ];
    for (const [path, headers, body] of cases) {
      const r = await post(path, headers, body);
      assert.equal(r.status, 400, `${path}: ${r.body}`);
      assert.match(r.body, /provider-issued token it returned; it holds base64 text with personal data/, path);
      if (path === '/v1/responses') assert.equal(r.json.error.code, 'invalid_opaque_field');
      assert.ok(!r.body.includes(RAW.email), 'the message never repeats the value');
    }
    await nothingForwarded();
    const bin = Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 73 + 11) % 256)).toString('base64');
    const ok = await post('/anthropic/v1/messages', anth(), JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 10,
      messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: bin }] },
        { role: 'user', content: 'hi' }] }));
    assert.equal(ok.status, 200, ok.body);
  });
});
