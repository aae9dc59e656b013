// Issue 10, the request edge: one canonical path before any decision (path spellings cannot slip
// past the storage refusals or the no-storage flags), bodies taken by content rather than by
// Content-Type label, Gemini's OpenAI-compatible API treated as OpenAI's format with Gemini's key
// and posture, secrets never flowing back to the client, user-id and smuggling edges.
// One mock per provider (tests/mockprovider --provider NAME) behind one aigw.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  CLIENT_KEY, USER, client, rawRequest, rawSocket, sqlite, startPair, storeSetup, waitFor,
} from './lib/harness.mjs';
import { PROVIDER_KEYS, RAW, assertNoPii, startProviders } from './lib/providers.mjs';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'fcedge', providerConf: { gemini: { tier: 'paid' },
    openai: { binary_routes: ['audio/raw-*'], headers: { 'OpenAI-Organization': 'org-from-config' } } } });
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

  test('personal data in the path, the query or a forwarded header: 400, nothing forwarded', async () => {
    await mocks.openai.reset();
    for (const [p, code] of [[`/v1/models?search=${RAW.email}`, 'pii_in_url'],
      [`/v1/models?q=${encodeURIComponent(RAW.card)}`, 'pii_in_url'], ['/v1/models/jane.doe%40example.com', 'pii_in_url'],
      ['/v1/files/jane.doe@example.com/content?x=1', 'pii_in_url'], ['/v1/models?iban=DE89+3704+0044+0532+0130+00', 'pii_in_url']]) {
      const r = await rawRequest(gw, { method: 'GET', path: p, headers: bearer() });
      assert.equal(r.status, 400, `${p}: ${r.body}`);
      assert.equal(r.json.error.code, code, p);
      assert.ok(!r.body.includes(RAW.email), 'the message never echoes the value');
    }
    const h = await rawRequest(gw, { method: 'GET', path: '/v1/models', headers: bearer({ 'x-note': `card ${RAW.card}` }) });
    assert.equal(h.status, 400, h.body);
    assert.equal(h.json.error.code, 'pii_in_header');
    assert.deepEqual(await forwarded(mocks.openai), []);
    // the end-user id header is aigw's own (never forwarded): an e-mail there is fine
    const u = await rawRequest(gw, { method: 'GET', path: '/v1/models?limit=20&after=1767225600',
      headers: bearer({ 'x-aigw-user': RAW.email }) });
    assert.equal(u.status, 200, u.body);
  });

  test('a secret (API key, token) in any query parameter: 400 pii_in_url, nothing forwarded; plain parameters pass',
    async () => {
      await mocks.openai.reset();
      const secrets = ['sk-proj-Abc123Def456Ghi789Jkl012Mno345Pqr678', 'AKIAIOSFODNN7EXAMPLE',
        'ghp_16C7e42F292c6912E7710c838347Ae178B4a'];
      for (const v of secrets) {
        for (const p of [`/v1/models?api_key=${v}`, `/v1/models?limit=5&token=${encodeURIComponent(v)}`,
          `/openai/v1/models?x=${v}`]) {
          const r = await rawRequest(gw, { method: 'GET', path: p, headers: bearer() });
          assert.equal(r.status, 400, `${p}: ${r.body}`);
          assert.equal(r.json.error.code, 'pii_in_url', p);
          assert.ok(!r.body.includes(v), 'the message never echoes the value');
        }
      }
      assert.deepEqual(await forwarded(mocks.openai), []);
      const ok = await rawRequest(gw, { method: 'GET', path: '/v1/models?limit=20&order=desc&after=file-abc123',
        headers: bearer() });
      assert.equal(ok.status, 200, ok.body);
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

describe('bodies by content, not by label', () => {
  for (const ct of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', undefined,
    'application/octet-stream']) {
    test(`a JSON chat body labelled ${ct ?? '(no Content-Type)'} is scanned as JSON`, async () => {
      await mocks.openai.reset();
      const headers = bearer();
      if (ct === undefined) delete headers['content-type'];
      else headers['content-type'] = ct;
      const r = await post('/v1/chat/completions', headers, chatBody(`write to ${RAW.email} or ${RAW.card}`));
      assert.equal(r.status, 200, r.body);
      const [rec] = await forwarded(mocks.openai);
      assert.ok(!rec.body.includes(RAW.email), `e-mail scrubbed: ${rec.body}`);
      assert.ok(!rec.body.includes(RAW.card), 'card scrubbed');
      assert.equal(JSON.parse(rec.body).store, false, 'no-storage flag injected');
    });
  }

  test('a body aigw cannot parse is refused with 415 in the provider\'s shape, nothing forwarded', async () => {
    await mocks.openai.reset();
    await mocks.anthropic.reset();
    for (const [ct, body] of [['text/plain', `hello ${RAW.email}`], ['application/x-www-form-urlencoded',
      `model=gpt-4o-mini&messages=${encodeURIComponent(RAW.email)}`], ['application/octet-stream', Buffer.from([0, 1, 2, 255])],
    ['multipart/mixed; boundary=x', `--x\r\n\r\n${RAW.email}\r\n--x--\r\n`]]) {
      const r = await post('/v1/chat/completions', bearer({ 'content-type': ct }), body);
      assert.equal(r.status, 415, `${ct}: ${r.body}`);
      assert.equal(r.json.error.code, 'unsupported_media_type');
    }
    const a = await post('/anthropic/v1/messages', { 'x-api-key': CLIENT_KEY, 'x-aigw-user': USER, 'content-type': 'text/plain',
      'anthropic-version': '2023-06-01' }, `hi ${RAW.email}`);
    assert.equal(a.status, 415, a.body);
    assert.equal(a.json.type, 'error', `Anthropic shape: ${a.body}`);
    assert.deepEqual(await forwarded(mocks.openai), []);
    assert.deepEqual(await forwarded(mocks.anthropic), []);
  });

  test('a body declared JSON that does not parse stays a 400', async () => {
    const r = await post('/v1/chat/completions', bearer(), '{"model": "gpt-4o-mini", ');
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json.error.code, 'invalid_json');
  });

  test('compressed bodies (Content-Encoding) are refused with 415', async () => {
    await mocks.openai.reset();
    const { gzipSync } = await import('node:zlib');
    const r = await post('/v1/chat/completions', bearer({ 'content-encoding': 'gzip' }), gzipSync(chatBody(RAW.email)));
    assert.equal(r.status, 415, r.body);
    assert.equal(r.json.error.code, 'unsupported_content_encoding');
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('two Content-Type headers: 400', async () => {
    const r = await rawSocket(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n` +
      `X-AIGW-User: ${USER}\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\nContent-Length: 2\r\n` +
      'Connection: close\r\n\r\n{}');
    assert.match(r, /^HTTP\/1\.1 400 /);
    assert.match(r, /duplicate_content_type/);
  });

  test('binary pass-through only where config names the route (providers.openai.binary_routes)', async () => {
    await mocks.openai.reset();
    const bytes = Buffer.from([0, 1, 2, 3, 255, 254]);
    const r = await post('/v1/audio/raw-upload', bearer({ 'content-type': 'application/octet-stream' }), bytes);
    assert.notEqual(r.status, 415, r.body);
    const [rec] = await forwarded(mocks.openai);
    assert.equal(rec.path, '/v1/audio/raw-upload');
    assert.equal(Buffer.from(rec.body, rec.body_encoding === 'base64' ? 'base64' : 'utf8').toString('hex'), bytes.toString('hex'));
    // JSON on a binary route is still scanned
    await mocks.openai.reset();
    await post('/v1/audio/raw-json', bearer({ 'content-type': 'text/plain' }), chatBody(RAW.email));
    const [rec2] = await forwarded(mocks.openai);
    assert.ok(!rec2.body.includes(RAW.email));
    // another path of the same provider is not binary
    const n = await post('/v1/audio/transcriptions-raw', bearer({ 'content-type': 'application/octet-stream' }), bytes);
    assert.equal(n.status, 415, n.body);
  });
});

describe('multipart parts are forwarded only as the bytes that were scanned (RFC 7578 sections 4.6-4.8)', () => {
  const B = 'fcedgeBoundary42';
  const part = (headers, content) => `--${B}\r\n${headers.join('\r\n')}\r\n\r\n${content}\r\n`;
  const form = (...parts) => Buffer.from(parts.join('') + `--${B}--\r\n`, 'latin1');
  const cd = (name, filename) => `Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`;
  const model = part([cd('model')], 'whisper-1');
  const audio = part([cd('file', 'a.txt'), 'Content-Type: text/plain'], 'hello world');
  const latin1 = (s) => Buffer.from(s, 'utf16le').toString('latin1');
  const mp = () => bearer({ 'content-type': `multipart/form-data; boundary=${B}` });

  test('encoded, re-labelled or unlabelled non-UTF-8 text and unknown part headers: 400, nothing forwarded', async () => {
    await mocks.openai.reset();
    const b64 = Buffer.from(`mail ${RAW.email}`).toString('base64');
    for (const [what, body] of [
      ['base64 transfer encoding', form(model, audio, part([cd('prompt'), 'Content-Transfer-Encoding: base64'], b64))],
      ['quoted-printable', form(model, audio, part([cd('prompt'), 'Content-Transfer-Encoding: quoted-printable'],
        RAW.email.replace('@', '=40')))],
      ['Content-Encoding in a part', form(model, audio, part([cd('prompt'), 'Content-Encoding: gzip'], 'x'))],
      ['UTF-16 labelled', form(model, audio, part([cd('prompt'), 'Content-Type: text/plain; charset=utf-16le'],
        latin1(`mail ${RAW.email}`)))],
      ['UTF-16 unlabelled', form(model, audio, part([cd('prompt')], latin1(`mail ${RAW.email}`)))],
      ['Latin-1 text', form(model, audio, part([cd('prompt')], 'Jos\xe9 Garc\xeda'))],
      ['_charset_ other than UTF-8', form(part([cd('_charset_')], 'utf-16'), model, audio)],
      ['a header the scan never reads', form(model, audio, part([cd('prompt'), `X-Note: ${RAW.email}`], 'hi'))],
      ['a Content-Length that disagrees', form(model, audio, part([cd('prompt'), 'Content-Length: 2'], 'hello'))],
    ]) {
      const r = await post('/v1/audio/transcriptions', mp(), body);
      assert.equal(r.status, 400, `${what}: ${r.body}`);
      assert.equal(r.json.error.code, 'invalid_multipart', what);
    }
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('personal data in a part name or in the model part: 400 pii_in_structural_field, nothing forwarded', async () => {
    await mocks.openai.reset();
    for (const body of [form(model, audio, part([cd(RAW.email)], 'hi')), form(part([cd('model')], `whisper-${RAW.email}`), audio)]) {
      const r = await post('/v1/audio/transcriptions', mp(), body);
      assert.equal(r.status, 400, r.body);
      assert.equal(r.json.error.code, 'pii_in_structural_field');
      assert.ok(!r.body.includes(RAW.email), 'the message never repeats the value');
    }
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('a part typed as audio without a filename is a file (415 unless allowed), not text', async () => {
    await mocks.openai.reset();
    const r = await post('/v1/audio/transcriptions', mp(),
      form(model, part([cd('file'), 'Content-Type: audio/mpeg'], 'ID3\x03\x00\x00\x00garbage')));
    assert.equal(r.status, 415, r.body);
    assert.equal(r.json.error.code, 'unscannable_payload');
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('what clients send is accepted: identity transfer encodings, a matching Content-Length, UTF-8 labels, JSON parts',
    async () => {
      await mocks.openai.reset();
      const r = await post('/v1/audio/transcriptions', mp(), form(model, audio,
        part([cd('prompt'), 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 8bit'], `mail ${RAW.email}`),
        part([cd('language'), 'Content-Length: 2'], 'en'),
        part([cd('meta'), 'Content-Type: application/json'], JSON.stringify({ note: `call ${RAW.phone}` }))));
      assert.equal(r.status, 200, r.body);
      const [rec] = await forwarded(mocks.openai);
      assertNoPii(rec.body, 'the forwarded form');
      assert.match(rec.body, /name="language"\r\nContent-Length: 2\r\n\r\nen\r\n/);
    });
});

describe('secrets never flow back', () => {
  const sdk = (headers = {}) => new OpenAI({ baseURL: gw.baseURL, apiKey: CLIENT_KEY, maxRetries: 0,
    defaultHeaders: { 'X-AIGW-User': USER, ...headers } });
  const noKey = (text, where) => {
    assert.ok(!text.includes(PROVIDER_KEYS.openai), `${where}: provider key leaked: ${text}`);
    assert.ok(!text.includes(CLIENT_KEY), `${where}: client key leaked: ${text}`);
  };

  test('a provider 401 quoting the key it received: the SDK error carries no key (body and headers)', async () => {
    const e = await sdk({ 'x-mock-quote-key': 'error' }).chat.completions.create(JSON.parse(chatBody())).then(
      () => assert.fail('expected an error'), (err) => err);
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    noKey(JSON.stringify(e.error) + e.message, 'error body');
    assert.match(e.message, /Incorrect API key provided: \*{16}\./);
    noKey(JSON.stringify(Object.fromEntries(e.headers)), 'headers');
    assert.equal(e.headers.get('x-mock-received-key'), '*'.repeat(PROVIDER_KEYS.openai.length));
  });

  test('a provider 400 and 429 quoting the key pass through masked (Content-Length kept)', async () => {
    for (const st of [400, 429]) {
      const r = await post('/v1/chat/completions', bearer({ 'x-mock-quote-key': 'error', 'x-mock-status': String(st) }),
        chatBody());
      assert.equal(r.status, st);
      noKey(r.body + JSON.stringify(r.headers), `passed-through ${st}`);
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.body));
      assert.equal(r.json.error.key, '*'.repeat(PROVIDER_KEYS.openai.length));
    }
  });

  test('a provider 500 quoting the key: aigw\'s own 502 message does not repeat it', async () => {
    const e = await sdk({ 'x-mock-quote-key': 'error', 'x-mock-status': '500' }).chat.completions
      .create(JSON.parse(chatBody())).then(() => assert.fail('expected an error'), (err) => err);
    assert.equal(e.status, 502);
    assert.match(e.message, /upstream openai returned HTTP 500: Incorrect API key provided: \*+/);
    noKey(JSON.stringify(e.error) + e.message, '502 message');
  });

  test('a stream quoting the key, split across upstream chunks, reaches the SDK masked', async () => {
    const stream = await sdk({ 'x-mock-quote-key': 'stream' }).chat.completions.create({ ...JSON.parse(chatBody()),
      stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, `your key is ${'*'.repeat(PROVIDER_KEYS.openai.length)} ok`);
  });

  test('the client\'s own key echoed by a provider is masked too', async () => {
    const res = await sdk({ 'x-mock-echo': '1' }).chat.completions.create(JSON.parse(chatBody(`my key: ${CLIENT_KEY}`)));
    noKey(JSON.stringify(res), 'echo');
  });

  test('account headers and other credentials are not forwarded; config sets them per provider', async () => {
    await mocks.openai.reset();
    const r = await post('/v1/chat/completions', bearer({ 'OpenAI-Organization': 'org-client', 'OpenAI-Project': 'proj-client',
      'api-key': 'azure-style-key-123', 'x-goog-api-key': 'AIza-client-own-key', 'x-goog-user-project': 'proj-x' }), chatBody());
    assert.equal(r.status, 200, r.body);
    const [rec] = await forwarded(mocks.openai);
    assert.equal(rec.headers['openai-organization'], 'org-from-config');
    for (const h of ['openai-project', 'api-key', 'x-goog-api-key', 'x-goog-user-project']) {
      assert.equal(rec.headers[h], undefined, `${h} forwarded`);
    }
    await mocks.gemini.reset();
    const g = await post('/gemini/v1beta/models/gemini-2.5-flash:generateContent', goog({ 'x-goog-user-project': 'billing-x' }),
      geminiBody());
    assert.equal(g.status, 200, g.body);
    const [grec] = await forwarded(mocks.gemini);
    assert.equal(grec.headers['x-goog-user-project'], undefined);
    assert.equal(grec.headers['x-goog-api-key'], PROVIDER_KEYS.gemini);
  });
});

describe('edges', () => {
  const chatReq = (userHeader) => Buffer.concat([Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n` +
    `Authorization: Bearer ${CLIENT_KEY}\r\nContent-Type: application/json\r\nX-AIGW-User: `, 'latin1'), userHeader,
  Buffer.from(`\r\nContent-Length: ${Buffer.byteLength(chatBody())}\r\nConnection: close\r\n\r\n${chatBody()}`, 'latin1')]);

  test('X-AIGW-User that is not UTF-8 text, or holds control characters: 400 invalid_user', async () => {
    // h2o's own parser already refuses some bytes (0xff, DEL) with a plain 400; the rest reach aigw
    for (const bad of [Buffer.from([0x75, 0xff, 0x31]), Buffer.from([0x75, 0xc0, 0xaf]), Buffer.from([0x75, 0xc2, 0x85]),
      Buffer.from([0x75, 0xed, 0xa0, 0x80]), Buffer.from([0x75, 0xe2, 0x80, 0xa8]), Buffer.from([0x75, 0xf8, 0x88, 0x80, 0x80, 0x80]),
      Buffer.from([0x75, 0xc3]), Buffer.from('u\x7f', 'latin1')]) {
      const r = await rawSocket(gw.port, chatReq(bad));
      assert.match(r, /^HTTP\/1\.1 400 /, `${bad.toString('hex')}: ${r.slice(0, 200)}`);
      if (!/^HTTP\/1\.1 400 Bad Request\r\nContent-Type: text\/plain/.test(r)) assert.match(r, /invalid_user/);
    }
    for (const bad of [Buffer.from([0x75, 0xc2, 0x85]), Buffer.from([0x75, 0xe2, 0x80, 0xa8]), Buffer.from([0x75, 0xed, 0xa0, 0x80])]) {
      assert.match(await rawSocket(gw.port, chatReq(bad)), /invalid_user/, `${bad.toString('hex')} reaches aigw's check`);
    }
    const ok = await rawSocket(gw.port, chatReq(Buffer.from('j\u00fcrgen-\u5f20', 'utf8')));
    assert.match(ok, /^HTTP\/1\.1 200 /, ok.slice(0, 300));
  });

  test('a body user with control characters or a lone surrogate: 400 invalid_user', async () => {
    for (const user of ['u\u0000x', 'u\u001bx', 'u\ud800x', 'u\u0085x']) {
      const headers = bearer();
      delete headers['x-aigw-user'];
      const r = await post('/v1/chat/completions', headers, JSON.stringify({ ...JSON.parse(chatBody()), user }));
      assert.equal(r.status, 400, `${JSON.stringify(user)}: ${r.body}`);
      // the JSON pass refuses \u0000 and lone surrogates itself (invalid_utf8); the user check refuses the rest
      assert.ok(['invalid_user', 'invalid_utf8'].includes(r.json.error.code), r.body);
      if (user === 'u\u0085x' || user === 'u\u001bx') assert.equal(r.json.error.code, 'invalid_user', r.body);
    }
  });
  test('an Idempotency-Key the ledger cannot record (too long, empty, not visible ASCII, sent twice): 400, nothing forwarded', async () => {
    // ignoring such a key would leave the request retryable without deduplicating its charge
    await mocks.openai.reset();
    for (const key of ['k'.repeat(257), 'key with space', 'k\u00e9y']) {
      const r = await post('/v1/chat/completions', bearer({ 'idempotency-key': key }), chatBody());
      assert.equal(r.status, 400, `${key.length}: ${r.body}`);
      assert.equal(r.json.error.code, 'invalid_idempotency_key', r.body);
      assert.equal(r.json.error.param, 'Idempotency-Key', r.body);
    }
    const twice = await rawSocket(gw.port, Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${CLIENT_KEY}\r\nContent-Type: application/json\r\nX-AIGW-User: ${USER}\r\n` +
      `Idempotency-Key: first-key\r\nIdempotency-Key: second-key\r\nContent-Length: ${Buffer.byteLength(chatBody())}\r\n` +
      `Connection: close\r\n\r\n${chatBody()}`, 'latin1'));
    assert.match(twice, /^HTTP\/1\.1 400 /, twice.slice(0, 300));
    assert.match(twice, /invalid_idempotency_key/);
    const empty = await rawSocket(gw.port, Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n` +
      `Authorization: Bearer ${CLIENT_KEY}\r\nContent-Type: application/json\r\nX-AIGW-User: ${USER}\r\n` +
      `Idempotency-Key: \r\nContent-Length: ${Buffer.byteLength(chatBody())}\r\nConnection: close\r\n\r\n${chatBody()}`, 'latin1'));
    assert.match(empty, /^HTTP\/1\.1 400 /, empty.slice(0, 300));
    assert.match(empty, /invalid_idempotency_key/);
    assert.equal((await forwarded(mocks.openai)).length, 0, 'a refused request reached the provider');
    // the longest key the ledger records is accepted
    const ok = await post('/v1/chat/completions', bearer({ 'idempotency-key': 'k'.repeat(256) }), chatBody());
    assert.equal(ok.status, 200, ok.body);
  });
});

describe('no request smuggling (HTTP/1.1)', () => {
  const head = `Host: x\r\nAuthorization: Bearer ${CLIENT_KEY}\r\nX-AIGW-User: ${USER}\r\nContent-Type: application/json\r\n`;
  const smuggled = `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n`;
  const statusLines = (text) => text.match(/HTTP\/1\.1 \d{3}/g) || [];

  test('Content-Length together with Transfer-Encoding: 400 and the connection closed, nothing else served', async () => {
    await mocks.openai.reset();
    const r = await rawSocket(gw.port, `POST /v1/chat/completions HTTP/1.1\r\n${head}Content-Length: 5\r\n` +
      `Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`);
    assert.deepEqual(statusLines(r), ['HTTP/1.1 400'], r);
    assert.match(r, /invalid_framing/);
    assert.match(r, /\r\nconnection: close\r\n/i);
    assert.deepEqual(await forwarded(mocks.openai), []);
  });

  test('two different Content-Length values: 400 and closed', async () => {
    const r = await rawSocket(gw.port, `POST /v1/chat/completions HTTP/1.1\r\n${head}Content-Length: 2\r\n` +
      `Content-Length: ${2 + smuggled.length}\r\n\r\n{}${smuggled}`);
    assert.deepEqual(statusLines(r), ['HTTP/1.1 400'], r);
    assert.match(r, /invalid_framing/);
  });

  test('the same check on routes that need no key (/healthz)', async () => {
    const r = await rawSocket(gw.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n` +
      `hello${smuggled}`);
    assert.deepEqual(statusLines(r), ['HTTP/1.1 400'], r);
  });
});

describe('call state does not leak between requests', () => {
  // One worker, so the GET reuses the pooled call of the chat request before it (gateway/pipeline/call.h: the
  // per-request part is zeroed as a whole). The chat request is metered, scrubbed and logged with usage, so every
  // field the GET could inherit has a value to inherit.
  test('a GET after a chat request on the same pooled call inherits nothing: model, price, charge, usage, redactions',
    async () => {
      const store = storeSetup('fcedge-pool-store');
      const pair = await startPair('fcedge-pool', { aigw: { config: { workers: 1, ...store.config,
        credits: { default_grant: 1000000000 },
        pricing: { 'openai/gpt-4o-mini': { input_per_mtok: 1000000, output_per_mtok: 1000000, per_request: 7 } } } } });
      try {
        const chat = await rawRequest(pair.gw, { method: 'POST', path: '/v1/chat/completions', headers: bearer(),
          body: chatBody('write to jane.doe@example.com please') });
        assert.equal(chat.status, 200, chat.body);
        const chatId = chat.headers['x-aigw-request-id'];
        assert.ok(Number(chat.headers['x-aigw-redactions']) >= 1, 'the chat request was scrubbed');
        assert.ok(Number(chat.headers['x-aigw-microcredits-charged']) > 0, 'the chat request was charged');
        const list = await rawRequest(pair.gw, { method: 'GET', path: '/v1/models', headers: bearer() });
        assert.equal(list.status, 200, list.body);
        const getId = list.headers['x-aigw-request-id'];
        assert.equal(list.headers['x-aigw-redactions'], '0');
        assert.equal(list.headers['x-aigw-microcredits-charged'], undefined, 'GET /v1/models is not billed');
        const rows = await waitFor(() => {
          const r = sqlite(store.db, 'SELECT request_id, model, usage_json, cost_microcredits AS cost, has_images, ' +
            `route FROM calls WHERE request_id IN ('${chatId}', '${getId}')`);
          return r.length === 2 ? r : null;
        }, { msg: 'both call records' });
        const row = Object.fromEntries(rows.map((r) => [r.request_id, r]));
        assert.equal(row[chatId].model, 'gpt-4o-mini');
        assert.ok(row[chatId].usage_json, 'the chat record has usage');
        assert.ok(row[chatId].cost > 0, 'the chat record has a cost');
        const g = row[getId];
        assert.ok(g.model == null || g.model === '', `the GET's model: ${g.model}`);
        assert.ok(g.usage_json == null || g.usage_json === '', `the GET's usage: ${g.usage_json}`);
        assert.equal(g.cost, 0, "the GET's cost");
        assert.equal(g.route, '/v1/models');
        const red = sqlite(store.db, `SELECT request_id, COUNT(*) AS n FROM redactions WHERE request_id IN ('${chatId}', ` +
          `'${getId}') GROUP BY request_id`);
        const n = Object.fromEntries(red.map((r) => [r.request_id, r.n]));
        assert.ok(n[chatId] >= 1, 'the chat request has redaction rows');
        assert.equal(n[getId] ?? 0, 0, 'the GET has no redaction rows');
        const ledger = sqlite(store.db, `SELECT COUNT(*) AS n FROM ledger WHERE request_id = '${getId}'`);
        assert.equal(ledger[0].n, 0, 'nothing reserved or charged for the GET');
      } finally {
        await pair.stop();
      }
    });
});

