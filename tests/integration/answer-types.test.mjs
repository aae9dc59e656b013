import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { CLIENT_KEY, rawUpstream, startAigw } from './lib/harness.mjs';

// Fail closed on the answer side: aigw restores placeholders in (and, with pii.scan_responses, scans) the answers it
// can read: JSON (application/json and the +json suffix of RFC 6839), server-sent events and UTF-8 text. An answer
// that must be restored or scanned and comes in another Content-Type (JSON lines, XML, UTF-16 text, two Content-Type
// lines) once passed as it came: placeholders where the user's values belong, model text unscanned. Now it is refused
// 502 in the provider's error shape, naming the type; one without a Content-Type is read as JSON or text when it is
// one; binary media (no text) passes; an error answer (4xx) that aigw cannot read passes as the provider's error.

// A raw upstream: the prompt names the answer's shape (`as:NAME`), the answer echoes the prompt it received.
function shapesUpstream() {
  return rawUpstream((head, reqBody, sock) => {
    const req = JSON.parse(reqBody.toString('utf8'));
    const echo = req.messages[0].content;
    const as = /as:([a-z0-9-]+)/.exec(echo)[1];
    const chat = (text) => JSON.stringify({ id: 'chatcmpl-t', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    const shapes = {
      'plusjson': ['200 OK', ['Content-Type: application/vnd.example+json'], chat(`You wrote: ${echo}`)],
      'json-utf8': ['200 OK', ['Content-Type: application/json; charset="UTF-8"'], chat(`You wrote: ${echo}`)],
      'ndjson': ['200 OK', ['Content-Type: application/x-ndjson'], `${chat(`You wrote: ${echo}`)}\n${chat('done')}\n`],
      'jsonl': ['200 OK', ['Content-Type: application/jsonl'], `${chat(`You wrote: ${echo}`)}\n`],
      'xml': ['200 OK', ['Content-Type: application/xml'], `<answer>You wrote: ${echo}</answer>`],
      'svg': ['200 OK', ['Content-Type: image/svg+xml'], `<svg xmlns="http://www.w3.org/2000/svg"><text>${echo}</text></svg>`],
      'none-json': ['200 OK', [], chat(`You wrote: ${echo}`)],
      'none-text': ['200 OK', [], `You wrote: ${echo}`],
      'none-binary': ['200 OK', [], Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`You wrote: ${echo}`, 'utf16le')])],
      'two-types': ['200 OK', ['Content-Type: application/json', 'Content-Type: text/html'], chat(`You wrote: ${echo}`)],
      'utf16-text': ['200 OK', ['Content-Type: text/plain; charset=utf-16le'], Buffer.from(`You wrote: ${echo}`, 'utf16le')],
      'png': ['200 OK', ['Content-Type: image/png'], Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
      'xml-400': ['400 Bad Request', ['Content-Type: application/xml'], `<error>bad: ${echo}</error>`],
      'empty': ['200 OK', [], ''],
      'plusjson-pii': ['200 OK', ['Content-Type: application/problem+json'], chat('Write to carol.white@example.net')],
      // model text outside `content`: OpenRouter's reasoning, the transcript of audio output, Responses summaries
      'reasoning-json': ['200 OK', ['Content-Type: application/json'], JSON.stringify({ id: 'gen-1', object: 'chat.completion',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok',
          reasoning: 'Their mail is carol.white@example.net',
          reasoning_details: [{ type: 'reasoning.text', text: 'card 4111 1111 1111 1111' }, { type: 'reasoning.summary', summary: 'mail carol.white@example.net' }],
          audio: { id: 'a1', data: 'AAAA', transcript: 'Call carol.white@example.net' } } }] })],
      'reasoning-sse': ['200 OK', ['Content-Type: text/event-stream'], [
        { choices: [{ index: 0, delta: { reasoning: 'Their mail is carol.wh' } }] },
        { choices: [{ index: 0, delta: { reasoning: 'ite@example.net, fine' } }] },
        { choices: [{ index: 0, delta: { reasoning_details: [{ type: 'reasoning.text', text: 'card 4111 1111 1111 1111' }] } }] },
        { choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] }].map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n'],
      'summary-json': ['200 OK', ['Content-Type: application/json'], JSON.stringify({ id: 'resp_1', object: 'response', status: 'completed',
        output: [{ type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'The user is carol.white@example.net' }] },
          { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }] })],
    };
    const [status, headers, body] = shapes[as];
    const b = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    sock.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}`
      + `Content-Length: ${b.length}\r\n\r\n`, 'latin1'), b]));
  });
}

function call(gw, content) {
  const req = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port: gw.port, method: 'POST', path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': 'types-user', 'content-type': 'application/json' } },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const types = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          if (res.rawHeaders[i].toLowerCase() === 'content-type') types.push(res.rawHeaders[i + 1]);
        resolve({ status: res.statusCode, types, body, text: `${res.statusCode} ${types.join(' | ')}\n${body}` });
      });
    });
    r.on('error', reject);
    r.end(req);
  });
}

// a refusal: 502 in OpenAI's error shape, the type named, nothing of the upstream's body
function assertRefused(r, type) {
  assert.equal(r.status, 502, r.text);
  const err = JSON.parse(r.body).error;
  assert.equal(err.code, 'upstream_error', r.text);
  assert.ok(err.message.includes(type), `names ${type}: ${err.message}`);
  assert.ok(!r.body.includes('You wrote'), r.text);
  assert.deepEqual(r.types, ['application/json'], r.text);
}

test('answers aigw cannot read are refused when they must be restored; readable ones are restored', async () => {
  const up = await shapesUpstream();
  const gw = await startAigw({ name: 'answer-types-aigw', mockUrl: up.url,
    config: { retry: { max_retries: 0 } } });
  const mail = 'jane.doe@example.com';
  try {
    for (const as of ['plusjson', 'json-utf8', 'none-json']) {
      const r = await call(gw, `as:${as} mail ${mail} please`);
      assert.equal(r.status, 200, r.text);
      assert.equal(JSON.parse(r.body).choices[0].message.content, `You wrote: as:${as} mail ${mail} please`, `${as}: ${r.text}`);
    }
    const t = await call(gw, `as:none-text mail ${mail} "quoted"`);
    assert.equal(t.status, 200, t.text);
    assert.equal(t.body, `You wrote: as:none-text mail ${mail} "quoted"`, t.text);

    for (const [as, type] of [['ndjson', 'application/x-ndjson'], ['jsonl', 'application/jsonl'], ['xml', 'application/xml'],
      ['svg', 'image/svg+xml'], ['two-types', 'application/json'], ['utf16-text', 'charset=utf-16le'], ['none-binary', 'none']]) {
      const r = await call(gw, `as:${as} mail ${mail} please`);
      assertRefused(r, type);
      assert.ok(!r.body.includes('EMAIL_ADDRESS'), r.text);
    }
    // binary media carries no text: it passes as it came
    const png = await call(gw, `as:png draw ${mail}`);
    assert.equal(png.status, 200, png.text);
    assert.deepEqual(png.types, ['image/png'], png.text);
    // a provider error aigw cannot read passes as the provider's error (its echo of a placeholder is no leak)
    const e = await call(gw, `as:xml-400 mail ${mail}`);
    assert.equal(e.status, 400, e.text);
    assert.match(e.body, /^<error>bad: /, e.text);
    const empty = await call(gw, `as:empty mail ${mail}`);
    assert.equal(empty.status, 200, empty.text);
    assert.equal(empty.body, '', empty.text);
    // nothing to restore and no output scan: any type passes as it came
    const clean = await call(gw, 'as:ndjson hello there');
    assert.equal(clean.status, 200, clean.text);
    assert.deepEqual(clean.types, ['application/x-ndjson'], clean.text);
    assert.match(clean.body, /You wrote: as:ndjson hello there/);
  } finally {
    await gw.stop();
    await up.close();
  }
});

test('with pii.scan_responses an unreadable answer is refused even with nothing to restore', async () => {
  const up = await shapesUpstream();
  const gw = await startAigw({ name: 'answer-types-scan-aigw', mockUrl: up.url,
    config: { retry: { max_retries: 0 }, pii: { scan_responses: true } } });
  try {
    const r = await call(gw, 'as:ndjson hello there');
    assertRefused(r, 'application/x-ndjson');
    // a +json answer is scanned: the model's own e-mail address in it is acted on (tokenize acts as redact there)
    const j = await call(gw, 'as:plusjson-pii hello there');
    assert.equal(j.status, 200, j.text);
    assert.equal(JSON.parse(j.body).choices[0].message.content, 'Write to <EMAIL_ADDRESS>', j.text);
    const s = await call(gw, 'as:none-text a plain answer');
    assert.equal(s.status, 200, s.text);
    assert.equal(s.body, 'You wrote: as:none-text a plain answer');
  } finally {
    await gw.stop();
    await up.close();
  }
});

test('with pii.scan_responses model text outside `content` is scanned: reasoning, reasoning details, audio transcripts, summaries', async () => {
  const up = await shapesUpstream();
  const gw = await startAigw({ name: 'answer-fields-scan-aigw', mockUrl: up.url,
    config: { retry: { max_retries: 0 }, pii: { scan_responses: true } } });
  try {
    for (const as of ['reasoning-json', 'reasoning-sse', 'summary-json']) {
      const r = await call(gw, `as:${as} hello`);
      assert.equal(r.status, 200, r.text);
      for (const v of ['carol', 'example.net', '4111']) assert.ok(!r.body.includes(v), `${as}: ${v} in ${r.body}`);
      assert.ok(r.body.includes('<EMAIL_ADDRESS>'), r.text);
    }
  } finally {
    await gw.stop();
    await up.close();
  }
});
