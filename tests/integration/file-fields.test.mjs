// Declared file fields (session 9): a field the provider's format declares as file data (Gemini inlineData.data,
// Anthropic source.data with type base64, OpenAI input_audio.data / file.file_data) is decoded and sorted as a file
// at any length. A 30-byte PDF or GIF used to be "a short word that happens to be base64": scanned as text and
// forwarded unread; now it gets the long file's verdict (415 unscannable_payload; nothing reaches the provider), a
// value that is not base64 is refused, and a short text file is scanned inside its base64. Through the official SDKs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
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
  env = await startProviders({ name: 'filefields', providers: ['openai', 'anthropic', 'gemini'],
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
