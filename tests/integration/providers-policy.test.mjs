// Issue 4, no-training refusals through the official SDKs: a refused call is a 403 in the
// provider's own error shape, so each SDK raises its normal error, and the message (aigw's) names
// the provider, the reason and the fix; nothing reaches the provider. Consent (admin API, stored
// by the privacy store) lifts the consent-dependent refusals. Config here: Gemini key declared
// "free" tier, DeepSeek first-party at the default deny_unless_consent, the SQLite store on.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { createFalClient } from '@fal-ai/client';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import Replicate from 'replicate';
import { ADMIN_TOKENS, CLIENT_KEY, USER, adminRequest, sqlite, storeSetup, waitFor } from './lib/harness.mjs';
import { GAPS, startProviders } from './lib/providers.mjs';

let env;
let gw;
let mocks;
let store;
const CONSENTING = 'user-consenting-42';

before(async () => {
  delete process.env.FAL_KEY;
  store = storeSetup('provpolicy-store');
  env = await startProviders({ name: 'provpolicy', providerConf: { gemini: { tier: 'free' } }, config: store.config });
  ({ gw, mocks } = env);
  // Consent is given before this user's first call (the per-worker consent cache keeps answers for 30 s).
  const r = await adminRequest(gw, 'PUT', `/users/${CONSENTING}/consent`, ADMIN_TOKENS.privacy, { training: true });
  assert.equal(r.status, 200, `consent via admin API: ${r.body}`);
});
after(async () => {
  if (env) await env.stop();
});

const openai = (base, user = USER) => new OpenAI({ baseURL: gw.url + base, apiKey: CLIENT_KEY, maxRetries: 0,
  defaultHeaders: { 'X-AIGW-User': user } });
const genai = (user = USER) => new GoogleGenAI({ apiKey: CLIENT_KEY,
  httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': user } } });

async function nothingReached(mock) {
  assert.deepEqual((await mock.requests()).map((r) => `${r.method} ${r.path}`), [], `${mock.provider}: nothing forwarded`);
}

describe('Gemini with a key not declared paid tier', () => {
  test('@google/genai: ApiError 403 PERMISSION_DENIED naming gemini, the tier and the fix', async () => {
    await mocks.gemini.reset();
    await assert.rejects(genai().models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello' }), (e) => {
      assert.equal(e.status, 403);
      const body = JSON.parse(e.message);
      assert.equal(body.error.code, 403);
      assert.equal(body.error.status, 'PERMISSION_DENIED');
      assert.match(body.error.message, /^aigw: gemini: .*tier.*"paid"/);
      return true;
    });
    await assert.rejects(genai().models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hello' }),
      (e) => e.status === 403);
    await nothingReached(mocks.gemini);
  });

  test('openai SDK on /v1 with a gemini-* model: PermissionDeniedError, OpenAI shape, same message', async () => {
    await assert.rejects(openai('/v1').chat.completions.create({ model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'hello' }] }), (e) => {
      assert.ok(e instanceof OpenAI.PermissionDeniedError, e.constructor.name);
      assert.match(e.message, /gemini: .*paid/);
      return true;
    });
    await nothingReached(mocks.gemini);
  });

  test('a user who consented to training is let through', async () => {
    const res = await genai(CONSENTING).models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello' });
    assert.ok(res.text.length > 0);
    assert.equal((await mocks.gemini.requests()).length, 1);
  });

  test('cachedContents (stored at Google) is refused regardless of tier', async () => {
    await mocks.gemini.reset();
    await assert.rejects(genai(CONSENTING).caches.create({ model: 'gemini-2.5-flash', config: { contents: 'long context' } }),
      (e) => {
        assert.equal(e.status, 403);
        assert.match(e.message, /gemini: .*cachedContents/);
        return true;
      });
    await nothingReached(mocks.gemini);
  });
});

describe('DeepSeek first-party (deny unless consent)', () => {
  test('openai SDK on /deepseek: PermissionDeniedError naming deepseek, the reason and the fixes', async () => {
    await mocks.deepseek.reset();
    await assert.rejects(openai('/deepseek').chat.completions.create({ model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'hello' }] }), (e) => {
      assert.ok(e instanceof OpenAI.PermissionDeniedError, e.constructor.name);
      assert.match(e.message, /deepseek: .*training.*(OpenRouter|Fireworks).*consent/);
      return true;
    });
    await nothingReached(mocks.deepseek);
  });

  test('openai SDK on /v1 with model deepseek-chat, streaming: refused before any stream starts', async () => {
    await assert.rejects(openai('/v1').chat.completions.create({ model: 'deepseek-chat', stream: true,
      messages: [{ role: 'user', content: 'hello' }] }), (e) => e.status === 403 && /deepseek/.test(e.message));
    await nothingReached(mocks.deepseek);
  });

  test('a user who consented is let through', async () => {
    const r = await openai('/deepseek', CONSENTING).chat.completions.create({ model: 'deepseek-chat',
      messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(r.model, 'deepseek-chat');
    assert.equal((await mocks.deepseek.requests()).length, 1);
  });
});

describe('storage routes refused (no-storage policy)', () => {
  const replicate = () => new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', USER);
      return fetch(url, { ...init, headers });
    } });

  test('replicate: a Buffer input (SDK uploads it to /v1/files first) raises ApiError 403 with the data-URI fix', async () => {
    await mocks.replicate.reset();
    await assert.rejects(replicate().run('black-forest-labs/flux-kontext-pro',
      { input: { prompt: 'x', input_image: Buffer.from('not really a png') } }), (e) => {
      assert.equal(e.response?.status, 403);
      assert.match(e.message, /replicate: \/v1\/files .*data: URIs/);
      return true;
    });
    await nothingReached(mocks.replicate);
  });

  test('anthropic: message batches raise PermissionDeniedError in the Anthropic shape', async () => {
    const claude = new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': USER } });
    await assert.rejects(claude.messages.batches.create({ requests: [{ custom_id: 'a', params: { model: 'claude-sonnet-4-6',
      max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] } }] }), (e) => {
      assert.ok(e instanceof Anthropic.PermissionDeniedError, e.constructor.name);
      assert.equal(e.error?.type, 'error');
      assert.equal(e.error?.error?.type, 'permission_error');
      assert.match(e.error?.error?.message, /^aigw: anthropic: .*messages\/batches/);
      return true;
    });
    await nothingReached(mocks.anthropic);
  });

  test('fal: storage upload through the proxy is refused with fal\'s {"detail"} shape', async () => {
    const fal = createFalClient({ proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
      requestMiddleware: async (req) => ({ ...req,
        headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`, 'X-AIGW-User': USER } }) });
    await assert.rejects(fal.storage.upload(new Blob(['hello'], { type: 'text/plain' })), (e) => {
      assert.ok(e.status === 403 || e.status === 400, `status ${e.status}`);
      assert.match(String(e.body?.detail), /^aigw: |^fal: /);
      return true;
    });
    await nothingReached(mocks.fal);
  });
});

describe('OpenRouter', () => {
  test('404 "no endpoints matching your data policy" is final: passed to the SDK, not retried', async () => {
    await mocks.openrouter.reset();
    await assert.rejects(openai('/openrouter/api/v1').chat.completions.create({ model: 'openrouter/auto',
      messages: [{ role: 'user', content: 'hello' }] }, { headers: { 'x-mock-status': '404' } }), (e) => {
      assert.equal(e.status, 404);
      assert.match(e.message, /data policy/);
      return true;
    });
    assert.equal((await mocks.openrouter.requests()).length, 1, 'one upstream attempt');
  });
});

describe('decisions are recorded with the call', () => {
  test('every refusal above is a 403 row with refused:<reason>; consented calls say consent:<reason>', async () => {
    const want = ['refused:gemini_unpaid_tier', 'refused:gemini_storage_route', 'refused:deepseek_first_party',
      'refused:replicate_file_upload', 'refused:anthropic_storage_route', 'consent:gemini_unpaid_tier',
      'consent:deepseek_first_party'];
    const rows = await waitFor(() => {
      const r = sqlite(store.db, 'select user_id, provider, status, notrain_decision from calls');
      return want.every((w) => r.some((x) => (x.notrain_decision || '').startsWith(w))) ? r : null;
    }, { timeoutMs: 5000, msg: `call rows with ${want.join(', ')}` });
    for (const r of rows.filter((x) => (x.notrain_decision || '').startsWith('refused:'))) {
      assert.equal(r.status, 403, JSON.stringify(r));
    }
    for (const r of rows.filter((x) => (x.notrain_decision || '').startsWith('consent:'))) {
      assert.equal(r.user_id, CONSENTING, JSON.stringify(r));
    }
  });
});
