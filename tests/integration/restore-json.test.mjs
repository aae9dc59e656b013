// Structured output streamed (session 9): when a request declares a JSON output mode (OpenAI chat response_format,
// Responses text.format, Anthropic output_config.format, Gemini responseMimeType application/json), the model's
// answer text is JSON spread over many stream events, and a value aigw restores into it must be escaped for that
// JSON: a PEM secret (line breaks), a value with a quote and one with backslashes. Before session 9 the pieces got the
// values raw (no piece is JSON on its own, so session 8's guess could not see it) and the client's JSON.parse failed.
// Each official SDK joins the pieces as an app does and parses them; the same with pii.scan_responses, whose scan
// restores the values itself. The mock (x-mock-echo + x-mock-say) writes the JSON with the request's placeholders,
// in 3-byte pieces.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { CLIENT_KEY, USER } from './lib/harness.mjs';
import { startProviders } from './lib/providers.mjs';

const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n' +
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----';
const CODENAME = 'codename "Falcon"';
const FOLDER = 'C:\\Users\\jane';
const EMAIL = 'jane.doe@example.com';
const PROMPT = `Store my key ${PEM} for ${EMAIL}; my ${CODENAME} and the folder ${FOLDER}. Answer in JSON.`;
// What the model writes: a JSON object quoting the request's placeholders (restored by aigw).
const SAY = '{"key": "<SECRET_1>", "codename": "<CODENAME_1>", "folder": "<WINPATH_1>", "mail": "<EMAIL_ADDRESS_1>", ' +
  '"note": "a < b"}';
const WANT = { key: PEM, codename: CODENAME, folder: FOLDER, mail: EMAIL, note: 'a < b' };
const SCHEMA = { type: 'object', properties: Object.fromEntries(Object.keys(WANT).map((k) => [k, { type: 'string' }])),
  required: Object.keys(WANT), additionalProperties: false };
const say = (extra = {}) => ({ 'x-mock-echo': '1', 'x-mock-say': encodeURIComponent(SAY), 'x-mock-piece': '3', 'X-AIGW-User': USER,
  ...extra });
// custom recognizers whose values hold a quote and backslashes (no built-in entity does)
const PII = { default_action: 'tokenize', custom: [
  { name: 'CODENAME', regex: 'codename "[A-Za-z]+"', validator: 'none', score: 0.9 },
  { name: 'WINPATH', regex: 'C:\\\\Users\\\\[a-z]+', validator: 'none', score: 0.9 },
] };

function parsed(text, where) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    assert.fail(`${where}: the joined answer is not JSON (${e.message}): ${JSON.stringify(text)}`);
  }
  assert.deepEqual(v, WANT, where);
}

for (const scan of [false, true]) {
  describe(`streamed structured output${scan ? ' with pii.scan_responses' : ''}`, () => {
    let env;
    let gw;
    before(async () => {
      env = await startProviders({ name: `restorejson${scan ? '-scan' : ''}`, providers: ['openai', 'anthropic', 'gemini'],
        providerConf: { gemini: { tier: 'paid' } }, config: { pii: { ...PII, scan_responses: scan } },
        startTimeoutMs: 90000 }); // custom regexes: the PII databases are compiled at start (slow under ASan)
      ({ gw } = env);
    });
    after(async () => {
      if (env) await env.stop();
    });
    const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: gw.baseURL, maxRetries: 0 });

    test('openai chat, response_format json_schema: the joined deltas parse with the original values', async () => {
      const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true,
        response_format: { type: 'json_schema', json_schema: { name: 'stored', strict: true, schema: SCHEMA } },
        messages: [{ role: 'user', content: PROMPT }] }, { headers: say() });
      let text = '';
      let n = 0;
      for await (const c of stream) {
        text += c.choices[0]?.delta?.content ?? '';
        n++;
      }
      assert.ok(n > 10, `a stream of many chunks (${n})`);
      parsed(text, 'chat stream');
    });

    test('openai chat, response_format json_object, not streamed: parses too', async () => {
      const c = await openai().chat.completions.create({ model: 'gpt-4o-mini', response_format: { type: 'json_object' },
        messages: [{ role: 'user', content: PROMPT }] }, { headers: say() });
      parsed(c.choices[0].message.content, 'chat JSON');
    });

    test('openai responses, text.format json_schema: output_text deltas and the done event parse', async () => {
      const stream = await openai().responses.create({ model: 'gpt-4o-mini', stream: true, store: false, input: PROMPT,
        text: { format: { type: 'json_schema', name: 'stored', strict: true, schema: SCHEMA } } }, { headers: say() });
      let text = '';
      let done = null;
      for await (const ev of stream) {
        if (ev.type === 'response.output_text.delta') text += ev.delta;
        if (ev.type === 'response.output_text.done') done = ev.text;
      }
      parsed(text, 'responses deltas');
      if (done !== null) parsed(done, 'response.output_text.done');
    });

    test('anthropic, output_config.format json_schema: the text deltas parse', async () => {
      const claude = new Anthropic({ apiKey: CLIENT_KEY, baseURL: `${gw.url}/anthropic`, maxRetries: 0 });
      const stream = claude.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 512,
        output_config: { format: { type: 'json_schema', schema: SCHEMA } },
        messages: [{ role: 'user', content: PROMPT }] }, { headers: say() });
      let text = '';
      stream.on('text', (t) => { text += t; });
      const msg = await stream.finalMessage();
      parsed(text, 'anthropic text deltas');
      parsed(msg.content.filter((b) => b.type === 'text').map((b) => b.text).join(''), 'anthropic final message');
    });

    test('gemini, responseMimeType application/json: the joined chunks parse', async () => {
      const ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: `${gw.url}/gemini`, apiVersion: 'v1beta',
        headers: say() } });
      let text = '';
      for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
        config: { responseMimeType: 'application/json', responseJsonSchema: SCHEMA } })) {
        text += c.text ?? '';
      }
      parsed(text, 'gemini stream');
    });

    test('declared prose (response_format text): the values as they are, line breaks raw', async () => {
      const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', stream: true,
        response_format: { type: 'text' }, messages: [{ role: 'user', content: PROMPT }] }, { headers: say() });
      let text = '';
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
      assert.ok(text.includes(PEM) && text.includes(FOLDER) && text.includes(CODENAME), text);
    });
  });
}
