// Issue 4: every provider through aigw with its official SDK, unchanged except base URL and key
// (@google/genai, @anthropic-ai/sdk, replicate, openai for OpenRouter/DeepSeek/Fireworks,
// @fal-ai/client through its proxy protocol). One mock per provider (server.mjs --provider NAME)
// records what left aigw. For each provider: non-stream, stream, image input; asserted on the
// provider side: the provider's key in its own header and never the client key, the no-training
// flags, no raw PII and no image metadata (exiftool on the bytes the mock received); on the client
// side: the original values restored. Refusals live in providers-policy.test.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { createFalClient } from '@fal-ai/client';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import Replicate from 'replicate';
import { CLIENT_KEY, USER, artifactDir, rawRequest } from './lib/harness.mjs';
import {
  GAPS, PROMPT, assertImageClean, assertKeysSwapped, assertNoPii, assertRestored, lastRequest, makeGpsJpeg, mockRequests,
  startProviders,
} from './lib/providers.mjs';

let env;
let gw;
let mocks;
let img;
let dir;

before(async () => {
  delete process.env.FAL_KEY;
  env = await startProviders({
    name: 'providers',
    providerConf: { gemini: { tier: 'paid' } },
    // DeepSeek first-party is refused unless the user consented; here the operator accepted it.
    config: { training: { providers: { deepseek: { mode: 'allow' } } } },
  });
  ({ gw, mocks } = env);
  dir = artifactDir('providers-images');
  img = makeGpsJpeg(dir);
});
after(async () => {
  if (env) await env.stop();
});

const body = (rec) => JSON.parse(rec.body);

/** Upstream request body checks shared by all providers: placeholders in, raw PII out. */
function assertScrubbed(rec, where) {
  assertNoPii(rec.body, where);
  assert.match(rec.body, /<EMAIL_ADDRESS_\d+>/, `${where}: placeholder instead of the email`);
}

// ---------------------------------------------------------------------------------------------
describe('Gemini (@google/genai, /gemini/v1beta)', () => {
  const ai = (headers = {}) => new GoogleGenAI({ apiKey: CLIENT_KEY,
    httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': USER, ...headers } } });

  test('generateContent: key swapped, PII scrubbed and restored, usage passed through', async () => {
    const res = await ai({ 'x-mock-echo': '1' }).models.generateContent({ model: 'gemini-2.5-flash', contents: PROMPT });
    assertRestored(res.text, 'gemini response');
    assert.equal(res.usageMetadata.promptTokenCount, 389);
    const rec = await lastRequest(mocks.gemini, '/v1beta/models/gemini-2.5-flash:generateContent');
    assertScrubbed(rec, 'gemini request');
    assertKeysSwapped(mocks.gemini, CLIENT_KEY, [rec]);
  });

  test('generateContentStream (alt=sse, CRLF events): text restored across chunks', async () => {
    const stream = await ai({ 'x-mock-echo': '1', 'x-mock-piece': '4' }).models.generateContentStream({
      model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: PROMPT }] }] });
    let text = '';
    let chunks = 0;
    let last;
    for await (const c of stream) {
      text += c.text ?? '';
      chunks++;
      last = c;
    }
    assert.ok(chunks > 5, `several chunks (${chunks})`);
    assertRestored(text, 'gemini stream');
    assert.equal(last.candidates[0].finishReason, 'STOP');
    const rec = await lastRequest(mocks.gemini, '/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    assert.match(rec.query, /(^|&)alt=sse(&|$)/);
    assertScrubbed(rec, 'gemini stream request');
    assertKeysSwapped(mocks.gemini, CLIENT_KEY, [rec]);
  });

  test('inlineData image: EXIF/GPS stripped before Gemini sees it', async () => {
    await ai().models.generateContent({ model: 'gemini-2.5-flash', contents: [{ role: 'user',
      parts: [{ text: 'What is in this picture?' }, { inlineData: { mimeType: 'image/jpeg', data: img.b64 } }] }] });
    const rec = await lastRequest(mocks.gemini, '/v1beta/models/gemini-2.5-flash:generateContent');
    const part = body(rec).contents[0].parts.find((p) => p.inlineData || p.inline_data);
    assertImageClean((part.inlineData || part.inline_data).data, dir, 'gemini inlineData');
  });

  test('countTokens and embedContent pass through', async () => {
    const c = await ai().models.countTokens({ model: 'gemini-2.5-flash', contents: 'hello there' });
    assert.ok(c.totalTokens > 0);
    const e = await ai().models.embedContent({ model: 'gemini-embedding-001', contents: 'hello there' });
    assert.equal(e.embeddings[0].values.length, 4);
  });

  test('a provider error keeps the Gemini shape (SDK ApiError with Google status)', async () => {
    await assert.rejects(ai({ 'x-mock-status': '429' }).models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
      (e) => {
        assert.equal(e.status, 429);
        assert.match(e.message, /RESOURCE_EXHAUSTED/);
        return true;
      });
  });
});

// ---------------------------------------------------------------------------------------------
describe('Anthropic (@anthropic-ai/sdk, /anthropic/v1)', () => {
  const claude = (opts = {}) => new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0,
    defaultHeaders: { 'X-AIGW-User': USER }, ...opts });

  test('messages.create: x-api-key swapped, anthropic-version forwarded, PII scrubbed and restored', async () => {
    const msg = await claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64,
      messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-mock-echo': '1', 'anthropic-version': '2023-06-01' } });
    assertRestored(msg.content[0].text, 'anthropic response');
    assert.equal(msg.usage.output_tokens, 29);
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assert.equal(rec.headers['anthropic-version'], '2023-06-01', 'anthropic-version forwarded as sent');
    assertScrubbed(rec, 'anthropic request');
    assertKeysSwapped(mocks.anthropic, CLIENT_KEY, [rec]);
  });

  test('client key as Authorization: Bearer (authToken) works too and is swapped', async () => {
    const c = new Anthropic({ apiKey: null, authToken: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': USER } });
    const msg = await c.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16,
      messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(msg.type, 'message');
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assert.equal(rec.headers.authorization, undefined, 'no Authorization header upstream');
    assertKeysSwapped(mocks.anthropic, CLIENT_KEY, [rec]);
  });

  test('messages.stream: events pass through, text restored, final usage = start overlaid by delta', async () => {
    const stream = claude().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 64,
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] },
    { headers: { 'x-mock-echo': '1', 'x-mock-piece': '5' } });
    let deltas = 0;
    stream.on('text', () => { deltas++; });
    const final = await stream.finalMessage();
    assert.ok(deltas > 5, `text deltas (${deltas})`);
    assertRestored(final.content[0].text, 'anthropic stream');
    assert.equal(final.usage.output_tokens, 42);
    assert.equal(final.usage.cache_read_input_tokens, 1830);
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assert.equal(body(rec).stream, true);
    assertScrubbed(rec, 'anthropic stream request');
  });

  test('an error event after the 200 reaches the SDK as its stream error', async () => {
    const stream = claude().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-stream-error': '1' } });
    await assert.rejects(stream.finalMessage(), (e) => {
      assert.match(String(e.message), /overloaded_error|Overloaded/);
      return true;
    });
  });

  test('image.source base64: EXIF/GPS stripped', async () => {
    await claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: [
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: img.b64 } },
      { type: 'text', text: 'What is in this picture?' }] }] });
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assertImageClean(body(rec).messages[0].content[0].source.data, dir, 'anthropic image.source');
  });

  test('metadata.user_id (an email) does not reach Anthropic raw', async () => {
    await claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, metadata: { user_id: 'jane.doe@example.com' },
      messages: [{ role: 'user', content: 'hi' }] });
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assert.ok(!rec.body.includes('jane.doe@example.com'), `metadata.user_id forwarded raw: ${rec.body}`);
  });

  test('errors keep the Anthropic shape: a 4xx passes through, a 5xx becomes aigw\'s 502', async () => {
    const req = (status) => claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-status': status } });
    await assert.rejects(req('429'), (e) => {
      assert.equal(e.status, 429);
      assert.equal(e.error?.error?.type, 'rate_limit_error');
      return true;
    });
    await assert.rejects(req('529'), (e) => {
      assert.equal(e.status, 502);
      assert.equal(e.error?.type, 'error', `Anthropic envelope: ${JSON.stringify(e.error)}`);
      assert.equal(typeof e.error?.error?.message, 'string');
      return true;
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('Replicate (replicate, /replicate/v1)', () => {
  // The SDK has no default-headers option; its fetch option is the documented hook (used here only
  // to name the end user, which aigw requires).
  const replicate = (extra = {}) => new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', USER);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      return fetch(url, { ...init, headers });
    } });

  test('run (Prefer: wait on the model route): key swapped, PII scrubbed, output returned', async () => {
    const out = await replicate().run('black-forest-labs/flux-schnell', { input: { prompt: PROMPT } });
    assert.equal(String(out[0]), 'https://replicate.delivery/xezq/abc123/out-0.webp');
    const rec = await lastRequest(mocks.replicate, '/v1/models/black-forest-labs/flux-schnell/predictions');
    assert.match(rec.headers.prefer, /^wait/);
    assertScrubbed(rec, 'replicate request');
    assertKeysSwapped(mocks.replicate, CLIENT_KEY, [rec]);
  });

  test('run with Prefer: wait on a language model: output pieces restored in the same call', async () => {
    const out = await replicate({ 'x-mock-echo': '1' }).run('meta/meta-llama-3-8b-instruct',
      { input: { prompt: PROMPT, max_tokens: 64 } });
    assert.ok(Array.isArray(out) && out.length > 3, 'token pieces');
    assertRestored(out.join(''), 'replicate output');
  });

  // A later GET is a new call: placeholders made by the create call cannot be restored there
  // (DESIGN.md restores within one call), so only the transport and the key swap are asserted.
  test('run in poll mode: create without Prefer, then GET /v1/predictions/{id} through aigw', async () => {
    await mocks.replicate.reset();
    const out = await replicate({ 'x-mock-echo': '1' }).run('meta/meta-llama-3-8b-instruct',
      { input: { prompt: PROMPT, max_tokens: 64 }, wait: { mode: 'poll', interval: 50 } });
    assertNoPii(out.join(''), 'replicate polled output');
    const recs = await mocks.replicate.requests();
    const create = recs.find((r) => r.method === 'POST');
    assert.equal(create.headers.prefer, undefined);
    const polls = recs.filter((r) => r.method === 'GET' && /^\/v1\/predictions\/[a-z0-9]+$/.test(r.path));
    assert.ok(polls.length >= 1, 'GET prediction reached the provider');
    assertKeysSwapped(mocks.replicate, CLIENT_KEY, recs);
  });

  test('predictions.create by version: webhook stripped (no-training)', async () => {
    await replicate().predictions.create({
      version: '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc',
      input: { prompt: 'A lighthouse at dusk' }, webhook: 'https://hooks.example.com/replicate',
      webhook_events_filter: ['completed'] });
    const rec = await lastRequest(mocks.replicate, '/v1/predictions');
    const b = body(rec);
    assert.equal(b.webhook, undefined, `webhook forwarded: ${rec.body}`);
    assert.equal(b.webhook_events_filter, undefined);
    assert.equal(b.version, '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc');
  });

  test('stream: prediction created with stream:true through aigw, SSE output events read', async () => {
    await mocks.replicate.reset();
    const events = [];
    for await (const ev of replicate().stream('meta/meta-llama-3-8b-instruct', { input: { prompt: PROMPT } })) {
      events.push(ev);
    }
    assert.ok(events.some((e) => e.event === 'output'), 'output events');
    assert.equal(events[events.length - 1].event, 'done');
    const rec = await lastRequest(mocks.replicate, '/v1/models/meta/meta-llama-3-8b-instruct/predictions');
    assertScrubbed(rec, 'replicate stream request');
    assertKeysSwapped(mocks.replicate, CLIENT_KEY, [rec]);
  });

  test('data: URI image input: EXIF/GPS stripped', async () => {
    await replicate().run('black-forest-labs/flux-kontext-pro', { input: { prompt: 'Make it red', input_image: img.dataUri } });
    const rec = await lastRequest(mocks.replicate, '/v1/models/black-forest-labs/flux-kontext-pro/predictions');
    assertImageClean(body(rec).input.input_image, dir, 'replicate input_image');
  });
});

// ---------------------------------------------------------------------------------------------
describe('OpenAI-compatible providers (openai SDK): OpenRouter, DeepSeek, Fireworks', () => {
  const sdk = (baseURL) => new OpenAI({ baseURL, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 20000,
    defaultHeaders: { 'X-AIGW-User': USER } });
  const cases = [
    { p: 'openrouter', native: '/openrouter/api/v1', upath: '/api/v1/chat/completions', model: 'openrouter/auto' },
    { p: 'deepseek', native: '/deepseek', upath: '/chat/completions', model: 'deepseek-chat' },
    { p: 'fireworks', native: '/fireworks/inference/v1', upath: '/inference/v1/chat/completions',
      model: 'accounts/fireworks/models/llama-v3p3-70b-instruct' },
  ];

  for (const c of cases) {
    test(`${c.p}: native route, non-stream: key swapped, PII scrubbed and restored`, async () => {
      const r = await sdk(gw.url + c.native).chat.completions.create({ model: c.model,
        messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-mock-echo': '1' } });
      assertRestored(r.choices[0].message.content, `${c.p} response`);
      const rec = await lastRequest(mocks[c.p], c.upath);
      assertScrubbed(rec, `${c.p} request`);
      assertKeysSwapped(mocks[c.p], CLIENT_KEY, [rec]);
    });

    test(`${c.p}: native route, stream: chunks restored, usage chunk delivered`, async () => {
      const stream = await sdk(gw.url + c.native).chat.completions.create({ model: c.model, stream: true,
        stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] },
      { headers: { 'x-mock-echo': '1', 'x-mock-piece': '4' } });
      let text = '';
      let usage = null;
      for await (const ch of stream) {
        text += ch.choices[0]?.delta?.content ?? '';
        if (ch.usage) usage = ch.usage;
      }
      assertRestored(text, `${c.p} stream`);
      assert.ok(usage && usage.total_tokens > 0, `${c.p}: usage in the stream`);
      const rec = await lastRequest(mocks[c.p], c.upath);
      assertScrubbed(rec, `${c.p} stream request`);
    });

    test(`${c.p}: unified /v1 picks the provider by model (${c.model})`, async () => {
      await mocks[c.p].reset();
      const r = await sdk(`${gw.url}/v1`).chat.completions.create({ model: c.model,
        messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-mock-echo': '1' } });
      assertRestored(r.choices[0].message.content, `${c.p} /v1 response`);
      const rec = await lastRequest(mocks[c.p], c.upath);
      assert.equal(body(rec).model, c.model);
      assertScrubbed(rec, `${c.p} /v1 request`);
      assertKeysSwapped(mocks[c.p], CLIENT_KEY, [rec]);
    });
  }

  test('openrouter: provider.data_collection "deny" and provider.zdr true forced over the client\'s choice', async () => {
    await sdk(`${gw.url}/openrouter/api/v1`).chat.completions.create({ model: 'openrouter/auto',
      messages: [{ role: 'user', content: 'hi' }], provider: { data_collection: 'allow', zdr: false, sort: 'price' } });
    const b = body(await lastRequest(mocks.openrouter, '/api/v1/chat/completions'));
    assert.equal(b.provider.data_collection, 'deny');
    assert.equal(b.provider.zdr, true);
    assert.equal(b.provider.sort, 'price', 'other provider preferences kept');
  });

  test('openrouter: a mid-stream error chunk reaches the openai SDK as an APIError', async () => {
    const stream = await sdk(`${gw.url}/openrouter/api/v1`).chat.completions.create({ model: 'openrouter/auto', stream: true,
      messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-stream-error': '1' } });
    let text = '';
    await assert.rejects((async () => {
      for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
    })(), (e) => {
      assert.match(e.message, /Upstream provider returned an error/);
      return true;
    });
    assert.equal(text, 'Invoice', 'the chunk before the error was delivered');
  });

  test('openrouter: flags forced on /v1 by model too', async () => {
    await sdk(`${gw.url}/v1`).chat.completions.create({ model: 'anthropic/claude-sonnet-4.5',
      messages: [{ role: 'user', content: 'hi' }] });
    const b = body(await lastRequest(mocks.openrouter, '/api/v1/chat/completions'));
    assert.deepEqual([b.provider?.data_collection, b.provider?.zdr], ['deny', true]);
  });

  for (const c of cases.filter((x) => x.p !== 'deepseek')) {
    test(`${c.p}: image_url data URI: EXIF/GPS stripped`, async () => {
      await sdk(gw.url + c.native).chat.completions.create({ model: c.model, messages: [{ role: 'user', content: [
        { type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: img.dataUri } }] }] });
      const rec = await lastRequest(mocks[c.p], c.upath);
      assertImageClean(body(rec).messages[0].content[1].image_url.url, dir, `${c.p} image_url`);
    });
  }

  test('gemini through /v1: OpenAI format on /v1beta/openai/, Gemini key swapped in', async () => {
    await mocks.gemini.reset();
    const r = await sdk(`${gw.url}/v1`).chat.completions.create({ model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: PROMPT }] }, { headers: { 'x-mock-echo': '1' } });
    assertRestored(r.choices[0].message.content, 'gemini /v1 response');
    const rec = await lastRequest(mocks.gemini, '/v1beta/openai/chat/completions');
    assertScrubbed(rec, 'gemini /v1 request');
    assertKeysSwapped(mocks.gemini, CLIENT_KEY, [rec]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('fal (@fal-ai/client through /fal, x-fal-target-url)', () => {
  const falClient = (extra = {}) => createFalClient({
    proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
    // fal's proxy protocol sends no credentials; the app names itself to aigw with this middleware.
    requestMiddleware: async (req) => ({ ...req,
      headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`, 'X-AIGW-User': USER, ...extra } }),
  });

  test('subscribe (submit, status polls, result): Key auth upstream, X-Fal-Store-IO: 0, PII scrubbed',
    async () => {
    await mocks.fal.reset();
    const r = await falClient({ 'x-mock-fal-pending-polls': '1' }).subscribe('fal-ai/flux/dev',
      { input: { prompt: PROMPT, num_images: 1 }, pollInterval: 50 });
    // The result is fetched by a later call: the echoed prompt keeps its placeholders (not restorable across calls).
    assertNoPii(r.data.prompt, 'fal result');
    assert.equal(r.data.images.length, 1);
    assert.equal(r.requestId.length, 36);
    const recs = await mocks.fal.requests();
    const submit = recs.find((x) => x.method === 'POST');
    assert.equal(submit.path, '/fal-ai/flux/dev');
    assert.equal(submit.headers['x-fal-store-io'], '0');
    assertScrubbed(submit, 'fal submit');
    assert.ok(recs.some((x) => x.method === 'GET' && /\/requests\/[0-9a-f-]+\/status$/.test(x.path)), 'status polled');
    assert.ok(recs.some((x) => x.method === 'GET' && /\/requests\/[0-9a-f-]+$/.test(x.path)), 'result fetched');
    assertKeysSwapped(mocks.fal, CLIENT_KEY, recs);
  });

  test('subscribe in streaming mode: status SSE through aigw, then the result', async () => {
    await mocks.fal.reset();
    const updates = [];
    const r = await falClient().subscribe('fal-ai/flux/dev', { input: { prompt: PROMPT }, mode: 'streaming',
      onQueueUpdate: (u) => updates.push(u.status) });
    assert.deepEqual(updates, ['IN_QUEUE', 'IN_PROGRESS', 'COMPLETED']);
    assertNoPii(r.data.prompt, 'fal streamed result');
    assert.equal(r.data.images.length, 1);
    const recs = await mocks.fal.requests();
    assert.ok(recs.some((x) => /\/status\/stream$/.test(x.path)), 'status stream requested');
    assertKeysSwapped(mocks.fal, CLIENT_KEY, recs);
  });

  test('queue.submit with a webhook: fal_webhook dropped from the query', async () => {
    await falClient().queue.submit('fal-ai/flux/dev',
      { input: { prompt: 'a cabin' }, webhookUrl: 'https://hooks.example.com/fal' });
    const rec = await lastRequest(mocks.fal, '/fal-ai/flux/dev');
    assert.ok(!/fal_webhook/.test(rec.query), `query still has fal_webhook: ${rec.query}`);
  });

  test('data: URI image input: EXIF/GPS stripped', async () => {
    await falClient().subscribe('fal-ai/flux/dev/image-to-image', { input: { prompt: 'pencil sketch', image_url: img.dataUri },
      pollInterval: 50 });
    const rec = await lastRequest(mocks.fal, '/fal-ai/flux/dev/image-to-image');
    assertImageClean(body(rec).image_url, dir, 'fal image_url');
  });

  test('a target host outside the allow-list: 400 in fal\'s shape, nothing sent', async () => {
    await mocks.fal.reset();
    // The SDK only builds fal.run / fal.ai URLs itself; a middleware that names another target
    // (what a compromised or confused app could send) gets fal's ApiError with aigw's message.
    const evil = createFalClient({ requestMiddleware: async (req) => ({ ...req, url: `${gw.url}/fal`,
      headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`, 'X-AIGW-User': USER,
        'x-fal-target-url': 'https://evil.example.com/steal' } }) });
    await assert.rejects(evil.run('fal-ai/flux/dev', { input: { prompt: 'x' } }), (e) => {
      assert.equal(e.status, 400);
      assert.match(String(e.body?.detail), /^aigw: .*not an allowed fal host/);
      return true;
    });
    const r = await rawRequest(gw, { method: 'POST', path: '/fal/', body: '{}', headers: { authorization: `Bearer ${CLIENT_KEY}`,
      'x-aigw-user': USER, 'content-type': 'application/json', 'x-fal-target-url': 'http://queue.fal.run/fal-ai/flux/dev' } });
    assert.equal(r.status, 400);
    assert.equal(typeof r.json?.detail, 'string', `fal error shape: ${r.body}`);
    assert.equal((await mocks.fal.requests()).length, 0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('every mock: only provider keys arrived', () => {
  test('no mock log contains the client key', async () => {
    for (const m of Object.values(mocks)) {
      await mockRequests(m, () => true, { min: 0 });
      assert.ok(!m.logText().includes(CLIENT_KEY), `${m.provider} log has the client key`);
    }
  });
});
