// Issue 10, "scan every string, skip by declaration", through the official SDKs: fields no adapter used to list
// (Responses tools[].description and text.format, response_format.json_schema, enum / default values, prediction,
// stop, Gemini responseJsonSchema, Anthropic documents inside tool_result), PII in object keys (tool-call
// arguments), base64 text documents, unscannable payloads (415 unless configured), duplicate keys (400), and the
// declared structural fields and opaque tokens of multi-turn flows (thinking signature, encrypted_content,
// thoughtSignature) forwarded untouched. What left aigw is read from the provider mocks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI, { toFile } from 'openai';
import { CLIENT_KEY, USER, rawRequest } from './lib/harness.mjs';
import { lastRequest, startProviders } from './lib/providers.mjs';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415 555 0134';
const IBAN = 'DE89370400440532013000';
const LEAKS = [EMAIL, PHONE, '4155550134', IBAN];
const SIGNATURE = 'EuYBCkQYAiJAgCs1le6/Pol5Z4/JdQvP0f8q1gkH0ny+Kp7bDkA9C0Jh0e8C2Ydb5n+C+Zzz7w/ZqBbhrVjb6tKqBOW5FcQJYxIM==';
const ENCRYPTED = 'gAAAAABo_x1Yk3mZr9-Qe2pL7dKc4sVb8nT0wHfGj6uXy5aE1oRiM3lNqC2vB7zD9tS4hW0kJ8gF6yU1xP5_rI3eO2mA==';

let env;
let gw;
let mocks;

before(async () => {
  env = await startProviders({ name: 'scanall', providerConf: { gemini: { tier: 'paid' } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

function assertNoLeak(rec, where) {
  for (const v of LEAKS) assert.ok(!rec.body.includes(v), `${where}: ${v} reached the provider: ${rec.body.slice(0, 600)}`);
}

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

describe('OpenAI (openai SDK, /openai/v1): every string and key', () => {
  const sdk = () => new OpenAI({ baseURL: `${gw.url}/openai/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
    defaultHeaders: { 'X-AIGW-User': USER } });

  test('chat: schemas, enum/default values, prediction, stop, tool-call argument keys, text documents', async () => {
    await sdk().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: [
          { type: 'text', text: 'Summarise the attached file.' },
          { type: 'file', file: { filename: 'notes.txt', file_data: `data:text/plain;base64,${b64(`Call ${PHONE} today.`)}` } },
        ] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc123', type: 'function',
          function: { name: 'lookup', arguments: JSON.stringify({ [EMAIL]: { iban: IBAN } }) } }] },
        { role: 'tool', tool_call_id: 'call_abc123', content: 'found' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'Look up a customer',
        parameters: { type: 'object', properties: { who: { type: 'string', enum: [EMAIL, 'other'], default: EMAIL,
          description: `for example ${PHONE}` } } } } }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer',
        schema: { type: 'object', description: `reply to ${EMAIL}`, properties: { a: { type: 'string', examples: [IBAN] } } } } },
      prediction: { type: 'content', content: `Dear ${EMAIL}` },
      stop: [EMAIL, 'END'],
    });
    const rec = await lastRequest(mocks.openai, '/v1/chat/completions');
    assertNoLeak(rec, 'chat');
    const sent = JSON.parse(rec.body);
    // structural fields untouched
    assert.equal(sent.model, 'gpt-4o-mini');
    assert.equal(sent.messages[1].tool_calls[0].id, 'call_abc123');
    assert.equal(sent.messages[2].tool_call_id, 'call_abc123');
    assert.equal(sent.tools[0].function.name, 'lookup');
    // the key of the arguments object is a placeholder now, the arguments are still JSON
    const args = JSON.parse(sent.messages[1].tool_calls[0].function.arguments);
    assert.deepEqual(Object.keys(args).map((k) => k.replace(/\d+/, 'N')), ['<EMAIL_ADDRESS_N>']);
    assert.match(Object.values(args)[0].iban, /^<IBAN_CODE_\d+>$/);
    // the text document was decoded, scanned and re-encoded
    const doc = sent.messages[0].content[1].file.file_data;
    assert.match(doc, /^data:text\/plain;base64,/);
    assert.match(Buffer.from(doc.split(',')[1], 'base64').toString('utf8'), /^Call <PHONE_NUMBER_\d+> today\.$/);
    assert.match(sent.stop[0], /^<EMAIL_ADDRESS_\d+>$/);
    assert.equal(sent.stop[1], 'END');
  });

  test('responses: tools[].description, text.format, reasoning item with encrypted_content kept byte for byte', async () => {
    await sdk().responses.create({
      model: 'gpt-5-mini',
      input: [
        { type: 'reasoning', id: 'rs_123', summary: [], encrypted_content: ENCRYPTED },
        { role: 'user', content: `Write to ${EMAIL}` },
      ],
      tools: [{ type: 'function', name: 'send', description: `Sends mail as ${EMAIL}`,
        parameters: { type: 'object', properties: { to: { type: 'string', default: PHONE } } } }],
      text: { format: { type: 'json_schema', name: 'mail', schema: { type: 'object', description: `signed ${IBAN}`,
        properties: { body: { type: 'string' } } } } },
    });
    const rec = await lastRequest(mocks.openai, '/v1/responses');
    assertNoLeak(rec, 'responses');
    const sent = JSON.parse(rec.body);
    assert.equal(sent.input[0].encrypted_content, ENCRYPTED);
    assert.equal(sent.input[0].id, 'rs_123');
    assert.equal(sent.tools[0].name, 'send');
  });

  test('an opaque token that is not base64, personal data in a structural field, a PDF: refused before the provider', async () => {
    await mocks.openai.reset();
    await assert.rejects(sdk().responses.create({ model: 'gpt-5-mini',
      input: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: `note ${EMAIL}` }, { role: 'user', content: 'hi' }] }),
    (e) => e.status === 400 && e.code === 'invalid_opaque_field');
    await assert.rejects(sdk().chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: `call ${EMAIL}`,
        type: 'function', function: { name: 'f', arguments: '{}' } }] }] }),
    (e) => e.status === 400 && e.code === 'pii_in_structural_field' && !e.message.includes(EMAIL));
    const pdf = `data:application/pdf;base64,${b64('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n')}`;
    await assert.rejects(sdk().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user',
      content: [{ type: 'file', file: { filename: 'a.pdf', file_data: pdf } }] }] }),
    (e) => e.status === 415 && e.code === 'unscannable_payload' && /application\/pdf/.test(e.message));
    assert.equal((await mocks.openai.requests()).length, 0, 'nothing reached the provider');
  });

  test('multipart uploads: a text file is scanned, a PDF is refused with 415 (files sorted by their bytes)', async () => {
    await mocks.openai.reset();
    // a transcription, not an image edit: an image made from a request with values to tokenize is refused
    // (pii_unrestorable); what matters here is what the provider received
    await sdk().audio.transcriptions.create({ model: 'gpt-4o-transcribe',
      file: await toFile(Buffer.from(`Customer ${EMAIL}, phone ${PHONE}`), 'notes.txt', { type: 'text/plain' }) })
      .catch((e) => assert.ok(e.status < 500, e.message));
    const rec = await lastRequest(mocks.openai, '/v1/audio/transcriptions');
    const text = Buffer.from(rec.body, rec.body_encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
    for (const v of LEAKS) assert.ok(!text.includes(v), `multipart: ${v} reached the provider`);
    assert.match(text, /Customer <EMAIL_ADDRESS_\d+>, phone <PHONE_NUMBER_\d+>/);
    await mocks.openai.reset();
    await assert.rejects(sdk().images.edit({ model: 'gpt-image-1', prompt: 'x',
      image: await toFile(Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\n', 'latin1'), 'a.pdf', { type: 'application/pdf' }) }),
    (e) => e.status === 415 && e.code === 'unscannable_payload');
    assert.equal((await mocks.openai.requests()).length, 0, 'the PDF never reached the provider');
  });

  test('a duplicate key (priced on the first "model", run on the last) is refused with 400 in the provider shape', async () => {
    await mocks.openai.reset();
    const body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"model":"gpt-4o"}';
    const r = await rawRequest(gw, { method: 'POST', path: '/openai/v1/chat/completions', body,
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.code, 'duplicate_key');
    const nested = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"a","content":"b"}]}';
    const r2 = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', body: nested,
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER, 'content-type': 'application/json' } });
    assert.equal(r2.status, 400);
    assert.equal(r2.json.error.code, 'duplicate_key');
    assert.equal((await mocks.openai.requests()).length, 0);
  });
});

describe('Anthropic (@anthropic-ai/sdk): multi-turn with thinking and tool results', () => {
  const claude = () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0,
    defaultHeaders: { 'X-AIGW-User': USER } });

  test('thinking signature and tool ids untouched; a document inside tool_result and tool input keys scrubbed', async () => {
    await claude().messages.create({
      model: 'claude-sonnet-4-6', max_tokens: 256, thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Find the customer file.' },
        { role: 'assistant', content: [
          { type: 'thinking', thinking: 'I should call the tool.', signature: SIGNATURE },
          { type: 'tool_use', id: 'toolu_01A', name: 'fetch_file', input: { [EMAIL]: true, q: PHONE } },
        ] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01A', content: [
          { type: 'text', text: 'File attached.' },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: `Customer ${EMAIL}, IBAN ${IBAN}` } },
        ] }] },
      ],
    });
    const rec = await lastRequest(mocks.anthropic, '/v1/messages');
    assertNoLeak(rec, 'anthropic');
    const sent = JSON.parse(rec.body);
    assert.equal(sent.messages[1].content[0].signature, SIGNATURE);
    assert.equal(sent.messages[1].content[1].id, 'toolu_01A');
    assert.equal(sent.messages[1].content[1].name, 'fetch_file');
    assert.equal(sent.messages[2].content[0].tool_use_id, 'toolu_01A');
    assert.deepEqual(Object.keys(sent.messages[1].content[1].input).map((k) => k.replace(/\d+/, 'N')), ['<EMAIL_ADDRESS_N>', 'q']);
  });

  test('duplicate keys and a non-base64 signature are refused in Anthropic\'s error shape', async () => {
    await assert.rejects(claude().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: `sig ${EMAIL}` }] },
      { role: 'user', content: 'go on' }] }),
    (e) => e.status === 400 && e.error?.type === 'error' && e.error.error.type === 'invalid_request_error');
    const r = await rawRequest(gw, { method: 'POST', path: '/anthropic/v1/messages',
      body: '{"model":"claude-sonnet-4-6","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"max_tokens":99999}',
      headers: { 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01', 'x-aigw-user': USER, 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assert.equal(r.json.type, 'error');
    assert.match(r.json.error.message, /key twice/);
  });
});

describe('Gemini (@google/genai): responseJsonSchema, function call keys, thoughtSignature', () => {
  const ai = () => new GoogleGenAI({ apiKey: CLIENT_KEY,
    httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': USER } } });

  test('schema descriptions and enums, functionCall args keys and text/plain inlineData scanned; thoughtSignature kept', async () => {
    await ai().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [
        { role: 'user', parts: [{ text: 'Who is the customer?' },
          { inlineData: { mimeType: 'text/plain', data: b64(`Customer phone ${PHONE}`) } }] },
        { role: 'model', parts: [{ functionCall: { name: 'lookup', args: { [EMAIL]: IBAN } }, thoughtSignature: SIGNATURE }] },
        { role: 'user', parts: [{ functionResponse: { name: 'lookup', response: { ok: true } } }] },
      ],
      config: { responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object', description: `answer for ${EMAIL}`,
          properties: { who: { type: 'string', enum: [PHONE, 'n/a'] } } } },
    });
    const rec = await lastRequest(mocks.gemini, '/v1beta/models/gemini-2.5-flash:generateContent');
    assertNoLeak(rec, 'gemini');
    const sent = JSON.parse(rec.body);
    const part = sent.contents[1].parts[0];
    assert.equal(part.thoughtSignature, SIGNATURE);
    assert.equal(part.functionCall.name, 'lookup');
    assert.match(Object.keys(part.functionCall.args)[0], /^<EMAIL_ADDRESS_\d+>$/);
    const doc = Buffer.from(sent.contents[0].parts[1].inlineData.data, 'base64').toString('utf8');
    assert.match(doc, /^Customer phone <PHONE_NUMBER_\d+>$/);
  });
});
