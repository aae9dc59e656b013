// Issue 13, exact money and usable reports, through the official SDKs where one exists: DALL-E 3
// settled at its per-image price from the request's size; Gemini countTokens not billed and Gemini
// calls reported under their model; fal priced and refused by x-fal-target-url; answers cut
// mid-body or mid-stream billed for what was delivered and logged with their outcome; the usage
// chunk aigw asked for stripped whatever its spacing; the usage CSV safe for spreadsheets;
// amounts written with their unit (CLI, headers); usage reported without credits enforcement.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createFalClient } from '@fal-ai/client';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import {
  ADMIN_TOKENS, CLIENT_KEY, adminRequest, aigwCli, rawRequest, sqlite, startAigw, startMock, storeSetup, waitFor, writeConfig,
} from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

const GRANT = 10000000; // 10 credits
// 1 micro-credit per input and per output token, nothing per request: a charge is a token count.
const TOKEN = { input_per_mtok: 1000000, output_per_mtok: 1000000 };

const q = (s) => `'${s.replace(/'/g, "''")}'`;

async function grant(gw, user, amount = GRANT) {
  const r = await adminRequest(gw, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'billing test' });
  assert.equal(r.status, 200, r.body);
}

/** The user's balance once no reservation is open (settlements run on the thread pool). */
function settledBalance(gw, user) {
  return waitFor(async () => {
    const r = await adminRequest(gw, 'GET', `/users/${encodeURIComponent(user)}`, ADMIN_TOKENS.ops);
    return r.status === 200 && r.json.reserved_microcredits === 0 ? r.json.balance_microcredits : null;
  }, { timeoutMs: 10000, msg: `${user} settled` });
}

/** The calls row of `user` (waits for the store writer). */
function callRow(db, user, cols = 'model, status, outcome, input_tokens, output_tokens, images, cost_microcredits') {
  return waitFor(() => sqlite(db, `SELECT ${cols} FROM calls WHERE user_id = ${q(user)} ORDER BY started_at`)[0],
    { timeoutMs: 5000, msg: `calls row of ${user}` });
}

const ledgerRows = (db, user) => sqlite(db, `SELECT kind, amount_microcredits AS a FROM ledger WHERE user_id = ${q(user)}` +
  ' AND kind <> \'grant\' ORDER BY id');

// ---- OpenAI: images, cut answers, the usage chunk, units ---------------------------------------------

describe('OpenAI route, metered with the shipped prices', () => {
  let mock;
  let gw;
  let data;
  before(async () => {
    mock = await startMock({ name: 'billing-mock' });
    data = storeSetup('billing-data');
    gw = await startAigw({ name: 'billing-aigw', mockUrl: mock.url,
      // retries off: each cut answer below is one attempt (retried answers: docs/internals/retry.md)
      config: { ...data.config, credits: { default_grant: 0 }, pricing: { 'openai/tok-*': TOKEN },
        upstream: { idle_timeout_ms: 800 }, retry: { max_retries: 0 } } });
  });
  after(async () => {
    await gw?.stop();
    await mock?.stop();
  });
  const sdk = (user) => new OpenAI({ baseURL: gw.baseURL, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 20000,
    defaultHeaders: { 'X-AIGW-User': user } });

  test('DALL-E 3 1024x1024: charged its per-image price 40000 (was 120000, 3x), headers name micro-credits', async () => {
    const user = 'u-dalle3';
    await grant(gw, user);
    const { data: img, response } = await sdk(user).images.generate({ model: 'dall-e-3', prompt: 'a lighthouse',
      size: '1024x1024', n: 1 }).withResponse();
    assert.equal(img.data.length, 1);
    assert.equal(img.data[0].size, undefined, 'the DALL-E 3 answer reports no size');
    // deprecated alias first (it exists before and after the fix): the same micro-credit values
    assert.equal(response.headers.get('x-aigw-credits-charged'), '40000');
    assert.equal(response.headers.get('x-aigw-microcredits-charged'), '40000');
    assert.equal(response.headers.get('x-aigw-microcredits-remaining'), String(GRANT - 40000));
    assert.equal(await settledBalance(gw, user), GRANT - 40000);
    assert.deepEqual(ledgerRows(data.db, user), [{ kind: 'reserve', a: -40000 }, { kind: 'settle', a: 0 }]);
    const row = await callRow(data.db, user);
    assert.equal(row.model, 'dall-e-3');
    assert.equal(row.images, 1);
  });

  test('JSON answer reset mid-body: 502, charged the input estimate only (was the whole reservation)', async () => {
    const user = 'u-cut-json';
    await grant(gw, user);
    const err = await sdk(user).chat.completions.create({ model: 'tok-cut', max_tokens: 1000,
      messages: [{ role: 'user', content: 'hello there' }] }, { headers: { 'x-mock-reset-after-bytes': '100' } })
      .then(() => null, (e) => e);
    assert.equal(err?.status, 502, String(err));
    const sent = (await mock.requests()).filter((r) => r.body.includes('"tok-cut"'));
    assert.equal(sent.length, 1);
    const want = Math.ceil(Buffer.byteLength(sent[0].body) / 4); // input tokens estimated from the request bytes
    assert.equal(await settledBalance(gw, user), GRANT - want);
    const row = await callRow(data.db, user);
    assert.deepEqual([row.status, row.outcome, row.input_tokens, row.output_tokens, row.cost_microcredits],
      [502, 'upstream_reset', want, 0, want]);
  });

  test('stream reset mid-way: charged input estimate + delivered text, logged upstream_reset (was the reservation, 200)', async () => {
    const user = 'u-cut-stream';
    await grant(gw, user);
    let text = '';
    try {
      const stream = await sdk(user).chat.completions.create({ model: 'tok-reset', max_tokens: 1000, stream: true,
        messages: [{ role: 'user', content: 'hello there' }] }, { headers: { 'x-mock-reset-after-bytes': '1300' } });
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    } catch {
      /* the SDK may raise on the cut: what arrived before counts */
    }
    assert.ok(text.length > 0 && text !== 'Hello Jane Doe, nice to meet you!', `a part of the answer arrived: ${text}`);
    const sent = (await mock.requests()).filter((r) => r.body.includes('"tok-reset"'));
    const want = Math.ceil(Buffer.byteLength(sent[0].body) / 4) + Math.ceil(Buffer.byteLength(text) / 4);
    assert.equal(await settledBalance(gw, user), GRANT - want);
    const row = await callRow(data.db, user);
    assert.equal(row.outcome, 'upstream_reset');
    assert.equal(row.cost_microcredits, want);
  });

  test('stream idle past upstream.idle_timeout_ms: charged what was delivered, logged idle_timeout', async () => {
    const user = 'u-cut-idle';
    await grant(gw, user);
    let text = '';
    try {
      const stream = await sdk(user).chat.completions.create({ model: 'tok-idle', max_tokens: 1000, stream: true,
        messages: [{ role: 'user', content: 'hello there' }] }, { headers: { 'x-mock-chunk-delay-ms': '1500' } });
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    } catch {
      /* cut */
    }
    const sent = (await mock.requests()).filter((r) => r.body.includes('"tok-idle"'));
    const want = Math.ceil(Buffer.byteLength(sent[0].body) / 4) + Math.ceil(Buffer.byteLength(text) / 4);
    assert.equal(await settledBalance(gw, user), GRANT - want);
    const row = await callRow(data.db, user);
    assert.equal(row.outcome, 'idle_timeout');
    assert.equal(row.cost_microcredits, want);
  });

  test('the usage chunk aigw asked for is stripped when written "choices": [] (with spaces)', async () => {
    const user = 'u-spaced';
    await grant(gw, user);
    const stream = await sdk(user).chat.completions.create({ model: 'tok-spaced', stream: true,
      messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-mock-spaced-json': '1' } });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const sent = (await mock.requests()).filter((r) => r.body.includes('"tok-spaced"'));
    assert.equal(JSON.parse(sent[0].body).stream_options?.include_usage, true, 'aigw asked for the usage');
    assert.ok(chunks.length > 1);
    assert.ok(chunks.every((c) => c.choices.length > 0), 'no chunk without choices reached the client');
    assert.ok(chunks.every((c) => !c.usage), 'no usage reached a client that did not ask');
    const row = await callRow(data.db, user);
    assert.ok(row.input_tokens > 0 && row.output_tokens > 0, 'usage still metered');
    assert.equal(row.outcome, null);
  });

  test('usage CSV: quoted (RFC 4180), no NUL, formulas neutralised', async () => {
    for (const user of ['a",999999999,0,0,0,0', 'trail"', '=1+1']) {
      await grant(gw, user);
      await sdk(user).chat.completions.create({ model: 'tok-csv', messages: [{ role: 'user', content: 'hi' }] });
    }
    await waitFor(() => sqlite(data.db, 'SELECT COUNT(*) AS n FROM calls WHERE model = \'tok-csv\'')[0].n === 3,
      { msg: 'three calls logged' });
    const r = await adminRequest(gw, 'GET', '/usage?group_by=user&format=csv', ADMIN_TOKENS.ops);
    assert.equal(r.status, 200);
    assert.ok(!r.body.includes('\0'), 'no NUL byte');
    const lines = r.body.split('\r\n');
    const header = lines[0].split(',');
    assert.deepEqual(header.slice(0, 3), ['user', 'requests', 'charged_microcredits']);
    const forged = lines.find((l) => l.startsWith('"a""'));
    assert.equal(parseCsvLine(forged)[0], 'a",999999999,0,0,0,0');
    assert.equal(parseCsvLine(forged).length, header.length, 'no forged column');
    assert.equal(parseCsvLine(lines.find((l) => l.startsWith('"trail')))[0], 'trail"');
    assert.ok(lines.some((l) => l.startsWith('"\'=1+1",')), 'the formula is a text cell');
  });

  test('aigw user grant: --credits / --microcredits, a bare number is refused with the flags to use', async () => {
    const cfg = writeConfig(path.join(data.dir, 'cli.json'), { ...data.config, credits: {} });
    const bare = aigwCli(['user', 'grant', 'u-cli', '5', '--config', cfg]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /--credits 5 .*--microcredits 5/);
    assert.equal(aigwCli(['user', 'grant', 'u-cli', '--credits', '5', '--config', cfg]).code, 0);
    const r = aigwCli(['user', 'grant', 'u-cli', '--microcredits', '2500000', '--config', cfg]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { id: 'u-cli', balance_microcredits: 7500000, balance_credits: '7.500000',
      reserved_microcredits: 0 });
  });
});

/** RFC 4180 fields of one line. */
function parseCsvLine(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          v += line[i++];
        }
      }
      out.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      out.push(line.slice(i, end < 0 ? line.length : end));
      i = end < 0 ? line.length + 1 : end + 1;
    }
  }
  return out;
}

// ---- Gemini and fal, metered ---------------------------------------------------------------------------

describe('Gemini and fal, metered', () => {
  let env;
  let gw;
  let data;
  before(async () => {
    delete process.env.FAL_KEY;
    data = storeSetup('billing-prov-data');
    env = await startProviders({ name: 'billing-prov', providers: ['gemini', 'fal'], providerConf: { gemini: { tier: 'paid' } },
      config: { ...data.config, credits: { default_grant: 0 } } });
    ({ gw } = env);
  });
  after(async () => {
    await env?.stop();
  });
  const ai = (user) => new GoogleGenAI({ apiKey: CLIENT_KEY,
    httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': user } } });

  test('countTokens is not billed: nothing reserved, balance unchanged (was charged the whole reservation)', async () => {
    const user = 'u-count';
    await grant(gw, user);
    const r = await ai(user).models.countTokens({ model: 'gemini-2.5-flash', contents: 'hello there' });
    assert.ok(r.totalTokens > 0);
    assert.equal(await settledBalance(gw, user), GRANT);
    assert.deepEqual(ledgerRows(data.db, user), []);
    const row = await callRow(data.db, user, 'model, cost_microcredits');
    assert.equal(row.model, 'gemini-2.5-flash');
    assert.equal(row.cost_microcredits, 0);
  });

  test('generateContent is reported under its model (from the path), not "unknown"', async () => {
    const user = 'u-gem-model';
    await grant(gw, user);
    await ai(user).models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    const row = await callRow(data.db, user, 'model, cost_microcredits');
    assert.equal(row.model, 'gemini-2.5-flash');
    assert.ok(row.cost_microcredits > 0);
    const rep = await adminRequest(gw, 'GET', '/usage?group_by=model&format=json', ADMIN_TOKENS.ops);
    const keys = rep.json.rows.map((x) => x.key);
    assert.ok(keys.includes('gemini-2.5-flash'), JSON.stringify(keys));
  });

  test('fal storage upload on rest.alpha.fal.ai is refused like fal storage (decided from x-fal-target-url)', async () => {
    await env.mocks.fal.reset();
    const r = await rawRequest(gw, { method: 'POST', path: '/fal', body: '{"content_type":"text/plain","file_name":"a.txt"}',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': 'u-fal-storage', 'content-type': 'application/json',
        'x-fal-target-url': 'https://rest.alpha.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3' } });
    assert.equal(r.status, 403, r.body);
    assert.match(r.json?.detail ?? '', /^aigw: fal: .*storage/, 'refused as fal storage (not as an unpriced model)');
    const other = await rawRequest(gw, { method: 'POST', path: '/fal', body: '{}', headers: { authorization: `Bearer ${CLIENT_KEY}`,
      'x-aigw-user': 'u-fal-storage', 'content-type': 'application/json', 'x-fal-target-url': 'https://fal.example.org/x/y' } });
    assert.equal(other.status, 400, 'a host that is not fal\'s: refused');
    assert.equal((await env.mocks.fal.requests()).length, 0, 'nothing reached fal');
  });

  test('fal synchronous call priced by the target URL\'s model (fal-ai/flux/dev: 25000 per billable unit)', async () => {
    const user = 'u-fal-run';
    await grant(gw, user);
    const fal = createFalClient({ proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
      requestMiddleware: async (req) => ({ ...req, headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`,
        'X-AIGW-User': user, 'x-mock-fal-sync': '1' } }) });
    const r = await fal.run('fal-ai/flux/dev', { input: { prompt: 'a cabin' } });
    assert.equal(r.data.images.length, 1);
    const rec = (await env.mocks.fal.requests()).find((x) => x.method === 'POST' && x.path === '/fal-ai/flux/dev');
    assert.ok(rec, 'forwarded to the target path');
    const row = await callRow(data.db, user, 'model, usage_json, cost_microcredits');
    assert.equal(row.model, 'fal-ai/flux/dev');
    const units = JSON.parse(row.usage_json).billable_units;
    assert.equal(units, 1.5, row.usage_json);
    assert.equal(row.cost_microcredits, 37500); // 1.5 units x 25000
    assert.equal(await settledBalance(gw, user), GRANT - row.cost_microcredits);
  });
});

// ---- usage without credits ---------------------------------------------------------------------------------

describe('usage recorded and reported without credits enforcement', () => {
  let mock;
  let gw;
  let data;
  before(async () => {
    mock = await startMock({ name: 'billing-nocredits-mock' });
    data = storeSetup('billing-nocredits-data');
    gw = await startAigw({ name: 'billing-nocredits-aigw', mockUrl: mock.url, config: data.config });
  });
  after(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test('calls and tokens per day and provider (group_by=day,provider), no credits section', async () => {
    const sdk = new OpenAI({ baseURL: gw.baseURL, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders: { 'X-AIGW-User': 'u-free' } });
    const r = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await waitFor(() => sqlite(data.db, 'SELECT COUNT(*) AS n FROM calls')[0].n === 2, { msg: 'two calls logged' });
    const rep = await adminRequest(gw, 'GET', '/usage?group_by=day%2Cprovider&format=json', ADMIN_TOKENS.ops);
    assert.equal(rep.status, 200, rep.body);
    assert.equal(rep.json.group_by, 'day,provider');
    assert.equal(rep.json.rows.length, 1);
    const row = rep.json.rows[0];
    assert.equal(row.provider, 'openai');
    assert.equal(row.day, new Date().toISOString().slice(0, 10));
    assert.equal(row.requests, 2);
    assert.equal(row.input_tokens, 2 * r.usage.prompt_tokens);
    assert.equal(row.output_tokens, 2 * r.usage.completion_tokens);
    assert.equal(row.charged_microcredits, 0);
    const table = aigwCli(['report', 'usage', '--group-by', 'model', '--config', gw.configFile]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /input tokens/);
    assert.match(table.stdout, /gpt-4o-mini\s+2 /);
  });
});

describe('redaction log capped per request', () => {
  let mock;
  let gw;
  let data;
  before(async () => {
    mock = await startMock({ name: 'billing-cap-mock' });
    data = storeSetup('billing-cap-data');
    gw = await startAigw({ name: 'billing-cap-aigw', mockUrl: mock.url,
      config: { ...data.config, pii: { default_action: 'redact', max_findings_per_request: 3 } } });
  });
  after(async () => {
    await gw?.stop();
    await mock?.stop();
  });

  test('pii.max_findings_per_request 3: ten emails make 3 rows and one summary row, all ten redacted', async () => {
    const sdk = new OpenAI({ baseURL: gw.baseURL, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders: { 'X-AIGW-User': 'u-cap' } });
    const emails = Array.from({ length: 10 }, (_, i) => `person${i}@example.com`);
    const { response } = await sdk.chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `write to ${emails.join(' and ')}` }] }).withResponse();
    assert.equal(response.headers.get('x-aigw-redactions'), '10');
    const sent = (await mock.requests()).at(-1).body;
    for (const e of emails) assert.ok(!sent.includes(e), `${e} reached the provider`);
    const rows = await waitFor(() => {
      const r = sqlite(data.db, 'SELECT field, entity_type, start_off, end_off, action FROM redactions WHERE user_id = \'u-cap\'' +
        ' ORDER BY id');
      return r.length ? r : null;
    }, { msg: 'redaction rows' });
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.filter((r) => r.entity_type === 'EMAIL_ADDRESS').length, 3);
    assert.deepEqual(rows.find((r) => r.entity_type === 'FINDINGS_OVERFLOW'),
      { field: '*', entity_type: 'FINDINGS_OVERFLOW', start_off: 3, end_off: 10, action: 'summary' });
  });
});
