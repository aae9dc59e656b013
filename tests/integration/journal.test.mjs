// The journal (issue 12): the store's writer commits reservations, settlements and finished
// calls in groups, and a response's last byte waits for the commit of the call's record and
// settlement (README "Durability"). Checked here through the real gateway, the official openai
// SDK and the database itself:
// - store failing (an injected write error: a trigger that refuses every call row, added and
//   removed while aigw runs), metering off and on: new calls get 503 + Retry-After, calls in
//   flight wait and complete once the store works again, and no call reaches the provider
//   without its record; every 200 has its record at the moment the client receives it;
// - kill -9 at random points under load, several rounds on one database: every call whose
//   response completed is in the call log with its settlement, no reservation stays open after
//   the restart's recovery, and the ledger sums to the balance;
// - a record the database refuses for itself (one user's rows refused): dropped after a bounded
//   number of attempts, its client gets no complete answer, its settlement is committed, the other
//   users are served again, aigw_store_write_failures_total counts it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import {
  ADMIN_TOKENS, CLIENT_KEY, adminRequest, client, rawRequest, sleep, sqlite, startAigw, startMock, storeSetup, waitFor,
  withTimeout,
} from './lib/harness.mjs';

const FLAT = { input_per_mtok: 0, output_per_mtok: 1000000, per_request: 1000 };
const MAX_TOKENS = 50;
const R = 1050; // reservation of a FLAT call with max_tokens 50
const FAIL_TRIGGER = 'CREATE TRIGGER test_store_full BEFORE INSERT ON calls'
  + " BEGIN SELECT RAISE(ABORT, 'test: injected write error (database or disk is full)'); END";

const q = (s) => `'${s.replace(/'/g, "''")}'`;

function meterConfig(data, metering) {
  const c = { ...data.config, clients: [{ name: 'backend', key: CLIENT_KEY }] };
  if (metering) {
    c.credits = { default_grant: 0 };
    c.pricing = { 'openai/journal-*': FLAT };
  }
  return c;
}

async function grant(gw, user, amount) {
  const r = await adminRequest(gw, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'journal test' });
  assert.equal(r.status, 200, r.body);
}

/** Request ids of the user's call rows that the database holds right now. */
function storedIds(db, user) {
  return new Set(sqlite(db, `SELECT request_id FROM calls WHERE user_id = ${q(user)}`).map((r) => r.request_id));
}

/** Does the call row exist now? (one sqlite3 run: synchronous on purpose, so nothing can commit in between) */
function hasRecord(db, id) {
  const out = execFileSync('sqlite3', [db, `SELECT COUNT(*) FROM calls WHERE request_id = ${q(id)}`], { encoding: 'utf8' });
  return Number(out.trim()) === 1;
}

function ledgerOf(db, user) {
  const one = (sql) => Number(Object.values(sqlite(db, sql)[0] ?? { v: 0 })[0] ?? 0);
  return {
    sum: one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(user)}`),
    balance: one(`SELECT balance FROM credit_balances WHERE user_id = ${q(user)}`),
    open: one(`SELECT COUNT(*) FROM credit_open WHERE user_id = ${q(user)}`),
    reserves: one(`SELECT COUNT(*) FROM ledger WHERE user_id = ${q(user)} AND kind = 'reserve'`),
    unsettled: one(`SELECT COUNT(*) FROM ledger r WHERE r.user_id = ${q(user)} AND r.kind = 'reserve' AND NOT EXISTS`
      + ' (SELECT 1 FROM ledger s WHERE s.request_id = r.request_id AND s.kind = \'settle\')'),
  };
}

let mock;
before(async () => {
  mock = await startMock({ name: 'journal-mock' });
});
after(async () => {
  if (mock) await mock.stop();
});

/** Chat requests the mock received whose body names `model`. */
async function forwarded(model) {
  return (await mock.requests()).filter((r) => r.path === '/v1/chat/completions' && JSON.parse(r.body).model === model);
}

async function storeFailing(t, metering) {
  const name = metering ? 'journal-full-meter' : 'journal-full';
  const model = `journal-${name}`;
  const user = `user-${name}`;
  const data = storeSetup(`${name}-data`);
  const gw = await startAigw({ name: `${name}-aigw`, mockUrl: mock.url, config: meterConfig(data, metering) });
  try {
    if (metering) await grant(gw, user, 1000 * R);
    const sdk = client(gw, { user, timeout: 20000 });
    const call = () => sdk.chat.completions.create({ model, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: 'x' }] },
      { headers: { 'x-mock-delay-ms': '40' } }).withResponse();
    await call(); // the store works
    const results = [];
    let failing = false;
    let stop = false;
    const one = async () => {
      const t0 = performance.now();
      try {
        const { response } = await call();
        const id = response.headers.get('x-aigw-request-id');
        // the durability promise: the record is committed before the client has the answer
        results.push({ status: 200, id, recorded: hasRecord(data.db, id), during: failing, ms: performance.now() - t0 });
        return true;
      } catch (e) {
        if (!(e instanceof OpenAI.APIError)) throw e;
        results.push({ status: e.status, code: e.code, during: failing,
          retryAfter: typeof e.headers?.get === 'function' ? e.headers.get('retry-after') : e.headers?.['retry-after'] });
        return false;
      }
    };
    const worker = async () => {
      while (!stop) {
        if (!(await one())) await sleep(20);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await sleep(300);
    sqlite(data.db, FAIL_TRIGGER);
    failing = true;
    // The workers' calls in flight are held while the store fails, so new calls come from here:
    // one every 50 ms, not waiting for the previous one.
    const probes = [];
    for (let i = 0; i < 24; i++) {
      probes.push(one());
      await sleep(50);
    }
    sqlite(data.db, 'DROP TRIGGER test_store_full');
    failing = false;
    await sleep(2500); // the retry backs off up to 1 s: calls after it show the store works again
    stop = true;
    await Promise.all([...workers, ...probes]);
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 503);
    const held = ok.filter((r) => r.ms > 500);
    t.diagnostic(`${ok.length} answered, ${refused.length} refused with 503, ${held.length} waited > 500 ms for the store,`
      + ` other: ${JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 503))}`);
    assert.deepEqual(results.filter((r) => r.status !== 200 && r.status !== 503), [], 'only 200 and 503');
    assert.ok(refused.length > 0, 'new calls refused while the store failed');
    for (const r of refused) {
      assert.equal(r.retryAfter, '1', 'Retry-After on the 503');
      assert.ok(['store_unavailable', 'metering_unavailable'].includes(r.code), r.code);
    }
    assert.ok(held.length > 0, 'calls in flight waited for the store and then completed');
    assert.deepEqual(ok.filter((r) => !r.recorded).map((r) => r.id), [], 'a 200 whose record was not committed');
    assert.ok(ok.filter((r) => !r.during).length > ok.length / 4, 'the store works again after the failure');
    // Nothing was forwarded without its record: the provider saw exactly the recorded calls.
    const sent = (await forwarded(model)).length;
    const rows = await waitFor(() => {
      const n = storedIds(data.db, user).size;
      return n === sent ? n : null;
    }, { timeoutMs: 10000, msg: `call rows = forwarded calls (${sent})` });
    assert.equal(rows, ok.length + 1, 'every forwarded call was answered 200 and is recorded');
    if (metering) {
      const l = await waitFor(() => {
        const x = ledgerOf(data.db, user);
        return x.open === 0 ? x : null;
      }, { timeoutMs: 10000, msg: 'reservations settled' });
      assert.equal(l.reserves, sent, 'one reservation per forwarded call');
      assert.equal(l.unsettled, 0);
      assert.equal(l.sum, l.balance, 'SUM(ledger) = balance');
      assert.equal(l.balance, 1000 * R - sent * 1038, 'each call charged its usage (1000 + 38 output tokens)');
    }
  } finally {
    await gw.stop();
  }
}

/**
 * Sends one non-streamed chat call for `user` over a raw HTTP/1.1 socket (Connection: close), so
 * the test sees exactly which bytes arrive and when. Returns {chunks, closed}: the bytes received so
 * far, and a promise of the socket's close resolving to its error, or null.
 */
function rawChat(gw, model, user) {
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'x' }] });
  const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${CLIENT_KEY}\r\n`
    + `X-AIGW-User: ${user}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
    + 'Connection: close\r\n\r\n';
  const s = net.connect(gw.port, '127.0.0.1');
  const chunks = [];
  let err = null;
  const closed = new Promise((resolve) => {
    s.on('error', (e) => { err = e; });
    s.on('close', () => resolve(err));
  });
  s.on('data', (c) => chunks.push(c));
  s.write(head + body);
  return { chunks, closed };
}

describe('store failing (injected write error on SQLite)', () => {
  test('metering off: 503 + Retry-After for new calls, calls in flight wait, no forwarded call without its record',
    async (t) => storeFailing(t, false));
  test('metering on: the same, and every reservation settled, the ledger balanced', async (t) => storeFailing(t, true));
  // Issue 12 session 7: the piece of a Content-Length answer that ends it waits for the commit
  // whole (an answer that came in one piece: nothing of it before the commit, then all of it in
  // one send), where only its last byte waited before.
  test('a one-piece answer: no byte of it before its record is committed, then all of it', async () => {
    const data = storeSetup('journal-whole-data');
    const gw = await startAigw({ name: 'journal-whole-aigw', mockUrl: mock.url, config: meterConfig(data, false) });
    try {
      sqlite(data.db, FAIL_TRIGGER);
      const { chunks, closed } = rawChat(gw, 'journal-whole', 'user-journal-whole');
      // forwarded, answered by the mock, its record refused and retried: the client has nothing yet
      await waitFor(async () => (await forwarded('journal-whole')).length === 1 || null, { timeoutMs: 5000, msg: 'forwarded' });
      await sleep(600);
      const before = Buffer.concat(chunks).length;
      sqlite(data.db, 'DROP TRIGGER test_store_full');
      assert.equal(await closed, null, 'the connection closed without an error');
      const text = Buffer.concat(chunks).toString('utf8');
      assert.equal(before, 0, `bytes before the commit: ${before}`);
      assert.match(text, /^HTTP\/1\.1 200 /);
      const id = /x-aigw-request-id: (\S+)/i.exec(text)[1];
      const answer = text.slice(text.indexOf('\r\n\r\n') + 4);
      assert.equal(Buffer.byteLength(answer), Number(/content-length: (\d+)/i.exec(text)[1]), 'the whole answer');
      assert.equal(JSON.parse(answer).object, 'chat.completion');
      assert.ok(hasRecord(data.db, id), 'recorded when the client has it');
    } finally {
      await gw.stop();
    }
  });
});

describe('a record that is never committed (SQLite)', () => {
  // The answer's last piece waits for the commit of its record; when that commit never comes (the
  // gateway stops while the store refuses the row) the response must end as an error: a client that
  // received every byte of a Content-Length body would take an unlogged answer for a complete one.
  test('SIGTERM while the row is refused: the client does not get the whole answer', async () => {
    const data = storeSetup('journal-never-data');
    const gw = await startAigw({ name: 'journal-never-aigw', mockUrl: mock.url, config: meterConfig(data, false) });
    let stopped = false;
    try {
      sqlite(data.db, FAIL_TRIGGER);
      const { chunks, closed } = rawChat(gw, 'journal-never', 'user-journal-never');
      await waitFor(async () => (await forwarded('journal-never')).length === 1 || null, { timeoutMs: 5000, msg: 'forwarded' });
      await sleep(300);
      await gw.stop('SIGTERM');
      stopped = true;
      await closed;
      assertNotWholeAnswer(chunks);
      assert.equal(Number(sqlite(data.db, "SELECT COUNT(*) AS n FROM calls WHERE user_id = 'user-journal-never'")[0].n), 0);
    } finally {
      if (!stopped) await gw.stop();
    }
  });
});

/** The raw bytes a client got (rawChat's chunks) are not a complete 200 answer: a call whose record is not committed
 * never reaches its client whole (durability promise, README). */
function assertNotWholeAnswer(chunks) {
  const text = Buffer.concat(chunks).toString('utf8');
  const i = text.indexOf('\r\n\r\n');
  if (i >= 0 && /^HTTP\/1\.1 200 /.test(text)) {
    const len = /content-length: (\d+)/i.exec(text);
    const got = Buffer.byteLength(text.slice(i + 4));
    assert.ok(len === null || got < Number(len[1]), `the whole answer (${got} bytes) reached the client without its record`);
  }
}

describe('a record the database refuses for itself (SQLite, metering on)', () => {
  // Issue 12 session 8: a trigger refuses the call rows of one user only, the others' go in. That
  // call's record is dropped after a bounded number of attempts (docs/internals/store.md "A record the
  // database refuses"): its client does not get the whole answer, its settlement is committed, and
  // the other users are served again within seconds. Before, the record was retried for ever and
  // every call got 503 until a restart.
  test('the refused call ends as an error, its settlement committed; the others are served again; counted', async () => {
    const data = storeSetup('journal-refused-data');
    const gw = await startAigw({ name: 'journal-refused-aigw', mockUrl: mock.url, config: meterConfig(data, true) });
    const bad = 'user-journal-refused';
    const good = 'user-journal-served';
    try {
      await grant(gw, bad, 100 * R);
      await grant(gw, good, 100 * R);
      sqlite(data.db, `CREATE TRIGGER test_refuse_one BEFORE INSERT ON calls WHEN NEW.user_id = ${q(bad)}`
        + " BEGIN SELECT RAISE(ABORT, 'test: refused'); END");
      const { chunks, closed } = rawChat(gw, 'journal-refused', bad);
      // no SIGTERM, no trigger dropped: the response ends by itself once the record is dropped
      await withTimeout(closed, 15000, () => assert.fail('the refused call did not end within 15 s'));
      assertNotWholeAnswer(chunks);
      assert.equal(storedIds(data.db, bad).size, 0);
      const l = ledgerOf(data.db, bad);
      assert.equal(l.open, 0, 'its reservation was settled');
      assert.equal(l.unsettled, 0);
      assert.equal(l.sum, l.balance, 'SUM(ledger) = balance');
      assert.equal(l.balance, 100 * R - 1038, 'charged its usage (1000 + 38 output tokens)');
      // the gateway serves the others again (503 + Retry-After meanwhile)
      const sdk = client(gw, { user: good, timeout: 20000 });
      await waitFor(async () => {
        try {
          await sdk.chat.completions.create({ model: 'journal-served', max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: 'x' }] });
          return true;
        } catch (e) {
          if (e instanceof OpenAI.APIError && e.status === 503) return null;
          throw e;
        }
      }, { timeoutMs: 15000, intervalMs: 200, msg: 'another user served again' });
      assert.equal(storedIds(data.db, good).size, 1);
      const m = await rawRequest(gw, { path: '/metrics', headers: { authorization: `Bearer ${ADMIN_TOKENS.ops}` } });
      assert.equal(m.status, 200);
      assert.match(m.body, /^aigw_store_write_failures_total 1$/m);
    } finally {
      await gw.stop();
    }
  });
});

// ---- kill -9 at random points ---------------------------------------------------------------

const ROUNDS = Number(process.env.AIGW_CRASH_ROUNDS || 20);
const PER_ROUND = 8; // calls completed in a round before its kill
const ROUND_LIMIT_MS = 20000;

describe('kill -9 at random points under load (SQLite, metering on)', () => {
  test(`${ROUNDS} rounds: every completed call recorded and settled; no reservation open after recovery`, async (t) => {
    const data = storeSetup('journal-crash-data');
    const config = meterConfig(data, true);
    const user = 'user-journal-crash';
    const model = 'journal-crash';
    let gw = await startAigw({ name: 'journal-crash-aigw-0', mockUrl: mock.url, config });
    await grant(gw, user, 1000000 * R);
    const completed = []; // request ids of responses the client received in full
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const sdk = client(gw, { user, timeout: 5000 });
        // killed at a random time after 200-800 ms, once this round has completed PER_ROUND calls (on a loaded machine
        // 200 ms may see none: the load would be missing from the round, not the product at fault); a gateway that
        // cannot complete them in ROUND_LIMIT_MS is killed anyway and fails the round's check below
        const killAt = 200 + Math.floor(Math.random() * 600);
        const t0 = performance.now();
        const before = completed.length;
        let killed = false;
        const worker = async (w) => {
          for (let i = 0; !killed; i++) {
            const body = { model, max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: `crash ${round}.${w}.${i}` }] };
            const opts = { headers: { 'x-mock-delay-ms': String(Math.floor(Math.random() * 30)) } };
            try {
              if (i % 3 === 2) {
                const { data: stream, response } = await sdk.chat.completions.create({ ...body, stream: true }, opts)
                  .withResponse();
                for await (const c of stream) void c;
                completed.push(response.headers.get('x-aigw-request-id'));
              } else {
                const { response } = await sdk.chat.completions.create(body, opts).withResponse();
                completed.push(response.headers.get('x-aigw-request-id'));
              }
            } catch {
              /* in flight at the kill */
            }
            const elapsed = performance.now() - t0;
            if (!killed && ((elapsed > killAt && completed.length - before >= PER_ROUND) || elapsed > ROUND_LIMIT_MS)) {
              killed = true;
              gw.proc.kill('SIGKILL');
            }
          }
        };
        await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
        assert.ok(completed.length - before >= PER_ROUND, `round ${round}: ${PER_ROUND} calls completed before the kill`);
        assert.equal((await gw.stop('SIGKILL')).signal, 'SIGKILL');
        gw = await startAigw({ name: `journal-crash-aigw-${round + 1}`, mockUrl: mock.url, config });
        // this process answered the health check (recovery runs before it listens), not another
        // one that took the port meanwhile on this shared machine
        const started = gw;
        await waitFor(() => started.stderr().includes(`listening on ${started.url}`), { msg: 'the restarted aigw listens' });
        // the restart's recovery settled whatever was open: nothing is open now
        const l = ledgerOf(data.db, user);
        assert.equal(l.open, 0, `round ${round}: reservations open after recovery`);
        assert.equal(l.unsettled, 0, `round ${round}: reservations without a settle row`);
        assert.equal(l.sum, l.balance, `round ${round}: SUM(ledger) = balance`);
      }
      const stored = storedIds(data.db, user);
      const missing = completed.filter((id) => !stored.has(id));
      t.diagnostic(`${completed.length} completed calls over ${ROUNDS} kills, ${stored.size} call rows, missing ${missing.length}`);
      assert.deepEqual(missing, [], 'completed calls missing from the call log');
      // each completed call is settled at its usage (JSON 1038, stream 1008), not by crash recovery
      const settledRows = new Map(sqlite(data.db, `SELECT request_id, note FROM ledger WHERE user_id = ${q(user)}`
        + " AND kind = 'settle'").map((r) => [r.request_id, r.note]));
      const badly = completed.filter((id) => !settledRows.has(id) || (settledRows.get(id) ?? '').includes('crash'));
      assert.deepEqual(badly, [], 'completed calls not settled by their own settlement');
    } finally {
      await gw.stop();
    }
  });
});
