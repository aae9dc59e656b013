// Fallback chains (issue 16, config "fallbacks") through the official openai SDK with the mock's fault injection:
// a chat call whose provider keeps failing before the first byte goes to the next target of its chain, readdressed
// to that provider's OpenAI-compatible API with its own model, no-training flags and price; a target the user has not
// consented to (Gemini on an unpaid key) is skipped; the ledger holds one reservation (covering the most expensive
// target) and one settlement at the price of the target that answered; nothing falls back after the first byte or on
// a status a retry would not try; `aigw check` refuses chains across wire formats.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { ADMIN_TOKENS, CLIENT_KEY, adminRequest, aigwCli, artifactDir, sqlite, storeSetup, waitFor, writeConfig } from
  './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

// per-request prices only, so every amount is exact: the reservation is the most expensive target (gemini)
const PRICING = {
  'openai/gpt-4o': { per_request: 1000 },
  'openrouter/openai/gpt-4o': { per_request: 3000 },
  'gemini/gemini-2.5-flash': { per_request: 5000 },
};
const FALLBACKS = { 'openai/gpt-4o': ['gemini/gemini-2.5-flash', 'openrouter/openai/gpt-4o'] };

let env;
let store;

before(async () => {
  store = storeSetup('fallback-store');
  env = await startProviders({
    name: 'fallback',
    providers: ['openai', 'openrouter', 'gemini'],
    config: {
      ...store.config,
      credits: { default_grant: 0 },
      pricing: PRICING,
      retry: { max_retries: 1, initial_backoff_ms: 20, max_backoff_ms: 50, budget_min_retries: 100000 },
      fallbacks: FALLBACKS,
    },
  });
  for (const u of ['u-fb-1', 'u-fb-2', 'u-fb-3']) {
    const r = await adminRequest(env.gw, 'POST', `/users/${u}/credits`, ADMIN_TOKENS.ops, { amount_microcredits: 100000 });
    assert.equal(r.status, 200, r.body);
  }
});
after(async () => {
  if (env) await env.stop();
});

const sdk = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: env.gw.baseURL, maxRetries: 0 });
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const ledger = (rid) => sqlite(store.db, `SELECT kind, amount_microcredits AS amount FROM ledger WHERE request_id = ${q(rid)}` +
  ' ORDER BY kind').map((r) => `${r.kind}:${r.amount}`);
const chatPosts = async (mock) => (await mock.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('chat/completions'));

describe('fallback chains', () => {
  test('openai keeps failing (503): the next consented target answers; charged once at its price', async () => {
    for (const m of Object.values(env.mocks)) await m.reset();
    const { data, response } = await sdk().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user',
      content: 'Write to jane.doe@example.com' }] }, { headers: { 'X-AIGW-User': 'u-fb-1', 'x-mock-faults': '503,503,503',
      'x-mock-faults-for': 'openai', 'x-mock-fault-key': 'fb-503' } }).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-aigw-fallback'), 'openrouter/openai/gpt-4o');
    // openai: the first attempt and its one retry; gemini: skipped (unpaid key, no consent); openrouter: answered
    assert.equal((await chatPosts(env.mocks.openai)).length, 2);
    assert.equal((await chatPosts(env.mocks.gemini)).length, 0, 'no fallback onto a provider without consent');
    const [or] = await chatPosts(env.mocks.openrouter);
    const body = JSON.parse(or.body);
    assert.equal(body.model, 'openai/gpt-4o', 'the target\'s model');
    assert.ok(!or.body.includes('jane.doe@example.com'), 'the fallback request is scrubbed too');
    assert.match(or.body, /<EMAIL_ADDRESS_\d+>/);
    assert.equal(body.provider?.data_collection, 'deny', 'OpenRouter\'s own no-training flags');
    assert.equal(or.headers.authorization, 'Bearer sk-or-v1-upstream-0001', 'OpenRouter\'s key');
    const rid = response.headers.get('x-aigw-request-id');
    await waitFor(() => ledger(rid).some((k) => k.startsWith('settle')), { msg: 'settlement' });
    // one reservation for the most expensive target (5000), one settlement at OpenRouter's price (3000):
    // the settle row gives the difference back
    assert.deepEqual(ledger(rid), ['reserve:-5000', 'settle:2000']);
    const row = sqlite(store.db, `SELECT provider, model FROM calls WHERE request_id = ${q(rid)}`)[0];
    assert.deepEqual(row, { provider: 'openrouter', model: 'openai/gpt-4o' });
  });

  test('a user who consented to training: the consent-gated target (Gemini, unpaid key) is used', async () => {
    for (const m of Object.values(env.mocks)) await m.reset();
    const c = await adminRequest(env.gw, 'PUT', '/users/u-fb-4/consent', ADMIN_TOKENS.privacy, { training: true });
    assert.equal(c.status, 200, c.body);
    const g = await adminRequest(env.gw, 'POST', '/users/u-fb-4/credits', ADMIN_TOKENS.ops, { amount_microcredits: 100000 });
    assert.equal(g.status, 200, g.body);
    const { data, response } = await sdk().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user',
      content: 'hi' }] }, { headers: { 'X-AIGW-User': 'u-fb-4', 'x-mock-faults': '503,503', 'x-mock-faults-for': 'openai',
      'x-mock-fault-key': 'fb-consent' } }).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-aigw-fallback'), 'gemini/gemini-2.5-flash');
    const [gm] = await chatPosts(env.mocks.gemini);
    assert.equal(JSON.parse(gm.body).model, 'gemini-2.5-flash');
    assert.match(gm.path, /^\/v1beta\/openai\/chat\/completions/, 'Gemini\'s OpenAI-compatible API');
    const rid = response.headers.get('x-aigw-request-id');
    await waitFor(() => ledger(rid).some((k) => k.startsWith('settle')), { msg: 'settlement' });
    assert.deepEqual(ledger(rid), ['reserve:-5000', 'settle:0']);
  });

  test('connection reset before the answer: falls back too', async () => {
    for (const m of Object.values(env.mocks)) await m.reset();
    const { data, response } = await sdk().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user',
      content: 'hi' }] }, { headers: { 'X-AIGW-User': 'u-fb-2', 'x-mock-faults': 'reset,reset,reset,reset',
      'x-mock-faults-for': 'openai', 'x-mock-fault-key': 'fb-reset' } }).withResponse();
    assert.equal(data.object, 'chat.completion');
    assert.equal(response.headers.get('x-aigw-fallback'), 'openrouter/openai/gpt-4o');
  });

  test('a status a retry would not try (400) is answered as it came: no fallback', async () => {
    for (const m of Object.values(env.mocks)) await m.reset();
    const e = await sdk().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'X-AIGW-User': 'u-fb-3', 'x-mock-faults': '400', 'x-mock-faults-for': 'openai',
        'x-mock-fault-key': 'fb-400' } }).then(() => null, (x) => x);
    assert.equal(e?.status, 400, String(e));
    assert.equal((await chatPosts(env.mocks.openrouter)).length, 0);
  });

  test('a target that would refuse the call as primary is not taken: image output with a value to tokenize (OpenRouter)', async () => {
    // OpenAI's chat completions answer no images, so the primary call goes out; OpenRouter's `modalities: ["image"]`
    // draws the prompt, placeholders and all, and a primary call there is refused 400 pii_unrestorable: the fallback
    // must not take it (it did: the target inherited the primary's checks)
    for (const m of Object.values(env.mocks)) await m.reset();
    const e = await sdk().chat.completions.create({ model: 'gpt-4o', modalities: ['image', 'text'], messages: [{ role: 'user',
      content: 'Draw a business card for jane.doe@example.com' }] }, { headers: { 'X-AIGW-User': 'u-fb-3',
      'x-mock-faults': '503,503,503', 'x-mock-faults-for': 'openai', 'x-mock-fault-key': 'fb-unrestorable' } })
      .then((c) => c, (x) => x);
    assert.ok(e instanceof OpenAI.APIError, `refused, got ${JSON.stringify(e)}`);
    assert.equal(e.status, 502, `the primary's failure as aigw answers it (${e.status} ${e.message})`);
    assert.equal((await chatPosts(env.mocks.openrouter)).length, 0, 'no fallback onto a target that refuses the call');
    assert.equal((await chatPosts(env.mocks.gemini)).length, 0);
    // the same request without a value to tokenize falls back as usual
    for (const m of Object.values(env.mocks)) await m.reset();
    const { response } = await sdk().chat.completions.create({ model: 'gpt-4o', modalities: ['image', 'text'],
      messages: [{ role: 'user', content: 'Draw a business card' }] }, { headers: { 'X-AIGW-User': 'u-fb-3',
      'x-mock-faults': '503,503,503', 'x-mock-faults-for': 'openai', 'x-mock-fault-key': 'fb-unrestorable-clean' } }).withResponse();
    assert.equal(response.headers.get('x-aigw-fallback'), 'openrouter/openai/gpt-4o');
  });

  test('never after the first byte: a stream cut after it ends as cut, nothing goes to another provider', async () => {
    for (const m of Object.values(env.mocks)) await m.reset();
    const stream = await sdk().chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user',
      content: 'hi' }] }, { headers: { 'X-AIGW-User': 'u-fb-3', 'x-mock-faults': 'reset-after=120',
      'x-mock-faults-for': 'openai', 'x-mock-fault-key': 'fb-cut' } });
    let chunks = 0;
    const err = await (async () => {
      for await (const c of stream) chunks += c ? 1 : 0;
    })().then(() => null, (x) => x);
    assert.ok(chunks >= 1 || err, 'the stream started');
    assert.equal((await chatPosts(env.mocks.openrouter)).length, 0, 'no fallback after the first byte');
    assert.equal((await chatPosts(env.mocks.gemini)).length, 0);
  });

  test('aigw check: a chain across wire formats, an unknown provider, a self-reference are refused', () => {
    const dir = artifactDir('fallback-config');
    const cases = [
      [{ 'anthropic/claude-sonnet-4-6': ['openai/gpt-4o'] }, /another wire format \(anthropic has no OpenAI-compatible API\)/],
      [{ 'openai/gpt-4o': ['nosuch/x'] }, /fallbacks\."openai\/gpt-4o"\[0\]: unknown provider/],
      [{ 'openai/gpt-4o': ['openai/gpt-4o'] }, /the chain's own provider and model/],
      [{ 'replicate/meta/llama': ['replicate/meta/other'] }, /side effects/],
      [{ 'openai/gpt-4o': [] }, /expected an array of 1\.\.8/],
    ];
    for (const [fallbacks, re] of cases) {
      const file = writeConfig(`${dir}/bad.json`, { fallbacks });
      const r = aigwCli(['check', '--config', file]);
      assert.notEqual(r.code, 0, JSON.stringify(fallbacks));
      assert.match(r.stderr, re);
    }
    const ok = writeConfig(`${dir}/ok.json`, { fallbacks: { 'anthropic/claude-sonnet-4-6': ['anthropic/claude-haiku-4-5'],
      ...FALLBACKS } });
    const r = aigwCli(['check', '--config', ok]);
    assert.equal(r.code, 0, r.stderr);
  });
});
