// Shared by the metering integration tests (metering.test.mjs, metering-concurrency.test.mjs): the test price
// table and its arithmetic (docs/internals/metering.md), ledger access (SQLite through sqlite3, PostgreSQL through
// psql), the admin API calls and a metered aigw in front of a mock provider.
//
// Prices are chosen so the reservation is known exactly: "openai/meter-flat*" has no input price
// (the body size does not count), 1 micro-credit per output token and 1000 per request, so a call
// with max_tokens 50 reserves R = 1050 and costs 1000 + completion tokens (38 for the JSON fixture,
// 8 for the SSE fixture). A settled call gives back at most 42, so 10 grants can never pay an 11th.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_TOKENS, CLIENT_KEY, FIXTURES_DIR, adminRequest, rawRequest, sqlite, startAigw, storeSetup, waitFor,
} from './harness.mjs';

export const FIXTURES = path.join(FIXTURES_DIR, 'openai');
export const MTOK = 1000000n;

export const FLAT = { input_per_mtok: 0, output_per_mtok: 1000000, per_request: 1000 };
export const FLAT_MAX_TOKENS = 50;
export const R = 1050; // FLAT reservation with max_tokens 50: 0 input + 50 x 1 + 1000
// Odd input price: the sum of the parts is not whole, so the rounding (up, once) is tested too.
export const MINI = { input_per_mtok: 2500001, cached_input_per_mtok: 1250000, output_per_mtok: 10000000 };
export const MARKUP_KEY = 'test-client-key-markup-0001';
export const PRICING = { 'openai/meter-flat*': FLAT, 'openai/gpt-4o-mini': MINI };

export function meterConfig(data, over = {}) {
  return {
    ...data.config,
    clients: [{ name: 'backend', key: CLIENT_KEY }, { name: 'reseller', key: MARKUP_KEY, markup: 1.5 }],
    credits: { default_grant: 0 },
    pricing: PRICING,
    ...over,
  };
}

// ---- fixtures and the price arithmetic of docs/internals/metering.md ----------------------------

export const ceilDiv = (a, b) => (a + b - 1n) / b;

/** Cost of an OpenAI usage object: cached tokens are inside prompt_tokens, at the cached rate. */
export function expectedCost(price, usage, markupPermille = 1000n) {
  const input = BigInt(usage.prompt_tokens);
  const cached = BigInt(usage.prompt_tokens_details?.cached_tokens ?? 0);
  const output = BigInt(usage.completion_tokens);
  const exact = (input - cached) * BigInt(price.input_per_mtok) + cached * BigInt(price.cached_input_per_mtok ??
    price.input_per_mtok) + output * BigInt(price.output_per_mtok);
  const cost = ceilDiv(exact, MTOK) + BigInt(price.per_request ?? 0);
  return Number(ceilDiv(cost * markupPermille, 1000n));
}

/** Upper bound before forwarding: ceil(bytes / 2) input tokens at the input rate + max_tokens output. */
export function expectedReservation(price, bodyBytes, maxTokens) {
  const exact = ceilDiv(BigInt(bodyBytes), 2n) * BigInt(price.input_per_mtok) + BigInt(maxTokens) * BigInt(price.output_per_mtok);
  return Number(ceilDiv(exact, MTOK) + BigInt(price.per_request ?? 0));
}

export const chatFixtureUsage = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'chat_completions.response.json'), 'utf8')).usage;
export function streamFixtureUsage() {
  for (const line of fs.readFileSync(path.join(FIXTURES, 'chat_completions.stream.sse'), 'utf8').split('\n')) {
    if (!line.startsWith('data: {')) continue;
    const ev = JSON.parse(line.slice(6));
    if (ev.usage) return ev.usage;
  }
  throw new Error('no usage chunk in the stream fixture');
}

// ---- ledger access (SQLite through sqlite3, PostgreSQL through psql) ----------------------------

export const q = (s) => `'${s.replace(/'/g, "''")}'`;

export function sqliteLedger(db) {
  const one = (sql) => Number(Object.values(sqlite(db, sql)[0] ?? { v: 0 })[0] ?? 0);
  return ledgerApi(one, (sql) => sqlite(db, sql));
}

export function pgLedger(pgdb) {
  const one = (sql) => Number(pgdb.psql(sql)[0]?.[0] ?? 0);
  const rows = (sql, cols) => pgdb.psql(sql).map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]])));
  return ledgerApi(one, rows);
}

export function ledgerApi(one, rows) {
  return {
    sum: (u) => one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(u)}`),
    balance: (u) => one(`SELECT balance FROM credit_balances WHERE user_id = ${q(u)}`),
    reservedCol: (u) => one(`SELECT reserved FROM credit_balances WHERE user_id = ${q(u)}`),
    open: (u) => one(`SELECT COUNT(*) FROM credit_open WHERE user_id = ${q(u)}`),
    // credit leases (PostgreSQL): the unspent part of the user's balance each instance holds
    leases: (u) => one(`SELECT COALESCE(SUM(amount), 0) FROM credit_leases WHERE user_id = ${q(u)}`),
    // sum(ledger) and balance row + leases read by one statement (one snapshot): read apart, a lease
    // given back between the reads (idle return, reclaim) moved its amount from one to the other unseen
    sumAndHeld: (u) => {
      const [r] = rows(`SELECT (SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(u)}),` +
        ` (SELECT COALESCE(SUM(balance), 0) FROM credit_balances WHERE user_id = ${q(u)})` +
        ` + (SELECT COALESCE(SUM(amount), 0) FROM credit_leases WHERE user_id = ${q(u)})`, ['sum', 'held']);
      return { sum: Number(r.sum), held: Number(r.held) };
    },
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

export async function grant(gw, user, amount) {
  const r = await adminRequest(gw, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'metering test' });
  assert.equal(r.status, 200, r.body);
  return r.json;
}

export async function userInfo(gw, user) {
  const r = await adminRequest(gw, 'GET', `/users/${encodeURIComponent(user)}`, ADMIN_TOKENS.ops);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

/** Waits until no reservation of the user is open (settlements run on the thread pool). */
export function settled(gw, user) {
  return waitFor(async () => {
    const u = await userInfo(gw, user);
    return u.reserved_microcredits === 0 ? u : null;
  }, { timeoutMs: 10000, msg: `${user}'s reservations settled` });
}

/** Sum of a metric's samples (all label sets) in /metrics. */
export async function metric(gw, name) {
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
export async function forwarded(mock, model) {
  return (await mock.requests()).filter((r) => r.path === '/v1/chat/completions' && JSON.parse(r.body).model === model);
}


/** A metered aigw (SQLite store unless storeOver says otherwise, the test prices) in front of `mock`: {gw, data}. */
export async function startMetered(mock, name, over = {}, storeOver = {}) {
  const data = storeSetup(`${name}-data`, storeOver);
  const gw = await startAigw({ name: `${name}-aigw`, mockUrl: over.mockUrl ?? mock.url, config: meterConfig(data, over.config) });
  return { gw, data };
}
