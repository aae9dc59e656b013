// Results of asynchronous predictions fetched by a later call (issue 16; issue 13 "fal queue"),
// through the official `replicate` and `@fal-ai/client` SDKs against the mock, with the SQLite
// store and credits on:
// - the creating request's placeholders are restored in every later read (poll, cancel, fal
//   result), only for the user and client that created the prediction; the vault is kept in the
//   store sealed under the user's data key (no value readable in the database) and erased with
//   the user;
// - the creating call's reservation stays open until aigw first sees the prediction terminal and
//   is settled then, once, from the provider's usage (Replicate metrics.predict_time, fal
//   x-fal-billable-units), however many polls follow;
// - stream capabilities are keyed from the master key: a second aigw with the same master key
//   (a restart, another instance) accepts the first one's stream URL; one with another key refuses it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createFalClient } from '@fal-ai/client';
import Replicate from 'replicate';
import {
  ADMIN_TOKENS, CLIENT_KEY, adminRequest, artifactDir, keygen, rawRequest, sqlite, startAigw, storeSetup, waitFor,
} from './lib/harness.mjs';
import { PROVIDER_KEYS, startProviderMock } from './lib/providers.mjs';

const EMAIL = 'jane.doe@example.com';
const PROMPT = `Write to ${EMAIL} about the lighthouse`;
const LLM = 'meta/meta-llama-3-8b-instruct';
const FAL_MODEL = 'fal-ai/flux/dev';
// 1 credit (10^6 micro-credits) per compute second: the reservation is max_seconds (300 s) of it;
// the mock's LLM prediction reports predict_time 0.85 s, so it costs exactly 850000.
const PER_SECOND = 1000000;
const RESERVED = 300 * PER_SECOND;
const LLM_COST = 850000;
// fal: 7 micro-credits per billable unit, 4 units reserved per image; the result reports 1 unit.
const PER_UNIT = 7;
const FAL_RESERVED = 4 * PER_UNIT;
const PRICING = { [`replicate/${LLM}`]: { per_second: PER_SECOND }, [`fal/${FAL_MODEL}`]: { per_unit: PER_UNIT } };

let rmock;
let fmock;
let store;
let gw;

function config(st) {
  return {
    ...st.config,
    credits: { default_grant: 0 },
    pricing: PRICING,
    providers: {
      replicate: { base_url: rmock.url, api_key: PROVIDER_KEYS.replicate },
      fal: { base_url: fmock.url, api_key: PROVIDER_KEYS.fal },
    },
  };
}

before(async () => {
  rmock = await startProviderMock('replicate', 'async-results-replicate');
  fmock = await startProviderMock('fal', 'async-results-fal');
  store = storeSetup('async-results-store');
  gw = await startAigw({ name: 'async-results-aigw', mockUrl: rmock.url, config: config(store) });
});
after(async () => {
  if (gw) await gw.stop();
  if (rmock) await rmock.stop();
  if (fmock) await fmock.stop();
});

async function grant(user, amount) {
  const r = await adminRequest(gw, 'POST', `/users/${encodeURIComponent(user)}/credits`, ADMIN_TOKENS.ops,
    { amount_microcredits: amount, reason: 'async results test' });
  assert.equal(r.status, 200, r.body);
}

/** The replicate SDK against `g` as `user`; records the request ids aigw gave the calls. */
function replicate(g, user, extra = {}, ids = []) {
  return new Replicate({ auth: CLIENT_KEY, baseUrl: `${g.url}/replicate/v1`,
    fetch: async (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', user);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      const res = await fetch(url, { ...init, headers });
      ids.push({ url: String(url), method: init.method || 'GET', rid: res.headers.get('x-aigw-request-id') });
      return res;
    } });
}

const q = (s) => `'${s.replace(/'/g, "''")}'`;
const one = (sql) => Number(Object.values(sqlite(store.db, sql)[0] ?? { v: 0 })[0] ?? 0);
const ledger = (rid) => sqlite(store.db, `SELECT kind, amount_microcredits AS amount FROM ledger WHERE request_id = ${q(rid)}` +
  ' ORDER BY kind').map((r) => `${r.kind}:${r.amount}`);
const net = (rid) => one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE request_id = ${q(rid)}`);

describe('predictions read by later calls: restored values, settled once', () => {
  test('Replicate: create keeps the reservation open; poll and get restore the values; settled once from predict_time', async () => {
    const user = 'u-async-poll';
    await grant(user, 10 * RESERVED);
    const ids = [];
    const r = replicate(gw, user, { 'x-mock-echo': '1' }, ids);
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    assert.equal(p.status, 'starting');
    const rid = ids[0].rid;
    assert.ok(rid, 'x-aigw-request-id on the create answer');
    // not terminal yet: reserved, nothing settled
    assert.deepEqual(ledger(rid), [`reserve:${-RESERVED}`]);
    assert.equal(one(`SELECT COUNT(*) FROM credit_open WHERE request_id = ${q(rid)}`), 1);
    // the vault is at rest, sealed: the value is nowhere in the database file
    assert.equal(one(`SELECT COUNT(*) FROM predictions WHERE id = ${q(p.id)} AND user_id = ${q(user)}`), 1);
    assert.equal(fs.readFileSync(store.db).includes(Buffer.from(EMAIL)), false, 'no plaintext value in the database');
    // the provider only ever had the placeholder
    const created = (await rmock.requests()).find((x) => x.method === 'POST' && x.path.endsWith('/predictions'));
    assert.ok(!created.body.includes(EMAIL) && /<EMAIL_ADDRESS_\d+>/.test(created.body), created.body);

    const done = await r.wait(p, { interval: 50 });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.output.join(''), PROMPT, 'the later read gives the user their own values back');
    assert.equal(done.input.prompt, PROMPT);
    // every further read restores again, and settles nothing more
    for (let i = 0; i < 3; i++) {
      const again = await r.predictions.get(p.id);
      assert.equal(again.output.join(''), PROMPT);
    }
    await waitFor(() => ledger(rid).some((k) => k.startsWith('settle')), { msg: 'settlement' });
    assert.equal(net(rid), -LLM_COST, `charged predict_time x price exactly: ${ledger(rid)}`);
    assert.equal(one(`SELECT COUNT(*) FROM ledger WHERE request_id = ${q(rid)} AND kind = 'settle'`), 1);
    assert.equal(one(`SELECT COUNT(*) FROM credit_open WHERE request_id = ${q(rid)}`), 0);
    assert.deepEqual(sqlite(store.db, `SELECT cost_microcredits AS c, compute_ms AS ms FROM calls WHERE request_id = ${q(rid)}`),
      [{ c: LLM_COST, ms: 850 }]);
    // the polls themselves are not billed
    const polls = ids.filter((x) => x.method === 'GET').map((x) => x.rid);
    assert.ok(polls.length >= 4);
    for (const prid of polls) assert.deepEqual(ledger(prid), [], `poll ${prid} charged`);
  });

  test('another user (or client) reading the same prediction id gets the placeholders, not the values', async () => {
    const user = 'u-async-owner';
    await grant(user, 10 * RESERVED);
    const p = await replicate(gw, user, { 'x-mock-echo': '1' }).predictions.create({ model: LLM, input: { prompt: PROMPT } });
    const other = await replicate(gw, 'u-async-other').predictions.get(p.id);
    assert.equal(other.status, 'succeeded');
    assert.ok(!JSON.stringify(other).includes(EMAIL), 'no value for another user');
    assert.match(other.output.join(''), /<EMAIL_ADDRESS_\d+>/);
    // the other user's read is terminal: it settles the owner's reservation (once), charges the other nothing
    const mine = await replicate(gw, user).predictions.get(p.id);
    assert.equal(mine.output.join(''), PROMPT);
    assert.equal(one(`SELECT COUNT(*) FROM ledger WHERE user_id = ${q('u-async-other')}`), 0);
  });

  test('cancel: the canceled answer is terminal: settled once; later reads restore and do not settle again', async () => {
    const user = 'u-async-cancel';
    await grant(user, 10 * RESERVED);
    const ids = [];
    const r = replicate(gw, user, { 'x-mock-echo': '1' }, ids);
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    const rid = ids[0].rid;
    const c = await r.predictions.cancel(p.id);
    assert.equal(c.status, 'canceled');
    assert.equal(c.input.prompt, PROMPT);
    await r.predictions.get(p.id);
    await r.predictions.get(p.id);
    await waitFor(() => ledger(rid).some((k) => k.startsWith('settle')), { msg: 'settlement' });
    assert.equal(one(`SELECT COUNT(*) FROM ledger WHERE request_id = ${q(rid)} AND kind = 'settle'`), 1);
    assert.equal(net(rid), -LLM_COST);
  });

  test('Prefer: wait (terminal at once): settled by the create call itself; later reads restore', async () => {
    const user = 'u-async-wait';
    await grant(user, 10 * RESERVED);
    const ids = [];
    const r = replicate(gw, user, { 'x-mock-echo': '1', prefer: 'wait' }, ids);
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    assert.equal(p.status, 'succeeded');
    const rid = ids[0].rid;
    assert.equal(net(rid), -LLM_COST);
    const again = await r.predictions.get(p.id);
    assert.equal(again.output.join(''), PROMPT);
    assert.equal(one(`SELECT COUNT(*) FROM ledger WHERE request_id = ${q(rid)} AND kind = 'settle'`), 1);
  });

  test('fal queue: the result restores the values and settles the submit from x-fal-billable-units', async () => {
    const user = 'u-async-fal';
    await grant(user, 1000);
    const seen = [];
    const fal = createFalClient({ proxyUrl: { url: `${gw.url}/fal`, when: 'always' },
      fetch: async (url, init = {}) => {
        const res = await fetch(url, init);
        seen.push({ url: String(url), method: init.method || 'GET', rid: res.headers.get('x-aigw-request-id') });
        return res;
      },
      requestMiddleware: async (req) => ({ ...req, headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`,
        'X-AIGW-User': user } }) });
    const res = await fal.subscribe(FAL_MODEL, { input: { prompt: PROMPT }, pollInterval: 50 });
    assert.equal(res.data.prompt, PROMPT, 'the result carries the user\'s own prompt back');
    const submit = sqlite(store.db, `SELECT request_id FROM calls WHERE user_id = ${q(user)} AND route LIKE '%fal%' ORDER BY started_at`)[0];
    assert.ok(submit, 'the submit is logged');
    const rid = submit.request_id;
    await waitFor(() => ledger(rid).some((k) => k.startsWith('settle')), { msg: 'fal settlement' });
    assert.equal(net(rid), -PER_UNIT, `one billable unit, not the reservation of ${FAL_RESERVED}: ${ledger(rid)}`);
    assert.equal(one(`SELECT COUNT(*) FROM ledger WHERE user_id = ${q(user)} AND kind = 'settle'`), 1);
    assert.equal(one(`SELECT COALESCE(SUM(amount_microcredits), 0) FROM ledger WHERE user_id = ${q(user)}`), 1000 - PER_UNIT);
  });

  test('erasure of the user deletes the kept vault: later reads keep the placeholders', async () => {
    const user = 'u-async-erased';
    await grant(user, 10 * RESERVED);
    const r = replicate(gw, user, { 'x-mock-echo': '1' });
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    assert.equal(one(`SELECT COUNT(*) FROM predictions WHERE user_id = ${q(user)}`), 1);
    const del = await adminRequest(gw, 'DELETE', `/users/${encodeURIComponent(user)}`, ADMIN_TOKENS.privacy);
    assert.equal(del.status, 200, del.body);
    assert.equal(one(`SELECT COUNT(*) FROM predictions WHERE user_id = ${q(user)}`), 0);
    const after = await r.predictions.get(p.id);
    assert.ok(!JSON.stringify(after).includes(EMAIL));
  });
});

describe('stream capabilities keyed from the master key', () => {
  test('another aigw with the same master key accepts the stream URL (restored); another key refuses it', async () => {
    const user = 'u-async-stream';
    await grant(user, 10 * RESERVED);
    const p = await replicate(gw, user, { 'x-mock-echo': '1' }).predictions.create({ model: LLM, input: { prompt: PROMPT },
      stream: true });
    const u = new URL(p.urls.stream);
    // same master key, its own database: a restart or a second instance
    const same = storeSetup('async-results-store-2');
    fs.copyFileSync(store.keyFile, same.keyFile);
    const twin = await startAigw({ name: 'async-results-aigw-2', mockUrl: rmock.url, config: config(same) });
    const dir = artifactDir('async-results-otherkey');
    const otherKey = `${dir}/other.key`;
    fs.rmSync(otherKey, { force: true });
    keygen(otherKey);
    const foreign = storeSetup('async-results-store-3');
    const stranger = await startAigw({ name: 'async-results-aigw-3', mockUrl: rmock.url,
      config: { ...config(foreign), master_key_file: otherKey } });
    try {
      const ok = await rawRequest(twin, { path: `${u.pathname}${u.search}`, headers: { 'x-mock-echo': '1' } });
      assert.equal(ok.status, 200, ok.body);
      const text = ok.body.split('\n').filter((l) => l.startsWith('data: ') && !l.includes('{')).map((l) => l.slice(6)).join('');
      assert.ok(ok.body.includes('event: output'), ok.body);
      assert.ok(text.includes(EMAIL) || ok.body.includes(EMAIL), `restored on the other instance: ${ok.body}`);
      const refused = await rawRequest(stranger, { path: `${u.pathname}${u.search}` });
      assert.equal(refused.status, 403, refused.body);
    } finally {
      await twin.stop();
      await stranger.stop();
    }
  });
});

describe('model output of predictions (pii.scan_responses)', () => {
  // The model writes personal data of its own (x-mock-say); the user's prompt carries theirs.
  const SAY = `Sure. Mail bob.smith@corp-mail.org about ${EMAIL}`;
  let sgw;
  let sstore;
  before(async () => {
    sstore = storeSetup('async-results-scan-store');
    const c = config(sstore);
    sgw = await startAigw({ name: 'async-results-scan-aigw', mockUrl: rmock.url,
      config: { ...c, credits: undefined, pricing: undefined, pii: { default_action: 'tokenize', scan_responses: true } } });
  });
  after(async () => {
    if (sgw) await sgw.stop();
  });
  const say = (extra = {}) => ({ 'x-mock-echo': '1', 'x-mock-say': `b64:${Buffer.from(SAY.replace(EMAIL, '<EMAIL_ADDRESS_1>')).toString('base64')}`,
    ...extra });
  const respRows = (user) => sqlite(sstore.db, `SELECT r.field, r.entity_type, r.action FROM redactions r WHERE r.user_id = ${q(user)}` +
    ' AND r.direction = \'response\' ORDER BY r.id');

  test('Replicate stream(): the model\'s email is redacted even split over 3-byte events; the user\'s own value restored', async () => {
    const user = 'u-scan-stream';
    const events = [];
    for await (const ev of replicate(sgw, user, say({ 'x-mock-piece': '3' })).stream(LLM, { input: { prompt: PROMPT } })) {
      events.push(ev);
    }
    const text = events.filter((e) => e.event === 'output').map((e) => e.data).join('');
    for (const frag of ['bob.smith', 'corp-mail.org']) {
      for (const e of events) assert.ok(!String(e.data).includes(frag), `fragment ${frag} in an event`);
    }
    assert.equal(text, `Sure. Mail <EMAIL_ADDRESS> about ${EMAIL}`);
    const rows = await waitFor(() => {
      const r = respRows(user);
      return r.length >= 1 ? r : null;
    }, { msg: 'response redaction rows' });
    assert.deepEqual(rows.map((r) => [r.entity_type, r.action]), [['EMAIL_ADDRESS', 'redact']], JSON.stringify(rows));
  });

  test('Replicate poll: the model\'s email redacted in output, the user\'s own value restored and not flagged', async () => {
    const user = 'u-scan-poll';
    const r = replicate(sgw, user, say());
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    const done = await r.wait(p, { interval: 50 });
    const text = done.output.join('');
    assert.ok(!text.includes('bob.smith'), text);
    assert.equal(text, `Sure. Mail <EMAIL_ADDRESS> about ${EMAIL}`);
    assert.equal(done.input.prompt, PROMPT);
    await waitFor(() => respRows(user).length >= 1, { msg: 'response rows of the poll' });
    assert.ok(respRows(user).every((x) => x.entity_type === 'EMAIL_ADDRESS' && /^output/.test(x.field)), JSON.stringify(respRows(user)));
  });

  test('fal queue result: the model\'s output scanned, the prompt echo restored', async () => {
    const user = 'u-scan-fal';
    const fal = createFalClient({ proxyUrl: { url: `${sgw.url}/fal`, when: 'always' },
      requestMiddleware: async (req) => ({ ...req, headers: { ...(req.headers || {}), Authorization: `Bearer ${CLIENT_KEY}`,
        'X-AIGW-User': user, 'x-mock-say': `b64:${Buffer.from('Call bob.smith@corp-mail.org').toString('base64')}` } }) });
    const res = await fal.subscribe(FAL_MODEL, { input: { prompt: PROMPT }, pollInterval: 50 });
    assert.equal(res.data.output, 'Call <EMAIL_ADDRESS>');
    assert.equal(res.data.prompt, PROMPT);
    await waitFor(() => respRows(user).length >= 1, { msg: 'response rows of the fal result' });
    assert.deepEqual(respRows(user).map((x) => [x.field, x.entity_type]), [['output', 'EMAIL_ADDRESS']]);
  });
});
