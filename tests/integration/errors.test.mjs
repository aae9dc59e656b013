// Errors through aigw: client auth and user, bad input, upstream faults injected by the mock
// (status, delay, reset, stall, truncation) and an unreachable upstream. Every error is
// OpenAI-shaped so the SDK raises its normal exception classes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  AIGW_BIN, CLIENT_KEY, authHeaders, client, freePort, rawRequest, rawSocket, rawUpstream, startAigw, startPair, waitFor,
} from './lib/harness.mjs';

let pair;
let mock;
let gw;
let sdk;

before(async () => {
  pair = await startPair('errors');
  ({ mock, gw } = pair);
  sdk = client(gw);
});
after(async () => {
  if (pair) await pair.stop();
});

const chat = (content = 'hello') => ({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });

function assertOpenAIError(json, status) {
  assert.ok(json && json.error && typeof json.error === 'object', `OpenAI-shaped error body for ${status}: ${JSON.stringify(json)}`);
  assert.equal(typeof json.error.message, 'string');
  assert.ok(json.error.message.length > 0);
  assert.equal(typeof json.error.type, 'string');
  assert.ok('param' in json.error && 'code' in json.error);
}

async function sdkError(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected the SDK to throw');
}

describe('client auth and user', () => {
  test('wrong client key -> AuthenticationError (401), nothing reaches the provider', async () => {
    const n = (await mock.requests()).length;
    const bad = client(gw, { apiKey: 'not-a-client-key' });
    const e = await sdkError(bad.chat.completions.create(chat()));
    assert.ok(e instanceof OpenAI.AuthenticationError, `got ${e && e.constructor && e.constructor.name}: ${e}`);
    assert.equal(e.status, 401);
    assert.equal((await mock.requests()).length, n);
    assert.ok(!mock.logText().includes('not-a-client-key'));
  });

  test('the provider key is not a client key', async () => {
    const bad = client(gw, { apiKey: 'sk-upstream-test' });
    const e = await sdkError(bad.chat.completions.create(chat()));
    assert.equal(e.status, 401);
  });

  test('missing Authorization -> 401 OpenAI-shaped', async () => {
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions',
      headers: { 'x-aigw-user': 'u', 'content-type': 'application/json' }, body: JSON.stringify(chat()) });
    assert.equal(r.status, 401);
    assertOpenAIError(r.json, 401);
  });

  test('no X-AIGW-User and no body user -> 400 BadRequestError', async () => {
    const n = (await mock.requests()).length;
    const anon = client(gw, { user: false });
    const e = await sdkError(anon.chat.completions.create(chat()));
    assert.ok(e instanceof OpenAI.BadRequestError, String(e));
    assert.equal(e.status, 400);
    assert.equal(typeof e.error.message, 'string');
    assert.equal((await mock.requests()).length, n);
  });
});

describe('bad input', () => {
  test('malformed JSON -> 400 invalid_json', async () => {
    const r = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: authHeaders(),
      body: '{"model": "gpt-4o-mini", "messages": [' });
    assert.equal(r.status, 400);
    assertOpenAIError(r.json, 400);
    assert.equal(r.json.error.code, 'invalid_json');
  });

  function bodyOfSize(n) {
    const head = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"';
    const tail = '"}]}';
    return head + 'a'.repeat(n - head.length - tail.length) + tail;
  }

  test('body at exactly the limit passes, one byte over -> 413', async () => {
    const limit = gw.config.limits.max_request_body_bytes;
    const ok = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: authHeaders(),
      body: bodyOfSize(limit) });
    assert.equal(ok.status, 200, ok.body.slice(0, 300));
    const big = await rawRequest(gw, { method: 'POST', path: '/v1/chat/completions', headers: authHeaders(),
      body: bodyOfSize(limit + 1) });
    assert.equal(big.status, 413);
    assertOpenAIError(big.json, 413);
  });

  test('chunked upload over the limit -> 413', async () => {
    const limit = gw.config.limits.max_request_body_bytes;
    const http = await import('node:http');
    const status = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: gw.port, method: 'POST', path: '/v1/chat/completions',
        headers: authHeaders(), agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      const piece = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent <= limit; sent += piece.length) req.write(piece);
      req.end();
    });
    assert.equal(status, 413);
  });

  // h2o answers these itself, before aigw's handler (gateway/pipeline/protocol_errors.c reshapes them).
  test("h2o's own 413 (over its hard limit, twice the configured one) is provider-shaped, per route", async () => {
    const limit = gw.config.limits.max_request_body_bytes;
    const head = (path, auth) => `POST ${path} HTTP/1.1\r\nHost: x\r\n${auth}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${limit * 2 + 1}\r\n\r\n{}`;
    const openai = parseRaw(await rawSocket(gw.port, head('/v1/chat/completions', `Authorization: Bearer ${CLIENT_KEY}`)));
    assert.equal(openai.status, 413, openai.text);
    assert.match(openai.headers['content-type'], /^application\/json/);
    assertOpenAIError(openai.json, 413);
    assert.equal(openai.json.error.code, 'request_too_large');
    assert.equal(Number(openai.headers['content-length']), Buffer.byteLength(openai.body));
    const anthropic = parseRaw(await rawSocket(gw.port, head('/anthropic/v1/messages', `x-api-key: ${CLIENT_KEY}`)));
    assert.equal(anthropic.status, 413, anthropic.text);
    assert.equal(anthropic.json.type, 'error', anthropic.body); // Anthropic's shape, not OpenAI's
    assert.equal(typeof anthropic.json.error.message, 'string');
  });

  test("h2o's own 400 (broken chunked encoding) and 417 (unknown Expect) are provider-shaped", async () => {
    const broken = parseRaw(await rawSocket(gw.port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${CLIENT_KEY}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`));
    assert.equal(broken.status, 400, broken.text);
    assertOpenAIError(broken.json, 400);
    assert.equal(broken.json.error.code, 'invalid_http_request');
    const expect = parseRaw(await rawSocket(gw.port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n' +
      `Authorization: Bearer ${CLIENT_KEY}\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}`));
    assert.equal(expect.status, 417, expect.text);
    assertOpenAIError(expect.json, 417);
    assert.equal(expect.json.error.code, 'expectation_failed');
  });

  test('unknown route -> 404', async () => {
    const r = await rawRequest(gw, { path: '/nope', headers: authHeaders() });
    assert.equal(r.status, 404);
    assertOpenAIError(r.json, 404);
  });

  test('unsupported method -> 405', async () => {
    const r = await rawRequest(gw, { method: 'PATCH', path: '/v1/chat/completions', headers: authHeaders(),
      body: JSON.stringify(chat()) });
    assert.equal(r.status, 405);
    assertOpenAIError(r.json, 405);
  });
});

describe('upstream faults', () => {
  test('upstream 500 -> APIError 502 mentioning the upstream status', async () => {
    const e = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-status': '500' } }));
    assert.ok(e instanceof OpenAI.APIError, String(e));
    assert.equal(e.status, 502);
    assert.match(e.message, /500/);
  });

  test('upstream 503 -> 502', async () => {
    const e = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-status': '503' } }));
    assert.equal(e.status, 502);
    assert.match(e.message, /503/);
  });

  test('upstream 4xx pass through as-is (400, 401, 429)', async () => {
    const e400 = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-status': '400' } }));
    assert.ok(e400 instanceof OpenAI.BadRequestError);
    assert.equal(e400.error.param, 'stream_options');
    const e401 = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-status': '401' } }));
    assert.ok(e401 instanceof OpenAI.AuthenticationError);
    assert.equal(e401.error.code, 'invalid_api_key');
    const e429 = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-status': '429' } }));
    assert.ok(e429 instanceof OpenAI.RateLimitError);
    assert.equal(e429.error.code, 'rate_limit_exceeded');
  });

  test('upstream closes the connection without a response -> 502', async () => {
    const e = await sdkError(sdk.chat.completions.create(chat(), { headers: { 'x-mock-reset-after-bytes': '0' } }));
    assert.equal(e.status, 502, String(e));
    assertOpenAIError({ error: e.error }, 502);
  });

  test('no first byte within first_byte_timeout_ms -> 504, upstream transfer cancelled', async () => {
    const e = await sdkError(sdk.chat.completions.create(chat('slow-first-byte'), { headers: { 'x-mock-delay-ms': '4000' } }));
    assert.ok(e instanceof OpenAI.APIError, String(e));
    assert.equal(e.status, 504);
    const rec = await waitFor(async () => (await mock.requests()).find((r) => r.body.includes('slow-first-byte') && r.aborted),
      { timeoutMs: 4000, msg: 'mock sees the timed-out request aborted' });
    assert.ok(rec.aborted);
  });

  test('stream stalled longer than idle_timeout_ms is terminated', async () => {
    const t0 = Date.now();
    const chunks = [];
    let err = null;
    try {
      const stream = await sdk.chat.completions.create({ ...chat(), stream: true },
        { headers: { 'x-mock-chunk-delay-ms': '4000' } });
      for await (const c of stream) chunks.push(c);
    } catch (e) {
      err = e;
    }
    const took = Date.now() - t0;
    assert.ok(!chunks.some((c) => c.choices[0]?.finish_reason), 'stream did not complete');
    // Completing would take 6 x 4 s; an idle timeout of 1.5 s cuts it after the first event.
    assert.ok(took < 8000, `stream ended after ${took} ms (err ${err})`);
  });

  test('upstream reset mid-stream: the client sees a short stream or an error, not a hang', async () => {
    const chunks = [];
    let err = null;
    try {
      const stream = await sdk.chat.completions.create({ ...chat(), stream: true },
        { headers: { 'x-mock-reset-after-bytes': '700' } });
      for await (const c of stream) chunks.push(c);
    } catch (e) {
      err = e;
    }
    assert.ok(!chunks.some((c) => c.choices[0]?.finish_reason), `no finish chunk (err ${err})`);
    assert.ok(chunks.length <= 2);
  });

  test('truncated SSE (no [DONE]) ends the client stream', async () => {
    const chunks = [];
    try {
      const stream = await sdk.chat.completions.create({ ...chat(), stream: true }, { headers: { 'x-mock-truncate': '1' } });
      for await (const c of stream) chunks.push(c);
    } catch {
      /* an error is acceptable; a hang is not (SDK timeout 20 s) */
    }
    assert.ok(chunks.length >= 1);
    assert.ok(!chunks.some((c) => c.choices[0]?.finish_reason));
  });

  test('gateway still healthy after the faults', async () => {
    const r = await sdk.chat.completions.create(chat('after faults'));
    assert.equal(r.object, 'chat.completion');
  });
});

test('upstream connection refused -> 502', async () => {
  const deadPort = await freePort();
  const dead = await startAigw({ name: 'errors-refused-aigw', mockUrl: `http://127.0.0.1:${deadPort}` });
  try {
    const e = await sdkError(client(dead).chat.completions.create(chat()));
    assert.ok(e instanceof OpenAI.APIError, String(e));
    assert.equal(e.status, 502);
    assert.equal(typeof e.error.message, 'string');
  } finally {
    await dead.stop();
  }
});


// RFC 9110 section 5.5: a proxy must not forward a field value with CR, LF or NUL. curl hands such header lines over
// as they came (a bare CR inside a line), so an upstream could split aigw's response to the client
// ("X-Evil: a\rSet-Cookie: ..."): the answer is refused whole with a 502.
test('an upstream header with a control character (response splitting) -> 502, nothing of it forwarded', async () => {
  const body = JSON.stringify({ id: 'chatcmpl-raw', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'raw ok' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
  const extras = ['X-Fine: a\tb\r\n', 'X-Evil: a\rSet-Cookie: stolen=1\r\n', 'X-Nul: a\0b\r\n', 'X-Ctl: a\x01b\r\n',
    ' folded: continuation\r\n'];
  let served = 0;
  const up = await rawUpstream((head, reqBody, sock) => {
    const extra = extras[Math.min(served++, extras.length - 1)];
    sock.end(Buffer.from(`HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`,
      'latin1'));
  });
  const raw = await startAigw({ name: 'errors-rawheader-aigw', mockUrl: up.url });
  const req = JSON.stringify(chat('hello'));
  const call = () => rawSocket(raw.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`
    + `Authorization: Bearer ${CLIENT_KEY}\r\nX-AIGW-User: raw-user\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(req)}\r\n\r\n${req}`);
  try {
    const ok = parseRaw(await call()); // the control: a value with HTAB is fine
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers['x-fine'], 'a\tb');
    assert.equal(ok.json.choices[0].message.content, 'raw ok');
    for (const extra of extras.slice(1)) {
      const text = await call();
      const r = parseRaw(text);
      assert.equal(r.status, 502, `${JSON.stringify(extra)}: ${text}`);
      if (extra.includes('\0')) {
        // curl refuses a NUL in a header itself (CURLE_WEIRD_SERVER_REPLY) before aigw sees the line
        assert.equal(r.json.error.code, 'upstream_unreachable', `${JSON.stringify(extra)}: ${r.json.error.message}`);
      } else {
        assert.equal(r.json.error.code, 'upstream_error', `${JSON.stringify(extra)}: ${r.json.error.message}`);
        assert.match(r.json.error.message, /malformed response header/);
      }
      assert.ok(!/set-cookie|x-evil|x-nul|x-ctl|folded|raw ok/i.test(text), `nothing of the answer is forwarded: ${text}`);
      const head = text.slice(0, text.indexOf('\r\n\r\n') + 4);
      assert.ok(!/\r(?!\n)|(?<!\r)\n|\0|\x01/.test(head), `no bare CR, LF or control byte in the head: ${JSON.stringify(head)}`);
      assert.equal(head.match(/^content-type:/gim).length, 1, `one Content-Type, aigw's (the upstream's is dropped): ${head}`);
    }
    assert.equal(served, extras.length, 'every answer came from the raw upstream (no retry of a refused one)');
  } finally {
    await raw.stop();
    await up.close();
  }
});

/** The first HTTP/1.1 response in `text`: status, lower-cased headers, body (by Content-Length), JSON when it parses. */
function parseRaw(text) {
  const end = text.indexOf('\r\n\r\n');
  const lines = text.slice(0, end).split('\r\n');
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  const len = headers['content-length'] !== undefined ? Number(headers['content-length']) : text.length - end - 4;
  const body = text.slice(end + 4, end + 4 + len);
  let json = null;
  try {
    json = JSON.parse(body);
  } catch {
    json = null;
  }
  return { status: Number(lines[0].split(' ')[1]), headers, body, json, text };
}

// aigw's own failures, made by failing one allocation of the real binary from the outside: libaigw_failalloc.so
// (tests/support/failalloc_preload.c, built next to aigw) is preloaded and fails strdup() of the strings with a chosen
// prefix.
describe('aigw failures', () => {
  const failalloc = (prefix) => ({
    LD_PRELOAD: path.join(path.dirname(AIGW_BIN), 'libaigw_failalloc.so'),
    AIGW_FAILALLOC_STRDUP_PREFIX: prefix,
    // an ASan build wants its runtime first in the library list; the preload comes before it
    ASAN_OPTIONS: [process.env.ASAN_OPTIONS, 'verify_asan_link_order=0'].filter(Boolean).join(':'),
  });

  test('out of memory in the rate limiter -> 500 internal_error, not 429; nothing forwarded', async () => {
    // the limiter's bucket of user U is keyed "u:U": its strdup fails for users starting with "oom-"
    const g = await startAigw({ name: 'errors-oom-ratelimit', mockUrl: mock.url, env: failalloc('u:oom-'),
      config: { rate_limits: { per_user: { requests_per_minute: 100 } } } });
    try {
      const body = (user) => ({ model: 'gpt-4o-mini', user, messages: [{ role: 'user', content: `rate limiter ${user}` }] });
      const r = await rawRequest(g, { method: 'POST', path: '/v1/chat/completions', headers: authHeaders({ 'x-aigw-user': 'oom-user-1' }), body: JSON.stringify(body('oom-user-1')) });
      assert.equal(r.status, 500, r.body);
      assertOpenAIError(r.json, 500);
      assert.equal(r.json.error.code, 'internal_error');
      assert.equal(r.headers['retry-after'], undefined, 'no Retry-After: the client is not over a limit');
      const e = await sdkError(client(g, { user: 'oom-user-1' }).chat.completions.create(body('oom-user-1'), { maxRetries: 0 }));
      assert.ok(e instanceof OpenAI.InternalServerError, String(e));
      assert.ok(!(await mock.requests()).some((q) => q.body.includes('rate limiter oom-user')), 'nothing forwarded');
      await waitFor(() => /rate limiter: internal error/.test(g.stderr()), { msg: 'the failure is logged' });
      // every other user's bucket is allocated as usual: the preload fails only the chosen strings
      const ok = await client(g, { user: 'user-ok' }).chat.completions.create(body('user-ok'));
      assert.equal(ok.object, 'chat.completion');
    } finally {
      await g.stop();
    }
  });
});
