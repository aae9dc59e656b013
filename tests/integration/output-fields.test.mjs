// pii.scan_responses fails closed (session 11): every string of a JSON answer and of each SSE event's JSON is scanned
// except what the provider's adapter declares as no text (ids, object / type fields, finish reasons, model names,
// base64 media, signatures, tool-call arguments by design). Before, only listed paths were read: the model's own
// e-mail address in a field no list named passed unscanned (a new `foo.bar`, OpenAI `annotations[].url_citation.title`,
// Anthropic `citations[].cited_text`, Gemini `groundingMetadata` snippets, a citations delta). The answers here carry
// PII in such fields and ids / types / base64 / signatures that must go out byte for byte.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { CLIENT_KEY, rawRequest, startAigw } from './lib/harness.mjs';

const MAIL = 'carol.white@example.net';
const TOOL_MAIL = 'dave.green@example.org'; // in tool-call arguments: not scanned by design (docs/config.md)
const TOOL_ARGS = JSON.stringify({ to: TOOL_MAIL, subject: 'hi' });
const B64 = Buffer.from('\x89PNG\r\n\x1a\n not really an image, but bytes').toString('base64');
const SIG = 'EqQBCkYIBxgCKkDx3Kq9c2lnbmF0dXJlLWJ5dGVz0123456789abcdefABCDEF+/==';

const sse = (events) => events.map(([name, e]) => `${name ? `event: ${name}\n` : ''}data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');

const SHAPES = {
  'openai-json': ['application/json', JSON.stringify({ id: 'chatcmpl-Abc123', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
    system_fingerprint: 'fp_44709d6fcb',
    choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: 'ok',
      annotations: [{ type: 'url_citation', url_citation: { url: 'https://example.org/a', title: `Mail ${MAIL}`, start_index: 0, end_index: 2 } }],
      tool_calls: [{ id: 'call_Xy12', type: 'function', function: { name: 'send_mail', arguments: JSON.stringify({ to: TOOL_MAIL }) } }],
      audio: { id: 'audio_1', data: B64, expires_at: 1, transcript: 'ok' } } }],
    foo: { bar: `Call ${MAIL}` },
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })],
  'openai-sse': ['text/event-stream', sse([
    [null, { id: 'chatcmpl-Abc123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', obfuscation: 'q8Zx',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }],
    [null, { id: 'chatcmpl-Abc123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { content: 'ok', annotations: [{ type: 'url_citation', url_citation: { url: 'https://example.org/a', title: `Mail ${MAIL}` } }] } }] }],
    [null, { id: 'chatcmpl-Abc123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_Xy12', type: 'function', function: { name: 'send_mail', arguments: JSON.stringify({ to: TOOL_MAIL }) } }] } }] }],
    [null, { id: 'chatcmpl-Abc123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', foo: { bar: `Call ${MAIL}` },
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }],
    [null, '[DONE]']])],
  // Responses stream with a function call: its arguments arrive as `delta` pieces (the path of the prose pieces of
  // response.output_text.delta), then whole in the .done event, the item and the completed response
  'openai-responses-sse': ['text/event-stream', sse([
    ['response.created', { type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }],
    ['response.output_text.delta', { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: `Mail ${MAIL}` }],
    ['response.output_text.done', { type: 'response.output_text.done', sequence_number: 2, item_id: 'msg_1', output_index: 0, content_index: 0, text: `Mail ${MAIL}` }],
    ['response.output_item.added', { type: 'response.output_item.added', sequence_number: 3, output_index: 1,
      item: { type: 'function_call', id: 'fc_1', call_id: 'call_Xy12', name: 'send_mail', arguments: '', status: 'in_progress' } }],
    ...[TOOL_ARGS.slice(0, 9), TOOL_ARGS.slice(9, 20), TOOL_ARGS.slice(20)].map((d, i) => ['response.function_call_arguments.delta',
      { type: 'response.function_call_arguments.delta', sequence_number: 4 + i, item_id: 'fc_1', output_index: 1, delta: d }]),
    ['response.function_call_arguments.done', { type: 'response.function_call_arguments.done', sequence_number: 7, item_id: 'fc_1', output_index: 1,
      name: 'send_mail', arguments: TOOL_ARGS }],
    ['response.output_item.done', { type: 'response.output_item.done', sequence_number: 8, output_index: 1,
      item: { type: 'function_call', id: 'fc_1', call_id: 'call_Xy12', name: 'send_mail', arguments: TOOL_ARGS, status: 'completed' } }],
    ['response.completed', { type: 'response.completed', sequence_number: 9, response: { id: 'resp_1', object: 'response', status: 'completed',
      output: [{ type: 'message', id: 'msg_1', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `Mail ${MAIL}`, annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_Xy12', name: 'send_mail', arguments: TOOL_ARGS, status: 'completed' }],
      usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 } } }]])],
  // the text is held back by the scan (under 128 bytes: all of it) and sent in a re-send of its chunk before the
  // finish chunk; that chunk also carries an annotation, which the re-send must not blank
  'openai-sse-held': ['text/event-stream', sse([
    [null, { id: 'chatcmpl-Held1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }],
    [null, { id: 'chatcmpl-Held1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', provider_note: `Sent for ${MAIL}`,
      choices: [{ index: 0, delta: { content: 'The report is ready.',
        annotations: [{ type: 'url_citation', url_citation: { url: 'https://example.org/report', title: `Mail ${MAIL}`, start_index: 4, end_index: 10 } }] } }] }],
    [null, { id: 'chatcmpl-Held1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }],
    [null, '[DONE]']])],
  'anthropic-json': ['application/json', JSON.stringify({ id: 'msg_01XyZ', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6',
    content: [{ type: 'thinking', thinking: 'fine', signature: SIG },
      { type: 'text', text: 'ok', citations: [{ type: 'char_location', cited_text: `Mail ${MAIL}`, document_index: 0,
        document_title: `Contacts of ${MAIL}`, start_char_index: 0, end_char_index: 5 }] },
      { type: 'tool_use', id: 'toolu_01AbC', name: 'send_mail', input: { to: TOOL_MAIL } }],
    stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 2 } })],
  'anthropic-sse': ['text/event-stream', sse([
    ['message_start', { type: 'message_start', message: { id: 'msg_01XyZ', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6',
      content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: [] } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'citations_delta',
      citation: { type: 'char_location', cited_text: `Mail ${MAIL}`, document_index: 0, start_char_index: 0, end_char_index: 5 } } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'thinking', thinking: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'signature_delta', signature: SIG } }],
    ['content_block_stop', { type: 'content_block_stop', index: 1 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }],
    ['message_stop', { type: 'message_stop' }]])],
  'gemini-json': ['application/json', JSON.stringify({ candidates: [{ index: 0, finishReason: 'STOP',
    content: { role: 'model', parts: [{ text: 'ok' }, { inlineData: { mimeType: 'image/png', data: B64 } },
      { functionCall: { id: 'fc_1', name: 'send_mail', args: { to: TOOL_MAIL } } }] },
    groundingMetadata: { webSearchQueries: [`who is ${MAIL}`],
      groundingChunks: [{ web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AbC', title: `${MAIL} profile` } }],
      groundingSupports: [{ segment: { startIndex: 0, endIndex: 2, text: `Mail ${MAIL}` }, groundingChunkIndices: [0] }] } }],
  usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 }, modelVersion: 'gemini-2.5-flash', responseId: 'rId-Abc_123' })],
  'gemini-sse': ['text/event-stream', sse([
    [null, { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'o' }] } }], modelVersion: 'gemini-2.5-flash', responseId: 'rId-Abc_123' }],
    [null, { candidates: [{ index: 0, finishReason: 'STOP', content: { role: 'model', parts: [{ text: 'k' }] },
      groundingMetadata: { groundingSupports: [{ segment: { startIndex: 0, endIndex: 2, text: `Mail ${MAIL}` }, groundingChunkIndices: [0] }] } }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, totalTokenCount: 3 }, modelVersion: 'gemini-2.5-flash', responseId: 'rId-Abc_123' }]])],
};

let srv;
let gw;

before(async () => {
  srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const [type, body] = SHAPES[req.headers['x-mock-shape']] || ['application/json', '{"error":"no shape"}'];
      res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}`;
  gw = await startAigw({ name: 'output-fields-aigw', mockUrl: url, config: {
    retry: { max_retries: 0 },
    providers: { anthropic: { base_url: url, api_key: 'sk-ant-upstream-0001' }, gemini: { base_url: url, api_key: 'AIza-upstream-0001', tier: 'paid' } },
    pii: { scan_responses: true } } });
});
after(async () => {
  if (gw) await gw.stop();
  if (srv) srv.close();
});

const CALLS = {
  openai: (stream) => ({ path: '/v1/chat/completions', headers: { authorization: `Bearer ${CLIENT_KEY}` },
    body: { model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'hello' }] } }),
  anthropic: (stream) => ({ path: '/anthropic/v1/messages', headers: { 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' },
    body: { model: 'claude-sonnet-4-6', max_tokens: 64, stream, messages: [{ role: 'user', content: 'hello' }] } }),
  gemini: (stream) => ({ path: `/gemini/v1beta/models/gemini-2.5-flash:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    headers: { 'x-goog-api-key': CLIENT_KEY }, body: { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] } }),
};

async function call(provider, shape) {
  const c = CALLS[provider](shape.endsWith('-sse'));
  const r = await rawRequest(gw, { method: 'POST', path: c.path, body: JSON.stringify(c.body),
    headers: { ...c.headers, 'content-type': 'application/json', 'x-aigw-user': 'fields-user', 'x-mock-shape': shape } });
  assert.equal(r.status, 200, `${shape}: ${r.status} ${r.body}`);
  assert.ok(!r.body.includes('carol') && !r.body.includes('example.net'), `${shape}: the model's e-mail passed unscanned: ${r.body}`);
  assert.ok(r.body.includes('<EMAIL_ADDRESS>'), `${shape}: ${r.body}`);
  return r;
}

/** The JSON data of each event of an SSE body. */
const events = (body) => body.split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => JSON.parse(l.slice(6)));

test('OpenAI chat: PII in fields no list names is scanned (annotations, a new foo.bar); ids, base64 audio, tool arguments pass as sent', async () => {
  const j = (await call('openai', 'openai-json')).json;
  const m = j.choices[0].message;
  assert.equal(j.foo.bar, 'Call <EMAIL_ADDRESS>');
  assert.equal(m.annotations[0].url_citation.title, 'Mail <EMAIL_ADDRESS>');
  assert.equal(j.id, 'chatcmpl-Abc123');
  assert.equal(j.system_fingerprint, 'fp_44709d6fcb');
  assert.equal(m.audio.data, B64);
  assert.equal(m.tool_calls[0].id, 'call_Xy12');
  assert.equal(m.tool_calls[0].function.arguments, JSON.stringify({ to: TOOL_MAIL }), 'tool-call arguments are not scanned (declared)');
  assert.equal(j.choices[0].finish_reason, 'tool_calls');

  const ev = events((await call('openai', 'openai-sse')).body);
  assert.equal(ev[0].choices[0].delta.role, 'assistant', 'the role goes out in its own event');
  assert.equal(ev[0].obfuscation, 'q8Zx');
  // the chunk with the annotation also carries held text: its re-send repeats the annotation as it went out (a client
  // keeps the last value of a chunk's member: an empty copy replaced the model's; session 12)
  const titles = ev.flatMap((e) => e.choices?.[0]?.delta?.annotations ?? []).map((a) => a.url_citation.title);
  assert.ok(titles.length >= 1);
  assert.deepEqual([...new Set(titles)], ['Mail <EMAIL_ADDRESS>']);
  assert.equal(ev.find((e) => e.foo)?.foo.bar, 'Call <EMAIL_ADDRESS>');
  const args = ev.flatMap((e) => e.choices?.[0]?.delta?.tool_calls ?? []).map((t) => t.function.arguments).join('');
  assert.equal(args, JSON.stringify({ to: TOOL_MAIL }));
});

test('OpenAI Responses stream (openai SDK): function-call argument pieces are not scanned, like the .done arguments and the items', async () => {
  // tool-call arguments are not scanned by design (docs/config.md "Model output"); the pieces used to be (their path is
  // the prose delta's) while the .done event, the item and the completed response were not: the joined pieces said
  // <EMAIL_ADDRESS> where the final arguments held the address
  const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0,
    defaultHeaders: { 'x-aigw-user': 'fields-user', 'x-mock-shape': 'openai-responses-sse' } });
  const stream = await client.responses.create({ model: 'gpt-4o-mini', stream: true, input: 'hello' });
  let pieces = '';
  let prose = '';
  const whole = [];
  for await (const e of stream) {
    if (e.type === 'response.function_call_arguments.delta') pieces += e.delta;
    if (e.type === 'response.output_text.delta') prose += e.delta;
    if (e.type === 'response.function_call_arguments.done') whole.push(e.arguments);
    if (e.type === 'response.output_item.done') whole.push(e.item.arguments);
    if (e.type === 'response.completed') whole.push(e.response.output[1].arguments);
  }
  assert.equal(pieces, TOOL_ARGS, 'the joined argument pieces are the arguments as the model wrote them');
  assert.deepEqual(whole, [TOOL_ARGS, TOOL_ARGS, TOOL_ARGS]);
  assert.equal(prose, 'Mail <EMAIL_ADDRESS>', 'the prose of the same stream is scanned');
});

test('OpenAI chat stream (openai SDK): a re-send that flushes held text keeps the event\'s other members (annotation, top-level note)', async () => {
  // the openai SDK Object.assign()s a chunk's members into its snapshot: the re-send of held text used to carry every
  // undeclared string empty, and the final completion lost the annotation's url and title and the chunk's note
  const client = new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0,
    defaultHeaders: { 'x-aigw-user': 'fields-user', 'x-mock-shape': 'openai-sse-held' } });
  const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
  const done = await stream.finalChatCompletion();
  const m = done.choices[0].message;
  assert.equal(m.content, 'The report is ready.');
  assert.deepEqual(m.annotations, [{ type: 'url_citation',
    url_citation: { url: 'https://example.org/report', title: 'Mail <EMAIL_ADDRESS>', start_index: 4, end_index: 10 } }]);
  assert.equal(done.provider_note, 'Sent for <EMAIL_ADDRESS>');
});

test('Anthropic: citations[].cited_text / document_title and a citations_delta are scanned; signature, ids and tool input pass', async () => {
  const j = (await call('anthropic', 'anthropic-json')).json;
  assert.equal(j.content[1].citations[0].cited_text, 'Mail <EMAIL_ADDRESS>');
  assert.equal(j.content[1].citations[0].document_title, 'Contacts of <EMAIL_ADDRESS>');
  assert.equal(j.content[0].signature, SIG, 'a thinking signature is never touched');
  assert.equal(j.id, 'msg_01XyZ');
  assert.deepEqual(j.content[2], { type: 'tool_use', id: 'toolu_01AbC', name: 'send_mail', input: { to: TOOL_MAIL } });

  const ev = events((await call('anthropic', 'anthropic-sse')).body);
  const cited = ev.filter((e) => e.delta?.type === 'citations_delta').map((e) => e.delta.citation.cited_text).join('');
  assert.equal(cited, 'Mail <EMAIL_ADDRESS>');
  assert.equal(ev.find((e) => e.delta?.type === 'signature_delta').delta.signature, SIG);
  assert.equal(ev.find((e) => e.type === 'message_start').message.id, 'msg_01XyZ');
});

test('Gemini: groundingMetadata snippets, titles and queries are scanned; inlineData, ids and functionCall args pass', async () => {
  const j = (await call('gemini', 'gemini-json')).json;
  const c = j.candidates[0];
  assert.equal(c.groundingMetadata.groundingSupports[0].segment.text, 'Mail <EMAIL_ADDRESS>');
  assert.equal(c.groundingMetadata.groundingChunks[0].web.title, '<EMAIL_ADDRESS> profile');
  assert.equal(c.groundingMetadata.webSearchQueries[0], 'who is <EMAIL_ADDRESS>');
  assert.equal(c.content.parts[1].inlineData.data, B64);
  assert.deepEqual(c.content.parts[2].functionCall, { id: 'fc_1', name: 'send_mail', args: { to: TOOL_MAIL } });
  assert.equal(j.responseId, 'rId-Abc_123');
  assert.equal(c.finishReason, 'STOP');

  const ev = events((await call('gemini', 'gemini-sse')).body);
  assert.equal(ev.map((e) => e.candidates[0].content.parts[0].text).join(''), 'ok');
  const seg = ev.flatMap((e) => e.candidates[0].groundingMetadata?.groundingSupports ?? []).map((s) => s.segment.text).join('');
  assert.equal(seg, 'Mail <EMAIL_ADDRESS>');
});
