// Large request bodies are scanned off the event loop (issue 13: a 20 MiB prompt scanned on the loop stalled every
// other request of its worker for 1.5 s). A body of limits.scan_offload_min_bytes (default 256 KiB) or more has its
// privacy pass on the scan threads while its worker goes on serving; the request resumes on its own loop.
//   - what the provider receives is byte for byte what the pass on the loop produces (a second gateway with the
//     threshold out of reach), and each copy of a small message inside a large body is scrubbed as that small message
//     alone is; multipart uploads and every refusal (400 / 403 / 415) come out the same too;
//   - on a one-worker gateway, a small request sent while a large body is being scanned is answered first (ordering,
//     not timing: the large one is answered by aigw itself the moment its scan ends, a block finding -> 403);
//   - the case, a prompt full of numbers, scanned off the loop with the store on: every finding acted on,
//     pii.max_findings_per_request rows in the redaction log and one summary row for the rest;
//   - a client that goes away mid-scan (HTTP/2 RST_STREAM, a closed session with scans still queued, a closed HTTP/1.1
//     socket) leaves the gateway healthy: nothing of the aborted request is forwarded, it is logged as 499, later
//     requests work and the gateway drains and exits 0 (no sanitizer report under `make test-asan`).
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_TOKENS, CLIENT_KEY, USER, accessLogLine, authHeaders, client, rawRequest, sqlite, startAigw, startMock, storeSetup,
  waitFor,
} from './lib/harness.mjs';

const EMAIL = 'jane.doe@example.com';
const PHONE = '+1 415 555 0134';
const CARD = '4111 1111 1111 1111';
const IBAN = 'GB82 WEST 1234 5698 7654 32';
const SSN = '536-22-8765';
const LEAKS = [EMAIL, PHONE, '415 555 0134', CARD, '4111111111111111', IBAN, 'GB82WEST12345698765432'];
// one small message; large bodies repeat it
const UNIT = `Customer ${EMAIL} called from ${PHONE} about card ${CARD}; refund to ${IBAN}. Order 12345, 2024-01-02.`;

const base = {
  workers: 1,
  limits: { max_request_body_bytes: 24 << 20 },
  admin_tokens: [{ role: 'ops', token: ADMIN_TOKENS.ops }],
  // every action kind, and a fixed hash key: the two gateways must produce the same bytes
  pii: {
    default_action: 'tokenize', hash_key_hex: '11'.repeat(32),
    actions: { CREDIT_CARD: 'redact', IBAN_CODE: 'hash', PHONE_NUMBER: 'mask', US_SSN: 'block' },
  },
};

let mock;
let gw; // default threshold: bodies of 256 KiB or more are scanned off the loop
let gwLoop; // the threshold out of reach: every pass on the loop (the reference)

before(async () => {
  mock = await startMock({ name: 'scan-offload-mock' });
  gw = await startAigw({ name: 'scan-offload-aigw', mockUrl: mock.url, config: base });
  gwLoop = await startAigw({ name: 'scan-offload-loop-aigw', mockUrl: mock.url,
    config: { ...base, limits: { ...base.limits, scan_offload_min_bytes: 2 ** 31 } } });
});
after(async () => {
  await gw?.stop();
  await gwLoop?.stop();
  await mock?.stop();
});

async function metric(g, name) {
  const r = await rawRequest(g, { path: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKENS.ops}` } });
  assert.equal(r.status, 200, r.body);
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(r.body);
  assert.ok(m, `${name} in /metrics`);
  return Number(m[1]);
}
const offloaded = (g) => metric(g, 'aigw_body_scans_offloaded_total');

function chatBody(copies, extra = '') {
  const messages = Array.from({ length: copies }, () => ({ role: 'user', content: UNIT }));
  if (extra) messages.push({ role: 'user', content: extra });
  return JSON.stringify({ model: 'gpt-4o-mini', messages });
}

// `bytes` of a long text made of UNIT, in one message (a prompt full of numbers, like the issue's)
function bigChat(bytes, tail = '') {
  const text = `${UNIT} `.repeat(Math.ceil(bytes / (UNIT.length + 1))).slice(0, bytes) + tail;
  return JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] });
}

const post = (g, body, headers = {}) => rawRequest(g, { method: 'POST', path: '/v1/chat/completions',
  headers: { ...authHeaders(), 'x-mock-echo': '1', ...headers }, body, timeoutMs: 120000 });

// What the provider received for the one request sent by `send` (the mock reset first).
async function upstreamOf(send) {
  await mock.reset();
  const answer = await send();
  const reqs = await mock.requests();
  assert.equal(reqs.length, 1, `one request reached the provider (${answer.status} ${answer.body.slice(0, 200)})`);
  return { answer, up: reqs[0] };
}

describe('scrubbing off the loop is scrubbing on the loop', () => {
  test('a large chat body: the provider gets the same bytes as from the pass on the loop, each copy of a small message scrubbed as it is alone', async () => {
    const small = await upstreamOf(() => post(gw, chatBody(1)));
    assert.equal(small.answer.status, 200, small.answer.body);
    const smallContent = JSON.parse(small.up.body).messages[0].content;
    for (const v of LEAKS) assert.ok(!smallContent.includes(v), `${v} reached the provider`);
    assert.match(smallContent, /<EMAIL_ADDRESS_1>/);

    const large = chatBody(3000); // ~450 KiB
    assert.ok(large.length > 256 << 10);
    const n0 = await offloaded(gw);
    const off = await upstreamOf(() => post(gw, large));
    assert.equal(await offloaded(gw), n0 + 1, 'the large body was scanned off the loop');
    const onLoop = await upstreamOf(() => post(gwLoop, large));
    assert.equal(await offloaded(gwLoop), 0);

    assert.equal(off.answer.status, 200, off.answer.body);
    assert.equal(off.up.body, onLoop.up.body, 'byte for byte what the pass on the loop sends');
    const sent = JSON.parse(off.up.body).messages;
    assert.equal(sent.length, 3000);
    for (const m of sent) assert.equal(m.content, smallContent);
    assert.equal(off.answer.headers['x-aigw-redactions'], onLoop.answer.headers['x-aigw-redactions']);
    assert.equal(Number(off.answer.headers['x-aigw-redactions']), 3000 * Number(small.answer.headers['x-aigw-redactions']));
    assert.deepEqual(off.answer.json, onLoop.answer.json, 'the answer is restored the same way');
    assert.ok(off.answer.json.choices[0].message.content.includes(EMAIL), 'tokens restored in the answer');
  });

  test('below the threshold the pass stays on the loop', async () => {
    const n0 = await offloaded(gw);
    const r = await post(gw, chatBody(10));
    assert.equal(r.status, 200, r.body);
    assert.equal(await offloaded(gw), n0);
  });

  test('a large multipart upload: text file scanned off the loop, the same bytes upstream', async () => {
    const boundary = 'aigw-offload-boundary-0123456789';
    const file = `${UNIT}\n`.repeat(3000);
    const body = Buffer.from([
      `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\ngpt-4o-transcribe\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\nnames and addresses, e.g. ${EMAIL}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n${file}\r\n`,
      `--${boundary}--\r\n`,
    ].join(''));
    // a transcription, not an image edit: an image drawn from a prompt with placeholders is refused (pii_unrestorable)
    const send = (g) => rawRequest(g, { method: 'POST', path: '/v1/audio/transcriptions', body, timeoutMs: 120000,
      headers: { ...authHeaders(), 'content-type': `multipart/form-data; boundary=${boundary}` } });
    const n0 = await offloaded(gw);
    const off = await upstreamOf(() => send(gw));
    assert.equal(await offloaded(gw), n0 + 1);
    const onLoop = await upstreamOf(() => send(gwLoop));
    assert.equal(off.up.body, onLoop.up.body);
    for (const v of LEAKS) assert.ok(!off.up.body.includes(v), `multipart: ${v} reached the provider`);
    assert.match(off.up.body, /Customer <EMAIL_ADDRESS_1> called from/);
  });

  test('refusals of large bodies are the same answers (400 bad JSON, 403 block, 415 not JSON) and forward nothing', async () => {
    const cases = [
      { name: 'cut JSON', body: bigChat(400 << 10).slice(0, -2), status: 400, code: 'invalid_json' },
      { name: 'blocked SSN', body: bigChat(400 << 10, ` SSN ${SSN}`), status: 403, code: 'pii_blocked' },
      { name: 'not JSON', body: `${UNIT}\n`.repeat(3000), status: 415, code: 'unsupported_media_type',
        headers: { 'content-type': 'text/plain' } },
    ];
    for (const c of cases) {
      await mock.reset();
      const n0 = await offloaded(gw);
      const a = await post(gw, c.body, c.headers);
      assert.equal(await offloaded(gw), n0 + 1, c.name);
      const b = await post(gwLoop, c.body, c.headers);
      assert.equal(a.status, c.status, `${c.name}: ${a.body}`);
      assert.equal(a.json?.error?.code, c.code, c.name);
      assert.equal(b.status, a.status, c.name);
      assert.deepEqual(b.json, a.json, c.name);
      assert.equal((await mock.requests()).length, 0, `${c.name}: nothing reached the provider`);
    }
  });
});

describe('the worker serves other requests while a large body is scanned', () => {
  test('a small request on another connection is answered before the large one (one worker)', async () => {
    const sdk = client(gw);
    await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'warm up' }] });
    // 8 MiB; a block finding at its end: aigw answers 403 itself the moment the scan ends (no provider round trip)
    const large = bigChat(8 << 20, ` SSN ${SSN}`);
    const order = [];
    const n0 = await offloaded(gw);
    const big = post(gw, large).then((r) => {
      order.push('large');
      return r;
    });
    await waitFor(async () => (await offloaded(gw)) > n0, { timeoutMs: 60000, intervalMs: 5, msg: 'the large scan to start' });
    const small = sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `hi ${EMAIL}` }] },
      { headers: { 'x-mock-echo': '1' } }).then((r) => {
      order.push('small');
      return r;
    });
    const [rb, rs] = await Promise.all([big, small]);
    assert.equal(rb.status, 403, rb.body);
    assert.equal(rb.json.error.code, 'pii_blocked');
    assert.equal(rs.choices[0].message.content, `hi ${EMAIL}`);
    assert.deepEqual(order, ['small', 'large'], 'the small request did not wait for the large scan');
  });
});

describe('a prompt full of numbers (the issue\'s case) with the store on', () => {
  let data;
  let gwStore;
  before(async () => {
    data = storeSetup('scan-offload-store-data');
    gwStore = await startAigw({ name: 'scan-offload-store-aigw', mockUrl: mock.url,
      config: { ...data.config, workers: 1, limits: { max_request_body_bytes: 24 << 20 } } });
  });
  after(async () => {
    await gwStore?.stop();
  });

  test('scanned off the loop: every number acted on, max_findings_per_request rows and one summary row', async () => {
    const lines = [];
    for (let i = 0, size = 0; size < 2 << 20; i++) {
      const line = `call +1 415 555 ${1000 + (i % 9000)} now. `;
      lines.push(line);
      size += line.length;
    }
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: lines.join('') }] });
    await mock.reset();
    const r = await rawRequest(gwStore, { method: 'POST', path: '/v1/chat/completions', body, timeoutMs: 120000,
      headers: { ...authHeaders(), 'x-aigw-user': 'u-numbers' } });
    assert.equal(r.status, 200, r.body);
    assert.equal(await metric(gwStore, 'aigw_body_scans_offloaded_total'), 1);
    const findings = Number(r.headers['x-aigw-redactions']);
    assert.equal(findings, lines.length, 'every phone number found');
    const sent = (await mock.requests()).at(-1).body;
    assert.ok(!sent.includes('415 555 1000'), 'no number reached the provider');
    const rows = await waitFor(() => {
      const q = sqlite(data.db, 'SELECT count(*) AS n FROM redactions WHERE user_id = \'u-numbers\'');
      return q[0].n > 0 ? q[0].n : null;
    }, { msg: 'redaction rows' });
    assert.equal(rows, 1000 + 1);
    assert.deepEqual(sqlite(data.db, 'SELECT field, start_off, end_off, action FROM redactions WHERE user_id = \'u-numbers\'' +
      ' AND entity_type = \'FINDINGS_OVERFLOW\''), [{ field: '*', start_off: 1000, end_off: findings, action: 'summary' }]);
  });
});

describe('a client that goes away mid-scan', () => {
  const bigOk = bigChat(8 << 20); // would be forwarded if its client stayed
  const h2headers = (tag) => ({
    ':method': 'POST', ':path': '/v1/chat/completions', authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER,
    'content-type': 'application/json', 'x-abort-test': tag,
  });

  test('HTTP/2 RST_STREAM during the scan: nothing forwarded, logged 499, the gateway goes on', async () => {
    await mock.reset();
    const session = http2.connect(gw.url);
    session.on('error', () => {});
    const n0 = await offloaded(gw);
    const req = session.request(h2headers('rst'));
    req.on('error', () => {});
    req.end(bigOk);
    await waitFor(async () => (await offloaded(gw)) > n0, { timeoutMs: 60000, intervalMs: 5, msg: 'the scan to start' });
    req.close(http2.constants.NGHTTP2_CANCEL);
    const line = await accessLogLine(gw, (o) => o.status === 499 && o.error === 'client_closed' && o.bytes_in === bigOk.length);
    assert.equal(line.route, '/v1/chat/completions');
    // another scan of that size after it (the last test checks, after the drain, that nothing aborted was forwarded)
    const r = await post(gw, bigChat(8 << 20, ` SSN ${SSN}`));
    assert.equal(r.status, 403);
    const sdk = client(gw);
    const ok = await sdk.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }] });
    assert.ok(ok.choices[0].message.content);
    const reqs = await mock.requests();
    assert.equal(reqs.filter((q) => q.headers['x-abort-test'] === 'rst').length, 0, 'the aborted request was not forwarded');
    session.destroy();
  });

  test('a session closed with scans running and queued (more than the scan threads)', async () => {
    const session = http2.connect(gw.url);
    session.on('error', () => {});
    const n0 = await offloaded(gw);
    for (let i = 0; i < 4; i++) {
      const req = session.request(h2headers('session'));
      req.on('error', () => {});
      req.end(bigOk);
    }
    await waitFor(async () => (await offloaded(gw)) >= n0 + 4, { timeoutMs: 60000, intervalMs: 5, msg: 'four scans handed over' });
    session.destroy();
    const r = await post(gw, chatBody(1));
    assert.equal(r.status, 200, r.body);
  });

  test('HTTP/1.1 socket closed during the scan', async () => {
    const n0 = await offloaded(gw);
    const s = net.connect(gw.port, '127.0.0.1');
    s.on('error', () => {});
    s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${CLIENT_KEY}\r\n` +
      `x-aigw-user: ${USER}\r\ncontent-type: application/json\r\nx-abort-test: h1\r\ncontent-length: ${Buffer.byteLength(bigOk)}\r\n\r\n`);
    s.write(bigOk);
    await waitFor(async () => (await offloaded(gw)) > n0, { timeoutMs: 60000, intervalMs: 5, msg: 'the scan to start' });
    s.destroy();
    const r = await post(gw, chatBody(1));
    assert.equal(r.status, 200, r.body);
  });

  test('after all that the gateway drains and exits cleanly', async () => {
    const r = await post(gw, chatBody(3000));
    assert.equal(r.status, 200, r.body);
    const { code, signal } = await gw.stop();
    assert.equal(signal, null);
    assert.equal(code, 0, gw.stderr());
    assert.doesNotMatch(gw.stderr(), /Sanitizer|runtime error/);
    const reqs = await mock.requests();
    assert.equal(reqs.filter((q) => ['rst', 'session'].includes(q.headers['x-abort-test'])).length, 0,
      'no aborted HTTP/2 request was forwarded');
  });
});
