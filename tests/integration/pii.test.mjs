// PII through aigw (issue 3): prompts full of personal data reach the provider with none of the
// raw values, placeholders instead; the client gets the original values back (non-stream and
// streamed, with tokens split across SSE events); X-AIGW-Redactions counts them; a blocked type
// gives 403 without echoing the value.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { client, lastMockRequest, startAigw, startPair } from './lib/harness.mjs';

const RAW = {
  email: 'jane.doe@example.com',
  phone: '+1 415 555 0134',
  card: '4111 1111 1111 1111',
  iban: 'GB82 WEST 1234 5698 7654 32',
  ssn: '536-22-8765',
};
// Forms a leak could take in the provider's log (with and without separators).
const LEAK_FORMS = [RAW.email, RAW.phone, '415 555 0134', '4155550134', RAW.card, '4111111111111111', RAW.iban,
  'GB82WEST12345698765432', RAW.ssn, '536228765'];
const PROMPT = `Hi, I'm writing about my account. Email me at ${RAW.email} or call ${RAW.phone}. ` +
  `My card number is ${RAW.card} and my IBAN is ${RAW.iban}. My SSN is ${RAW.ssn}. ` +
  `Again, the email is ${RAW.email}.`;

let pair;
let mock;
let gw;
let sdk;

before(async () => {
  pair = await startPair('pii');
  ({ mock, gw } = pair);
  sdk = client(gw);
});
after(async () => {
  if (pair) await pair.stop();
});

function assertNoLeak(text, where) {
  for (const v of LEAK_FORMS) assert.ok(!text.includes(v), `${where} contains raw PII ${JSON.stringify(v)}`);
}

function assertPlaceholders(text) {
  for (const type of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD', 'IBAN_CODE', 'US_SSN']) {
    assert.match(text, new RegExp(`<${type}_\\d+>`), `placeholder for ${type} in ${text}`);
  }
}

// 6 occurrences of 5 distinct values (the email twice): accept either way of counting.
function assertRedactionCount(response) {
  const h = response.headers.get('x-aigw-redactions');
  assert.match(h ?? '', /^\d+$/, 'X-AIGW-Redactions present');
  assert.ok(Number(h) === 5 || Number(h) === 6, `X-AIGW-Redactions ${h}`);
}

describe('tokenize (default action)', () => {
  test('chat non-stream: provider sees placeholders only, client gets the originals back', async () => {
    const { data, response } = await sdk.chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'You help customers.' }, { role: 'user', content: PROMPT }] },
    { headers: { 'x-mock-echo': '1' } }).withResponse();
    const m = await lastMockRequest(mock, '/v1/chat/completions');
    assertNoLeak(m.body, 'upstream chat body');
    const sent = JSON.parse(m.body).messages[1].content;
    assertPlaceholders(sent);
    // The same value gets the same token within a request.
    assert.equal(sent.match(/<EMAIL_ADDRESS_\d+>/g).length, 2);
    assert.equal(new Set(sent.match(/<EMAIL_ADDRESS_\d+>/g)).size, 1);
    assert.ok(sent.includes('<EMAIL_ADDRESS_1>'));
    assert.equal(data.choices[0].message.content, PROMPT, 'placeholders restored in the response');
    assertRedactionCount(response);
  });

  for (const piece of [3, 1, 7]) {
    test(`chat stream, ${piece}-byte pieces: tokens split across events are restored`, async () => {
      const { data: stream, response } = await sdk.chat.completions.create({ model: 'gpt-4o-mini', stream: true,
        messages: [{ role: 'user', content: PROMPT }] },
      { headers: { 'x-mock-echo': '1', 'x-mock-piece': String(piece) } }).withResponse();
      const deltas = [];
      for await (const c of stream) {
        const d = c.choices[0]?.delta?.content;
        if (d) deltas.push(d);
      }
      assert.equal(deltas.join(''), PROMPT);
      assert.ok(deltas.length > 5, 'the answer arrived in many events');
      assertRedactionCount(response);
      const m = await lastMockRequest(mock, '/v1/chat/completions');
      assertNoLeak(m.body, 'upstream stream request');
    });
  }

  test('content parts, tool-call arguments and tool results are scrubbed too', async () => {
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [
      { role: 'user', content: [{ type: 'text', text: `reach me at ${RAW.email}` }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function',
        function: { name: 'lookup', arguments: JSON.stringify({ card: RAW.card, phone: RAW.phone }) } }] },
      { role: 'tool', tool_call_id: 'call_1', content: `IBAN on file: ${RAW.iban}` },
    ] });
    const m = await lastMockRequest(mock, '/v1/chat/completions');
    assertNoLeak(m.body, 'upstream body');
    const body = JSON.parse(m.body);
    JSON.parse(body.messages[1].tool_calls[0].function.arguments); // still valid JSON inside the string
  });

  test('responses: input scrubbed, output_text restored (non-stream and stream)', async () => {
    const r = await sdk.responses.create({ model: 'gpt-5-mini', input: PROMPT, instructions: `Customer ${RAW.email}` },
      { headers: { 'x-mock-echo': '1' } });
    let m = await lastMockRequest(mock, '/v1/responses');
    assertNoLeak(m.body, 'upstream responses body');
    assert.equal(r.output_text, PROMPT);
    const stream = await sdk.responses.create({ model: 'gpt-5-mini', input: PROMPT, stream: true },
      { headers: { 'x-mock-echo': '1', 'x-mock-piece': '3' } });
    let deltas = '';
    let done = null;
    for await (const e of stream) {
      if (e.type === 'response.output_text.delta') deltas += e.delta;
      if (e.type === 'response.output_text.done') done = e.text;
    }
    assert.equal(deltas, PROMPT);
    assert.equal(done, PROMPT);
    m = await lastMockRequest(mock, '/v1/responses');
    assertNoLeak(m.body, 'upstream responses stream body');
  });

  test('embeddings input is scrubbed; an image prompt with values to tokenize is refused (the image could draw the ' +
    'placeholders, where no restore reaches), nothing sent', async () => {
    await sdk.embeddings.create({ model: 'text-embedding-3-small', input: [PROMPT, `mail ${RAW.email}`] });
    assertNoLeak((await lastMockRequest(mock, '/v1/embeddings')).body, 'upstream embeddings body');
    const n = (await mock.requests()).length;
    await assert.rejects(sdk.images.generate({ model: 'gpt-image-1', prompt: `A postcard to ${RAW.email}, phone ${RAW.phone}` }),
      (e) => {
        assert.ok(e instanceof OpenAI.BadRequestError, `${e.constructor.name}: ${e.message}`);
        assert.equal(e.code, 'pii_unrestorable');
        assert.match(e.message, /images\/generations/);
        assert.match(e.message, /EMAIL_ADDRESS/);
        assertNoLeak(e.message, 'the refusal');
        return true;
      });
    assert.equal((await mock.requests()).length, n, 'nothing sent');
  });

  test('no raw value anywhere in the provider log', () => {
    assertNoLeak(mock.logText(), 'mock request log');
  });
});

describe('redact action: no restore promised, so answers aigw cannot restore pass', () => {
  let rgw;
  before(async () => {
    rgw = await startAigw({ name: 'pii-redact-aigw', mockUrl: mock.url,
      config: { pii: { default_action: 'tokenize', actions: { EMAIL_ADDRESS: 'redact', PHONE_NUMBER: 'redact' } } } });
  });
  after(async () => {
    if (rgw) await rgw.stop();
  });

  test('an image prompt and a chat with logprobs whose values are redacted are forwarded, without the values', async () => {
    await client(rgw).images.generate({ model: 'gpt-image-1', prompt: `A postcard to ${RAW.email}, phone ${RAW.phone}` });
    const img = await lastMockRequest(mock, '/v1/images/generations');
    assertNoLeak(img.body, 'upstream images body');
    assert.doesNotMatch(img.body, /<EMAIL_ADDRESS_\d+>/, 'redacted, not tokenized');
    await client(rgw).chat.completions.create({ model: 'gpt-4o-mini', logprobs: true, top_logprobs: 2,
      messages: [{ role: 'user', content: `mail ${RAW.email}` }] });
    const chat = await lastMockRequest(mock, '/v1/chat/completions');
    assert.equal(JSON.parse(chat.body).logprobs, true);
    assertNoLeak(chat.body, 'upstream chat body');
  });
});

describe('block action', () => {
  let bgw;
  before(async () => {
    bgw = await startAigw({ name: 'pii-block-aigw', mockUrl: mock.url,
      config: { pii: { default_action: 'tokenize', actions: { US_SSN: 'block' } } } });
  });
  after(async () => {
    if (bgw) await bgw.stop();
  });

  test('a prompt with an SSN -> 403 naming US_SSN, without the value, nothing sent upstream', async () => {
    const n = (await mock.requests()).length;
    let err = null;
    try {
      await client(bgw).chat.completions.create({ model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `My SSN is ${RAW.ssn}, please file my taxes.` }] });
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof OpenAI.PermissionDeniedError, String(err));
    assert.equal(err.status, 403);
    assert.match(err.message, /US_SSN/);
    assert.ok(!JSON.stringify(err.error).includes(RAW.ssn) && !JSON.stringify(err.error).includes('536228765'));
    assert.equal((await mock.requests()).length, n);
  });

  test('the same gateway still tokenizes other types', async () => {
    const r = await client(bgw).chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `mail ${RAW.email}` }] }, { headers: { 'x-mock-echo': '1' } });
    assert.equal(r.choices[0].message.content, `mail ${RAW.email}`);
    assertNoLeak((await lastMockRequest(mock, '/v1/chat/completions')).body, 'upstream body');
  });
});
