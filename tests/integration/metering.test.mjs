// Credits metering through the real gateway and the official openai SDK (issue 6): a user with
// credit for exactly 10 calls gets at most 10 of 200 concurrent calls (mixed streaming), the rest
// 402 with nothing forwarded, the balance never negative, the ledger summing to the balance; the
// same with three aigw processes on one PostgreSQL database. Settlement from the fixtures' usage
// with the test price table; refunds on upstream failure; unknown model 403; rate limit 429;
// Idempotency-Key; kill -9 under load and the restart's crash recovery.
//
// Prices are chosen so the reservation is known exactly: "openai/meter-flat*" has no input price
// (the body size does not count), 1 micro-credit per output token and 1000 per request, so a call
// with max_tokens 50 reserves R = 1050 and costs 1000 + completion tokens (38 for the JSON fixture,
// 8 for the SSE fixture). A settled call gives back at most 42, so 10 grants can never pay an 11th.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import OpenAI from 'openai';
import {
  ADMIN_TOKENS, CLIENT_KEY, FIXTURES_DIR, adminRequest, client, freePort, rawRequest, sleep, sqlite, startAigw, startMock,
  startPostgres, storeSetup, waitFor,
} from './lib/harness.mjs';

const FIXTURES = path.join(FIXTURES_DIR, 'openai');
const MTOK = 1000000n;

const FLAT = { input_per_mtok: 0, output_per_mtok: 1000000, per_request: 1000 };
const FLAT_MAX_TOKENS = 50;
const R = 1050; // FLAT reservation with max_tokens 50: 0 input + 50 x 1 + 1000
// Odd input price: the sum of the parts is not whole, so the rounding (up, once) is tested too.
const MINI = { input_per_mtok: 2500001, cached_input_per_mtok: 1250000, output_per_mtok: 10000000 };
const MARKUP_KEY = 'test-client-key-markup-0001';
const PRICING = { 'openai/meter-flat*': FLAT, 'openai/gpt-4o-mini': MINI };

function meterConfig(data, over = {}) {
  return {
    ...data.config,
    clients: [{ name: 'backend', key: CLIENT_KEY }, { name: 'reseller', key: MARKUP_KEY, markup: 1.5 }],
    credits: { default_grant: 0 },
    pricing: PRICING,
    ...over,
  };
}

// ---- fixtures and the price arithmetic of docs/internals/metering.md ----------------------------

const ceilDiv = (a, b) => (a + b - 1n) / b;

/** Cost of an OpenAI usage object: cached tokens are inside prompt_tokens, at the cached rate. */
function expectedCost(price, usage, markupPermille = 1000n) {
  const input = BigInt(usage.prompt_tokens);
  const cached = BigInt(usage.prompt_tokens_details?.cached_tokens ?? 0);
  const output = BigInt(usage.completion_tokens);
  const exact = (input - cached) * BigInt(price.input_per_mtok) + cached * BigInt(price.cached_input_per_mtok ??
    price.input_per_mtok) + output * BigInt(price.output_per_mtok);
  const cost = ceilDiv(exact, MTOK) + BigInt(price.per_request ?? 0);
  return Number(ceilDiv(cost * markupPermille, 1000n));
}

/** Upper bound before forwarding: ceil(bytes / 2) input tokens at the input rate + max_tokens output. */
function expectedReservation(price, bodyBytes, maxTokens) {
  const exact = ceilDiv(BigInt(bodyBytes), 2n) * BigInt(price.input_per_mtok) + BigInt(maxTokens) * BigInt(price.output_per_mtok);
  return Number(ceilDiv(exact, MTOK) + BigInt(price.per_request ?? 0));
}

const chatFixtureUsage = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'chat_completions.response.json'), 'utf8')).usage;
function streamFixtureUsage() {
  for (const line of fs.readFileSync(path.join(FIXTURES, 'chat_completions.stream.sse'), 'utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const ev = JSON.parse(line.slice(6));
    if (ev.usage) return ev.usage;
  }
  throw new Error('no usage chunk in the stream fixture');
}

// ---- ledger access (SQLite through sqlite3, PostgreSQL through psql) ----------------------------

const q = (s) => `'${s.replace(/'/g, "''")}'`;

function sqliteLedger(db) {
  const one = (sql) => Number(Object.values(sqlite(db, sql)[0] ?? { v: 0 })[0] ?? 0);
  return ledgerApi(one, (sql) => sqlite(db, sql));
}

function pgLedger(pgdb) {
  const one = (sql) => Number(pgdb.psql(sql)[0]?.[0] ?? 0);
  const rows = (sql, cols) => pgdb.psql(sql).map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
  return ledgerApi(one, rows);
}

function ledgerApi(one, rows) {
  return {
    sum: (u) => one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(u)}`),
    balance: (u) => one(`SELECT balance FROM credit_balances WHERE user_id = ${q(u)}`),
    reservedCol: (u) => one(`SELECT reserved FROM credit_balances WHERE user_id = ${q(u)}`),
    open: (u) => one(`SELECT COUNT(*) FROM credit_open WHERE user_id = ${q(u)}`),
    // credit leases (PostgreSQL): the unspent part of the user's balance each instance holds
    leases: (u) => one(`SELECT COALESCE(SUM(amount), 0) FROM credit_leases WHERE user_id = ${q(u)}`),
    leaseRows: (u) => one(`SELECT COUNT(*) FROM credit_leases WHERE user_id = ${q(u)}`),
    openOnLease: (u) => one(`SELECT COUNT(*) FROM credit_open WHERE user_id = ${q(u)} AND lease <> 0`),
    count: (u, kind) => one(`SELECT COUNT(*) FROM ledger WHERE user_id = ${q(u)} AND kind = ${q(kind)}`),
    amount: (u, kind) => one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(u)}` +
      ` AND kind = ${q(kind)}`),
    net: (rid) => one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE request_id = ${q(rid)}`),
    kinds: (rid) => rows(`SELECT kind, amount_microcredits AS amount FROM ledger WHERE request_id = ${q(rid)} ORDER BY kind`,
      ['kind', 'amount']).map((r) => `${r.kind}:${r.amount}`),
    // settle rows that crash recovery wrote (flagged, with its note)
    recovered: (u) => one(`SELECT COUNT(*) FROM ledger WHERE user_id = ${q(u)} AND kind = 'settle' AND note LIKE '%crash%'` +
      ` AND flagged <> 0`),
    // reservations without a settle row (each reserve must be settled exactly once)
    unsettled: (u) => one(`SELECT COUNT(*) FROM ledger r WHERE r.user_id = ${q(u)} AND r.kind = 'reserve' AND NOT EXISTS` +
      ` (SELECT 1 FROM ledger s WHERE s.request_id = r.request_id AND s.kind = 'settle')`),
  };
}

// ---- admin API -----------------------------------------------------------------------------------

async function grant(gw, user, amount) {
  const r = await adminRequest(gw, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'metering test' });
  assert.equal(r.status, 200, r.body);
  return r.json;
}

async function userInfo(gw, user) {
  const r = await adminRequest(gw, 'GET', `/users/${encodeURIComponent(user)}`, ADMIN_TOKENS.ops);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

/** Waits until no reservation of the user is open (settlements run on the thread pool). */
function settled(gw, user) {
  return waitFor(async () => {
    const u = await userInfo(gw, user);
    return u.reserved_microcredits === 0 ? u : null;
  }, { timeoutMs: 10000, msg: `${user}'s reservations settled` });
}

/** Sum of a metric's samples (all label sets) in /metrics. */
async function metric(gw, name) {
  const r = await rawRequest(gw, { path: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKENS.ops}` } });
  assert.equal(r.status, 200, r.body);
  let sum = 0;
  for (const line of r.body.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\d+)$/.exec(line);
    if (m && `${m[1]}${m[2] ?? ''}` === name) sum += Number(m[3]);
  }
  return sum;
}

/** Chat requests the mock received whose body names `model`. */
async function forwarded(mock, model) {
  return (await mock.requests()).filter((r) => r.path === '/v1/chat/completions' && JSON.parse(r.body).model === model);
}

let mock;
before(async () => {
  mock = await startMock({ name: 'metering-mock' });
});
after(async () => {
  if (mock) await mock.stop();
});

async function startMetered(name, over = {}, storeOver = {}) {
  const data = storeSetup(`${name}-data`, storeOver);
  const gw = await startAigw({ name: `${name}-aigw`, mockUrl: over.mockUrl ?? mock.url, config: meterConfig(data, over.config) });
  return { gw, data };
}

// ---- 1. concurrency ------------------------------------------------------------------------------

/**
 * Polls GET /admin/api/users/{user} on `gws` in turn from a worker thread until stop(): building
 * 200 SDK requests stalls this thread's event loop for a second or more on a loaded machine, and
 * a poller on it sampled only before and after the race. stop() resolves to {samples, failures}.
 */
function startBalanceSampler(gws, user) {
  const urls = gws.map((gw) => `${gw.url}/admin/api/users/${encodeURIComponent(user)}`);
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    const samples = [], failures = [];
    let running = true;
    parentPort.on('message', () => { running = false; });
    (async () => {
      for (let i = 0; running; i++) {
        try {
          const r = await fetch(workerData.urls[i % workerData.urls.length],
            { headers: { authorization: 'Bearer ' + workerData.token } });
          const text = await r.text();
          if (r.status === 200) samples.push(JSON.parse(text)); else failures.push(r.status + ' ' + text);
        } catch (e) {
          failures.push(String(e));
        }
        await new Promise((res) => setTimeout(res, 2));
      }
      parentPort.postMessage({ samples, failures });
    })();`, { eval: true, workerData: { urls, token: ADMIN_TOKENS.ops } });
  return {
    stop: () => new Promise((resolve, reject) => {
      worker.once('message', (m) => worker.terminate().then(() => resolve(m)));
      worker.once('error', reject);
      worker.postMessage('stop');
    }),
  };
}

/**
 * 200 concurrent SDK calls (every other one streamed) spread over `gws` for a user granted 10 R.
 * Polls the user's balance during the run. Returns nothing; asserts everything.
 */
async function creditRace(t, gws, ledger, user, model) {
  const N = 200;
  const granted = await grant(gws[0], user, 10 * R);
  assert.equal(granted.balance_microcredits, 10 * R);
  let before = 0;
  for (const gw of gws) before += await metric(gw, 'aigw_credits_refused_total');
  const sampler = startBalanceSampler(gws, user);
  const sdks = gws.map((gw) => client(gw, { user, timeout: 30000 }));
  const one = async (i) => {
    const sdk = sdks[i % sdks.length];
    const stream = i % 2 === 1;
    const body = { model, max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: `race ${i}` }] };
    // The provider takes a while, so the reservations stay open while the poller samples. (1.5 s,
    // with RACE_UPSTREAM's longer first-byte timeout: building 200 SDK requests stalls this
    // process's own event loop, and on a loaded machine for over a second, so with 300 ms the
    // poller's first answers could arrive after the last call had settled.)
    const opts = { headers: { 'x-mock-delay-ms': '1500' } };
    try {
      if (stream) {
        const { data, response } = await sdk.chat.completions.create({ ...body, stream: true }, opts).withResponse();
        let text = '';
        for await (const c of data) text += c.choices[0]?.delta?.content ?? '';
        assert.ok(text.length > 0, 'streamed content');
        return { ok: true, stream, charged: Number(response.headers.get('x-aigw-credits-charged')) };
      }
      const { data, response } = await sdk.chat.completions.create(body, opts).withResponse();
      assert.equal(data.object, 'chat.completion');
      return { ok: true, stream, charged: Number(response.headers.get('x-aigw-credits-charged')),
        remaining: Number(response.headers.get('x-aigw-credits-remaining')) };
    } catch (e) {
      if (!(e instanceof OpenAI.APIError)) throw e;
      return { ok: false, stream, status: e.status, code: e.code };
    }
  };
  const results = await Promise.all(Array.from({ length: N }, (_, i) => one(i)));
  const { samples, failures } = await sampler.stop();
  assert.deepEqual(failures, [], 'balance reads during the race');
  const ok = results.filter((r) => r.ok);
  const refused = results.filter((r) => !r.ok);
  t.diagnostic(`${ok.length} succeeded (${ok.filter((r) => r.stream).length} streamed), ${refused.length} refused, ` +
    `${samples.length} balance samples`);
  assert.equal(ok.length, 10, 'exactly the 10 calls the credit covers succeed');
  assert.deepEqual([...new Set(refused.map((r) => `${r.status} ${r.code}`))], ['402 insufficient_credits']);
  // Headers: the final charge for JSON answers (1000 + 38 output tokens), the reservation for streams.
  for (const r of ok) assert.equal(r.charged, r.stream ? R : 1038, `charged header (stream ${r.stream})`);
  for (const r of ok.filter((x) => !x.stream)) assert.ok(r.remaining >= 0 && r.remaining < 10 * R, `remaining ${r.remaining}`);
  for (const s of samples) {
    assert.ok(s.balance_microcredits >= 0, `balance went negative: ${JSON.stringify(s)}`);
    assert.ok(s.reserved_microcredits >= 0 && s.reserved_microcredits <= 10 * R, `reserved: ${JSON.stringify(s)}`);
    assert.ok(s.balance_microcredits + s.reserved_microcredits <= 10 * R, `more than granted: ${JSON.stringify(s)}`);
  }
  assert.ok(samples.some((s) => s.reserved_microcredits > 0), 'sampled while reservations were open');
  // Nothing of a refused call reached the provider.
  assert.equal((await forwarded(mock, model)).length, 10, 'forwarded calls');
  const fin = await settled(gws[0], user);
  const charged = ok.reduce((a, r) => a + (r.stream ? 1008 : 1038), 0);
  assert.equal(fin.balance_microcredits, 10 * R - charged, 'balance after settlement = grant - charges');
  assert.equal(ledger.sum(user), fin.balance_microcredits, 'SUM(ledger) = balance');
  assert.equal(ledger.balance(user), fin.balance_microcredits, 'credit_balances row = balance');
  assert.equal(ledger.open(user), 0, 'no open reservation');
  assert.equal(ledger.count(user, 'reserve'), 10);
  assert.equal(ledger.unsettled(user), 0);
  let after = 0;
  for (const gw of gws) after += await metric(gw, 'aigw_credits_refused_total');
  assert.equal(after - before, N - 10, 'aigw_credits_refused_total');
}

/** Upstream timeouts for the races: the provider answers after 1.5 s there. */
const RACE_UPSTREAM = { upstream: { first_byte_timeout_ms: 10000, idle_timeout_ms: 10000 } };

describe('concurrency (SQLite)', () => {
  test('credit for exactly 10 calls, 200 concurrent calls on one aigw (2 workers)', async (t) => {
    const { gw, data } = await startMetered('meter-race', { config: RACE_UPSTREAM });
    try {
      await creditRace(t, [gw], sqliteLedger(data.db), 'user-race', 'meter-flat-sqlite');
    } finally {
      await gw.stop();
    }
  });
});

describe('PostgreSQL: several aigw processes on one database (shared master key file)', () => {
  let pg;
  before(() => {
    pg = startPostgres('meter');
  });
  after(() => {
    if (pg) pg.stop();
  });

  test('credit for exactly 10 calls, 200 concurrent calls spread over three instances', async (t) => {
    const db = pg.database('race');
    const data = storeSetup('meter-pg-data', { store: { driver: 'postgres', dsn: db.dsn } });
    const config = meterConfig(data, RACE_UPSTREAM);
    const gws = [];
    try {
      for (const n of ['a', 'b', 'c']) gws.push(await startAigw({ name: `meter-pg-${n}`, mockUrl: mock.url, config }));
      await creditRace(t, gws, pgLedger(db), 'user-race-pg', 'meter-flat-pg');
    } finally {
      for (const gw of gws) await gw.stop();
    }
  });

  test('kill -9 of one instance under load: its restart settles only its own open reservations', async (t) => {
    const db = pg.database('crash');
    const data = storeSetup('meter-pgcrash-data', { store: { driver: 'postgres', dsn: db.dsn } });
    const config = meterConfig(data);
    const ledger = pgLedger(db);
    const a = await startAigw({ name: 'meter-pgcrash-a', mockUrl: mock.url, config });
    const b = await startAigw({ name: 'meter-pgcrash-b', mockUrl: mock.url,
      config: { ...config, upstream: { first_byte_timeout_ms: 8000 } } });
    let a2;
    try {
      await grant(b, 'user-pgcrash-a', 10000000);
      await grant(b, 'user-pgcrash-b', 10000000);
      // B's calls are still in flight when A is killed and restarted: A2 must leave them alone.
      const sdkB = client(b, { user: 'user-pgcrash-b', timeout: 10000 });
      const slowB = Array.from({ length: 3 }, () => sdkB.chat.completions.create({ model: 'meter-flat-pgcrash-b',
        max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: 'slow' }] },
      { headers: { 'x-mock-delay-ms': '3000' } }).withResponse());
      const load = await loadAndKill(a, 'user-pgcrash-a', 'meter-flat-pgcrash-a');
      const openA = ledger.open('user-pgcrash-a');
      const reservesA = ledger.count('user-pgcrash-a', 'reserve');
      const sent = (await forwarded(mock, 'meter-flat-pgcrash-a')).length;
      t.diagnostic(`A: completed ${load.ok}, forwarded ${sent}, reserve rows ${reservesA}, open at the kill ${openA}`);
      assert.ok(openA >= 1, 'A had open reservations');
      assert.ok(reservesA >= sent, `every forwarded call has a reservation (${sent} forwarded, ${reservesA} reserved)`);
      assert.equal(ledger.open('user-pgcrash-b'), 3, 'B\'s calls are in flight');
      a2 = await startAigw({ name: 'meter-pgcrash-a2', mockUrl: mock.url, config });
      const m = /settled (\d+) reservation\(s\) left open by the last run/.exec(a2.stderr());
      assert.ok(m, `recovery line in stderr:\n${a2.stderr()}`);
      assert.equal(Number(m[1]), openA, 'exactly A\'s open reservations');
      assert.equal(ledger.open('user-pgcrash-a'), 0);
      assert.equal(ledger.recovered('user-pgcrash-a'), openA);
      assert.equal(ledger.unsettled('user-pgcrash-a'), 0);
      // A's lease (if it took one) is A's until it expires: the balance row plus the leases is the sum
      assert.equal(ledger.sum('user-pgcrash-a'), ledger.balance('user-pgcrash-a') + ledger.leases('user-pgcrash-a'));
      // B's calls finish normally and are charged their usage, not their reservation.
      for (const r of await Promise.all(slowB)) {
        assert.equal(Number(r.response.headers.get('x-aigw-credits-charged')), 1038);
      }
      const ub = await settled(b, 'user-pgcrash-b');
      assert.equal(ub.balance_microcredits, 10000000 - 3 * 1038);
      assert.equal(ledger.recovered('user-pgcrash-b'), 0, 'no settle of B\'s was done by A2');
      assert.equal(ledger.sum('user-pgcrash-b'), ledger.balance('user-pgcrash-b') + ledger.leases('user-pgcrash-b'));
      assert.equal(ledger.sum('user-pgcrash-b'), ub.balance_microcredits);
      assert.equal(ledger.reservedCol('user-pgcrash-b'), 0);
    } finally {
      await b.stop();
      if (a2) await a2.stop();
    }
  });

  // Credit leases (docs/internals/metering.md "Credit leases"): a user with a large balance is
  // served from leases each instance takes from the balance row; the unused part goes back after
  // lease_idle_ms, and the lease of an instance killed with kill -9 is given back by the others
  // once it expired (lease_ttl_ms), with its open reservations settled at their amount.
  test('credit leases: three instances spend leases, give them back when idle; a killed instance\'s lease is reclaimed', async (t) => {
    const db = pg.database('leases');
    const data = storeSetup('meter-pglease-data', { store: { driver: 'postgres', dsn: db.dsn } });
    const config = meterConfig(data, { credits: { default_grant: 0, lease_idle_ms: 1500, lease_ttl_ms: 4000 } });
    const ledger = pgLedger(db);
    const gws = [];
    try {
      for (const n of ['a', 'b', 'c']) gws.push(await startAigw({ name: `meter-pglease-${n}`, mockUrl: mock.url, config }));
      const user = 'user-lease';
      const G = 1000 * R;
      await grant(gws[0], user, G);
      // 4 waves of 6 concurrent calls per instance; the provider holds each call 300 ms, so the
      // later waves' reservations are open while the ledger is read
      const sdks = gws.map((gw) => client(gw, { user, timeout: 20000 }));
      let calls = 0;
      let onLease = 0;
      let invariant = 0;
      for (let wave = 0; wave < 4; wave++) {
        const inflight = [];
        for (const sdk of sdks) {
          for (let i = 0; i < 6; i++) {
            inflight.push(sdk.chat.completions.create({ model: 'meter-flat-pglease', max_tokens: FLAT_MAX_TOKENS,
              messages: [{ role: 'user', content: `lease ${wave}.${i}` }] }, { headers: { 'x-mock-delay-ms': '300' } }).withResponse());
          }
        }
        await sleep(150);
        onLease = Math.max(onLease, ledger.openOnLease(user));
        // one consistent snapshot: sum(ledger) = balance row + leases, whatever is in flight
        const snap = db.psql(`SELECT (SELECT SUM(amount_microcredits) FROM ledger WHERE user_id = ${q(user)}),`
          + ` (SELECT balance FROM credit_balances WHERE user_id = ${q(user)}),`
          + ` (SELECT COALESCE(SUM(amount), 0) FROM credit_leases WHERE user_id = ${q(user)})`)[0].map(Number);
        assert.equal(snap[0], snap[1] + snap[2], `sum(ledger) = balance row + leases: ${snap}`);
        assert.ok(snap[1] >= 0 && snap[2] >= 0, `nothing negative: ${snap}`);
        invariant++;
        for (const r of await Promise.all(inflight)) {
          assert.equal(Number(r.response.headers.get('x-aigw-credits-charged')), 1038);
          calls++;
        }
      }
      t.diagnostic(`${calls} calls, at most ${onLease} open at once on a lease, ${invariant} snapshots`);
      assert.equal(calls, 72);
      assert.ok(onLease > 0, 'reservations were admitted against leases');
      assert.ok(ledger.leaseRows(user) >= 1, 'the instances hold leases right after the calls');
      // every instance's lease goes back after lease_idle_ms without a call
      await waitFor(() => ledger.leaseRows(user) === 0, { timeoutMs: 15000, msg: 'leases given back when idle' });
      const u = await settled(gws[1], user);
      assert.equal(u.balance_microcredits, G - calls * 1038);
      assert.equal(ledger.balance(user), G - calls * 1038, 'the balance row holds everything again');
      assert.equal(ledger.sum(user), ledger.balance(user), 'SUM(ledger) = balance');
      assert.equal(ledger.reservedCol(user), 0);
      assert.equal(ledger.unsettled(user), 0);

      // kill -9 of one instance holding a lease: the others give it back once it expired
      const userK = 'user-lease-kill';
      await grant(gws[0], userK, 10000000);
      const load = await loadAndKill(gws[2], userK, 'meter-flat-pglease-kill');
      const leftLease = ledger.leases(userK);
      const leftOpen = ledger.open(userK);
      t.diagnostic(`killed C: completed ${load.ok}, lease left ${leftLease}, open reservations ${leftOpen}`);
      assert.ok(ledger.leaseRows(userK) >= 1 && leftLease > 0, 'C held a lease when it was killed');
      assert.equal(ledger.sum(userK), ledger.balance(userK) + leftLease, 'sum(ledger) = balance row + leases at the kill');
      await waitFor(() => ledger.leaseRows(userK) === 0 && ledger.open(userK) === 0,
        { timeoutMs: 20000, msg: 'the killed instance\'s lease and reservations reclaimed by the others' });
      assert.equal(ledger.recovered(userK), leftOpen, 'its open reservations settled at their amount, flagged');
      assert.equal(ledger.unsettled(userK), 0);
      assert.equal(ledger.sum(userK), ledger.balance(userK), 'SUM(ledger) = balance row once the lease is back');
      const reclaimedBy = gws.slice(0, 2).map((gw) => /gave back (\d+) expired credit lease/.test(gw.stderr()));
      assert.ok(reclaimedBy.some(Boolean), 'a live instance logged the reclaim');
      // the survivors keep metering the user
      const r = await client(gws[0], { user: userK }).chat.completions.create({ model: 'meter-flat-pglease-kill',
        max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: 'after' }] }).withResponse();
      assert.equal(Number(r.response.headers.get('x-aigw-credits-charged')), 1038);
    } finally {
      for (const gw of gws) await gw.stop(gw === gws[2] ? 'SIGKILL' : undefined).catch(() => {});
    }
  });

  // Rate limits across instances (docs/internals/metering.md "Rate limits across instances"): the
  // three instances share one bucket per user in PostgreSQL; each leases blocks of a tenth of the
  // limit. Without it each instance allowed the whole limit (60 of 60 calls would pass here).
  test('rate limits hold for three instances together: requests_per_minute 30, 60 calls round-robin', async (t) => {
    const db = pg.database('ratelimit');
    const data = storeSetup('meter-pgrl-data', { store: { driver: 'postgres', dsn: db.dsn } });
    const config = meterConfig(data, { rate_limits: { per_user: { requests_per_minute: 30 } } });
    const gws = [];
    try {
      for (const n of ['a', 'b', 'c']) gws.push(await startAigw({ name: `meter-pgrl-${n}`, mockUrl: mock.url, config }));
      for (const gw of gws) assert.match(gw.stderr(), /rate limits are shared by the instances/);
      const user = 'user-pgrl';
      await grant(gws[0], user, 1000 * R);
      const sdks = gws.map((gw) => client(gw, { user }));
      let ok = 0;
      let limited = 0;
      const t0 = performance.now();
      for (let i = 0; i < 60; i++) {
        try {
          await sdks[i % 3].chat.completions.create({ model: 'meter-flat-pgrl', max_tokens: FLAT_MAX_TOKENS,
            messages: [{ role: 'user', content: `rl ${i}` }] });
          ok++;
        } catch (e) {
          assert.ok(e instanceof OpenAI.RateLimitError, String(e));
          const ra = Number(e.headers.get('retry-after'));
          assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After ${e.headers.get('retry-after')}`);
          limited++;
        }
      }
      const secs = (performance.now() - t0) / 1000;
      // the limit for the three together, plus the first block (3) each instance admits before its
      // first answer, plus what the shared bucket refilled meanwhile (30 per minute)
      const bound = 30 + 3 * 3 + Math.ceil(secs * 30 / 60);
      t.diagnostic(`${ok} admitted, ${limited} limited in ${secs.toFixed(1)} s (bound ${bound})`);
      assert.equal(ok + limited, 60);
      assert.ok(ok <= bound, `${ok} admitted: more than the shared limit allows (${bound})`);
      assert.ok(ok >= 20, `${ok} admitted: the shared bucket should grant about the limit`);
      assert.equal((await forwarded(mock, 'meter-flat-pgrl')).length, ok, 'limited calls were not forwarded');
      assert.equal(Number(db.psql(`SELECT COUNT(*) FROM rate_buckets WHERE key = ${q(`u:${user}`)} AND kind = 'r'`)[0][0]), 1);
      assert.equal(await metric(gws[0], 'aigw_rate_limited_total') + await metric(gws[1], 'aigw_rate_limited_total') +
        await metric(gws[2], 'aigw_rate_limited_total'), limited);
    } finally {
      for (const gw of gws) await gw.stop();
    }
  });
});

// ---- 6. crash --------------------------------------------------------------------------------------

/**
 * Chat calls for `user` on `gw` (12 at a time, every other one streamed, all slowed by the
 * provider so reservations are open at any moment), SIGKILL after 800 ms. Returns {ok}: calls
 * that completed before the kill.
 */
async function loadAndKill(gw, user, model) {
  const sdk = client(gw, { user, timeout: 5000 });
  let killed = false;
  let ok = 0;
  const t0 = performance.now();
  const worker = async (w) => {
    for (let i = 0; !killed && i < 200; i++) {
      try {
        const body = { model, max_tokens: FLAT_MAX_TOKENS, messages: [{ role: 'user', content: `crash ${w}.${i}` }] };
        const opts = { headers: { 'x-mock-delay-ms': '60', 'x-mock-chunk-delay-ms': '20' } };
        if (i % 2) {
          for await (const c of await sdk.chat.completions.create({ ...body, stream: true }, opts)) void c;
        } else {
          await sdk.chat.completions.create(body, opts);
        }
        ok++;
      } catch {
        /* in flight at the kill */
      }
      if (!killed && performance.now() - t0 > 800) {
        killed = true;
        gw.proc.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 12 }, (_, w) => worker(w)));
  assert.ok(killed, 'killed under load');
  assert.equal((await gw.stop('SIGKILL')).signal, 'SIGKILL');
  return { ok };
}

// ---- 2-5. settlement, refunds, refusals, idempotency on one gateway ------------------------------

describe('settlement, refunds, refusals, idempotency (SQLite)', () => {
  let gw;
  let data;
  let ledger;
  before(async () => {
    ({ gw, data } = await startMetered('meter-main'));
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
    const { gw, data } = await startMetered('meter-refused', { mockUrl: dead });
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
    const { gw, data } = await startMetered('meter-rl', { config: { rate_limits: { per_user: { requests_per_minute: 2 } } } });
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


describe('crash (SQLite)', () => {
  test('kill -9 under load: the restart settles the open reservations, the ledger balances', async (t) => {
    const { gw, data } = await startMetered('meter-crash');
    const ledger = sqliteLedger(data.db);
    const user = 'user-crash';
    const G = 10000000;
    await grant(gw, user, G);
    const model = 'meter-flat-crash';
    const load = await loadAndKill(gw, user, model);
    const sent = (await forwarded(mock, model)).length;
    const reserves = ledger.count(user, 'reserve');
    const openBefore = ledger.open(user);
    t.diagnostic(`completed ${load.ok}, forwarded ${sent}, reserve rows ${reserves}, open at the kill ${openBefore}`);
    assert.ok(openBefore >= 1, 'reservations were open at the kill');
    assert.ok(reserves >= sent, `every forwarded call has a reservation (${sent} forwarded, ${reserves} reserved)`);
    const gw2 = await startAigw({ name: 'meter-crash-aigw2', mockUrl: mock.url, config: meterConfig(data) });
    try {
      const m = /settled (\d+) reservation\(s\) left open by the last run/.exec(gw2.stderr());
      assert.ok(m, `recovery line in stderr:\n${gw2.stderr()}`);
      assert.equal(Number(m[1]), openBefore, 'every open reservation settled');
      assert.equal(ledger.open(user), 0, 'no reservation left open');
      assert.equal(ledger.reservedCol(user), 0);
      assert.equal(ledger.unsettled(user), 0, 'every reserve row has its settle row');
      assert.equal(ledger.recovered(user), openBefore, 'recovered settles are flagged');
      assert.equal(ledger.sum(user), ledger.balance(user), 'SUM(ledger) = balance');
      const u = await userInfo(gw2, user);
      assert.equal(u.balance_microcredits, ledger.sum(user));
      assert.equal(u.reserved_microcredits, 0);
      // Charges: between the cheapest settle for every call and the reservation for every call.
      const spent = G - u.balance_microcredits;
      assert.ok(spent >= reserves * 1008 && spent <= reserves * R, `spent ${spent} for ${reserves} calls`);
      // It keeps metering after the restart.
      const r = await client(gw2, { user }).chat.completions.create({ model, max_tokens: FLAT_MAX_TOKENS,
        messages: [{ role: 'user', content: 'after' }] }).withResponse();
      assert.equal(Number(r.response.headers.get('x-aigw-credits-charged')), 1038);
      const u2 = await settled(gw2, user);
      assert.equal(u2.balance_microcredits, u.balance_microcredits - 1038);
      assert.equal(ledger.sum(user), u2.balance_microcredits);
      assert.deepEqual(sqlite(data.db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    } finally {
      await gw2.stop();
    }
  });
});
