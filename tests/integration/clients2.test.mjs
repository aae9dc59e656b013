// Official SDKs through aigw on surfaces clients.test.mjs and providers*.test.mjs do not cover: OpenAI audio
// (speech, transcription and translation uploads, streamed transcription, chat with audio input and output), image
// edits and variations (multipart image uploads), moderations, embeddings of string and token arrays, chat with
// n > 1, the Responses API's storage features; Anthropic tool use streamed as input_json_delta, token counting,
// prompt caching and the Files API; Gemini chats (multi-turn streams), function calling, speech generation,
// countTokens, batch embeddings and the Files API; OpenRouter's provider routing fields. One mock per provider records what left aigw. For each call: the PII planted in the request never
// reached the mock, it came back restored in what the SDK returned, the call is in the call log, the
// no-training flags were injected; what aigw cannot scan or restore is refused in the provider's error shape,
// raised by the SDK as its usual exception, and nothing is forwarded.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI, { toFile } from 'openai';
import { ASK, MODEL_JSON, NAME, TOOL_RESULT, clientSuite } from './lib/clients.mjs';
import { CLIENT_KEY, REPO, artifactDir } from './lib/harness.mjs';
import { RAW, assertImageClean, assertKeysSwapped, assertNoPii, exifOf, mockRequests } from './lib/providers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Tool results with personal data of their own: the values that must not reach the provider on the next turn. */
const TOOL_RAW = ['bob.smith@corp-mail.org', '415 555 0199'];

// audio uploads are forwarded unscanned here (clients.test.mjs covers the default: refused)
let gw;
let mocks;
let img;
let dir;
const suite = clientSuite('clients2', { providers: ['openai', 'anthropic', 'gemini', 'openrouter'],
  config: (store) => ({ ...store.config, pii: { default_action: 'tokenize', forward_unscanned_types: ['audio/*'] } }),
  ready: (s) => ({ gw, mocks, img, dir } = s) });
const { newUser, upstream, assertScrubbed, assertAnswer, calls, assertRecorded } = suite;

const openai = (user, headers = {}) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
  defaultHeaders: { 'X-AIGW-User': user, ...headers } });

/** The parts of a multipart/form-data body the mock logged: [{name, filename, type, data (Buffer)}]. */
function multipartParts(rec) {
  const raw = rec.body_encoding === 'base64' ? Buffer.from(rec.body, 'base64') : Buffer.from(rec.body, 'utf8');
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(rec.headers['content-type']);
  assert.ok(m, `multipart content-type: ${rec.headers['content-type']}`);
  const delim = Buffer.from(`--${m[1] || m[2]}`);
  const parts = [];
  let at = raw.indexOf(delim);
  while (at >= 0) {
    const start = at + delim.length;
    if (raw.subarray(start, start + 2).toString() === '--') break;
    const next = raw.indexOf(delim, start);
    const chunk = raw.subarray(start + 2, next - 2); // after CRLF, before CRLF--boundary
    const sep = chunk.indexOf('\r\n\r\n');
    const head = chunk.subarray(0, sep).toString('utf8');
    parts.push({ name: /name="([^"]*)"/.exec(head)?.[1], filename: /filename="([^"]*)"/.exec(head)?.[1],
      type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1], data: chunk.subarray(sep + 4) });
    at = next;
  }
  return parts;
}

/** A short PCM WAV file (silence): audio aigw cannot scan. */
function wav() {
  const b = Buffer.alloc(44 + 800);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + 800, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(800, 40);
  return b;
}

// ---------------------------------------------------------------------------------------------
// OpenAI (openai SDK)

describe('openai SDK: audio, images, moderations, embeddings, chat n>1', () => {
  test('audio.speech without personal data: the audio comes back byte for byte, recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const input = 'Your order has shipped and will arrive on Tuesday.';
    const res = await openai(user).audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input,
      instructions: 'Speak in a cheerful tone.' });
    assert.equal(res.headers.get('content-type'), 'audio/mpeg');
    const audio = Buffer.from(await res.arrayBuffer());
    assert.deepEqual(audio.subarray(0, 3), Buffer.from('ID3'));
    assert.equal(audio.subarray(10).toString('utf8'), input, 'the audio passed unchanged');
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/audio/speech');
    assert.equal(JSON.parse(rec.body).input, input);
    assertKeysSwapped(mocks.openai, CLIENT_KEY, [rec]);
    await assertRecorded(user, 'openai', { usage: false });
  });

  test('audio.speech with personal data to tokenize: refused 400 pii_unrestorable in OpenAI\'s shape (the audio would ' +
    'speak the placeholders; they cannot be restored in audio), nothing sent, the refusal recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    await assert.rejects(openai(user).audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy',
      input: `Hello ${NAME}, we will call you at ${RAW.phone}.` }), (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, `BadRequestError, got ${e.constructor.name}: ${e.message}`);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'pii_unrestorable');
      assert.equal(e.type, 'invalid_request_error');
      assert.match(e.message, /audio\/speech/);
      assert.match(e.message, /PHONE_NUMBER/);
      assert.ok(!e.message.includes(RAW.phone), 'the message names types, never values');
      return true;
    });
    assert.equal((await mocks.openai.requests()).length, 0, 'nothing reached the provider');
    await assertRecorded(user, 'openai', { status: 400, usage: false });
  });

  test('audio.transcriptions (audio allowed by forward_unscanned_types): the prompt part scrubbed, the audio byte for ' +
    'byte, the transcript restored, recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const audio = wav();
    const r = await openai(user, { 'x-mock-say': encodeURIComponent('Please write to <EMAIL_ADDRESS_1> today.') })
      .audio.transcriptions.create({ model: 'gpt-4o-transcribe', file: await toFile(audio, 'call.wav', { type: 'audio/wav' }),
        prompt: `Vocabulary: ${NAME}, ${RAW.email}, ${RAW.phone}` });
    assert.equal(r.text, `Please write to ${RAW.email} today.`);
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/audio/transcriptions');
    const parts = multipartParts(rec);
    const prompt = parts.find((p) => p.name === 'prompt').data.toString('utf8');
    assertScrubbed(prompt, 'transcription prompt');
    assert.deepEqual(parts.find((p) => p.name === 'file').data, audio, 'the audio forwarded unchanged');
    assert.equal(parts.find((p) => p.name === 'model').data.toString(), 'gpt-4o-transcribe');
    await assertRecorded(user, 'openai', { usage: false });
  });

  test('audio.translations: the prompt part scrubbed, the text restored', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user, { 'x-mock-say': encodeURIComponent('Call <PHONE_NUMBER_1> tomorrow.') })
      .audio.translations.create({ model: 'whisper-1', file: await toFile(wav(), 'call.wav', { type: 'audio/wav' }),
        prompt: `Names and numbers: ${NAME}, ${RAW.phone}` });
    assert.equal(r.text, `Call ${RAW.phone} tomorrow.`);
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/audio/translations');
    const prompt = multipartParts(rec).find((p) => p.name === 'prompt').data.toString('utf8');
    assertNoPii(prompt, 'translation prompt');
    assert.match(prompt, /<PHONE_NUMBER_1>/);
    assert.ok(!prompt.includes(NAME));
    await assertRecorded(user, 'openai', { usage: false });
  });

  test('audio.transcriptions with stream: true: transcript.text.delta pieces and the done text restored, usage recorded',
    async () => {
      await mocks.openai.reset();
      const user = newUser();
      const said = 'Please write to <EMAIL_ADDRESS_1> or call <PHONE_NUMBER_1>.';
      const stream = await openai(user, { 'x-mock-say': encodeURIComponent(said), 'x-mock-piece': '4' })
        .audio.transcriptions.create({ model: 'gpt-4o-mini-transcribe', stream: true,
          file: await toFile(wav(), 'call.wav', { type: 'audio/wav' }), prompt: `Names: ${NAME}, ${RAW.email}, ${RAW.phone}` });
      let deltas = '';
      let done;
      for await (const ev of stream) {
        if (ev.type === 'transcript.text.delta') deltas += ev.delta;
        if (ev.type === 'transcript.text.done') done = ev;
      }
      const want = `Please write to ${RAW.email} or call ${RAW.phone}.`;
      assert.equal(deltas, want, 'the deltas restored across pieces');
      assert.equal(done.text, want, 'the done event restored');
      const [rec] = await upstream(mocks.openai);
      const prompt = multipartParts(rec).find((p) => p.name === 'prompt').data.toString('utf8');
      assertScrubbed(prompt, 'streamed transcription prompt');
      const [row] = await assertRecorded(user, 'openai');
      assert.equal(Number(row.usage.output_tokens), 9, JSON.stringify(row.usage));
    });

  test('chat.completions with audio output (modalities ["text", "audio"]): without personal data the spoken answer and ' +
    'its transcript come back; with a value to tokenize refused 400 pii_unrestorable, nothing sent', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const sdk = openai(user, { 'x-mock-echo': '1' });
    const ask = { model: 'gpt-4o-audio-preview', modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'mp3' } };
    const r = await sdk.chat.completions.create({ ...ask, messages: [{ role: 'user', content: 'Read me the weather.' }] });
    assert.equal(r.choices[0].message.audio.transcript, 'Read me the weather.');
    assert.equal(Buffer.from(r.choices[0].message.audio.data, 'base64').subarray(10).toString(), 'Read me the weather.');
    await assert.rejects(sdk.chat.completions.create({ ...ask, messages: [{ role: 'user', content: ASK }] }), (e) => {
      assert.ok(e instanceof OpenAI.BadRequestError, `${e.constructor.name}: ${e.message}`);
      assert.equal(e.code, 'pii_unrestorable');
      assert.match(e.message, /EMAIL_ADDRESS/);
      return true;
    });
    assert.equal((await mocks.openai.requests()).length, 1, 'the refused call never reached OpenAI');
    const rows = await calls(user, 2);
    assert.deepEqual(rows.map((x) => x.status), [200, 400]);
  });

  test('chat.completions with an input_audio part (audio allowed by forward_unscanned_types): the audio forwarded as ' +
    'sent, the text part scrubbed, the answer restored', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const data = wav().toString('base64');
    const r = await openai(user, { 'x-mock-echo': '1' }).chat.completions.create({ model: 'gpt-4o-audio-preview',
      messages: [{ role: 'user', content: [{ type: 'text', text: ASK }, { type: 'input_audio', input_audio: { data, format: 'wav' } }] }] });
    assertAnswer(r.choices[0].message.content, 'input_audio answer');
    const [rec] = await upstream(mocks.openai);
    const b = JSON.parse(rec.body);
    assert.equal(b.messages[0].content[1].input_audio.data, data, 'the audio forwarded unchanged');
    assertScrubbed(rec.body, 'input_audio request');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('images.edit (multipart image upload): EXIF/GPS stripped, the image returned, recorded; a prompt with values to ' +
    'tokenize refused 400 pii_unrestorable (the image would draw the placeholders), nothing sent', async () => {
      await mocks.openai.reset();
      const user = newUser();
      await assert.rejects(openai(user).images.edit({ model: 'gpt-image-1',
        image: await toFile(img.bytes, 'photo.jpg', { type: 'image/jpeg' }),
        prompt: `Add a name tag reading ${NAME} and the e-mail ${RAW.email}` }), (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, `${e.constructor.name}: ${e.message}`);
        assert.equal(e.code, 'pii_unrestorable');
        assert.match(e.message, /images\/edits/);
        assert.match(e.message, /PERSON/);
        assert.match(e.message, /EMAIL_ADDRESS/);
        assert.ok(!e.message.includes(NAME) && !e.message.includes(RAW.email), 'types, never values');
        return true;
      });
      assert.equal((await mocks.openai.requests()).length, 0, 'the refused edit never reached OpenAI');
      const r = await openai(user).images.edit({ model: 'gpt-image-1',
        image: await toFile(img.bytes, 'photo.jpg', { type: 'image/jpeg' }), prompt: 'Add a name tag reading Guest' });
      assert.ok(r.data[0].b64_json.length > 0, 'the edited image came back');
      const [rec] = await upstream(mocks.openai);
      assert.equal(rec.path, '/v1/images/edits');
      const parts = multipartParts(rec);
      assert.equal(parts.find((p) => p.name === 'prompt').data.toString('utf8'), 'Add a name tag reading Guest');
      const image = parts.find((p) => p.name === 'image');
      assertImageClean(image.data.toString('base64'), dir, 'images.edit upload');
      assert.ok(image.data.length < img.bytes.length, 'metadata removed from the upload');
      const rows = await calls(user, 2);
      assert.deepEqual(rows.map((x) => x.status), [400, 200]);
    });

  test('images.edit with several images and a mask: every image part stripped', async () => {
    await mocks.openai.reset();
    const user = newUser();
    await openai(user).images.edit({ model: 'gpt-image-1', prompt: 'Put them side by side',
      image: [await toFile(img.bytes, 'a.jpg', { type: 'image/jpeg' }), await toFile(img.bytes, 'b.jpg', { type: 'image/jpeg' })],
      mask: await toFile(img.bytes, 'mask.jpg', { type: 'image/jpeg' }) });
    const [rec] = await upstream(mocks.openai);
    const files = multipartParts(rec).filter((p) => p.filename !== undefined);
    assert.deepEqual(files.map((p) => p.name), ['image[]', 'image[]', 'mask']);
    for (const f of files) assertImageClean(f.data.toString('base64'), dir, `images.edit ${f.name} ${f.filename}`);
    await assertRecorded(user, 'openai');
  });

  test('images.createVariation (dall-e-2): the upload stripped, the answer returned', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user).images.createVariation({ model: 'dall-e-2',
      image: await toFile(img.bytes, 'photo.jpg', { type: 'image/jpeg' }) });
    assert.ok(r.data[0].url, 'an image URL came back');
    const [rec] = await upstream(mocks.openai);
    assert.equal(rec.path, '/v1/images/variations');
    const tags = exifOf(multipartParts(rec).find((p) => p.name === 'image').data, dir);
    assert.equal(tags['EXIF:GPSLatitude'], undefined, 'no GPS position in the variation upload');
    await assertRecorded(user, 'openai', { usage: false });
  });

  test('an image upload aigw cannot parse (a truncated JPEG) is refused in OpenAI\'s shape, nothing sent', async () => {
    await mocks.openai.reset();
    await assert.rejects(openai(newUser()).images.edit({ model: 'gpt-image-1', prompt: 'brighter',
      image: await toFile(img.bytes.subarray(0, 40), 'photo.jpg', { type: 'image/jpeg' }) }), (e) => {
      assert.ok(e instanceof OpenAI.APIError && e.status >= 400 && e.status < 500, `4xx APIError, got ${e.status} ${e.message}`);
      assert.equal(e.type, 'invalid_request_error');
      return true;
    });
    assert.equal((await mocks.openai.requests()).length, 0, 'nothing reached the provider');
  });

  test('moderations.create (array input and multi-modal parts): scrubbed, results returned, recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user).moderations.create({ model: 'omni-moderation-latest', input: [ASK, `Kind regards, ${NAME}`] });
    assert.equal(r.results.length, 2);
    assert.equal(r.results[0].flagged, false);
    const r2 = await openai(user).moderations.create({ model: 'omni-moderation-latest', input: [
      { type: 'text', text: ASK }, { type: 'image_url', image_url: { url: img.dataUri } }] });
    assert.equal(r2.results.length, 2);
    const [a, b] = await upstream(mocks.openai, 2);
    assert.equal(a.path, '/v1/moderations');
    assertScrubbed(a.body, 'moderation request');
    assertScrubbed(b.body, 'multi-modal moderation request');
    assertImageClean(JSON.parse(b.body).input[1].image_url.url, dir, 'moderation image');
    await assertRecorded(user, 'openai', { n: 2, usage: false });
  });

  test('embeddings.create with an array of strings and with token arrays: strings scrubbed, token ids refused', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user).embeddings.create({ model: 'text-embedding-3-small', input: [ASK, `Signed, ${NAME}`, 'hello'],
      encoding_format: 'float' });
    assert.equal(r.data.length, 3);
    assert.equal(r.data[2].embedding.length, 4);
    // token ids are text aigw cannot read (no tokenizer): refused since session 16 (they went out unscanned before)
    const tokens = [[9906, 1917], [40, 1097, 264, 3446]];
    await assert.rejects(openai(user).embeddings.create({ model: 'text-embedding-3-small', input: tokens, dimensions: 8 }),
      (e) => e instanceof OpenAI.BadRequestError && e.code === 'unscannable_tokens');
    const [a] = await upstream(mocks.openai, 1);
    assertScrubbed(a.body, 'embeddings strings');
    assert.equal((await mocks.openai.requests()).length, 1, 'the token ids were not forwarded');
    const rows = await calls(user, 2);
    assert.deepEqual(rows.map((x) => x.status), [200, 400], JSON.stringify(rows));
  });

  test('chat.completions with n = 3: every choice restored, store:false forced, recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user, { 'x-mock-echo': '1' }).chat.completions.create({ model: 'gpt-4o-mini', n: 3,
      messages: [{ role: 'user', content: ASK }] });
    assert.equal(r.choices.length, 3);
    for (const c of r.choices) assertAnswer(c.message.content, `choice ${c.index}`);
    const [rec] = await upstream(mocks.openai);
    assertScrubbed(rec.body, 'n=3 request');
    assert.equal(JSON.parse(rec.body).store, false);
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('chat.completions stream with n = 3 (the choices\' chunks interleave): each choice restored on its own', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const stream = await openai(user, { 'x-mock-echo': '1', 'x-mock-piece': '4' }).chat.completions.create({
      model: 'gpt-4o-mini', n: 3, stream: true, messages: [{ role: 'user', content: ASK }] });
    const texts = ['', '', ''];
    for await (const c of stream) for (const ch of c.choices) texts[ch.index] += ch.delta?.content ?? '';
    for (const [i, t] of texts.entries()) assertAnswer(t, `streamed choice ${i}`);
    const [rec] = await upstream(mocks.openai);
    assertScrubbed(rec.body, 'n=3 stream request');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });

  test('chat stream with stream_options.include_usage: the usage chunk reaches the SDK once and is recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const stream = await openai(user, { 'x-mock-echo': '1', 'x-mock-piece': '5' }).chat.completions.create({
      model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: ASK }] });
    let text = '';
    const usages = [];
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      if (c.usage) usages.push(c.usage);
    }
    assertAnswer(text, 'include_usage stream');
    assert.equal(usages.length, 1, 'one usage chunk');
    const [row] = await assertRecorded(user, 'openai', { decision: /store=false/ });
    assert.equal(Number(row.usage.input_tokens), usages[0].prompt_tokens, 'the recorded usage is the one the client saw');
    assert.equal(Number(row.usage.output_tokens), usages[0].completion_tokens);
  });
});

describe('log probabilities (the tokens would be pieces of the placeholders): refused with a value to tokenize', () => {
  /** The SDK error of a pii_unrestorable refusal: BadRequestError, the types named, never the values, logprobs said. */
  const isLogprobsRefusal = (e) => {
    assert.ok(e instanceof OpenAI.BadRequestError, `BadRequestError, got ${e.constructor.name}: ${e.message}`);
    assert.equal(e.status, 400);
    assert.equal(e.code, 'pii_unrestorable');
    assert.match(e.message, /log probabilities/);
    assert.match(e.message, /EMAIL_ADDRESS/);
    assert.ok(!e.message.includes(RAW.email) && !e.message.includes(NAME), 'the message names types, never values');
    return true;
  };

  test('chat.completions logprobs / top_logprobs, completions logprobs, Responses include message.output_text.logprobs: ' +
    'without personal data forwarded as asked; with a value to tokenize BadRequestError 400 pii_unrestorable, nothing ' +
    'sent, the refusals recorded', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const sdk = openai(user, { 'x-mock-echo': '1' });
    const r = await sdk.chat.completions.create({ model: 'gpt-4o-mini', logprobs: true, top_logprobs: 2,
      messages: [{ role: 'user', content: 'Say hello.' }] });
    assert.equal(r.choices[0].message.content, 'Say hello.');
    const [rec] = await upstream(mocks.openai);
    assert.equal(JSON.parse(rec.body).logprobs, true, 'logprobs forwarded when nothing was tokenized');
    await assert.rejects(sdk.chat.completions.create({ model: 'gpt-4o-mini', logprobs: true, top_logprobs: 2,
      messages: [{ role: 'user', content: ASK }] }), isLogprobsRefusal);
    await assert.rejects(sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true, logprobs: true,
      messages: [{ role: 'user', content: ASK }] }), isLogprobsRefusal);
    await assert.rejects(sdk.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: ASK, logprobs: 0 }),
      isLogprobsRefusal);
    await assert.rejects(sdk.responses.create({ model: 'gpt-4o-mini', input: ASK, include: ['message.output_text.logprobs'] }),
      isLogprobsRefusal);
    assert.equal((await mocks.openai.requests()).length, 1, 'the refused calls never reached OpenAI');
    const rows = await calls(user, 5);
    assert.deepEqual(rows.map((x) => x.status), [200, 400, 400, 400, 400]);
  });

  test('OpenRouter (top_logprobs) and Gemini\'s OpenAI-compatible API (logprobs) through the openai SDK: refused the same ' +
    'way, nothing sent', async () => {
    await mocks.openrouter.reset();
    await mocks.gemini.reset();
    const user = newUser();
    const or = new OpenAI({ baseURL: `${gw.url}/openrouter/api/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': user } });
    await assert.rejects(or.chat.completions.create({ model: 'openai/gpt-4o-mini', logprobs: true, top_logprobs: 5,
      messages: [{ role: 'user', content: ASK }] }), (e) => {
      assert.equal(e.status, 400, e.message);
      assert.match(e.message, /log probabilities/);
      return true;
    });
    const gm = new OpenAI({ baseURL: `${gw.url}/gemini/v1beta/openai`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': user } });
    await assert.rejects(gm.chat.completions.create({ model: 'gemini-2.5-flash', logprobs: true,
      messages: [{ role: 'user', content: ASK }] }), isLogprobsRefusal);
    assert.equal((await mocks.openrouter.requests()).length, 0, 'nothing reached OpenRouter');
    assert.equal((await mocks.gemini.requests()).length, 0, 'nothing reached Google');
  });

  test('@google/genai responseLogprobs / logprobs: ApiError 400 pii_unrestorable in Gemini\'s shape, nothing sent; ' +
    'without personal data forwarded', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta',
      headers: { 'X-AIGW-User': user, 'x-mock-echo': '1' } } });
    const config = { responseLogprobs: true, logprobs: 3 };
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say hello.', config });
    assert.equal(r.text, 'Say hello.');
    for (const call of [() => ai.models.generateContent({ model: 'gemini-2.5-flash', contents: ASK, config }),
      () => ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: ASK, config: { responseLogprobs: true } })]) {
      await assert.rejects(call(), (e) => {
        assert.equal(e.status, 400, e.message);
        const body = JSON.parse(e.message);
        assert.equal(body.error.status, 'INVALID_ARGUMENT');
        assert.match(body.error.message, /log probabilities/);
        assert.match(body.error.message, /EMAIL_ADDRESS/);
        return true;
      });
    }
    const recs = await mocks.gemini.requests();
    assert.equal(recs.length, 1, 'only the call without personal data reached Google');
    assert.equal(JSON.parse(recs[0].body).generationConfig.responseLogprobs, true);
  });
});

describe('end-user ids sent to the provider (OpenAI user / safety_identifier, Anthropic metadata.user_id)', () => {
  test('ids that are e-mail addresses: each end user gets a pseudonym of their own (it was "<EMAIL_ADDRESS_1>" for ' +
    'every user, or one hash of that placeholder), stable across calls, never the address', async () => {
    await mocks.openai.reset();
    await mocks.anthropic.reset();
    const ids = ['jane.doe@example.com', 'bob.smith@corp-mail.org'];
    for (const id of [...ids, ids[0]]) {
      // the app's own id as the body's user, the way OpenAI documents it (aigw reads the end user from it too)
      const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      await sdk.chat.completions.create({ model: 'gpt-4o-mini', user: id, safety_identifier: id,
        messages: [{ role: 'user', content: 'hi' }] });
      await sdk.responses.create({ model: 'gpt-4o-mini', input: 'hi', safety_identifier: id });
      const claude = new Anthropic({ baseURL: `${gw.url}/anthropic`, apiKey: CLIENT_KEY, maxRetries: 0,
        defaultHeaders: { 'X-AIGW-User': id } });
      await claude.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, metadata: { user_id: id },
        messages: [{ role: 'user', content: 'hi' }] });
    }
    const oa = (await upstream(mocks.openai, 6)).map((r) => JSON.parse(r.body));
    const an = (await upstream(mocks.anthropic, 3)).map((r) => JSON.parse(r.body).metadata.user_id);
    const seen = [[oa[0].user, oa[0].safety_identifier, oa[1].safety_identifier, an[0]],
      [oa[2].user, oa[2].safety_identifier, oa[3].safety_identifier, an[1]],
      [oa[4].user, oa[4].safety_identifier, oa[5].safety_identifier, an[2]]];
    for (const row of seen) for (const v of row) assert.match(v, /^u_[0-9a-f]{32}$/, JSON.stringify(seen));
    assert.notEqual(seen[0][0], seen[1][0], 'two users, two pseudonyms at OpenAI');
    assert.notEqual(seen[0][3], seen[1][3], 'two users, two pseudonyms at Anthropic');
    assert.deepEqual(seen[2], seen[0], 'the same user keeps the same pseudonyms');
    assert.ok(!mocks.openai.logText().includes('example.com') && !mocks.anthropic.logText().includes('example.com'));
    const [row] = await calls(ids[1], 3).then((rows) => rows.filter((x) => x.route.endsWith('chat/completions')));
    assert.match(row.notrain_decision, /user hashed,safety_identifier hashed/);
  });

  test('each id is hashed from the value the client sent, not from the end user of the call: one address under two ' +
    'X-AIGW-User ids gets one pseudonym; a call\'s user and safety_identifier get their own (both were the hash of ' +
    'the end user)', async () => {
    await mocks.openai.reset();
    await mocks.anthropic.reset();
    const [jane, bob] = ['jane.doe@example.com', 'bob.smith@corp-mail.org'];
    const app = (id) => `clients2-app-${process.pid}-${id}`;
    for (const [who, id] of [[app('a'), jane], [app('b'), jane], [app('a'), bob]]) {
      const claude = new Anthropic({ baseURL: `${gw.url}/anthropic`, apiKey: CLIENT_KEY, maxRetries: 0,
        defaultHeaders: { 'X-AIGW-User': who } });
      await claude.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, metadata: { user_id: id },
        messages: [{ role: 'user', content: 'hi' }] });
    }
    const an = (await upstream(mocks.anthropic, 3)).map((r) => JSON.parse(r.body).metadata.user_id);
    for (const v of an) assert.match(v, /^u_[0-9a-f]{32}$/, JSON.stringify(an));
    assert.equal(an[0], an[1], 'one address, one pseudonym, whoever the end user of the call');
    assert.notEqual(an[0], an[2], 'two addresses, two pseudonyms');
    const sdk = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', user: jane, safety_identifier: bob,
      messages: [{ role: 'user', content: 'hi' }] });
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', user: bob, messages: [{ role: 'user', content: 'hi' }] });
    const [both, bobOnly] = (await upstream(mocks.openai, 2)).map((r) => JSON.parse(r.body));
    assert.notEqual(both.user, both.safety_identifier, 'user and safety_identifier hashed apart');
    assert.equal(both.safety_identifier, bobOnly.user, 'one id, one pseudonym, in either field');
    assert.ok(!mocks.openai.logText().includes('example.com') && !mocks.anthropic.logText().includes('corp-mail.org'));
  });
});

describe('openai SDK: Responses API storage features (no-storage policy)', () => {
  const cases = [
    ['previous_response_id', { previous_response_id: 'resp_68af4030592c81938ec0a5fbab4a3e9f' }, 'openai_previous_response_id'],
    ['conversation', { conversation: 'conv_689667905b048191b4740501625afd940c7533ace33a2dab' }, 'openai_conversation'],
    ['background', { background: true }, 'openai_background'],
  ];
  for (const [label, extra, code] of cases) {
    test(`responses.create with ${label}: PermissionDeniedError ${code}, nothing sent, refusal recorded`, async () => {
      await mocks.openai.reset();
      const user = newUser();
      await assert.rejects(openai(user).responses.create({ model: 'gpt-4o-mini', input: ASK, ...extra }), (e) => {
        assert.ok(e instanceof OpenAI.PermissionDeniedError, `${e.constructor.name}: ${e.message}`);
        assert.equal(e.code, code);
        assert.match(e.message, /store:false|no-storage/);
        assert.ok(!e.message.includes(RAW.email));
        return true;
      });
      assert.equal((await mocks.openai.requests()).length, 0, 'nothing reached OpenAI');
      const [row] = await assertRecorded(user, 'openai', { status: 403, usage: false });
      assert.equal(row.notrain_decision, `refused:${code}`);
    });
  }

  test('conversations.create and files.create (storage routes): PermissionDeniedError, nothing sent', async () => {
    await mocks.openai.reset();
    const sdk = openai(newUser());
    await assert.rejects(sdk.conversations.create({ items: [{ type: 'message', role: 'user', content: ASK }] }),
      (e) => e instanceof OpenAI.PermissionDeniedError && e.code === 'openai_storage_route');
    await assert.rejects(sdk.files.create({ purpose: 'user_data', file: await toFile(Buffer.from(ASK), 'notes.txt') }),
      (e) => e instanceof OpenAI.PermissionDeniedError && e.code === 'openai_storage_route');
    assert.equal((await mocks.openai.requests()).length, 0);
  });

  test('responses.create with store:true asked: store:false forced, the answer restored', async () => {
    await mocks.openai.reset();
    const user = newUser();
    const r = await openai(user, { 'x-mock-echo': '1' }).responses.create({ model: 'gpt-4o-mini', input: ASK, store: true,
      metadata: { customer: RAW.email } });
    assertAnswer(r.output_text, 'responses store:true');
    const [rec] = await upstream(mocks.openai);
    const b = JSON.parse(rec.body);
    assert.equal(b.store, false);
    assert.equal(b.metadata, undefined, 'metadata dropped');
    assertScrubbed(rec.body, 'responses store:true request');
    await assertRecorded(user, 'openai', { decision: /store=false/ });
  });
});

// ---------------------------------------------------------------------------------------------
// Anthropic (@anthropic-ai/sdk)

describe('@anthropic-ai/sdk: streamed tool use, token counting, prompt caching', () => {
  const claude = (user, headers = {}) => new Anthropic({ baseURL: `${gw.url}/anthropic`, apiKey: CLIENT_KEY, maxRetries: 0,
    defaultHeaders: { 'X-AIGW-User': user, ...headers } });
  const tools = [{ name: 'lookup_ticket', description: 'Find the ticket of a customer', input_schema: { type: 'object',
    properties: { contact: { type: 'string' }, phone: { type: 'string' }, summary: { type: 'string' } } } }];

  test('messages.stream with a tool: input_json_delta pieces restored (inputJson snapshots, finalMessage); the ' +
    'tool_result turn scrubbed again', async () => {
    await mocks.anthropic.reset();
    const user = newUser();
    const sdk = claude(user, { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON), 'x-mock-piece': '4' });
    const stream = sdk.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 256, tools,
      messages: [{ role: 'user', content: ASK }] });
    let partial = '';
    let snapshot;
    stream.on('inputJson', (delta, snap) => {
      partial += delta;
      snapshot = snap;
    });
    const msg = await stream.finalMessage();
    const want = { contact: RAW.email, phone: RAW.phone, summary: 'refund' };
    assert.equal(msg.stop_reason, 'tool_use');
    assert.deepEqual(msg.content[0].input, want, 'finalMessage tool input restored');
    assert.deepEqual(JSON.parse(partial), want, 'the concatenated partial_json restored');
    assert.deepEqual(snapshot, want, 'the last inputJson snapshot');
    const final = await sdk.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 256, tools, messages: [
      { role: 'user', content: ASK }, { role: 'assistant', content: msg.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: msg.content[0].id, content: TOOL_RESULT }] }] });
    assert.equal(final.content[0].text, TOOL_RESULT, 'the answer quoting the tool result restored');
    const [first, second] = await upstream(mocks.anthropic, 2);
    assertScrubbed(first.body, 'tool stream request');
    assertScrubbed(second.body, 'tool_result turn');
    for (const v of TOOL_RAW) assert.ok(!second.body.includes(v), `tool result value ${v} scrubbed`);
    assertKeysSwapped(mocks.anthropic, CLIENT_KEY, [first, second]);
    await assertRecorded(user, 'anthropic', { n: 2 });
  });

  test('beta.files.upload and a document block with a file source (Files API storage): PermissionDeniedError in ' +
    'Anthropic\'s shape, nothing sent', async () => {
    await mocks.anthropic.reset();
    const sdk = claude(newUser());
    await assert.rejects(sdk.beta.files.upload({ file: await Anthropic.toFile(Buffer.from(ASK), 'notes.txt', { type: 'text/plain' }) }),
      (e) => {
        assert.ok(e instanceof Anthropic.PermissionDeniedError, `${e.constructor.name}: ${e.message}`);
        assert.equal(e.error.type, 'error');
        assert.equal(e.error.error.type, 'permission_error');
        return true;
      });
    await assert.rejects(sdk.beta.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, betas: ['files-api-2025-04-14'],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise' },
        { type: 'document', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } }] }] }),
    (e) => e instanceof Anthropic.PermissionDeniedError && e.error.error.type === 'permission_error');
    assert.equal((await mocks.anthropic.requests()).length, 0, 'nothing reached Anthropic');
  });

  test('messages.countTokens: scrubbed, the count returned, recorded and not charged', async () => {
    await mocks.anthropic.reset();
    const user = newUser();
    const r = await claude(user).messages.countTokens({ model: 'claude-sonnet-4-6', system: `The agent is ${NAME}.`,
      messages: [{ role: 'user', content: ASK }] });
    assert.ok(r.input_tokens > 0);
    const [rec] = await upstream(mocks.anthropic);
    assert.equal(rec.path, '/v1/messages/count_tokens');
    assertScrubbed(rec.body, 'count_tokens request');
    await assertRecorded(user, 'anthropic', { usage: false });
  });

  test('prompt caching: cache_control blocks forwarded as sent (text scrubbed), cache usage recorded', async () => {
    await mocks.anthropic.reset();
    const user = newUser();
    const r = await claude(user, { 'x-mock-echo': '1' }).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 256,
      system: [{ type: 'text', text: `You help ${NAME} (${RAW.email}). ${'Policy text. '.repeat(50)}`,
        cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: ASK, cache_control: { type: 'ephemeral' } }] }] });
    assertAnswer(r.content[0].text, 'cached prompt answer');
    assert.equal(r.usage.cache_creation_input_tokens, 1830);
    const [rec] = await upstream(mocks.anthropic);
    const b = JSON.parse(rec.body);
    assert.deepEqual(b.system[0].cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(b.messages[0].content[0].cache_control, { type: 'ephemeral' });
    assertScrubbed(rec.body, 'cached prompt request');
    const [row] = await assertRecorded(user, 'anthropic');
    assert.equal(Number(row.usage.cache_write_tokens), 1830, JSON.stringify(row.usage));
  });
});

// ---------------------------------------------------------------------------------------------
// Gemini (@google/genai)

describe('@google/genai: chats, function calling, countTokens, batch embeddings, Files API', () => {
  const ai = (user, headers = {}) => new GoogleGenAI({ apiKey: CLIENT_KEY,
    httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers: { 'X-AIGW-User': user, ...headers } } });

  test('chats.create().sendMessageStream, two turns: each turn restored; the second turn\'s history (the user\'s ' +
    'first message and the restored answer) scrubbed again', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const chat = ai(user, { 'x-mock-echo': '1', 'x-mock-piece': '6' }).chats.create({ model: 'gemini-2.5-flash' });
    let text = '';
    for await (const c of await chat.sendMessageStream({ message: ASK })) text += c.text ?? '';
    assertAnswer(text, 'chat turn 1');
    let text2 = '';
    for await (const c of await chat.sendMessageStream({ message: `Also cc ${TOOL_RESULT}` })) text2 += c.text ?? '';
    assert.equal(text2, `Also cc ${TOOL_RESULT}`);
    // the SDK keeps each streamed chunk as a model entry of the history
    const modelText = (contents) => contents.filter((c) => c.role === 'model').map((c) => c.parts.map((p) => p.text ?? '').join(''))
      .join('');
    assert.equal(modelText(chat.getHistory()), text + text2, 'the history keeps the restored answers');
    const [first, second] = await upstream(mocks.gemini, 2);
    assert.match(second.path, /:streamGenerateContent$/);
    assertScrubbed(first.body, 'chat turn 1 request');
    assertScrubbed(second.body, 'chat turn 2 request');
    for (const v of TOOL_RAW) assert.ok(!second.body.includes(v), `turn 2 value ${v} scrubbed`);
    const sent = JSON.parse(second.body).contents;
    assert.equal(sent[0].parts[0].text.startsWith('The customer is <PERSON_1>.'), true, 'turn 1 went again, scrubbed');
    assert.match(modelText(sent), /^The customer is <PERSON_\d>\. Please reply to <EMAIL_ADDRESS_\d>/,
      'the restored answer went back scrubbed');
    await assertRecorded(user, 'gemini', { n: 2 });
  });

  test('function calling: functionCall args restored for the app; the functionResponse turn scrubbed', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const client = ai(user, { 'x-mock-tool-call': '1', 'x-mock-say': encodeURIComponent(MODEL_JSON) });
    const config = { tools: [{ functionDeclarations: [{ name: 'lookup_ticket', description: 'Find the ticket of a customer',
      parametersJsonSchema: { type: 'object', properties: { contact: { type: 'string' }, phone: { type: 'string' },
        summary: { type: 'string' } } } }] }] };
    const r = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: ASK, config });
    assert.deepEqual(r.functionCalls, [{ name: 'lookup_ticket', args: { contact: RAW.email, phone: RAW.phone, summary: 'refund' } }]);
    const r2 = await client.models.generateContent({ model: 'gemini-2.5-flash', config, contents: [
      { role: 'user', parts: [{ text: ASK }] }, r.candidates[0].content,
      { role: 'user', parts: [{ functionResponse: { name: 'lookup_ticket', response: { content: TOOL_RESULT } } }] }] });
    assert.equal(r2.text, TOOL_RESULT);
    const [first, second] = await upstream(mocks.gemini, 2);
    assertScrubbed(first.body, 'function calling request');
    assertScrubbed(second.body, 'functionResponse turn');
    for (const v of TOOL_RAW) assert.ok(!second.body.includes(v), `function response value ${v} scrubbed`);
    await assertRecorded(user, 'gemini', { n: 2 });
  });

  test('speech generation (responseModalities ["AUDIO"]): without personal data the audio comes back as sent; with a ' +
    'value to tokenize ApiError 400 pii_unrestorable in Gemini\'s shape, nothing sent', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const config = { responseModalities: ['AUDIO'], speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } } };
    const r = await ai(user).models.generateContent({ model: 'gemini-2.5-flash-preview-tts', contents: 'Say cheerfully: have a nice day',
      config });
    const part = r.candidates[0].content.parts[0].inlineData;
    assert.match(part.mimeType, /^audio\/L16/);
    assert.equal(Buffer.from(part.data, 'base64').toString(), 'Say cheerfully: have a nice day');
    await assert.rejects(ai(user).models.generateContent({ model: 'gemini-2.5-flash-preview-tts', contents: `Say: call ${RAW.phone}`,
      config }), (e) => {
      assert.equal(e.status, 400, e.message);
      const body = JSON.parse(e.message);
      assert.equal(body.error.code, 400);
      assert.equal(body.error.status, 'INVALID_ARGUMENT');
      assert.match(body.error.message, /PHONE_NUMBER/);
      return true;
    });
    assert.equal((await mocks.gemini.requests()).length, 1, 'the refused call never reached Google');
    const rows = await calls(user, 2);
    assert.deepEqual(rows.map((x) => x.status), [200, 400]);
  });

  test('image output (responseModalities ["TEXT", "IMAGE"]) with a value to tokenize: ApiError 400 pii_unrestorable in ' +
    'Gemini\'s shape (the image could draw the placeholders), nothing sent', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    await assert.rejects(ai(user).models.generateContent({ model: 'gemini-2.5-flash-image', contents: `A business card for ${ASK}`,
      config: { responseModalities: ['TEXT', 'IMAGE'] } }), (e) => {
      assert.equal(e.status, 400, e.message);
      const body = JSON.parse(e.message);
      assert.equal(body.error.status, 'INVALID_ARGUMENT');
      assert.match(body.error.message, /media made from the request's text/);
      assert.match(body.error.message, /EMAIL_ADDRESS/);
      return true;
    });
    assert.equal((await mocks.gemini.requests()).length, 0, 'the refused call never reached Google');
    await assertRecorded(user, 'gemini', { status: 400, usage: false });
  });

  test('countTokens: scrubbed, the count returned, recorded', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const r = await ai(user).models.countTokens({ model: 'gemini-2.5-flash', contents: ASK });
    assert.ok(r.totalTokens > 0);
    const [rec] = await upstream(mocks.gemini);
    assert.equal(rec.path, '/v1beta/models/gemini-2.5-flash:countTokens');
    assertScrubbed(rec.body, 'countTokens request');
    await assertRecorded(user, 'gemini', { usage: false });
  });

  test('embedContent with several contents (batchEmbedContents): every text scrubbed, one vector each', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const r = await ai(user).models.embedContent({ model: 'gemini-embedding-001', contents: [ASK, `Signed, ${NAME}`, 'hello'] });
    assert.equal(r.embeddings.length, 3);
    const [rec] = await upstream(mocks.gemini);
    assert.equal(rec.path, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assertScrubbed(rec.body, 'batch embeddings request');
    await assertRecorded(user, 'gemini', { usage: false });
  });

  test('Files API (files.upload, files.list, files.get, files.delete: storage at Google): ApiError 403 ' +
    'gemini_storage_route in Gemini\'s shape, like the Anthropic and OpenAI Files APIs, nothing sent', async () => {
    await mocks.gemini.reset();
    const user = newUser();
    const isStorageRefusal = (what) => (e) => {
      assert.equal(e.status, 403, `${what}: ${e.message}`);
      // Gemini's error shape {"error":{"code","message","status","details":[ErrorInfo]}} (the upload was a 404)
      const body = JSON.parse(e.message);
      assert.equal(body.error.code, 403);
      assert.equal(body.error.status, 'PERMISSION_DENIED');
      assert.equal(body.error.details[0].reason, 'gemini_storage_route');
      assert.match(body.error.message, /stores content at the provider/);
      return true;
    };
    const files = ai(user).files;
    await assert.rejects(files.upload({ file: new Blob([ASK], { type: 'text/plain' }), config: { mimeType: 'text/plain' } }),
      isStorageRefusal('upload'));
    await assert.rejects(files.list().then((pager) => pager.page), isStorageRefusal('list'));
    await assert.rejects(files.get({ name: 'files/abc-123' }), isStorageRefusal('get'));
    await assert.rejects(files.delete({ name: 'files/abc-123' }), isStorageRefusal('delete'));
    assert.equal((await mocks.gemini.requests()).length, 0, 'nothing reached Google');
  });
});

// ---------------------------------------------------------------------------------------------
// OpenRouter (openai SDK)

describe('OpenRouter through the openai SDK: provider routing fields', () => {
  test('provider.order / only / sort / allow_fallbacks and models[] kept; data_collection "deny" and zdr forced; ' +
    'scrubbed, restored, recorded', async () => {
    await mocks.openrouter.reset();
    const user = newUser();
    const sdk = new OpenAI({ baseURL: `${gw.url}/openrouter/api/v1`, apiKey: CLIENT_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': user, 'x-mock-echo': '1' } });
    const r = await sdk.chat.completions.create({ model: 'anthropic/claude-sonnet-4.5', messages: [{ role: 'user', content: ASK }],
      models: ['anthropic/claude-sonnet-4.5', 'openai/gpt-4o-mini'],
      provider: { order: ['anthropic', 'amazon-bedrock'], only: ['anthropic', 'amazon-bedrock'], sort: 'price',
        allow_fallbacks: false, require_parameters: true, data_collection: 'allow', zdr: false },
      transforms: ['middle-out'], usage: { include: true } });
    assertAnswer(r.choices[0].message.content, 'openrouter routing answer');
    const [rec] = await upstream(mocks.openrouter);
    const b = JSON.parse(rec.body);
    assert.deepEqual(b.models, ['anthropic/claude-sonnet-4.5', 'openai/gpt-4o-mini']);
    assert.deepEqual(b.provider.order, ['anthropic', 'amazon-bedrock']);
    assert.deepEqual(b.provider.only, ['anthropic', 'amazon-bedrock']);
    assert.equal(b.provider.sort, 'price');
    assert.equal(b.provider.allow_fallbacks, false);
    assert.equal(b.provider.data_collection, 'deny');
    assert.equal(b.provider.zdr, true);
    assert.deepEqual(b.transforms, ['middle-out']);
    assertScrubbed(rec.body, 'openrouter routing request');
    await assertRecorded(user, 'openrouter', { decision: /data_collection/ });
  });
});

// ---------------------------------------------------------------------------------------------
// README.md's audio example, run as written

describe('README.md snippet', () => {
  test('openai-audio: the README example runs through aigw (transcription prompt scrubbed, speech spoken as sent)',
    async () => {
      await mocks.openai.reset();
      const text = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
      const at = text.indexOf('<!-- readme-snippet: openai-audio -->');
      assert.ok(at >= 0, 'README.md has the openai-audio snippet');
      const code = /```js\n([\s\S]*?)```/.exec(text.slice(at))[1];
      const cwd = artifactDir('clients2-readme-audio');
      fs.writeFileSync(path.join(cwd, 'call.wav'), wav());
      // next to node_modules, so that its imports resolve; run in cwd, where call.wav is and speech.mp3 goes
      const file = path.join(HERE, `.readme-openai-audio-${process.pid}.mjs`);
      fs.writeFileSync(file, code.replaceAll('http://127.0.0.1:8080', gw.url));
      const r = await new Promise((resolve) => {
        execFile(process.execPath, [file], { cwd, env: { ...process.env, AIGW_CLIENT_KEY: CLIENT_KEY }, timeout: 30000 },
          (err, stdout, stderr) => resolve({ code: err ? err.code ?? 1 : 0, stdout, stderr }));
      }).finally(() => fs.rmSync(file, { force: true }));
      assert.equal(r.code, 0, `snippet failed: ${r.stderr}${r.stdout}`);
      const recs = await mockRequests(mocks.openai, (x) => x.method === 'POST', { min: 2 });
      assert.deepEqual(recs.map((x) => x.path), ['/v1/audio/transcriptions', '/v1/audio/speech']);
      const prompt = multipartParts(recs[0]).find((p) => p.name === 'prompt').data.toString('utf8');
      assert.equal(prompt, 'Names: <PERSON_1>, <EMAIL_ADDRESS_1>');
      const audio = fs.readFileSync(path.join(cwd, 'speech.mp3'));
      assert.equal(audio.subarray(10).toString('utf8'), 'Your order has shipped.');
    });
});

describe('Claude model ids in README.md and the tests', () => {
  test('every Claude model id README.md and tests/integration name is one the Anthropic SDK sends without a ' +
    'deprecation warning (claude-sonnet-4-5 drew "end-of-life on November 30th, 2026")', async () => {
    await mocks.anthropic.reset();
    const texts = [fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'),
      ...fs.readdirSync(HERE).filter((f) => f.endsWith('.test.mjs')).map((f) => fs.readFileSync(path.join(HERE, f), 'utf8'))];
    // native ids only ("claude-…" in quotes), not OpenRouter's "anthropic/claude-sonnet-4.5"
    const ids = [...new Set(texts.flatMap((t) => [...t.matchAll(/["'](claude-[a-z0-9.-]+)["']/g)].map((m) => m[1])))];
    assert.ok(ids.length >= 1, 'README.md and the tests name Claude models');
    const warned = [];
    const warn = console.warn;
    console.warn = (...a) => warned.push(a.join(' '));
    try {
      const claude = new Anthropic({ baseURL: `${gw.url}/anthropic`, apiKey: CLIENT_KEY, maxRetries: 0,
        defaultHeaders: { 'X-AIGW-User': newUser() } });
      for (const model of ids) {
        await claude.messages.create({ model, max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] });
      }
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warned, [], `models named: ${ids.join(', ')}`);
  });
});
