// Upstream retries and circuit breakers (issue 16) through the official openai SDK (maxRetries 0,
// so every retry seen here is aigw's): the mock's per-attempt fault sequences (x-mock-faults,
// counted per x-mock-fault-key) make each retryable fault happen once and then answer normally.
// Covered: every retryable fault (connect error, reset, 408, 409, 429 with Retry-After and
// retry-after-ms, 500, 502, 503, 504) is retried and the client sees only the good answer; two
// retries then the failure passes through; non-retried statuses, x-should-retry: false, a
// Retry-After over the cap; no retry after the first byte went to the client; a request with side
// effects is not retried unless the upstream cannot have accepted it or it has an Idempotency-Key;
// the per-provider retry budget; the ledger charged once (one reservation, settled once) across
// attempts; the circuit breaker opening on connection errors, answering 503 with Retry-After, and
// closing after a successful half-open probe; /metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { PROVIDER_KEYS, startProviderMock } from './lib/providers.mjs';
import {
  ADMIN_TOKENS, CLIENT_KEY, adminRequest, authHeaders, client, freePort, rawRequest, sleep, sqlite, startAigw, startMock,
  storeSetup, waitFor,
} from './lib/harness.mjs';

// Short backoffs so the suite stays quick; a budget large enough that only the budget test meets it.
const FAST = { initial_backoff_ms: 20, max_backoff_ms: 100, budget_min_retries: 100000 };
const OPS = [{ role: 'ops', token: ADMIN_TOKENS.ops }];
const PRICE = { input_per_mtok: 0, output_per_mtok: 1000000, per_request: 1000 }; // 1 per output token + 1000

let mock;
let gw; // metered, store on
let data;
let sdk;
let keySeq = 0;

before(async () => {
  mock = await startMock({ name: 'retry-mock' });
  data = storeSetup('retry-data');
  gw = await startAigw({
    name: 'retry-aigw', mockUrl: mock.url,
    config: { ...data.config, credits: { default_grant: 0 }, pricing: { 'openai/*': PRICE }, retry: FAST,
      circuit_breaker: { failure_threshold: 1000 } },
  });
  await grant(gw, 'user-123', 100000000);
  sdk = client(gw);
});
after(async () => {
  if (gw) await gw.stop();
  if (mock) await mock.stop();
});

async function grant(g, user, amount) {
  const r = await adminRequest(g, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'retry test' });
  assert.equal(r.status, 200, r.body);
}

/** Headers for one logical request with a fault per attempt. */
function faults(seq) {
  return { 'x-mock-faults': seq, 'x-mock-fault-key': `k${process.pid}-${++keySeq}` };
}

/** Attempts the mock saw for the fault key in `h`. */
async function attempts(m, h) {
  return (await m.requests()).filter((r) => r.headers['x-mock-fault-key'] === h['x-mock-fault-key']);
}

const chat = (content = 'hello') => ({ model: 'gpt-4o-mini', max_tokens: 50, messages: [{ role: 'user', content }] });

async function metricValue(g, name, labels) {
  const r = await rawRequest(g, { path: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKENS.ops}` } });
  assert.equal(r.status, 200);
  const line = r.body.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? null : Number(line.split(' ').pop());
}

describe('retried faults', () => {
  for (const f of ['408', '409', '429/ra=0', '429/ra-ms=30', '500', '502', '503', '504', 'reset']) {
    test(`${f} once, then 200: the client sees only the answer`, async () => {
      const h = faults(f);
      const { data: out, response } = await sdk.chat.completions.create(chat(`fault ${f}`), { headers: h }).withResponse();
      assert.equal(out.object, 'chat.completion');
      assert.equal(response.status, 200);
      // nothing of the failed attempt leaks into the answer
      assert.equal(response.headers.get('retry-after'), null);
      assert.equal(response.headers.get('retry-after-ms'), null);
      assert.equal(response.headers.get('x-request-id'), `req_mock_${(await attempts(mock, h))[1].id}`);
      const seen = await attempts(mock, h);
      assert.deepEqual(seen.map((r) => r.fault), [f, 'ok']);
      assert.equal(seen[0].body, seen[1].body, 'the same body is sent again');
    });
  }

  test('Retry-After is honoured (1 s)', async () => {
    const h = faults('429/ra=1');
    const t0 = Date.now();
    await sdk.chat.completions.create(chat(), { headers: h });
    const took = Date.now() - t0;
    assert.ok(took >= 950, `answered after ${took} ms`);
    const seen = await attempts(mock, h);
    assert.equal(seen.length, 2);
    assert.ok(Date.parse(seen[1].ts) - Date.parse(seen[0].ts) >= 950);
  });

  test('two retries, then the failure is answered (503 -> 502, 429 passes through)', async () => {
    let h = faults('503,503,503,ok');
    const e = await sdk.chat.completions.create(chat(), { headers: h }).then(() => null, (x) => x);
    assert.equal(e?.status, 502, String(e));
    assert.match(e.message, /503/);
    assert.equal((await attempts(mock, h)).length, 3);
    h = faults('429/ra=0,429/ra=0,429/ra=0,ok');
    const e2 = await sdk.chat.completions.create(chat(), { headers: h }).then(() => null, (x) => x);
    assert.ok(e2 instanceof OpenAI.RateLimitError, String(e2));
    assert.equal(e2.headers.get('retry-after'), '0', 'the last 429 passes through with its headers');
    assert.equal((await attempts(mock, h)).length, 3);
  });

  test('not retried: 400, 401, 404, x-should-retry: false, Retry-After over max_retry_after_ms', async () => {
    for (const [f, status] of [['400', 400], ['401', 401], ['404', 404], ['503/no-retry', 502], ['429/ra=120', 429]]) {
      const h = faults(`${f},ok`);
      const e = await sdk.chat.completions.create(chat(), { headers: h }).then(() => null, (x) => x);
      assert.equal(e?.status, status, `${f}: ${e}`);
      assert.equal((await attempts(mock, h)).length, 1, `${f} was not retried`);
      if (f === '429/ra=120') assert.equal(e.headers.get('retry-after'), '120');
    }
  });

  test('no retry once a response byte went to the client (stream reset mid-way)', async () => {
    const h = faults('reset-after=700,ok');
    const chunks = [];
    let err = null;
    try {
      const stream = await sdk.chat.completions.create({ ...chat(), stream: true }, { headers: h });
      for await (const c of stream) chunks.push(c);
    } catch (x) {
      err = x;
    }
    assert.ok(chunks.length >= 1, `the first chunks arrived (err ${err})`);
    assert.ok(!chunks.some((c) => c.choices[0]?.finish_reason), 'no finish chunk');
    assert.equal((await attempts(mock, h)).length, 1, 'the stream was not retried');
  });
});

describe('side effects (Replicate predictions)', () => {
  let rmock;
  let rgw;
  before(async () => {
    rmock = await startProviderMock('replicate', 'retry-replicate-mock');
    rgw = await startAigw({ name: 'retry-replicate-aigw', mockUrl: mock.url,
      config: { providers: { replicate: { base_url: rmock.url, api_key: PROVIDER_KEYS.replicate } }, retry: FAST,
        circuit_breaker: { failure_threshold: 1000 } } });
  });
  after(async () => {
    if (rgw) await rgw.stop();
    if (rmock) await rmock.stop();
  });
  const create = (h) => rawRequest(rgw, { method: 'POST', path: '/replicate/v1/predictions', headers: { ...authHeaders(), ...h },
    body: JSON.stringify({ version: 'owner/model:abc', input: { prompt: 'a lighthouse' } }) });

  test('a prediction is not retried once the upstream may have accepted it', async () => {
    for (const f of ['503', 'reset', '429/ra=0']) {
      const h = faults(`${f},ok`);
      const r = await create(h);
      assert.ok(r.status >= 429, `${f}: ${r.status} ${r.body}`);
      assert.equal((await attempts(rmock, h)).length, 1, `${f} not retried`);
    }
  });

  test('... unless it carries an Idempotency-Key', async () => {
    const h = faults('503,ok');
    const r = await create({ ...h, 'idempotency-key': `idem-${process.pid}-${keySeq}` });
    assert.equal(r.status, 201, r.body);
    assert.deepEqual((await attempts(rmock, h)).map((x) => x.fault), ['503', 'ok']);
  });

  test('polling (GET) is retried', async () => {
    const made = await create({});
    assert.equal(made.status, 201, made.body);
    const h = faults('502,ok');
    const r = await rawRequest(rgw, { path: `/replicate/v1/predictions/${made.json.id}`, headers: { ...authHeaders(), ...h } });
    assert.equal(r.status, 200, r.body);
    assert.equal((await attempts(rmock, h)).length, 2);
  });
});

describe('metering across retries', () => {
  function ledgerRows(rid) {
    return sqlite(data.db, `SELECT kind, amount_microcredits AS amount FROM ledger WHERE request_id = '${rid}' ORDER BY kind`);
  }

  async function userBalance(user) {
    return waitFor(async () => {
      const r = await adminRequest(gw, 'GET', `/users/${user}`, ADMIN_TOKENS.ops);
      return r.json.reserved_microcredits === 0 ? r.json.balance_microcredits : null;
    }, { msg: 'settled' });
  }

  test('three attempts, one reservation settled once at the answer\'s price', async () => {
    const user = 'user-retry-ledger';
    await grant(gw, user, 1000000);
    const h = faults('503,429/ra=0,ok');
    const { data: out, response } = await client(gw, { user }).chat.completions.create(chat(), { headers: h }).withResponse();
    const rid = response.headers.get('x-aigw-request-id');
    const cost = 1000 + out.usage.completion_tokens;
    assert.equal(Number(response.headers.get('x-aigw-credits-charged')), cost);
    assert.equal(await userBalance(user), 1000000 - cost);
    assert.equal((await attempts(mock, h)).length, 3);
    const rows = ledgerRows(rid);
    assert.equal(rows.filter((r) => r.kind === 'reserve').length, 1, JSON.stringify(rows));
    assert.equal(rows.filter((r) => r.kind === 'settle').length, 1, JSON.stringify(rows));
    assert.equal(rows.reduce((s, r) => s + r.amount, 0), -cost);
    assert.equal(sqlite(data.db, `SELECT COUNT(*) AS n FROM ledger WHERE user_id = '${user}' AND kind = 'reserve'`)[0].n, 1);
  });

  test('a JSON answer cut mid-body (held for settlement) is retried and billed once, from the answer that came whole',
    async () => {
      const user = 'user-retry-cut';
      await grant(gw, user, 1000000);
      const h = faults('reset-after=60,ok');
      const { data: out, response } = await client(gw, { user }).chat.completions.create(chat(), { headers: h })
        .withResponse();
      const rid = response.headers.get('x-aigw-request-id');
      const cost = 1000 + out.usage.completion_tokens;
      assert.equal((await attempts(mock, h)).length, 2);
      assert.equal(await userBalance(user), 1000000 - cost, 'the cut attempt is not billed (no estimate on top)');
      const rows = ledgerRows(rid);
      assert.equal(rows.filter((r) => r.kind === 'settle').length, 1, JSON.stringify(rows));
      assert.equal(rows.reduce((s, r) => s + r.amount, 0), -cost);
      // the call is logged as the complete answer it was, not as the cut attempt
      const call = await waitFor(() => sqlite(data.db, `SELECT outcome, output_tokens FROM calls WHERE request_id = '${rid}'`)[0],
        { msg: 'call row' });
      assert.deepEqual(call, { outcome: null, output_tokens: out.usage.completion_tokens });
    });

  test('every attempt failed: one reservation, fully refunded', async () => {
    const user = 'user-retry-refund';
    await grant(gw, user, 1000000);
    const h = faults('502,502,502');
    const e = await client(gw, { user }).chat.completions.create(chat(), { headers: h }).then(() => null, (x) => x);
    assert.equal(e?.status, 502);
    assert.equal((await attempts(mock, h)).length, 3);
    assert.equal(await userBalance(user), 1000000);
    const rid = e.headers.get('x-aigw-request-id');
    // one settle row gives the whole reservation back (no refund row, issue 12)
    const rows = ledgerRows(rid);
    assert.deepEqual(rows.map((r) => r.kind), ['reserve', 'settle']);
    assert.equal(rows[1].amount, -rows[0].amount);
    assert.ok(rows[1].amount > 0);
  });
});

describe('retry budget', () => {
  test('at most budget_min_retries + budget_percent % extra attempts per window', async () => {
    const g = await startAigw({ name: 'retry-budget-aigw', mockUrl: mock.url,
      config: { admin_tokens: OPS, retry: { initial_backoff_ms: 10, max_backoff_ms: 20, budget_percent: 0, budget_min_retries: 2,
        budget_window_ms: 60000 }, circuit_breaker: { failure_threshold: 1000 } } });
    try {
      const s = client(g);
      const h1 = faults('503,503,503');
      assert.equal((await s.chat.completions.create(chat(), { headers: h1 }).then(() => null, (x) => x))?.status, 502);
      assert.equal((await attempts(mock, h1)).length, 3, 'two retries from the budget');
      const h2 = faults('503,ok');
      assert.equal((await s.chat.completions.create(chat(), { headers: h2 }).then(() => null, (x) => x))?.status, 502);
      assert.equal((await attempts(mock, h2)).length, 1, 'budget spent: not retried');
      assert.equal(await metricValue(g, 'aigw_upstream_retries_refused_total', '{provider="openai",reason="budget"}'), 1);
      assert.equal(await metricValue(g, 'aigw_upstream_retries_total', '{provider="openai",reason="status"}'), 2);
    } finally {
      await g.stop();
    }
  });
});

describe('circuit breaker', () => {
  test('connection errors are retried (even with side effects), open the breaker, 503 + Retry-After, probe closes it',
    async () => {
      const port = await freePort(); // nothing listens: connection refused
      const origin = `http://127.0.0.1:${port}`;
      const g = await startAigw({ name: 'retry-breaker-aigw', mockUrl: origin,
        config: { admin_tokens: OPS, providers: { replicate: { base_url: origin, api_key: PROVIDER_KEYS.replicate } }, retry: FAST,
          circuit_breaker: { failure_threshold: 3, cooldown_ms: 1500 } } });
      let m2 = null;
      try {
        const r = await rawRequest(g, { method: 'POST', path: '/replicate/v1/predictions', headers: authHeaders(),
          body: JSON.stringify({ version: 'owner/model:abc', input: { prompt: 'a lighthouse' } }) });
        assert.equal(r.status, 502, r.body);
        assert.match(r.json.detail, /cannot reach upstream replicate/, 'Replicate-shaped error');
        assert.equal(await metricValue(g, 'aigw_upstream_retries_total', '{provider="replicate",reason="connect"}'), 2);
        assert.equal(await metricValue(g, 'aigw_upstream_circuit_state', `{origin="${origin}"}`), 1);
        // open: answered without trying, provider-shaped, with Retry-After
        const e = await client(g).chat.completions.create(chat()).then(() => null, (x) => x);
        assert.equal(e?.status, 503, String(e));
        assert.equal(e.code, 'upstream_circuit_open');
        const ra = Number(e.headers.get('retry-after'));
        assert.ok(ra >= 1 && ra <= 2, `Retry-After ${ra}`);
        assert.equal(await metricValue(g, 'aigw_upstream_circuit_rejected_total', `{origin="${origin}"}`), 1);
        assert.equal(await metricValue(g, 'aigw_upstream_circuit_opened_total', `{origin="${origin}"}`), 1);
        // the provider comes back; after the cool-down one probe goes through and closes the breaker
        m2 = await startMock({ name: 'retry-breaker-mock', port });
        await sleep(1600);
        const ok = await client(g).chat.completions.create(chat());
        assert.equal(ok.object, 'chat.completion');
        // the probe's outcome is recorded when curl reports the transfer done, which can come a moment after the
        // client read the last byte of a pass-through body (Content-Length): the breaker closes, then
        await waitFor(async () => (await metricValue(g, 'aigw_upstream_circuit_state', `{origin="${origin}"}`)) === 0,
          { timeoutMs: 2000, msg: 'breaker closed by the probe' });
        assert.equal((await m2.requests()).length, 1);
      } finally {
        await g.stop();
        if (m2) await m2.stop();
      }
    });
});

test('config check names bad retry keys', async () => {
  const { aigwCli, writeConfig, artifactDir } = await import('./lib/harness.mjs');
  const dir = artifactDir('retry-config');
  const file = writeConfig(`${dir}/bad.json`, { retry: { max_retries: 99 } });
  const r = aigwCli(['check', '--config', file]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /retry\.max_retries: expected an integer in 0\.\.10/);
  const file2 = writeConfig(`${dir}/bad2.json`, { retry: { providers: { openai: { statuses: [404] } } } });
  const r2 = aigwCli(['check', '--config', file2]);
  assert.match(r2.stderr, /retry\.providers\.openai\.statuses\[0\]/);
  const file3 = writeConfig(`${dir}/ok.json`, { retry: { max_retries: 1, models: { 'openai/gpt-4o*': { max_retries: 0 } } },
    circuit_breaker: { enabled: false } });
  assert.equal(aigwCli(['check', '--config', file3]).code, 0);
});

void CLIENT_KEY;
