// Higher-level clients through aigw, unchanged except base URL, key and the X-AIGW-User header:
// the Vercel AI SDK (`ai` with @ai-sdk/openai's chat and Responses models, @ai-sdk/anthropic,
// @ai-sdk/google) and LangChain JS (@langchain/openai, @langchain/anthropic). One mock per provider
// records what left aigw. For every call: no raw PII (e-mail, phone, card, SSN, name) reached the
// provider, the answer the client got has the original values back, the call is in the call record
// with its usage and no-training decision, and OpenAI's store:false was forced.
//
// Tool calls use the mock's x-mock-tool-call mode: the model calls the declared tool with arguments
// holding a placeholder (as a real model copies what it was sent); the client must get the user's
// value back (the tool runs on it), and the next step, which sends the tool call and the tool's
// result (more PII) back, must be scrubbed again. README.md's snippets for these clients are run
// as they are written (base URL swapped for the test aigw's).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { generateObject, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { z } from 'zod';
import { ASK, MODEL_JSON, NAME, TOOL_RESULT, clientSuite } from './lib/clients.mjs';
import { CLIENT_KEY, REPO } from './lib/harness.mjs';
import { RAW, assertImageClean, assertKeysSwapped, assertNoPii, mockRequests } from './lib/providers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** A secret whose value holds line breaks: restored into JSON-encoded tool arguments it must be escaped. */
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n' +
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----';
let gw;
let mocks;
let img;
let dir;
const suite = clientSuite('clients', { providers: ['openai', 'anthropic', 'gemini'],
  ready: (s) => ({ gw, mocks, img, dir } = s) });
const { newUser, upstream, assertScrubbed, assertAnswer, calls, assertRecorded } = suite;

// ---------------------------------------------------------------------------------------------
// Vercel AI SDK

/** The four AI SDK models, built as README.md shows (plus the end user of this call). */
const aiModels = {
  'openai chat': (user) => createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY,
    headers: { 'X-AIGW-User': user } }).chat('gpt-4o-mini'),
  'openai responses': (user) => createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY,
    headers: { 'X-AIGW-User': user } }).responses('gpt-4o-mini'),
  anthropic: (user) => createAnthropic({ baseURL: `${gw.url}/anthropic/v1`, apiKey: CLIENT_KEY,
    headers: { 'X-AIGW-User': user } })('claude-sonnet-4-6'),
  google: (user) => createGoogleGenerativeAI({ baseURL: `${gw.url}/gemini/v1beta`, apiKey: CLIENT_KEY,
    headers: { 'X-AIGW-User': user } })('gemini-2.5-flash'),
};
const mockOf = { 'openai chat': 'openai', 'openai responses': 'openai', anthropic: 'anthropic', google: 'gemini' };
const upath = { 'openai chat': /^\/v1\/chat\/completions$/, 'openai responses': /^\/v1\/responses$/, anthropic: /^\/v1\/messages$/,
  google: /^\/v1beta\/models\/gemini-2\.5-flash:(stream)?[gG]enerateContent$/ };
/** What each provider's no-training pass records: OpenAI forces store:false; the others have no flag to force. */
const decisionOf = { openai: /store=false/, anthropic: /./, gemini: /./ };

/** Provider-specific checks of the upstream body: OpenAI's store:false forced. */
function assertFlags(rec, provider) {
  if (provider === 'openai') assert.equal(JSON.parse(rec.body).store, false, `store:false forced: ${rec.body.slice(0, 300)}`);
}

describe('Vercel AI SDK (ai 6)', () => {
  for (const [label, model] of Object.entries(aiModels)) {
    const p = mockOf[label];
    const last = async (n = 1) => {
      const recs = await upstream(mocks[p], n);
      for (const r of recs) assert.match(r.path, upath[label]);
      return n === 1 ? recs[0] : recs;
    };

    test(`${label}: generateText (system + prompt): scrubbed, restored, recorded, flags`, async () => {
      await mocks[p].reset();
      const user = newUser();
      const r = await generateText({ model: model(user), system: `Be brief. The agent is ${NAME}.`, prompt: ASK,
        headers: { 'x-mock-echo': '1' }, maxRetries: 0 });
      assertAnswer(r.text, `${label} text`);
      const rec = await last();
      assertScrubbed(rec, `${label} request`);
      assertFlags(rec, p);
      assertKeysSwapped(mocks[p], CLIENT_KEY, [rec]);
      await assertRecorded(user, p, { decision: decisionOf[p] });
    });

    test(`${label}: streamText: text restored across chunks, usage reported and recorded`, async () => {
      await mocks[p].reset();
      const user = newUser();
      const errors = [];
      const r = streamText({ model: model(user), prompt: ASK, headers: { 'x-mock-echo': '1', 'x-mock-piece': '4' },
        maxRetries: 0, onError: ({ error }) => errors.push(error) });
      let text = '';
      let chunks = 0;
      for await (const d of r.textStream) {
        text += d;
        chunks++;
      }
      assert.deepEqual(errors, []);
      assert.ok(chunks > 5, `several text chunks (${chunks})`);
      assertAnswer(text, `${label} stream`);
      assert.ok((await r.usage).inputTokens > 0, 'the SDK read the usage from the stream');
      const rec = await last();
      assertScrubbed(rec, `${label} stream request`);
      assertFlags(rec, p);
      await assertRecorded(user, p, { decision: decisionOf[p] });
    });

    test(`${label}: generateObject with a JSON schema: placeholders in the model's JSON restored`, async () => {
      await mocks[p].reset();
      const user = newUser();
      const schema = jsonSchema({ type: 'object', additionalProperties: false, required: ['contact', 'phone', 'summary'],
        properties: { contact: { type: 'string', description: 'e-mail address to reply to' }, phone: { type: 'string' },
          summary: { type: 'string' } } });
      const r = await generateObject({ model: model(user), schema, prompt: ASK, maxRetries: 0,
        headers: { 'x-mock-echo': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON) } });
      assert.deepEqual(r.object, { contact: RAW.email, phone: RAW.phone, summary: 'refund' });
      const rec = await last();
      assertScrubbed(rec, `${label} object request`);
      assert.match(rec.body, /e-mail address to reply to/, 'the schema reached the provider');
      assertFlags(rec, p);
      await assertRecorded(user, p);
    });

    for (const streaming of [false, true]) {
      test(`${label}: tool call${streaming ? ' (streamed arguments)' : ''}: arguments restored for the tool, ` +
        'the next step (tool call + result) scrubbed again', async () => {
        await mocks[p].reset();
        const user = newUser();
        const seen = [];
        const tools = {
          lookup_ticket: tool({ description: 'Find the ticket of a customer', inputSchema: z.object({ contact: z.string(),
            phone: z.string(), summary: z.string() }), execute: async (args) => {
            seen.push(args);
            return TOOL_RESULT;
          } }),
        };
        const opts = { model: model(user), prompt: ASK, tools, stopWhen: stepCountIs(2), maxRetries: 0,
          headers: { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON), 'x-mock-piece': '5' } };
        let text;
        if (streaming) {
          const errors = [];
          const r = streamText({ ...opts, onError: ({ error }) => errors.push(error) });
          text = '';
          for await (const d of r.textStream) text += d;
          assert.deepEqual(errors, []);
        } else {
          text = (await generateText(opts)).text;
        }
        assert.deepEqual(seen, [{ contact: RAW.email, phone: RAW.phone, summary: 'refund' }], 'the tool ran on the user\'s values');
        assert.equal(text, TOOL_RESULT, 'the answer quoting the tool result is restored');
        const [first, second] = await last(2);
        assertScrubbed(first, `${label} step 1`);
        assert.match(first.body, /Find the ticket of a customer/, 'the tool declaration reached the provider');
        // step 2 sends the model's tool call (now holding the raw values) and the tool's result back
        assertScrubbed(second, `${label} step 2`);
        for (const v of ['bob.smith@corp-mail.org', '415 555 0199']) {
          assert.ok(!second.body.includes(v), `${label} step 2: tool result value ${v} scrubbed: ${second.body}`);
        }
        assertFlags(second, p);
        await assertRecorded(user, p, { n: 2 });
      });
    }

    test(`${label}: image part: EXIF/GPS stripped before the provider`, async () => {
      await mocks[p].reset();
      const user = newUser();
      await generateText({ model: model(user), maxRetries: 0, messages: [{ role: 'user', content: [
        { type: 'text', text: `What is in this picture, ${NAME}?` }, { type: 'image', image: img.bytes, mediaType: 'image/jpeg' }] }] });
      const rec = await last();
      const b = JSON.parse(rec.body);
      const data = p === 'openai' && label.endsWith('chat') ? b.messages[0].content[1].image_url.url
        : p === 'openai' ? b.input[0].content[1].image_url
          : p === 'anthropic' ? b.messages[0].content[1].source.data : b.contents[0].parts[1].inlineData.data;
      assertImageClean(data, dir, `${label} image`);
      assert.ok(!rec.body.includes(NAME), `${label}: name scrubbed next to the image`);
      await assertRecorded(user, p);
    });
  }

  for (const label of ['anthropic', 'google']) {
    test(`${label}: file parts: a text document is scrubbed inside its encoding; a PDF (unscannable) is refused in the ` +
      'provider\'s error shape and never sent', async () => {
      const p = mockOf[label];
      await mocks[p].reset();
      const user = newUser();
      const file = (data, mediaType) => ({ role: 'user', content: [{ type: 'text', text: 'Summarise the attachment' },
        { type: 'file', data, mediaType, filename: 'notes.txt' }] });
      await generateText({ model: aiModels[label](user), maxRetries: 0, messages: [file(Buffer.from(ASK), 'text/plain')] });
      const [rec] = await upstream(mocks[p]);
      const b = JSON.parse(rec.body);
      // Anthropic: document source {type: text, data: the text}; Gemini: inlineData base64 of the text
      const sent = p === 'anthropic' ? b.messages[0].content[1].source.data
        : Buffer.from(b.contents[0].parts[1].inlineData.data, 'base64').toString('utf8');
      assert.match(sent, /^The customer is <PERSON_1>\. Please reply to <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>/);
      assertNoPii(sent, `${label} document`);
      await mocks[p].reset();
      const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1'), Buffer.alloc(256, 0x20)]);
      await assert.rejects(generateText({ model: aiModels[label](user), maxRetries: 0, messages: [file(pdf, 'application/pdf')] }),
        (e) => {
          assert.equal(e.statusCode, 415, e.message);
          const body = JSON.parse(e.responseBody);
          if (p === 'anthropic') {
            assert.equal(body.type, 'error');
            assert.equal(body.error.type, 'invalid_request_error');
          } else {
            assert.equal(body.error.code, 415);
            assert.equal(typeof body.error.status, 'string');
          }
          assert.match(e.message, /application\/pdf payload at .* cannot be scanned for personal data/);
          return true;
        });
      assert.equal((await mocks[p].requests()).length, 0, 'the PDF never reached the provider');
    });
  }

  test('openai responses, second turn: the SDK\'s default store:true sends item_reference, refused in OpenAI\'s shape; ' +
    'providerOptions.openai.store=false (README) sends the items', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const model = aiModels['openai responses'](user);
    const first = await generateText({ model, prompt: ASK, maxRetries: 0, headers: { 'x-mock-echo': '1' } });
    const messages = [{ role: 'user', content: ASK }, ...first.response.messages, { role: 'user', content: 'And my phone?' }];
    await assert.rejects(generateText({ model, messages, maxRetries: 0 }), (e) => {
      assert.equal(e.statusCode, 403, e.message);
      const b = JSON.parse(e.responseBody);
      assert.equal(b.error.code, 'openai_item_reference');
      assert.match(b.error.message, /item_reference inputs point at items stored by OpenAI/);
      assert.deepEqual(Object.keys(b.error).sort(), ['code', 'message', 'param', 'type']);
      return true;
    });
    assert.equal((await mocks.openai.requests()).length, 1, 'the refused turn never reached OpenAI');
    const r = await generateText({ model, messages, maxRetries: 0, providerOptions: { openai: { store: false } },
      headers: { 'x-mock-echo': '1' } });
    assert.equal(r.text, 'And my phone?');
    const [, second] = await upstream(mocks.openai, 2);
    assert.doesNotMatch(second.body, /item_reference/);
    assertScrubbed(second, 'second turn');
    assert.match(second.body, /"output_text"/, 'the earlier answer sent as an item');
    const rows = await calls(user, 3);
    assert.deepEqual(rows.map((r) => [r.status, r.notrain_decision.split(':')[0]]), [[200, 'flags'], [403, 'refused'], [200, 'flags']]);
    assert.equal(rows[1].notrain_decision, 'refused:openai_item_reference', 'the refusal is in the call record');
  });

  test('openai SDK responses stream: function-call arguments holding a multi-line secret (PEM) stay valid JSON in the ' +
    'deltas, .done and the item', async () => {
    const OpenAI = (await import('openai')).default;
    await mocks.openai.reset();
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders: { 'X-AIGW-User': newUser() } });
    const stream = await sdk.responses.create({ model: 'gpt-4o-mini', stream: true, input: `Store this key: ${PEM}`,
      tools: [{ type: 'function', name: 'store_key', parameters: { type: 'object', properties: { key: { type: 'string' } } } }] },
    { headers: { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent('{"key":"<SECRET_1>"}'), 'x-mock-piece': '7' } });
    let deltas = '';
    const whole = {};
    for await (const ev of stream) {
      if (ev.type === 'response.function_call_arguments.delta') deltas += ev.delta;
      if (ev.type === 'response.function_call_arguments.done') whole.done = ev.arguments;
      if (ev.type === 'response.output_item.done') whole.item = ev.item.arguments;
    }
    for (const [where, text] of Object.entries({ deltas, ...whole })) {
      assert.equal(JSON.parse(text).key, PEM, `${where}: ${text}`);
    }
    const [rec] = await upstream(mocks.openai);
    assert.ok(!rec.body.includes('MIIEowIBAAKCAQEA'), 'the key never reached the provider');
  });

  test('openai SDK audio.transcriptions: audio aigw cannot scan is refused 415 in OpenAI\'s shape, nothing sent', async () => {
    const OpenAI = (await import('openai')).default;
    const { toFile } = await import('openai');
    await mocks.openai.reset();
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, defaultHeaders: { 'X-AIGW-User': newUser() } });
    const wav = Buffer.alloc(44 + 800);
    wav.write('RIFF', 0);
    wav.writeUInt32LE(36 + 800, 4);
    wav.write('WAVEfmt ', 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write('data', 36);
    wav.writeUInt32LE(800, 40);
    await assert.rejects(sdk.audio.transcriptions.create({ model: 'whisper-1', file: await toFile(wav, 'call.wav', { type: 'audio/wav' }) }),
      (e) => {
        assert.equal(e.status, 415);
        assert.equal(e.code, 'unscannable_payload');
        assert.equal(e.type, 'invalid_request_error');
        return true;
      });
    assert.equal((await mocks.openai.requests()).length, 0, 'the audio never reached the provider');
  });

  test('openai embedding model (embed): inputs scrubbed, vector returned', async () => {
    const { embedMany } = await import('ai');
    await mocks.openai.reset();
    const user = newUser();
    const m = createOpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, headers: { 'X-AIGW-User': user } })
      .embedding('text-embedding-3-small');
    const r = await embedMany({ model: m, values: [ASK, 'hello'], maxRetries: 0 });
    assert.equal(r.embeddings.length, 2);
    assert.equal(r.embeddings[0].length, 4);
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/embeddings');
    assertScrubbed(rec, 'ai embed request');
    await assertRecorded(user, 'openai');
  });
});

// ---------------------------------------------------------------------------------------------
// LangChain JS

describe('LangChain JS (@langchain/openai, @langchain/anthropic)', () => {
  const chat = (user, headers = {}, extra = {}) => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: CLIENT_KEY, maxRetries: 0,
    configuration: { baseURL: `${gw.url}/v1`, defaultHeaders: { 'X-AIGW-User': user, ...headers } }, ...extra });

  test('ChatOpenAI invoke: scrubbed, restored, recorded, store:false', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await chat(user, { 'x-mock-echo': '1' }).invoke([['system', `The agent is ${NAME}.`], ['human', ASK]]);
    assertAnswer(r.content, 'langchain invoke');
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/chat/completions');
    assertScrubbed(rec, 'langchain invoke request');
    assertFlags(rec, 'openai');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('ChatOpenAI stream: chunks restored, usage recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    let text = '';
    let n = 0;
    for await (const c of await chat(user, { 'x-mock-echo': '1', 'x-mock-piece': '4' }).stream(ASK)) {
      text += c.content;
      n++;
    }
    assert.ok(n > 5, `several chunks (${n})`);
    assertAnswer(text, 'langchain stream');
    const [rec] = await upstream(mocks.openai);
    assert.equal(JSON.parse(rec.body).stream, true);
    assertScrubbed(rec, 'langchain stream request');
    await assertRecorded(user, 'openai');
  });

  test('ChatOpenAI withStructuredOutput (zod, json_schema): the model\'s JSON restored', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const schema = z.object({ contact: z.string().describe('e-mail address to reply to'), phone: z.string(), summary: z.string() });
    const r = await chat(user, { 'x-mock-echo': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON) })
      .withStructuredOutput(schema, { name: 'ticket' }).invoke(ASK);
    assert.deepEqual(r, { contact: RAW.email, phone: RAW.phone, summary: 'refund' });
    const [rec] = await upstream(mocks.openai);
    assert.equal(JSON.parse(rec.body).response_format.type, 'json_schema');
    assertScrubbed(rec, 'langchain structured request');
    await assertRecorded(user, 'openai');
  });

  test('ChatOpenAI bindTools: tool call arguments restored; the tool result turn scrubbed', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const llm = chat(user, { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON) }).bindTools([{
      type: 'function', function: { name: 'lookup_ticket', description: 'Find the ticket of a customer',
        parameters: { type: 'object', properties: { contact: { type: 'string' }, phone: { type: 'string' }, summary: { type: 'string' } },
          required: ['contact', 'phone', 'summary'] } } }]);
    const ai = await llm.invoke(ASK);
    assert.equal(ai.tool_calls.length, 1);
    assert.deepEqual(ai.tool_calls[0].args, { contact: RAW.email, phone: RAW.phone, summary: 'refund' });
    const { ToolMessage, HumanMessage } = await import('@langchain/core/messages');
    const final = await llm.invoke([new HumanMessage(ASK), ai, new ToolMessage({ content: TOOL_RESULT, tool_call_id: ai.tool_calls[0].id })]);
    assert.equal(final.content, TOOL_RESULT);
    const [, second] = await upstream(mocks.openai, 2);
    assertScrubbed(second, 'langchain tool turn');
    assert.ok(!second.body.includes('bob.smith@corp-mail.org'), 'tool result scrubbed');
    await assertRecorded(user, 'openai', { n: 2 });
  });

  test('ChatOpenAI with useResponsesApi: Responses API, store:false forced, restored', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await chat(user, { 'x-mock-echo': '1' }, { useResponsesApi: true }).invoke(ASK);
    assertAnswer(r.text, 'langchain responses');
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/responses');
    assertScrubbed(rec, 'langchain responses request');
    assertFlags(rec, 'openai');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('ChatOpenAI useResponsesApi + bindTools, streamed: tool arguments with a multi-line secret restored and parsed',
    async () => {
    await mocks.openai.reset();
    const user = newUser();
    const llm = chat(user, { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent('{"key":"<SECRET_1>"}'), 'x-mock-piece': '7' },
      { useResponsesApi: true }).bindTools([{ type: 'function', function: { name: 'store_key', description: 'Store a key',
      parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] } } }]);
    let msg;
    for await (const c of await llm.stream(`Store this key: ${PEM}`)) msg = msg ? msg.concat(c) : c;
    assert.deepEqual(msg.tool_calls.map((t) => t.args), [{ key: PEM }], JSON.stringify(msg.tool_call_chunks));
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/responses');
    assert.ok(!rec.body.includes('MIIEowIBAAKCAQEA'), 'the key never reached the provider');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('OpenAIEmbeddings (base64 encoding, the SDK default): embedQuery and embedDocuments', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const emb = new OpenAIEmbeddings({ model: 'text-embedding-3-small', apiKey: CLIENT_KEY, maxRetries: 0,
      configuration: { baseURL: `${gw.url}/v1`, defaultHeaders: { 'X-AIGW-User': user } } });
    const q = await emb.embedQuery(ASK);
    assert.equal(q.length, 4);
    assert.ok(Math.abs(q[0] - 0.0123) < 1e-6 && Math.abs(q[3] - 0.871) < 1e-6, `decoded vector: ${q}`);
    const docs = await emb.embedDocuments([ASK, 'hello']);
    assert.equal(docs.length, 2);
    for (const rec of await upstream(mocks.openai, 2)) {
      assert.equal(rec.path, '/v1/embeddings');
      assertScrubbed(rec, 'langchain embeddings request');
    }
    await assertRecorded(user, 'openai', { n: 2 });
  });

  const claude = (user, headers = {}) => new ChatAnthropic({ model: 'claude-sonnet-4-6', apiKey: CLIENT_KEY, maxRetries: 0,
    anthropicApiUrl: `${gw.url}/anthropic`, clientOptions: { defaultHeaders: { 'X-AIGW-User': user, ...headers } } });

  test('ChatAnthropic invoke and stream: scrubbed, restored, recorded', async () => {
    await mocks.anthropic.reset();
    const user = newUser();
    const r = await claude(user, { 'x-mock-echo': '1' }).invoke(ASK);
    assertAnswer(r.content, 'langchain anthropic invoke');
    let text = '';
    for await (const c of await claude(user, { 'x-mock-echo': '1', 'x-mock-piece': '4' }).stream(ASK)) text += c.content;
    assertAnswer(text, 'langchain anthropic stream');
    const recs = await upstream(mocks.anthropic, 2);
    for (const rec of recs) {
      assert.equal(rec.path, '/v1/messages');
      assertScrubbed(rec, 'langchain anthropic request');
    }
    assertKeysSwapped(mocks.anthropic, CLIENT_KEY, recs);
    await assertRecorded(user, 'anthropic', { n: 2 });
  });

  test('ChatAnthropic bindTools (streamed input_json_delta): tool arguments restored', async () => {
    await mocks.anthropic.reset();
    const user = newUser();
    const llm = claude(user, { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON), 'x-mock-piece': '5' })
      .bindTools([{ name: 'lookup_ticket', description: 'Find the ticket of a customer', input_schema: { type: 'object',
        properties: { contact: { type: 'string' }, phone: { type: 'string' }, summary: { type: 'string' } } } }]);
    let msg;
    for await (const c of await llm.stream(ASK)) msg = msg ? msg.concat(c) : c;
    assert.deepEqual(msg.tool_calls.map((t) => t.args), [{ contact: RAW.email, phone: RAW.phone, summary: 'refund' }]);
    const [rec] = await upstream(mocks.anthropic);
    assertScrubbed(rec, 'langchain anthropic tools request');
    await assertRecorded(user, 'anthropic');
  });
});

// ---------------------------------------------------------------------------------------------
// README.md's snippets, run as written

/** The ```js block of README.md that follows the line `marker`. */
function readmeSnippet(marker) {
  const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `README.md has ${marker}`);
  const m = /```js\n([\s\S]*?)```/.exec(text.slice(at));
  return m[1];
}

/** Runs a README snippet (aigw's address swapped for the test's) as an ES module next to node_modules. */
function runSnippet(code, name) {
  const file = path.join(HERE, `.readme-${name}-${process.pid}.mjs`);
  fs.writeFileSync(file, code.replaceAll('http://127.0.0.1:8080', gw.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { env: { ...process.env, AIGW_CLIENT_KEY: CLIENT_KEY }, timeout: 30000 },
      (err, stdout, stderr) => {
        fs.rmSync(file, { force: true });
        resolve({ code: err ? err.code ?? 1 : 0, stdout, stderr });
      });
  });
}

describe('README.md snippets', () => {
  const cases = [
    ['<!-- readme-snippet: vercel-ai-sdk -->', 'ai', { openai: ['/v1/responses', '/v1/chat/completions'], anthropic: ['/v1/messages'],
      gemini: ['/v1beta/models/gemini-2.5-flash:generateContent'] }],
    ['<!-- readme-snippet: langchain -->', 'langchain', { openai: ['/v1/chat/completions', '/v1/embeddings'],
      anthropic: ['/v1/messages'] }],
  ];
  for (const [marker, name, want] of cases) {
    test(`${name}: the README example runs through aigw; each provider saw placeholders only`, async () => {
      for (const m of Object.values(mocks)) await m.reset();
      const r = await runSnippet(readmeSnippet(marker), name);
      assert.equal(r.code, 0, `snippet failed: ${r.stderr}${r.stdout}`);
      for (const [p, paths] of Object.entries(want)) {
        const recs = await mockRequests(mocks[p], (x) => x.method === 'POST', { min: paths.length });
        assert.deepEqual(recs.map((x) => x.path), paths, `${name}: ${p} calls`);
        for (const rec of recs) {
          assertNoPii(rec.body, `${name} snippet to ${p}`);
          assert.match(rec.body, /<EMAIL_ADDRESS_1>/);
        }
      }
    });
  }
});
