// Streaming through aigw with the official SDK: SSE passes through chunk by chunk (arrival times
// spread like the provider's pacing), include_usage semantics, Responses and image streams.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { client, lastMockRequest, startPair } from './lib/harness.mjs';

let pair;
let mock;
let gw;
let sdk;

before(async () => {
  pair = await startPair('streaming');
  ({ mock, gw } = pair);
  sdk = client(gw);
});
after(async () => {
  if (pair) await pair.stop();
});

async function collect(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push({ t: performance.now(), c });
  return chunks;
}

test('chat stream with include_usage: text, usage chunk last, aigw headers', async () => {
  const { data: stream, response } = await sdk.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Say hello to Jane Doe in five words.' }],
  }).withResponse();
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(response.headers.get('x-aigw-request-id'));
  const chunks = (await collect(stream)).map((x) => x.c);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, 'Hello Jane Doe, nice to meet you!');
  const last = chunks[chunks.length - 1];
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.total_tokens, 25);
  assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'));
  const m = await lastMockRequest(mock, '/v1/chat/completions');
  assert.equal(JSON.parse(m.body).stream, true);
});

test('chat stream without include_usage: the client gets no usage chunk', async () => {
  const stream = await sdk.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hello' }],
  });
  const chunks = (await collect(stream)).map((x) => x.c);
  assert.ok(chunks.length >= 5);
  assert.ok(!chunks.some((c) => Array.isArray(c.choices) && c.choices.length === 0), 'no usage-only chunk');
  assert.ok(chunks.some((c) => c.choices[0]?.finish_reason === 'stop'));
});

test('chunks arrive incrementally, not all at the end (provider paces events 200 ms apart)', async () => {
  const t0 = performance.now();
  const stream = await sdk.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'pace me' }],
  }, { headers: { 'x-mock-chunk-delay-ms': '200' } });
  const chunks = await collect(stream);
  assert.ok(chunks.length >= 5, `got ${chunks.length} chunks`);
  const first = chunks[0].t;
  const last = chunks[chunks.length - 1].t;
  // 7 events 200 ms apart: ~1.2 s between first and last when passed through; ~0 when buffered.
  assert.ok(last - first >= 400, `first chunk only ${Math.round(last - first)} ms before the last`);
  const gaps = chunks.slice(1).map((x, i) => x.t - chunks[i].t);
  assert.ok(gaps.filter((g) => g >= 100).length >= 3, `gaps ${gaps.map(Math.round).join(',')}`);
  assert.ok(first - t0 < last - t0, 'first chunk before the last');
});

test('many small pieces reassemble exactly (echo, 2-byte pieces, UTF-8)', async () => {
  const prompt = 'Grüße aus Köln — 東京 🚀 end';
  const stream = await sdk.chat.completions.create({
    model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }],
  }, { headers: { 'x-mock-echo': '1', 'x-mock-piece': '2' } });
  const chunks = (await collect(stream)).map((x) => x.c);
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, prompt);
  assert.ok(chunks.length > 10);
});

test('responses stream: deltas and response.completed', async () => {
  const stream = await sdk.responses.create({ model: 'gpt-5-mini', input: 'hi', stream: true, store: false });
  const events = (await collect(stream)).map((x) => x.c);
  const text = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
  assert.equal(text, 'Hi there! How can I help?');
  assert.equal(events[0].type, 'response.created');
  assert.equal(events[events.length - 1].type, 'response.completed');
  assert.equal(events[events.length - 1].response.usage.total_tokens, 20);
});

test('image generation stream: partial then completed', async () => {
  const stream = await sdk.images.generate({ model: 'gpt-image-1', prompt: 'A red square', size: '1024x1024',
    stream: true, partial_images: 1 });
  const events = (await collect(stream)).map((x) => x.c);
  assert.deepEqual(events.map((e) => e.type), ['image_generation.partial_image', 'image_generation.completed']);
  assert.equal(events[1].usage.total_tokens, 285);
});

test('streams over one keep-alive connection in a row do not mix', async () => {
  for (let i = 0; i < 3; i++) {
    const prompt = `round ${i} text`;
    const stream = await sdk.chat.completions.create({
      model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }],
    }, { headers: { 'x-mock-echo': '1' } });
    const text = (await collect(stream)).map((x) => x.c.choices[0]?.delta?.content ?? '').join('');
    assert.equal(text, prompt);
  }
});
