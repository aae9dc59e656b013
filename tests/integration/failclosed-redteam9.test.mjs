// Session 16 red-team pass (redteam9): ways around aigw found by attacking a running gateway as a client, each fixed
// fail closed. One mock per provider (tests/mockprovider --provider NAME) behind one aigw.
//  - routes that hand a client a credential or a connection to the provider (OpenAI Realtime client secrets / calls,
//    ChatKit sessions, Gemini ephemeral auth tokens, fal temporary tokens and fal's platform REST host): whatever the
//    client then sends goes to the provider directly, unscanned, unmetered, without the no-training flags;
//  - fal's `fal_webhook` query parameter spelled with escapes or another case;
//  - a `charset` parameter the Content-Type check did not see.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { GoogleGenAI } from '@google/genai';
import { CLIENT_KEY, USER, rawRequest } from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'fcrt9', providerConf: { gemini: { tier: 'paid' } },
    // refused whatever the no-training config says (fal keeps its no-storage forces: fal_webhook below)
    config: { training: { mode: 'allow', providers: { openai: { no_storage: false }, gemini: { no_storage: false },
      anthropic: { no_storage: false }, openrouter: { no_storage: false } } } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

const bearer = (extra = {}) => ({ authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER,
  'content-type': 'application/json', ...extra });
const falHeaders = (target, extra = {}) => ({ authorization: `Key ${CLIENT_KEY}`, 'x-aigw-user': USER,
  'content-type': 'application/json', 'x-fal-target-url': target, ...extra });

describe('routes that reach the provider around aigw are refused', () => {
  test('OpenAI Realtime client secrets through the openai SDK: 403 direct_access_route, nothing forwarded', async () => {
    await mocks.openai.reset();
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': USER } });
    await assert.rejects(client.realtime.clientSecrets.create({ session: { type: 'realtime', model: 'gpt-realtime',
      instructions: 'Help jane.doe@example.com' } }), (e) => {
      assert.equal(e.status, 403);
      assert.equal(e.code, 'direct_access_route');
      assert.match(e.message, /directly/);
      return true;
    });
    assert.deepEqual(await mocks.openai.requests(), []);
  });

  test('every spelling and method of the OpenAI Realtime and ChatKit routes: 403, nothing forwarded', async () => {
    await mocks.openai.reset();
    await mocks.gemini.reset();
    const body = JSON.stringify({ model: 'gpt-realtime', session: { type: 'realtime' } });
    for (const [method, p] of [['POST', '/v1/realtime/client_secrets'], ['POST', '/v1/realtime/sessions'],
      ['POST', '/v1/realtime/transcription_sessions'], ['POST', '/v1/realtime/calls'],
      ['POST', '/v1/realtime/calls/rtc_123/accept'], ['POST', '/openai/v1/realtime/client_secrets'],
      ['POST', '/v1/Realtime/Client_Secrets'], ['POST', '/v1/%72ealtime/client_secrets'], ['POST', '/v1//realtime/./sessions/'],
      ['GET', '/v1/realtime/sessions'], ['POST', '/v1/chatkit/sessions'], ['POST', '/v1/chatkit/threads'],
      ['POST', '/v1/organization/admin_api_keys'], ['POST', '/v1/organization/data_retention']]) {
      const r = await rawRequest(gw, { method, path: p, headers: bearer(), body: method === 'GET' ? undefined : body });
      assert.equal(r.status, 403, `${method} ${p}: ${r.body}`);
      assert.ok(['direct_access_route', 'account_admin_route'].includes(r.json.error.code), `${p}: ${r.body}`);
    }
    // on /v1/ a model routed to another provider is still the OpenAI wire format's route
    const g = await rawRequest(gw, { method: 'POST', path: '/v1/realtime/client_secrets', headers: bearer(),
      body: JSON.stringify({ model: 'gemini-2.5-flash' }) });
    assert.equal(g.status, 403, g.body);
    assert.deepEqual(await mocks.openai.requests(), []);
    assert.deepEqual(await mocks.gemini.requests(), []);
  });

  test('Gemini ephemeral auth tokens through @google/genai and raw: 403 (Google shape), nothing forwarded', async () => {
    await mocks.gemini.reset();
    const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta',
      headers: { 'X-AIGW-User': USER } } });
    await assert.rejects(ai.authTokens.create({ config: { uses: 1 } }), (e) => {
      assert.equal(e.status, 403, String(e));
      return true;
    });
    const r = await rawRequest(gw, { method: 'POST', path: '/gemini/v1beta/auth_tokens',
      headers: { 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json' },
      body: JSON.stringify({ uses: 1 }) });
    assert.equal(r.status, 403, r.body);
    assert.equal(r.json.error.status, 'PERMISSION_DENIED');
    assert.match(r.json.error.message, /directly/);
    assert.deepEqual(await mocks.gemini.requests(), []);
  });

  test('fal temporary tokens (the fal client\'s realtime / client-mode streams) and fal\'s platform REST host: refused',
    async () => {
      await mocks.fal.reset();
      const body = JSON.stringify({ allowed_apps: ['flux'], token_expiration: 3600 });
      for (const t of ['https://rest.alpha.fal.ai/tokens/', 'https://rest.alpha.fal.ai/tokens', 'https://rest.alpha.fal.ai/TOKENS/',
        'https://rest.alpha.fal.ai/%74okens/', 'https://rest.alpha.fal.ai/keys/', 'https://rest.alpha.fal.ai/storage/auth/token?storage_type=fal-cdn-v3',
        'https://rest.alpha.fal.ai/', 'https://fal.run/tokens/', 'https://queue.fal.run/tokens/']) {
        const r = await rawRequest(gw, { method: 'POST', path: '/fal/proxy', headers: falHeaders(t), body });
        assert.ok(r.status === 403 || r.status === 400, `${t}: ${r.status} ${r.body}`);
        assert.ok(typeof r.json.detail === 'string', `${t}: fal's error shape`);
      }
      assert.deepEqual(await mocks.fal.requests(), []);
    });

  test('what stays served: chat, Gemini generateContent, a fal run', async () => {
    await mocks.openai.reset();
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: bearer(),
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(r.status, 200, r.body);
    await mocks.fal.reset();
    const f = await rawRequest(gw, { method: 'POST', path: '/fal/proxy', headers: falHeaders('https://queue.fal.run/fal-ai/flux/dev'),
      body: JSON.stringify({ prompt: 'a cat' }) });
    assert.equal(f.status, 200, f.body);
    assert.equal((await mocks.fal.requests()).length, 1);
  });
});

describe('fal_webhook is never forwarded, however the name is spelled', () => {
  test('escaped and case variants of fal_webhook are dropped like the plain name; other parameters pass', async () => {
    for (const q of ['fal_webhook=https://evil.example/x', 'fal%5Fwebhook=https://evil.example/x',
      'fal%5fwebhook=https://evil.example/x', '%66al_webhook=https://evil.example/x', 'FAL_WEBHOOK=https://evil.example/x',
      'Fal_Webhook=https://evil.example/x', 'a=1&fal%5Fwebhook=https://evil.example/x&b=2']) {
      await mocks.fal.reset();
      const r = await rawRequest(gw, { method: 'POST', path: '/fal/proxy',
        headers: falHeaders(`https://queue.fal.run/fal-ai/flux/dev?${q}`), body: JSON.stringify({ prompt: 'a cat' }) });
      assert.equal(r.status, 200, `${q}: ${r.body}`);
      const [rec] = await mocks.fal.requests();
      const names = [...new URLSearchParams(rec.query || '').keys()].map((k) => k.toLowerCase());
      assert.ok(!names.includes('fal_webhook'), `${q}: forwarded query ${rec.query}`);
      assert.ok(!String(rec.query).includes('evil.example'), `${q}: forwarded query ${rec.query}`);
      if (q.startsWith('a=1')) assert.equal(rec.query, 'a=1&b=2');
    }
  });
});

describe('a charset label the check could not see', () => {
  test('charset after a parameter without "=", after a quoted ";", or as charset*: 415, nothing forwarded', async () => {
    await mocks.openai.reset();
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'mail jane.doe+AEA-example.com' }] });
    for (const ct of ['application/json; x; charset=utf-7', 'application/json; x="a;b"; charset=utf-7',
      "application/json; charset*=utf-7''", "application/json; CHARSET*=UTF-7''", 'text/plain; ; x; charset=utf-16',
      'application/json; x="charset=utf-7"', 'application/json; charset = utf-7']) {
      const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: bearer({ 'content-type': ct }), body });
      assert.equal(r.status, 415, `${ct}: ${r.body}`);
      assert.equal(r.json.error.code, 'unsupported_media_type', ct);
    }
    assert.deepEqual(await mocks.openai.requests(), []);
    for (const ct of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; x; charset=utf-8',
      'application/json; x="a;b"; charset=utf8', 'text/plain', 'application/json; foo=bar']) {
      const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: bearer({ 'content-type': ct }), body });
      assert.equal(r.status, 200, `${ct}: ${r.body}`);
    }
  });
});

describe('text sent as token ids', () => {
  test('completions prompt and embeddings input as token arrays: 400 unscannable_tokens, nothing forwarded', async () => {
    await mocks.openai.reset();
    await mocks.openrouter.reset();
    await mocks.gemini.reset();
    // tiktoken ids of an e-mail address: the model reads the text, aigw sees numbers
    const ids = [73, 1031, 13, 48002, 31, 8858, 916];
    for (const [p, body] of [
      ['/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: ids }],
      ['/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: [ids, ids] }],
      ['/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: ['a', ids] }],
      ['/v1/embeddings', { model: 'text-embedding-3-small', input: ids }],
      ['/v1/embeddings', { model: 'text-embedding-3-small', input: [ids] }],
      ['/openai/v1/embeddings', { model: 'text-embedding-3-small', input: [[1.5]] }],
      ['/openrouter/api/v1/completions', { model: 'openai/gpt-3.5-turbo-instruct', prompt: ids }],
      ['/v1/embeddings', { model: 'gemini-embedding-001', input: [ids] }],
      ['/gemini/v1beta/openai/embeddings', { model: 'gemini-embedding-001', input: ids }],
    ]) {
      const headers = p.startsWith('/gemini/') ? { 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER,
        'content-type': 'application/json' } : bearer();
      const r = await rawRequest(gw, { method: 'POST', path: p, headers, body: JSON.stringify(body) });
      assert.equal(r.status, 400, `${p} ${JSON.stringify(body)}: ${r.body}`);
      // OpenAI's shape, or OpenRouter's (metadata.aigw_code)
      assert.equal(r.json.error.metadata ? r.json.error.metadata.aigw_code : r.json.error.code, 'unscannable_tokens',
        `${p}: ${r.body}`);
    }
    assert.deepEqual(await mocks.openai.requests(), []);
    assert.deepEqual(await mocks.openrouter.requests(), []);
    assert.deepEqual(await mocks.gemini.requests(), []);
  });

  test('text inputs pass: strings, arrays of strings, through the openai SDK', async () => {
    await mocks.openai.reset();
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': USER } });
    const e = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['jane.doe@example.com', 'hello'] });
    assert.ok(Array.isArray(e.data));
    const [rec] = await mocks.openai.requests();
    assert.ok(!rec.body.includes('jane.doe@example.com'), rec.body);
  });
});

describe('storage routes the posture did not name', () => {
  test('OpenAI evals, containers, skills; Anthropic skills; Gemini File Search stores and corpora: 403, nothing forwarded',
    async () => {
      // the default posture (no_storage true) on a gateway of its own: this file's main gateway turns storage off
      const own = await startProviders({ name: 'fcrt9st', providers: ['openai', 'anthropic', 'gemini'],
        providerConf: { gemini: { tier: 'paid' } } });
      try {
        const goog = { 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json' };
        const ant = { 'x-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json',
          'anthropic-version': '2023-06-01' };
        for (const [p, h, code, mock] of [
          ['/v1/evals', bearer(), 'openai_storage_route', 'openai'],
          ['/v1/evals/eval_1/runs', bearer(), 'openai_storage_route', 'openai'],
          ['/v1/containers', bearer(), 'openai_storage_route', 'openai'],
          ['/v1/containers/cntr_1/files', bearer(), 'openai_storage_route', 'openai'],
          ['/v1/skills', bearer(), 'openai_storage_route', 'openai'],
          ['/anthropic/v1/skills', ant, 'anthropic_storage_route', 'anthropic'],
          ['/gemini/v1beta/fileSearchStores', goog, null, 'gemini'],
          ['/gemini/v1beta/fileSearchStores/s1:importFile', goog, null, 'gemini'],
          ['/gemini/v1beta/corpora', goog, null, 'gemini'],
        ]) {
          await own.mocks[mock].reset();
          const r = await rawRequest(own.gw, { method: 'POST', path: p, headers: h, body: JSON.stringify({ name: 'x' }) });
          assert.equal(r.status, 403, `${p}: ${r.body}`);
          if (mock === 'openai') assert.equal(r.json.error.code, code, `${p}: ${r.body}`);
          assert.deepEqual(await own.mocks[mock].requests(), [], p);
        }
      } finally {
        await own.stop();
      }
    });
});

describe('query parameters that hide what aigw meters', () => {
  test('Gemini fields / $fields (a partial response without the output token count): 400, nothing forwarded', async () => {
    await mocks.gemini.reset();
    const goog = { 'x-goog-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'application/json' };
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello' }] }] });
    for (const q of ['fields=candidates,usageMetadata.promptTokenCount', '%24fields=candidates', '%66ields=candidates',
      'alt=sse&FIELDS=candidates', 'alt=sse&fields']) {
      const p = `/gemini/v1beta/models/gemini-2.5-flash:${q.startsWith('alt') ? 'streamGenerateContent' : 'generateContent'}?${q}`;
      const r = await rawRequest(gw, { method: 'POST', path: p, headers: goog, body });
      assert.equal(r.status, 400, `${p}: ${r.body}`);
      assert.equal(r.json.error.status, 'INVALID_ARGUMENT', p);
      assert.match(r.json.error.message, /fields/);
    }
    // the OpenAI-compatible surfaces of Gemini: the same frontend reads the mask
    for (const [p, h] of [['/gemini/v1beta/openai/chat/completions?fields=choices', goog],
      ['/v1/chat/completions?fields=choices', bearer()]]) {
      const r = await rawRequest(gw, { method: 'POST', path: p, headers: h,
        body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] }) });
      assert.equal(r.status, 400, `${p}: ${r.body}`);
      assert.equal(r.json.error.code, 'unsupported_query_parameter', p);
    }
    assert.deepEqual(await mocks.gemini.requests(), []);
    const ok = await rawRequest(gw, { method: 'POST',
      path: '/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&fieldsx=1', headers: goog, body });
    assert.equal(ok.status, 200, ok.body);
  });
});

describe('lists of every user\'s objects in the one provider account', () => {
  test('Replicate prediction list, OpenAI video list and stored-completion list: 403 account_list_route; reads by id pass',
    async () => {
      await mocks.replicate.reset();
      await mocks.openai.reset();
      const lists = [['replicate', '/replicate/v1/predictions'], ['replicate', '/replicate/v1/predictions?cursor=abc'],
        ['replicate', '/replicate/v1/predictions/'], ['openai', '/v1/videos'], ['openai', '/v1/videos?limit=100'],
        ['openai', '/v1/chat/completions?limit=100'], ['openai', '/openai/v1/chat/completions']];
      for (const [, p] of lists) {
        const r = await rawRequest(gw, { method: 'GET', path: p, headers: bearer() });
        assert.equal(r.status, 403, `${p}: ${r.body}`);
        assert.match(r.body, /account_list_route|other users/, p);
      }
      assert.deepEqual(await mocks.replicate.requests(), []);
      assert.deepEqual(await mocks.openai.requests(), []);
      // a prediction read by its id is served (the creating call answered the id)
      const one = await rawRequest(gw, { method: 'GET', path: '/replicate/v1/predictions/abc123', headers: bearer() });
      assert.notEqual(one.status, 403, one.body);
      assert.equal((await mocks.replicate.requests()).length, 1);
    });
});

describe('a fallback target that refuses a query parameter of the call', () => {
  test('OpenAI fails; the Gemini fallback would get ?fields= (its answer without output usage): skipped, not forwarded',
    async () => {
      const own = await startProviders({ name: 'fcrt9fb', providers: ['openai', 'gemini'],
        providerConf: { gemini: { tier: 'paid' } },
        config: { retry: { max_retries: 0 }, fallbacks: { 'openai/gpt-4o': ['gemini/gemini-2.5-flash'] } } });
      try {
        const send = (p, key) => rawRequest(own.gw, { method: 'POST', path: p, headers: bearer({ 'x-mock-faults': '503,503,503',
          'x-mock-faults-for': 'openai', 'x-mock-fault-key': key }),
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }) });
        // the chain works without the parameter
        const ok = await send('/v1/chat/completions', 'rt9-fb-ok');
        assert.equal(ok.status, 200, ok.body);
        assert.equal(ok.headers['x-aigw-fallback'], 'gemini/gemini-2.5-flash');
        await own.mocks.gemini.reset();
        const r = await send('/v1/chat/completions?fields=choices', 'rt9-fb-fields');
        assert.notEqual(r.status, 200, r.body);
        assert.deepEqual(await own.mocks.gemini.requests(), []);
      } finally {
        await own.stop();
      }
    });
});
