// Credits metering through the real gateway and the official openai SDK (issue 6), on one SQLite
// store: settlement from the fixtures' usage with the test price table (markup included), streams
// held until their record commits, refunds on upstream failure or a 4xx, unknown model 403, no
// credit 402, a client gone mid-stream or while its reservation commits, Idempotency-Key, an
// unreachable provider, rate limit 429. Concurrency, several instances on PostgreSQL and kill -9
// are in metering-concurrency.test.mjs; the shared helpers in lib/metering.mjs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http2 from 'node:http2';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { CLIENT_KEY, client, freePort, sleep, sqlite, startMock, waitFor } from './lib/harness.mjs';
import {
  FLAT, FLAT_MAX_TOKENS, MARKUP_KEY, MINI, R, chatFixtureUsage, expectedCost, expectedReservation, forwarded, grant, metric,
  settled, sqliteLedger, startMetered, streamFixtureUsage, userInfo,
} from './lib/metering.mjs';

let mock;
before(async () => {
  mock = await startMock({ name: 'metering-mock' });
});
after(async () => {
  if (mock) await mock.stop();
});

// ---- settlement, refunds, refusals, idempotency on one gateway -----------------------------------

describe('settlement, refunds, refusals, idempotency (SQLite)', () => {
  let gw;
  let data;
  let ledger;
  before(async () => {
    ({ gw, data } = await startMetered(mock, 'meter-main'));
    ledger = sqliteLedger(data.db);
  });
  after(async () => {
    if (gw) await gw.stop();
  });

  test('JSON answer: X-AIGW-Credits-Charged = the fixture usage priced (cached input at the cached rate); markup 1.5', async () => {
    const user = 'user-settle';
    await grant(gw, user, 1000000);
    const usage = chatFixtureUsage();
    assert.ok(usage.prompt_tokens_details.cached_tokens > 0, 'the fixture has cached tokens');
    const want = expectedCost(MINI, usage);
    assert.equal(want, 1091); // 156 x 2.500001 + 256 x 1.25 + 38 x 10 = 1090.000156, rounded up
    const { data: body, response } = await client(gw, { user }).chat.completions.create({ model: 'gpt-4o-mini',
      max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    assert.deepEqual(body.usage, usage, 'the provider\'s usage reached the client');
    assert.equal(Number(response.headers.get('x-aigw-credits-charged')), want);
    assert.equal(Number(response.headers.get('x-aigw-credits-remaining')), 1000000 - want);
    const rid = response.headers.get('x-aigw-request-id');
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 1000000 - want);
    assert.equal(ledger.net(rid), -want, 'ledger rows of the call net to the charge');
    // The reseller client pays 1.5 x, rounded up.
    const reseller = new OpenAI({ baseURL: gw.baseURL, apiKey: MARKUP_KEY, maxRetries: 0,
      defaultHeaders: { 'X-AIGW-User': user } });
    const m = await reseller.chat.completions.create({ model: 'gpt-4o-mini', max_tokens: 100,
      messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    const wantMarkup = expectedCost(MINI, usage, 1500n);
    assert.equal(wantMarkup, 1637);
    assert.equal(Number(m.response.headers.get('x-aigw-credits-charged')), wantMarkup);
    await settled(gw, user);
    assert.equal(ledger.sum(user), 1000000 - want - wantMarkup);
    assert.equal(ledger.balance(user), ledger.sum(user));
  });

  test('stream: the header holds the reservation (bound from the forwarded body), the ledger the usage priced', async () => {
    const user = 'user-settle-stream';
    await grant(gw, user, 1000000);
    const usage = streamFixtureUsage();
    const want = expectedCost(MINI, usage);
    const { data: stream, response } = await client(gw, { user }).chat.completions.create({ model: 'gpt-4o-mini',
      max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hello stream' }] }).withResponse();
    let n = 0;
    for await (const c of stream) {
      n++;
      assert.equal(c.usage ?? null, null, 'no usage chunk: the client did not ask for one');
    }
    assert.ok(n >= 3);
    const rid = response.headers.get('x-aigw-request-id');
    const sent = (await forwarded(mock, 'gpt-4o-mini')).at(-1);
    assert.equal(JSON.parse(sent.body).stream_options?.include_usage, true, 'aigw asked the provider for usage');
    const reserved = expectedReservation(MINI, Buffer.byteLength(sent.body), 20);
    assert.equal(Number(response.headers.get('x-aigw-credits-charged')), reserved, 'stream header = reservation');
    assert.equal(Number(response.headers.get('x-aigw-credits-remaining')), 1000000 - reserved);
    const u = await settled(gw, user);
    assert.equal(ledger.net(rid), -want, `ledger ${ledger.kinds(rid)}`);
    // one settle row carries what went back (reservation - cost); no refund row (issue 12)
    assert.deepEqual(ledger.kinds(rid), [`reserve:${-reserved}`, `settle:${reserved - want}`]);
    assert.equal(u.balance_microcredits, 1000000 - want);
    assert.equal(ledger.sum(user), u.balance_microcredits);
  });

  // Durability promise (README): the terminal event of a streamed answer (`data: [DONE]`) reaches
  // the client only after the call's record and settlement are committed, so an SDK that stops
  // reading at [DONE] has an answer the call log holds.
  test('stream: data: [DONE] is held until the call\'s record is committed', async () => {
    const user = 'user-done-held';
    await grant(gw, user, 100000);
    // The provider sends its chunks 250 ms apart. Once the answer started (the reservation is
    // committed before anything is forwarded), the test takes SQLite's write lock (the store waits
    // up to its 5 s busy timeout), so the finished call cannot commit while the rest streams.
    const res = await fetch(`${gw.baseURL}/chat/completions`, { method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': user, 'content-type': 'application/json',
        'x-mock-chunk-delay-ms': '250' },
      body: JSON.stringify({ model: 'meter-flat-done', max_tokens: FLAT_MAX_TOKENS, stream: true,
        messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(res.status, 200);
    const rid = res.headers.get('x-aigw-request-id');
    const lock = spawn('sqlite3', [data.db], { stdio: ['pipe', 'pipe', 'inherit'] });
    lock.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    await new Promise((resolve) => lock.stdout.once('data', resolve));
    let text = '';
    const reading = (async () => {
      const dec = new TextDecoder();
      for await (const chunk of res.body) text += dec.decode(chunk, { stream: true });
    })();
    try {
      await waitFor(() => text.includes('"finish_reason":"stop"'), { timeoutMs: 4000, msg: 'the answer streamed while the store is locked' });
      await sleep(700); // the provider's [DONE] follows 250 ms after the finish chunk
      assert.ok(!text.includes('[DONE]'), `[DONE] reached the client before the record was committed:\n${text}`);
      assert.equal(sqlite(data.db, `SELECT COUNT(*) AS n FROM calls WHERE request_id = '${rid}'`)[0]?.n ?? 0, 0);
    } finally {
      lock.stdin.end('COMMIT;\n');
      await new Promise((resolve) => lock.on('exit', resolve));
    }
    await reading;
    assert.ok(text.trimEnd().endsWith('data: [DONE]'), `stream end:\n${text.slice(-200)}`);
    assert.equal(sqlite(data.db, `SELECT COUNT(*) AS n FROM calls WHERE request_id = '${rid}'`)[0].n, 1, 'the call is logged');
    assert.equal(ledger.unsettled(user), 0, 'and settled');
  });

  test('upstream 500 -> 502 and a full refund', async () => {
    const user = 'user-refund';
    await grant(gw, user, 100000);
    const err = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-refund', max_tokens: FLAT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'fail' }] }, { headers: { 'x-mock-status': '500' } }).then(() => null, (e) => e);
    assert.ok(err instanceof OpenAI.APIError, String(err));
    assert.equal(err.status, 502);
    // aigw retried the 500 twice (gateway/retry.h): three attempts, still one reservation, refunded once
    assert.equal((await forwarded(mock, 'meter-flat-refund')).length, 3, 'the call was forwarded (and reserved)');
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 100000, 'balance unchanged');
    assert.equal(ledger.sum(user), 100000);
    assert.equal(ledger.count(user, 'reserve'), 1);
    // the settle row gives the whole reservation back (one row per call: no refund row)
    assert.equal(ledger.count(user, 'settle'), 1);
    assert.equal(ledger.count(user, 'refund'), 0);
    assert.ok(ledger.amount(user, 'settle') > 0);
    assert.equal(ledger.amount(user, 'settle'), -ledger.amount(user, 'reserve'));
    assert.equal(ledger.unsettled(user), 0);
  });

  test('unknown model -> 403 model_not_priced, nothing forwarded or charged', async () => {
    const user = 'user-unpriced';
    await grant(gw, user, 100000);
    const err = await client(gw, { user }).chat.completions.create({ model: 'no-such-model-zz9',
      messages: [{ role: 'user', content: 'x' }] }).then(() => null, (e) => e);
    assert.ok(err instanceof OpenAI.PermissionDeniedError, String(err));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'model_not_priced');
    assert.equal((await forwarded(mock, 'no-such-model-zz9')).length, 0);
    assert.equal((await userInfo(gw, user)).balance_microcredits, 100000);
    assert.equal(ledger.count(user, 'reserve'), 0);
  });

  test('no credit: 402 insufficient_credits in the OpenAI shape, nothing forwarded', async () => {
    const user = 'user-broke';
    await grant(gw, user, R - 1);
    const err = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-broke', max_tokens: FLAT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'x' }] }).then(() => null, (e) => e);
    assert.ok(err instanceof OpenAI.APIError, String(err));
    assert.equal(err.status, 402);
    assert.equal(err.code, 'insufficient_credits');
    assert.equal(err.type, 'insufficient_quota');
    assert.equal((await forwarded(mock, 'meter-flat-broke')).length, 0);
    assert.equal(ledger.sum(user), R - 1);
  });

  test('client gone mid-stream: charged the reservation (no usage reported yet), upstream cancelled', async () => {
    const user = 'user-abort-stream';
    await grant(gw, user, 100000);
    const ac = new AbortController();
    const stream = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-abort', max_tokens: FLAT_MAX_TOKENS,
      stream: true, messages: [{ role: 'user', content: 'x' }] },
    { headers: { 'x-mock-chunk-delay-ms': '300' }, signal: ac.signal });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    ac.abort();
    await it.next().catch(() => null);
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 100000 - R, 'charged the reservation');
    const l = ledger;
    assert.equal(l.sum(user), u.balance_microcredits);
    await waitFor(async () => (await forwarded(mock, 'meter-flat-abort'))[0]?.aborted === true,
      { msg: 'the provider saw the transfer cancelled' });
  });

  // Issue 13 changed this rule: a stream the provider cut before its usage was charged the whole
  // reservation (R = 1050); it is now charged what was delivered: ceil(text bytes / 4) output
  // tokens (docs/internals/metering.md "Cut answers"), here 1000 + 9, and logged as truncated.
  test('stream cut by the provider before its usage: charged what was delivered, logged truncated', async () => {
    const user = 'user-truncated';
    await grant(gw, user, 100000);
    const stream = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-trunc', max_tokens: FLAT_MAX_TOKENS,
      stream: true, messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-mock-truncate': '1' } });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Hello Jane Doe, nice to meet you!');
    const want = FLAT.per_request + Math.ceil(Buffer.byteLength(text) / 4);
    assert.equal(want, 1009);
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 100000 - want);
    assert.equal(ledger.sum(user), u.balance_microcredits);
    const row = await waitFor(() => sqlite(data.db, `SELECT outcome, output_tokens, cost_microcredits FROM calls WHERE user_id = '${user}'`)[0],
      { msg: 'calls row' });
    assert.deepEqual(row, { outcome: 'truncated', output_tokens: 9, cost_microcredits: want });
  });

  test('provider 4xx passed through: refunded', async () => {
    const user = 'user-4xx';
    await grant(gw, user, 100000);
    const err = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-4xx', max_tokens: FLAT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-mock-status': '400' } }).then(() => null, (e) => e);
    assert.equal(err?.status, 400);
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 100000);
    assert.equal(ledger.sum(user), 100000);
  });

  // Gateway bug (open): a client that goes away while its reservation is being committed on the
  // thread pool. on_req_dispose (gateway/proxy.c) settles only if call->reserved is already set;
  // on_meter_reserved sets it afterwards and, the request being gone, neither forwards nor
  // settles. The reservation stays open (the user's credit held) until the next restart, whose
  // crash recovery then charges the full reservation for a call that was never forwarded.
  test('client gone while its reservation commits: the reservation is released, nothing charged', async () => {
    const user = 'user-abort-reserve';
    await grant(gw, user, 100000);
    // Hold SQLite's write lock so the reservation waits (busy timeout 5 s) while the client leaves.
    const lock = spawn('sqlite3', [data.db], { stdio: ['pipe', 'pipe', 'inherit'] });
    lock.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    await new Promise((resolve) => lock.stdout.once('data', resolve));
    // HTTP/2 (h2c): the stream reset reaches aigw at once (HTTP/1.1 notices a close only on write).
    const session = http2.connect(gw.url);
    session.on('error', () => {});
    const h2req = session.request({ ':method': 'POST', ':path': '/v1/chat/completions', authorization: `Bearer ${CLIENT_KEY}`,
      'x-aigw-user': user, 'content-type': 'application/json' });
    h2req.on('error', () => {});
    h2req.end(JSON.stringify({ model: 'meter-flat-gone', max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: 'x' }] }));
    await sleep(300);
    h2req.close(http2.constants.NGHTTP2_CANCEL);
    await sleep(100);
    session.close();
    await sleep(300);
    lock.stdin.end('COMMIT;\n');
    await new Promise((resolve) => lock.on('exit', resolve));
    await waitFor(() => ledger.count(user, 'reserve') === 1, { msg: 'the reservation committed' });
    assert.equal((await forwarded(mock, 'meter-flat-gone')).length, 0, 'never forwarded');
    const u = await waitFor(async () => {
      const x = await userInfo(gw, user);
      return x.reserved_microcredits === 0 ? x : null;
    }, { timeoutMs: 3000, msg: 'reservation of the gone client released' }).catch(() => null);
    assert.ok(u, `reservation still open: ${JSON.stringify(await userInfo(gw, user))}, credit_open rows ${ledger.open(user)}`);
    assert.equal(u.balance_microcredits, 100000, 'nothing charged for a call never forwarded');
  });

  // Gateway bug (open): a request whose reservation is refused (402) has already claimed its
  // Idempotency-Key (on_meter_reserve, gateway/proxy.c); only settle_call -> run_settle records
  // the outcome, and it runs only for reserved calls. The key stays "in flight" (status 0) for its
  // whole TTL: every retry gets 409 idempotency_key_in_use instead of the first outcome (402).
  test('Idempotency-Key after a 402: the retry gets the first outcome (402), not "in flight"', async () => {
    const user = 'user-idem-402';
    await grant(gw, user, 10);
    const call = () => client(gw, { user }).chat.completions.create({ model: 'meter-flat-idem402', max_tokens: FLAT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'x' }] }, { headers: { 'Idempotency-Key': 'idem-key-402' } }).then(() => null, (e) => e);
    const first = await call();
    assert.equal(first?.status, 402);
    await sleep(200);
    const again = await call();
    assert.equal(again?.status, 402, `retry: ${again?.status} ${again?.code}`);
    assert.notEqual(again?.code, 'idempotency_key_in_use');
    assert.equal((await forwarded(mock, 'meter-flat-idem402')).length, 0);
  });

  test('Idempotency-Key: a sequential retry is not forwarded or charged again; 409 while in flight; errors replay', async () => {
    const user = 'user-idem';
    await grant(gw, user, 100000);
    const sdk = client(gw, { user });
    const call = (model, key, headers = {}) => sdk.chat.completions.create({ model, max_tokens: FLAT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'idem' }] }, { headers: { 'Idempotency-Key': key, ...headers } }).withResponse();
    const first = await call('meter-flat-idem', 'idem-key-0001');
    assert.equal(first.response.status, 200);
    await settled(gw, user);
    const again = await call('meter-flat-idem', 'idem-key-0001').then(() => null, (e) => e);
    assert.ok(again instanceof OpenAI.ConflictError, String(again));
    assert.equal(again.code, 'idempotent_replay');
    assert.equal((await forwarded(mock, 'meter-flat-idem')).length, 1, 'the retry was not forwarded');
    assert.equal((await userInfo(gw, user)).balance_microcredits, 100000 - 1038, 'charged once');
    // While the first request with a key is in flight: 409 idempotency_key_in_use.
    const slow = call('meter-flat-idem2', 'idem-key-0002', { 'x-mock-delay-ms': '700' });
    await waitFor(async () => (await forwarded(mock, 'meter-flat-idem2')).length === 1, { msg: 'slow call forwarded' });
    const busy = await call('meter-flat-idem2', 'idem-key-0002').then(() => null, (e) => e);
    assert.ok(busy instanceof OpenAI.ConflictError, String(busy));
    assert.equal(busy.code, 'idempotency_key_in_use');
    assert.equal((await slow).response.status, 200);
    // An error outcome is replayed with its status (502), without forwarding again.
    const e1 = await call('meter-flat-idem3', 'idem-key-0003', { 'x-mock-status': '500' }).then(() => null, (e) => e);
    assert.equal(e1?.status, 502);
    await settled(gw, user);
    const e2 = await call('meter-flat-idem3', 'idem-key-0003').then(() => null, (e) => e);
    assert.equal(e2?.status, 502);
    assert.equal(e2?.code, 'idempotent_replay');
    assert.equal((await forwarded(mock, 'meter-flat-idem3')).length, 3, 'the first request\'s three attempts, the replay none');
    // The same key for another user is that user's own key.
    await grant(gw, 'user-idem-other', 100000);
    const other = await client(gw, { user: 'user-idem-other' }).chat.completions.create({ model: 'meter-flat-idem',
      max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: 'idem' }] },
    { headers: { 'Idempotency-Key': 'idem-key-0001' } }).withResponse();
    assert.equal(other.response.status, 200);
    const u = await settled(gw, user);
    assert.equal(u.balance_microcredits, 100000 - 2 * 1038, 'two calls charged (one key each), the replays not');
    assert.equal(ledger.count(user, 'reserve'), 3);
    assert.equal(ledger.sum(user), u.balance_microcredits);
  });
});


describe('refund when the provider is unreachable, rate limits', () => {
  test('connection refused -> 502, balance unchanged', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const { gw, data } = await startMetered(mock, 'meter-refused', { mockUrl: dead });
    try {
      const user = 'user-refused';
      await grant(gw, user, 50000);
      const err = await client(gw, { user }).chat.completions.create({ model: 'meter-flat-x', max_tokens: FLAT_MAX_TOKENS,
        messages: [{ role: 'user', content: 'x' }] }).then(() => null, (e) => e);
      assert.ok(err instanceof OpenAI.APIError, String(err));
      assert.equal(err.status, 502);
      const u = await settled(gw, user);
      assert.equal(u.balance_microcredits, 50000);
      const l = sqliteLedger(data.db);
      assert.equal(l.count(user, 'reserve'), 1, 'it was reserved before the connect');
      assert.equal(l.sum(user), 50000);
      assert.equal(l.unsettled(user), 0);
    } finally {
      await gw.stop();
    }
  });

  test('per-user requests_per_minute 2: the third call is 429 with Retry-After (SDK RateLimitError), not charged', async () => {
    const { gw, data } = await startMetered(mock, 'meter-rl', { config: { rate_limits: { per_user: { requests_per_minute: 2 } } } });
    try {
      const user = 'user-rl';
      await grant(gw, user, 100000);
      const sdk = client(gw, { user });
      const body = { model: 'meter-flat-rl', max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: 'x' }] };
      await sdk.chat.completions.create(body);
      await sdk.chat.completions.create(body);
      const err = await sdk.chat.completions.create(body).then(() => null, (e) => e);
      assert.ok(err instanceof OpenAI.RateLimitError, String(err));
      assert.equal(err.status, 429);
      assert.equal(err.code, 'rate_limit_exceeded');
      const ra = Number(err.headers.get('retry-after'));
      assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After ${err.headers.get('retry-after')}`);
      assert.equal((await forwarded(mock, 'meter-flat-rl')).length, 2);
      // Another user has their own bucket.
      await grant(gw, 'user-rl-2', 100000);
      await client(gw, { user: 'user-rl-2' }).chat.completions.create(body);
      const u = await settled(gw, user);
      assert.equal(u.balance_microcredits, 100000 - 2 * 1038);
      assert.equal(sqliteLedger(data.db).count(user, 'reserve'), 2);
      assert.equal(await metric(gw, 'aigw_rate_limited_total'), 1);
    } finally {
      await gw.stop();
    }
  });
});

