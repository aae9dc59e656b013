// Issue 4, usage and decisions in the call record: each provider's non-stream and stream fixture,
// fetched through its official SDK, must leave one row in the store's `calls` table whose
// usage_json holds the manifest's `expected_usage` (tests/fixtures/providers/manifest.json)
// and whose notrain_decision names what was forced. One end user per call keeps rows apart.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { createFalClient } from '@fal-ai/client';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import Replicate from 'replicate';
import { CLIENT_KEY, FIXTURES_DIR, sqlite, storeSetup, waitFor } from './lib/harness.mjs';
import { GAPS, startProviders } from './lib/providers.mjs';

const MANIFEST = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'manifest.json'), 'utf8'));
const expected = (file) => MANIFEST.fixtures.find((f) => f.file === file).expected_usage;

let env;
let gw;
let store;

before(async () => {
  delete process.env.FAL_KEY;
  store = storeSetup('provusage-store');
  env = await startProviders({ name: 'provusage', providerConf: { gemini: { tier: 'paid' } },
    config: { ...store.config, training: { providers: { deepseek: { mode: 'allow' } } } } });
  ({ gw } = env);
});
after(async () => {
  if (env) await env.stop();
});

/** The calls row of `user` (waits for the store writer). */
function callOf(user) {
  return waitFor(() => {
    const rows = sqlite(store.db, `select provider, route, status, usage_json, notrain_decision from calls where user_id = '${user}'`);
    return rows.length ? rows : null;
  }, { timeoutMs: 5000, msg: `calls row of ${user}` }).then((rows) => {
    assert.equal(rows.length, 1, `one call for ${user}: ${JSON.stringify(rows)}`);
    return { ...rows[0], usage: rows[0].usage_json ? JSON.parse(rows[0].usage_json) : null };
  });
}

/** Every key of the fixture's expected_usage is in the recorded usage with that value. */
function assertUsage(row, fixture) {
  const want = expected(fixture);
  assert.ok(row.usage, `${fixture}: usage recorded (row ${JSON.stringify(row)})`);
  for (const [k, v] of Object.entries(want)) {
    assert.ok(Math.abs(Number(row.usage[k]) - v) < 1e-9, `${fixture}: ${k} = ${v}, recorded ${JSON.stringify(row.usage)}`);
  }
}

const openai = (base, user) => new OpenAI({ baseURL: gw.url + base, apiKey: CLIENT_KEY, maxRetries: 0,
  defaultHeaders: { 'X-AIGW-User': user } });

describe('usage from each provider lands in the call record', () => {
  test('gemini generateContent and streamGenerateContent (running totals: the last chunk)', async () => {
    const ai = (user) => new GoogleGenAI({ apiKey: CLIENT_KEY,
      httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': user } } });
    await ai('u-gemini-json').models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    for await (const c of await ai('u-gemini-sse').models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) {
      void c;
    }
    assertUsage(await callOf('u-gemini-json'), 'gemini/generate_content.response.json');
    const s = await callOf('u-gemini-sse');
    assertUsage(s, 'gemini/stream_generate_content.sse');
    assert.equal(s.notrain_decision.startsWith('refused'), false);
  });

  test('anthropic messages and stream (message_start overlaid by the last message_delta)', async () => {
    const claude = (user) => new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': user } });
    await claude('u-anthropic-json').messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }] });
    await claude('u-anthropic-sse').messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assertUsage(await callOf('u-anthropic-json'), 'anthropic/messages.response.json');
    assertUsage(await callOf('u-anthropic-sse'), 'anthropic/messages.stream.sse');
  });

  const compat = [
    { p: 'openrouter', base: '/openrouter/api/v1', model: 'openrouter/auto',
      json: 'openrouter/chat_completions.response.json', sse: 'openrouter/chat_completions.stream.sse' },
    { p: 'deepseek', base: '/deepseek', model: 'deepseek-chat',
      json: 'deepseek/chat_completions.response.json', sse: 'deepseek/chat_completions.stream.sse' },
    { p: 'fireworks', base: '/fireworks/inference/v1', model: 'accounts/fireworks/models/llama-v3p3-70b-instruct',
      json: 'fireworks/chat_completions.response.json', sse: 'fireworks/chat_completions.stream.sse' },
  ];
  for (const c of compat) {
    test(`${c.p} chat completions and stream (client did not ask for include_usage)`, async () => {
      await openai(c.base, `u-${c.p}-json`).chat.completions.create({ model: c.model, messages: [{ role: 'user', content: 'hi' }] });
      const stream = await openai(c.base, `u-${c.p}-sse`).chat.completions.create({ model: c.model, stream: true,
        messages: [{ role: 'user', content: 'hi' }] });
      let usageChunks = 0;
      for await (const ch of stream) if (ch.usage && ch.choices.length === 0) usageChunks++;
      if (c.p === 'deepseek') assert.equal(usageChunks, 0, 'the usage chunk aigw asked for is not passed to a client that did not');
      assertUsage(await callOf(`u-${c.p}-json`), c.json);
      assertUsage(await callOf(`u-${c.p}-sse`), c.sse);
    });
  }

  test('openrouter: the forced flags are recorded with the call', async () => {
    const r = await callOf('u-openrouter-json');
    assert.match(r.notrain_decision, /provider\.data_collection=deny/);
    assert.match(r.notrain_decision, /provider\.zdr=true/);
  });

  test('replicate prediction with Prefer: wait: metrics and outputs', async () => {
    const rep = new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`, fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', 'u-replicate-json');
      return fetch(url, { ...init, headers });
    } });
    await rep.run('black-forest-labs/flux-schnell', { input: { prompt: 'a lighthouse' } });
    assertUsage(await callOf('u-replicate-json'), 'replicate/prediction.succeeded.json');
  });

  test('fal queue result: x-fal-billable-units and images', async () => {
    const user = 'u-fal';
    const fal = createFalClient({ proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
      requestMiddleware: async (req) => ({ ...req, headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`,
        'X-AIGW-User': user } }) });
    await fal.subscribe('fal-ai/flux/dev', { input: { prompt: 'a cabin' }, pollInterval: 50 });
    const rows = await waitFor(() => {
      const r = sqlite(store.db, `select route, usage_json, notrain_decision from calls where user_id = '${user}'`);
      return r.length >= 3 ? r : null;
    }, { timeoutMs: 5000, msg: 'fal calls' });
    const result = rows.find((r) => /\/requests\/[0-9a-f-]+$/.test(r.route) || (r.usage_json || '').includes('billable_units'));
    assertUsage({ usage: JSON.parse(result.usage_json) }, 'fal/queue_result.response.json');
    assert.ok(rows.every((r) => /X-Fal-Store-IO=0/.test(r.notrain_decision)), JSON.stringify(rows));
  });
});
