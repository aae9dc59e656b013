import assert from 'node:assert/strict';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { test } from 'node:test';
import { CLIENT_KEY, UPSTREAM_KEY, rawSocket, rawUpstream, startAigw } from './lib/harness.mjs';

// RFC 9110 section 12.5.3: a request without Accept-Encoding accepts any content coding, so a provider (or a CDN in
// front of it) may compress its answer. aigw restores placeholders in, scans and masks keys in the bytes it reads:
// it asks for identity, and decodes what comes compressed anyway before any of that.
test('a compressed upstream answer is decoded before the restore and the key mask; aigw asks for identity', async () => {
  const seen = [];
  const codings = [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]];
  let k = 0;
  const up = await rawUpstream((head, raw, sock) => {
    seen.push(head);
    const reqBody = JSON.parse(raw.toString('utf8'));
    const echo = reqBody.messages[0].content;
    const [name, fn] = codings[k++ % codings.length];
    const error = echo.includes('fail');
    const body = error
      ? JSON.stringify({ error: { message: `Incorrect API key provided: ${UPSTREAM_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } })
      : JSON.stringify({ id: 'chatcmpl-gz', object: 'chat.completion', created: 1, model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: `You wrote: ${echo}` }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } });
    const z = fn(Buffer.from(body));
    sock.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${error ? '401 Unauthorized' : '200 OK'}\r\nConnection: close\r\n`
      + `Content-Type: application/json\r\nContent-Encoding: ${name}\r\nContent-Length: ${z.length}\r\n\r\n`, 'latin1'), z]));
  });
  const gw = await startAigw({ name: 'gzip-upstream-aigw', mockUrl: up.url,
    config: { retry: { max_retries: 0 } } });
  const call = (content) => {
    const req = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
    return rawSocket(gw.port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`
      + `Authorization: Bearer ${CLIENT_KEY}\r\nX-AIGW-User: gz-user\r\nContent-Type: application/json\r\n`
      + `Content-Length: ${Buffer.byteLength(req)}\r\n\r\n${req}`);
  };
  try {
    for (let n = 0; n < 3; n++) {
      const text = await call('mail jane.doe@example.com please');
      assert.match(text, /^HTTP\/1\.1 200 /, text);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      assert.match(body, /You wrote: mail jane\.doe@example\.com please/, `restored (${codings[n][0]}): ${text}`);
      assert.ok(!/content-encoding/i.test(text.slice(0, text.indexOf('\r\n\r\n'))), 'the answer goes out decoded');
    }
    for (let n = 0; n < 3; n++) {
      const text = await call('fail');
      assert.match(text, /^HTTP\/1\.1 401 /, text);
      assert.ok(!text.includes(UPSTREAM_KEY), `the provider key is masked (${codings[(3 + n) % 3][0]}): ${text}`);
      assert.match(text, /Incorrect API key provided: \*+/, text);
    }
    for (const head of seen) assert.match(head, /\r\naccept-encoding: identity(\r\n|$)/i, head);
  } finally {
    await gw.stop();
    await up.close();
  }
});
