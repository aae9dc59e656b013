// Model output scanning (issue 16, pii.scan_responses): personal data the model writes on its own
// (the mock's x-mock-say text) reaches the client with the configured action applied, in JSON
// answers and streams, through the openai SDK (chat, Responses) and @anthropic-ai/sdk; the user's
// own values, restored from placeholders, are never flagged; the redaction log says
// direction = response for those rows; with scan_responses off the model's text is unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { ADMIN_TOKENS, CLIENT_KEY, USER, adminRequest, sqlite, startAigw, storeSetup, waitFor } from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

const USER_EMAIL = 'jane.doe@example.com';
const PROMPT = `Please answer ${USER_EMAIL} about the refund.`;
// What the model writes: its own email and card, and the user's placeholder (restored to USER_EMAIL).
const SAY = 'Sure. Write to support at bob.smith@corp-mail.org or pay with 4111 1111 1111 1111; ' +
  'you asked about <EMAIL_ADDRESS_1>.';
const WANT = 'Sure. Write to support at <EMAIL_ADDRESS> or pay with <CREDIT_CARD>; you asked about ' +
  `${USER_EMAIL}.`;
const MODEL_PII = ['bob.smith', 'corp-mail.org', '4111', '1111 1111'];
const say = (extra = {}) => ({ 'x-mock-echo': '1', 'x-mock-say': `b64:${Buffer.from(SAY).toString('base64')}`, 'X-AIGW-User': USER, ...extra });

let env;
let data;
let gw;
let mocks;

before(async () => {
  data = storeSetup('outscan-data');
  env = await startProviders({
    name: 'outscan',
    providers: ['openai', 'anthropic'],
    // audio/* forwarded unscanned: the transcription tests need an upload aigw cannot read
    config: { ...data.config, pii: { default_action: 'tokenize', scan_responses: true, forward_unscanned_types: ['audio/*'] } },
  });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

function assertClean(text, where) {
  for (const v of MODEL_PII) assert.ok(!text.includes(v), `${where}: model PII fragment ${JSON.stringify(v)} in ${text}`);
}

/** Redaction-log rows of one request, once the writer has committed them. */
async function rows(requestId, n) {
  return waitFor(() => {
    const r = sqlite(data.db, `SELECT field, entity_type, action, direction FROM redactions WHERE request_id = '${requestId}' ORDER BY id`);
    return r.length >= n ? r : null;
  }, { msg: `redaction rows of ${requestId}` });
}

/** One request finding (the prompt's email) and two response findings (the model's email and card). */
async function assertRows(requestId, fieldRe) {
  const r = await rows(requestId, 3);
  assert.equal(r.length, 3, JSON.stringify(r));
  const req = r.filter((x) => x.direction === 'request');
  const resp = r.filter((x) => x.direction === 'response');
  assert.deepEqual(req.map((x) => [x.entity_type, x.action]), [['EMAIL_ADDRESS', 'tokenize']]);
  assert.deepEqual(resp.map((x) => x.entity_type).sort(), ['CREDIT_CARD', 'EMAIL_ADDRESS']);
  for (const x of resp) {
    assert.equal(x.action, 'redact', 'tokenize acts as redact in model output');
    assert.match(x.field, fieldRe);
  }
}

describe('openai SDK', () => {
  const sdk = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0 });

  test('chat JSON: model PII redacted, the user\'s own value restored and not flagged', async () => {
    const { data: c, response } = await sdk().chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: PROMPT }] }, { headers: say() }).withResponse();
    assert.equal(c.choices[0].message.content, WANT);
    await assertRows(response.headers.get('x-aigw-request-id'), /^choices\[0\]\.message\.content$/);
  });

  test('chat stream: entities split across 3-byte events never leak a fragment', async () => {
    const { data: stream, response } = await sdk().chat.completions.create({ model: 'gpt-4o-mini', stream: true,
      messages: [{ role: 'user', content: PROMPT }] }, { headers: say({ 'x-mock-piece': '3' }) }).withResponse();
    let text = '';
    let chunks = 0;
    for await (const c of stream) {
      const d = c.choices[0]?.delta?.content ?? '';
      assertClean(d, 'chunk');
      text += d;
      chunks++;
    }
    assert.ok(chunks > 3, `several chunks (${chunks})`);
    assert.equal(text, WANT);
    await assertRows(response.headers.get('x-aigw-request-id'), /^choices\[0\]\.delta\.content$/);
  });

  test('Responses stream: deltas and the final response both scanned; each finding logged once', async () => {
    const { data: stream, response } = await sdk().responses.create({ model: 'gpt-4o-mini', input: PROMPT, stream: true },
      { headers: say({ 'x-mock-piece': '5' }) }).withResponse();
    let deltas = '';
    let final;
    for await (const ev of stream) {
      if (ev.type === 'response.output_text.delta') deltas += ev.delta;
      if (ev.type === 'response.completed') final = ev.response;
    }
    assert.equal(deltas, WANT);
    assert.equal(final.output.find((o) => o.type === 'message').content[0].text, WANT);
    // response.output_text.done, content_part.done, output_item.done and response.completed repeat the
    // deltas' text: scanned (the client reads them) but their findings are the deltas' and logged once
    await assertRows(response.headers.get('x-aigw-request-id'), /^delta$/);
  });
});

describe('answers too large to scan are refused, never passed unscanned', () => {
  const sdk = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0, timeout: 60000 });
  const large = (bytes, shape) => say({ 'x-mock-large-bytes': String(bytes), 'x-mock-large-shape': shape });

  test('a JSON answer over the 32 MiB aigw holds to scan: 500 internal_error (it passed through unscanned)', async () => {
    const err = await sdk().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] },
      { headers: large(33 << 20, 'json') }).then((c) => c, (e) => e);
    assert.ok(err instanceof OpenAI.APIError, `refused, got ${err?.choices ? 'the answer' : String(err)}`);
    assert.equal(err.status, 500);
    assert.equal(err.code ?? err.error?.code, 'internal_error');
    assertClean(JSON.stringify(err.error ?? {}), 'error body');
  });

  test('a stream event over the 8 MiB aigw parses: cut, no byte of it sent, logged aigw_cut (was upstream_reset)', async () => {
    const { data: stream, response } = await sdk().chat.completions.create({ model: 'gpt-4o-mini', stream: true,
      messages: [{ role: 'user', content: PROMPT }] }, { headers: large(9 << 20, 'event') }).withResponse();
    let text = '';
    try {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    } catch {
      /* the SDK may raise on the cut */
    }
    assertClean(text, 'stream');
    const id = response.headers.get('x-aigw-request-id');
    const row = await waitFor(() => sqlite(data.db, `SELECT outcome FROM calls WHERE request_id = '${id}'`)[0],
      { msg: `calls row of ${id}` });
    assert.equal(row.outcome, 'aigw_cut');
  });
});

describe('plain-text answers (OpenAI transcriptions as text / srt / vtt)', () => {
  const sdk = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0 });
  const wav = () => toFile(Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(28)]), 'a.wav',
    { type: 'audio/wav' });

  for (const format of ['text', 'srt', 'vtt']) {
    test(`transcription as ${format}: the model's PII redacted (it passed unscanned), logged direction = response`, async () => {
      const { data: text, response } = await sdk().audio.transcriptions.create({ model: 'whisper-1', file: await wav(),
        response_format: format }, { headers: say() }).withResponse();
      assert.equal(typeof text, 'string');
      assertClean(text, format);
      assert.ok(text.includes('<EMAIL_ADDRESS>') && text.includes('<CREDIT_CARD>'), text);
      const id = response.headers.get('x-aigw-request-id');
      const r = await rows(id, 2);
      assert.deepEqual(r.map((x) => [x.field, x.direction]).sort(), [['text', 'response'], ['text', 'response']]);
    });
  }

  test('transcription as JSON: scanned as before ({text})', async () => {
    const t = await sdk().audio.transcriptions.create({ model: 'whisper-1', file: await wav() }, { headers: say() });
    assertClean(t.text, 'json');
    assert.ok(t.text.includes('<EMAIL_ADDRESS>'), t.text);
  });
});

describe('@anthropic-ai/sdk', () => {
  const claude = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0 });

  test('messages.create JSON', async () => {
    const { data: msg, response } = await claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64,
      messages: [{ role: 'user', content: PROMPT }] }, { headers: say() }).withResponse();
    assert.equal(msg.content[0].text, WANT);
    await assertRows(response.headers.get('x-aigw-request-id'), /^content\[0\]\.text$/);
  });

  test('messages.stream: text deltas scanned across events', async () => {
    const stream = claude().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 64,
      messages: [{ role: 'user', content: PROMPT }] }, { headers: say({ 'x-mock-piece': '2' }) });
    let text = '';
    stream.on('text', (t) => {
      assertClean(t, 'text delta');
      text += t;
    });
    const msg = await stream.finalMessage();
    assert.equal(text, WANT);
    assert.equal(msg.content[0].text, WANT);
  });
});

describe('admin API', () => {
  test('GET /admin/api/redactions shows the direction of each row', async () => {
    const res = await adminRequest(gw, 'GET', '/redactions?limit=50', ADMIN_TOKENS.privacy);
    assert.equal(res.status, 200);
    const dirs = new Set(res.json.items.map((x) => x.direction));
    assert.deepEqual([...dirs].sort(), ['request', 'response']);
  });
});

describe('scan_responses off', () => {
  test('the model\'s text is forwarded unchanged (placeholders still restored)', async () => {
    const off = await startAigw({ name: 'outscan-off-aigw', mockUrl: mocks.openai.url });
    try {
      const sdk = new OpenAI({ apiKey: CLIENT_KEY, baseURL: off.baseURL, maxRetries: 0 });
      const c = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }] },
        { headers: say() });
      assert.equal(c.choices[0].message.content, SAY.replace('<EMAIL_ADDRESS_1>', USER_EMAIL));
      const stream = await sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
        messages: [{ role: 'user', content: PROMPT }] }, { headers: say() });
      let text = '';
      for await (const ch of stream) text += ch.choices[0]?.delta?.content ?? '';
      assert.equal(text, SAY.replace('<EMAIL_ADDRESS_1>', USER_EMAIL));
    } finally {
      await off.stop();
    }
  });
});
