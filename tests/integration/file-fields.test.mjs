// Declared file fields (session 9): a field the provider's format declares as file data (Gemini inlineData.data,
// Anthropic source.data with type base64, OpenAI input_audio.data / file.file_data) is decoded and sorted as a file
// at any length. A 30-byte PDF or GIF used to be "a short word that happens to be base64": scanned as text and
// forwarded unread; now it gets the long file's verdict (415 unscannable_payload; nothing reaches the provider), a
// value that is not base64 is refused, and a short text file is scanned inside its base64. Through the official SDKs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { createFalClient } from '@fal-ai/client';
import OpenAI from 'openai';
import Replicate from 'replicate';
import { CLIENT_KEY, USER } from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

const b64 = (s) => Buffer.from(s, 'latin1').toString('base64');
const SHORT_PDF = b64('%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj<<>>endobj\n'); // 40 characters of base64
const SHORT_GIF = b64('GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,');
const LONG_PDF = b64('%PDF-1.4\n' + 'x'.repeat(300));
const TEXT_FILE = b64('mail jane.doe@example.com'); // 36 characters
const NOT_B64 = 'see the attached file, please';

let env;
let gw;
let mocks;
before(async () => {
  delete process.env.FAL_KEY;
  env = await startProviders({ name: 'filefields', providers: ['openai', 'anthropic', 'gemini', 'replicate', 'fal'],
    providerConf: { gemini: { tier: 'paid' } } });
  ({ gw, mocks } = env);
});
after(async () => {
  if (env) await env.stop();
});

/** Runs `call` and expects aigw's 415 unscannable_payload, with nothing sent to `mock`. */
async function refused(call, mock, where) {
  const before = (await mock.requests()).length;
  await assert.rejects(call(), (e) => {
    assert.equal(e.status, 415, `${where}: ${e.message}`);
    assert.match(e.message, /unscannable_payload|cannot be scanned|neither base64/, where);
    return true;
  });
  assert.equal((await mock.requests()).length, before, `${where}: nothing reaches the provider`);
}

describe('declared file fields: a short file gets the long file\'s verdict', () => {
  const headers = { 'X-AIGW-User': USER };

  test('gemini inlineData.data: short PDF, short GIF, long PDF, not base64 refused; a short text file scanned', async () => {
    const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta', headers } });
    const call = (mimeType, data) => () => ai.models.generateContent({ model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'summarize' }, { inlineData: { mimeType, data } }] }] });
    for (const [m, d, w] of [['application/pdf', SHORT_PDF, 'short pdf'], ['image/gif', SHORT_GIF, 'short gif'],
      ['application/pdf', LONG_PDF, 'long pdf'], ['application/pdf', NOT_B64, 'not base64']]) {
      await refused(call(m, d), mocks.gemini, `gemini ${w}`);
    }
    await call('text/plain', TEXT_FILE)();
    const rec = (await mocks.gemini.requests()).at(-1);
    const sent = JSON.parse(rec.body).contents[0].parts[1].inlineData.data;
    assert.match(Buffer.from(sent, 'base64').toString(), /^mail <EMAIL_ADDRESS_1>$/);
  });

  test('anthropic source.data (type base64): short PDF and GIF refused; a text document stays text', async () => {
    const claude = new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0, defaultHeaders: headers });
    const call = (block) => () => claude.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64,
      messages: [{ role: 'user', content: [block, { type: 'text', text: 'summarize' }] }] });
    await refused(call({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: SHORT_PDF } }),
      mocks.anthropic, 'anthropic short pdf');
    await refused(call({ type: 'image', source: { type: 'base64', media_type: 'image/gif', data: SHORT_GIF } }),
      mocks.anthropic, 'anthropic short gif');
    await refused(call({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: NOT_B64 } }),
      mocks.anthropic, 'anthropic not base64');
    // a plain-text document: its data is text, a base64-looking word included
    await call({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'abcd' } })();
  });

  test('openai input_audio.data and file.file_data: short binaries refused', async () => {
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0, defaultHeaders: headers });
    const call = (part) => () => openai.chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'listen' }, part] }] });
    await refused(call({ type: 'input_audio', input_audio: { data: b64('ID3\x04\x00\x00\x00\x00\x00\x00short'), format: 'mp3' } }),
      mocks.openai, 'openai short mp3');
    await refused(call({ type: 'input_audio', input_audio: { data: NOT_B64, format: 'wav' } }), mocks.openai, 'openai not base64');
    await refused(call({ type: 'file', file: { filename: 'a.pdf', file_data: SHORT_PDF } }), mocks.openai, 'openai short pdf');
  });

  test('free text keeps its rule: a short base64-looking word in a prompt is forwarded as text', async () => {
    const openai = new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0, defaultHeaders: headers });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: SHORT_GIF }] });
  });
});

// Replicate and fal file inputs (session 11, PROV_FILE_URI): an https URL or a data: URI by their formats, declared by
// the file keys of their image, audio and video models. A URL is text (the provider fetches it); anything else is a
// file sorted by its bytes at any length: a short GIF as raw base64 used to pass as "a short word".
describe('Replicate and fal file inputs: a URL, or a file sorted by its bytes', () => {
  const replicate = () => new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', USER);
      return fetch(url, { ...init, headers });
    } });
  const fal = () => createFalClient({ proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
    requestMiddleware: async (req) => ({ ...req, headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`,
      'X-AIGW-User': USER } }) });
  const VERSION = '7762fd07cf82c948538e41f63f77d685e02b063e37e496e96eefd46c929f9bdc';
  // the replicate SDK's ApiError carries the status on its response, fal's ApiError carries the body apart
  const refused = async (call, mock, where) => {
    const before = (await mock.requests()).length;
    await assert.rejects(call(), (e) => {
      assert.equal(e.status ?? e.response?.status, 415, `${where}: ${e.message}`);
      assert.match(`${e.message} ${JSON.stringify(e.body ?? '')}`, /cannot be scanned|neither base64/, where);
      return true;
    });
    assert.equal((await mock.requests()).length, before, `${where}: nothing reaches the provider`);
  };

  test('replicate input.image / input.mask: short GIF and PDF, not base64 refused; an https URL forwarded', async () => {
    const create = (input) => () => replicate().predictions.create({ version: VERSION, input: { prompt: 'restyle', ...input } });
    await refused(create({ image: SHORT_GIF }), mocks.replicate, 'replicate image short GIF');
    await refused(create({ mask: SHORT_PDF }), mocks.replicate, 'replicate mask short PDF');
    await refused(create({ input_images: [`data:image/gif;base64,${SHORT_GIF}`] }), mocks.replicate, 'replicate input_images data: GIF');
    await refused(create({ image: NOT_B64 }), mocks.replicate, 'replicate image not base64');
    await mocks.replicate.reset();
    await replicate().predictions.create({ version: VERSION, input: { prompt: 'restyle', image: 'https://example.com/cat.png' } });
    const rec = (await mocks.replicate.requests()).find((r) => r.method === 'POST');
    assert.equal(JSON.parse(rec.body).input.image, 'https://example.com/cat.png');
  });

  test('fal image_url / image_urls: short GIF and PDF, not base64 refused; an https URL forwarded', async () => {
    const run = (input) => () => fal().run('fal-ai/flux/dev/image-to-image', { input: { prompt: 'sketch', ...input } });
    await refused(run({ image_url: SHORT_GIF }), mocks.fal, 'fal image_url short GIF');
    await refused(run({ image_urls: [SHORT_PDF] }), mocks.fal, 'fal image_urls short PDF');
    await refused(run({ image_url: NOT_B64 }), mocks.fal, 'fal image_url not base64');
    await mocks.fal.reset();
    await fal().run('fal-ai/flux/dev/image-to-image', { input: { prompt: 'sketch', image_url: 'https://example.com/cat.png' } });
    const rec = (await mocks.fal.requests()).find((r) => r.method === 'POST');
    assert.equal(JSON.parse(rec.body).image_url, 'https://example.com/cat.png');
  });
});
