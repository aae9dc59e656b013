// Issue 10, the request edge: one canonical path before any decision (path spellings cannot slip
// past the storage refusals or the no-storage flags), bodies taken by content rather than by
// Content-Type label, Gemini's OpenAI-compatible API treated as OpenAI's format with Gemini's key
// and posture, secrets never flowing back to the client, user-id and smuggling edges.
// One mock per provider (tests/mockprovider --provider NAME) behind one aigw.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { CLIENT_KEY, USER, rawRequest } from './lib/harness.mjs';
import { PROVIDER_KEYS, RAW, startProviders } from './lib/providers.mjs';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'fcedge', providerConf: { gemini: { tier: 'paid' } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

const bearer = (extra = {}) => ({ authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER,
  'content-type': 'application/json', ...extra });
const goog = (extra = {}) => ({ 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json',
  ...extra });
const chatBody = (content = 'hello', model = 'gpt-4o-mini') => JSON.stringify({ model,
  messages: [{ role: 'user', content }] });
const geminiBody = (text = 'hello') => JSON.stringify({ contents: [{ role: 'user', parts: [{ text }] }] });

async function post(path, headers, body) {
  return rawRequest(gw, { method: 'POST', path, headers, body });
}

async function forwarded(mock) {
  return (await mock.requests()).map((r) => r);
}

describe('one canonical path', () => {
  test('encoded, case-variant and slash spellings of OpenAI storage routes are refused (403), nothing forwarded', async () => {
    await mocks.openai.reset();
    for (const p of ['/v1/%66iles', '/v1/%66%69%6C%65%73', '/v1/%46iles', '/v1/FILES', '/v1/files/', '/v1//files',
      '/v1/./files', '/v1/x/../files', '/v1/%2e/files', '/v1/%62atches', '/v1/%62%61tches/', '/v1/Batches',
      '/openai/v1/%66iles', '/openai/v1/%62atches', '/openai/v1/fine_tuning/jobs/', '/openai/v1/%76ector_stores']) {
      const r = await post(p, bearer(), JSON.stringify({ purpose: 'batch' }));
      assert.equal(r.status, 403, `${p}: ${r.body}`);
      assert.equal(r.json.error.code, 'openai_storage_route', p);
    }
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('Gemini batchGenerateContent spelled with %3A / %3a / case variants is refused (403, Google shape)', async () => {
    await mocks.gemini.reset();
    for (const p of ['models/gemini-2.5-flash%3AbatchGenerateContent', 'models/gemini-2.5-flash%3abatchGenerateContent',
      'models/gemini-2.5-flash:BatchGenerateContent', 'models/gemini-2.5-flash:batchgeneratecontent',
      'models/gemini-2.5-flash%3A%62atchGenerateContent', 'models/gemini-2.5-flash:batchGenerateContent/',
      'models/gemini-embedding-001:asyncBatchEmbedContent', '%66iles', 'cachedContents/', 'openai/files', 'openai/batches',
      'openai/%62atches']) {
      const r = await post(`/gemini/v1beta/${p}`, goog(), geminiBody());
      assert.equal(r.status, 403, `${p}: ${r.body}`);
      // the OpenAI-compatible sub-API answers in OpenAI's shape (its clients run an OpenAI SDK)
      if (p.startsWith('openai/')) assert.equal(r.json.error.code, 'gemini_storage_route', p);
      else assert.equal(r.json.error.status, 'PERMISSION_DENIED', p);
    }
    assert.deepEqual(await forwarded(mocks.gemini), []);
  });

  test('/v1/chat/completions/ (trailing slash) and other spellings get store:false and reach the canonical path', async () => {
    for (const p of ['/v1/chat/completions/', '/v1//chat/completions', '/v1/chat/./completions', '/openai/v1/chat/%63ompletions/',
      '/v1/chat/completions?']) {
      await mocks.openai.reset();
      const r = await post(p, bearer(), chatBody());
      assert.equal(r.status, 200, `${p}: ${r.body}`);
      const [rec] = await forwarded(mocks.openai);
      assert.equal(rec.path, '/v1/chat/completions', p);
      assert.equal(JSON.parse(rec.body).store, false, `${p}: store:false injected`);
    }
  });

  test('OpenRouter /chat/completions/ gets provider.data_collection "deny"', async () => {
    await mocks.openrouter.reset();
    const r = await post('/openrouter/api/v1/chat/completions/', bearer(), chatBody('hello', 'openai/gpt-4o-mini'));
    assert.equal(r.status, 200, r.body);
    const [rec] = await forwarded(mocks.openrouter);
    assert.equal(rec.path, '/api/v1/chat/completions');
    const body = JSON.parse(rec.body);
    assert.equal(body.provider.data_collection, 'deny');
    assert.equal(body.provider.zdr, true);
  });

  test('encoded slash, %00, invalid escapes, backslash and ".." above the root: 400 in the route\'s error shape', async () => {
    await mocks.openai.reset();
    await mocks.gemini.reset();
    for (const p of ['/v1/files%2Fx', '/v1/chat%2fcompletions', '/v1/chat/completions%00', '/v1/%zz', '/v1/%6',
      '/v1/a%5Cb', '/v1/a\\b', '/v1/%0a']) {
      const r = await post(p, bearer(), chatBody());
      assert.equal(r.status, 400, `${p}: ${r.body}`);
      assert.equal(r.json.error.code, 'invalid_path', p);
    }
    const g = await post('/gemini/v1beta/models/gemini-2.5-flash%2F..%2F:generateContent', goog(), geminiBody());
    assert.equal(g.status, 400, g.body);
    assert.equal(g.json.error.status, 'INVALID_ARGUMENT');
    assert.deepEqual(await forwarded(mocks.openai), []);
    assert.deepEqual(await forwarded(mocks.gemini), []);
  });

  test('a client credential in ?key= is never forwarded', async () => {
    await mocks.gemini.reset();
    const r = await post(`/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=${CLIENT_KEY}&alt=json&%6Bey=x`, goog(),
      geminiBody());
    assert.equal(r.status, 200, r.body);
    const [rec] = await forwarded(mocks.gemini);
    assert.equal(rec.query, 'alt=json');
    assert.ok(!JSON.stringify(rec).includes(CLIENT_KEY));
  });
});

describe('Gemini OpenAI-compatible API (/gemini/v1beta/openai/)', () => {
  test('openai SDK: PII in OpenAI fields is scrubbed, Gemini key upstream, OpenAI-shaped errors', async () => {
    await mocks.gemini.reset();
    const sdk = new OpenAI({ baseURL: `${gw.url}/gemini/v1beta/openai`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': USER } });
    const res = await sdk.chat.completions.create({ model: 'gemini-2.5-flash',
      messages: [{ role: 'system', content: `Contact ${RAW.email}` }, { role: 'user', content: `call ${RAW.phone}` }] });
    assert.ok(res.choices.length > 0);
    const [rec] = await forwarded(mocks.gemini);
    assert.equal(rec.path, '/v1beta/openai/chat/completions');
    assert.ok(!rec.body.includes(RAW.email), 'e-mail scrubbed');
    assert.ok(!rec.body.includes(RAW.phone), 'phone scrubbed');
    assert.equal(rec.headers['x-goog-api-key'] ?? rec.headers.authorization?.replace(/^Bearer /, ''), PROVIDER_KEYS.gemini);
    assert.ok(!JSON.stringify(rec).includes(CLIENT_KEY));
    // aigw's own errors on this route are OpenAI-shaped: the client runs an OpenAI SDK
    const bad = await post('/gemini/v1beta/openai/chat/completions', goog(), '{"model": ');
    assert.equal(bad.status, 400);
    assert.equal(typeof bad.json.error.type, 'string', `OpenAI shape: ${bad.body}`);
  });
});
