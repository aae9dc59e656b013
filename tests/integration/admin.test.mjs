// Admin API through the real gateway (issue 5, DESIGN.md roles): every route x {no token, unknown
// token, ops, privacy, admin} gets 401 / 403 / its answer; refused requests have no effect;
// unknown routes are 404 only once authenticated; without a store the routes answer 503.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ADMIN_TOKENS, CLIENT_KEY, adminRequest, client, rawRequest, startAigw, startMock, storeSetup, waitFor,
} from './lib/harness.mjs';

const U = 'matrix-user';
// Route, needed role, status for an allowed role. Ordered so that the erasure runs last (the
// consent PUT creates the user, so the export finds it).
const ROUTES = [
  { method: 'PUT', path: `/users/${U}/consent`, body: { training: false }, role: 'privacy', ok: 200 },
  { method: 'GET', path: `/users/${U}/export`, role: 'privacy', ok: 200 },
  { method: 'GET', path: '/redactions', role: 'privacy', ok: 200 },
  { method: 'GET', path: '/redactions?type=EMAIL_ADDRESS&limit=5', role: 'privacy', ok: 200 },
  { method: 'GET', path: '/redactions/summary', role: 'privacy', ok: 200 },
  { method: 'GET', path: '/retention', role: 'privacy', ok: 200 },
  { method: 'POST', path: '/purge?dry_run=1', role: 'privacy', ok: 200 },
  { method: 'POST', path: '/purge', role: 'privacy', ok: 200 },
  // Metering (ops) routes.
  { method: 'POST', path: `/users/${U}/credits`, body: { amount_microcredits: 1000, reason: 'matrix' }, role: 'ops', ok: 200 },
  { method: 'GET', path: `/users/${U}`, role: 'ops', ok: 200 },
  { method: 'GET', path: '/usage', role: 'ops', ok: 200 },
  { method: 'DELETE', path: `/users/${U}`, role: 'privacy', ok: 200 },
];
const CALLERS = [
  { name: 'no token', token: null },
  { name: 'unknown token', token: 'not-a-configured-token' },
  { name: 'client key', token: CLIENT_KEY },
  { name: 'ops', token: ADMIN_TOKENS.ops, role: 'ops' },
  { name: 'privacy', token: ADMIN_TOKENS.privacy, role: 'privacy' },
  { name: 'admin', token: ADMIN_TOKENS.admin, role: 'admin' },
];

function expected(caller, route) {
  if (!caller.role) return 401;
  if (caller.role === 'admin' || caller.role === route.role) return route.ok;
  return 403;
}

let mock;
let gw;
before(async () => {
  mock = await startMock({ name: 'admin-mock' });
  const data = storeSetup('admin-data');
  gw = await startAigw({ name: 'admin-aigw', mockUrl: mock.url, config: data.config });
});
after(async () => {
  if (gw) await gw.stop();
  if (mock) await mock.stop();
});

describe('role matrix', () => {
  for (const caller of CALLERS) {
    test(`${caller.name}: every route`, async () => {
      for (const r of ROUTES) {
        const res = await adminRequest(gw, r.method, r.path, caller.token, r.body);
        const want = expected(caller, r);
        assert.equal(res.status, want, `${caller.name} ${r.method} ${r.path}: ${res.status} ${res.body}`);
        assert.match(res.headers['content-type'] ?? '', /application\/json/, `${r.method} ${r.path} answers JSON`);
        assert.ok(res.json !== null, `JSON body for ${r.method} ${r.path}`);
        if (want === 401) {
          assert.equal(res.headers['www-authenticate'], 'Bearer');
          assert.ok(!res.body.includes(U), '401 reveals nothing about the route');
        }
        if (want === 403) assert.match(res.json.error, new RegExp(`needs the ${r.role} role`));
        if (want >= 400) assert.equal(typeof res.json.error, 'string');
      }
    });
  }

  test('answers of the allowed calls have their documented shape', async () => {
    const t = ADMIN_TOKENS.privacy;
    assert.deepEqual((await adminRequest(gw, 'PUT', `/users/${U}/consent`, t, { training: true })).json,
      { id: U, consent_training: true });
    // issue 14: the privacy role also learns whether aigw holds data for the id (times in µs)
    const got = (await adminRequest(gw, 'GET', `/users/${U}/consent`, t)).json;
    assert.deepEqual({ ...got, consent_at: typeof got.consent_at, created_at: typeof got.created_at },
      { id: U, exists: true, has_data_key: true, consent_training: true, consent_at: 'number', created_at: 'number' });
    assert.ok(got.consent_at >= got.created_at && got.created_at > 1.6e15);
    const nobody = await adminRequest(gw, 'GET', '/users/nobody-here-42/consent', t);
    assert.equal(nobody.status, 200); // issue 14: an answer, not a 404: the id is unknown to aigw
    assert.equal(nobody.json.exists, false);
    assert.equal(nobody.json.consent_training, false);
    assert.equal((await adminRequest(gw, 'GET', `/users/${U}/consent`, ADMIN_TOKENS.ops)).status, 403);
    const ex = (await adminRequest(gw, 'GET', `/users/${U}/export`, t)).json;
    assert.equal(ex.user.id, U);
    assert.equal(ex.user.consent_training, true);
    assert.deepEqual(ex.calls, []);
    const red = (await adminRequest(gw, 'GET', '/redactions', t)).json;
    assert.ok(Array.isArray(red.items) && 'next_cursor' in red);
    assert.ok(Array.isArray((await adminRequest(gw, 'GET', '/redactions/summary', t)).json.days));
    const ret = (await adminRequest(gw, 'GET', '/retention', t)).json;
    assert.deepEqual(ret.classes.map((c) => c.class), ['call_log', 'redaction_log', 'access_log', 'image_payload']);
    const dry = (await adminRequest(gw, 'POST', '/purge?dry_run=1', t)).json;
    assert.deepEqual(dry, { dry_run: true, purged: { call_log: 0, redaction_log: 0, access_log: 0, image_payload: 0 } });
    const del = (await adminRequest(gw, 'DELETE', `/users/${U}`, t)).json;
    assert.equal(del.user, U);
    assert.equal(del.key_destroyed, true);
    assert.equal((await adminRequest(gw, 'GET', `/users/${U}/export`, t)).status, 404, 'gone after DELETE');
    const usage = await adminRequest(gw, 'GET', '/usage?group_by=user', ADMIN_TOKENS.ops);
    assert.equal(usage.status, 200, usage.body);
    assert.equal(typeof usage.json, 'object');
  });
});

describe('refusals', () => {
  test('a refused DELETE or consent change has no effect', async () => {
    const victim = 'matrix-victim';
    await client(gw, { user: victim }).chat.completions.create({ model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hello' }] });
    const exportOk = () => adminRequest(gw, 'GET', `/users/${victim}/export`, ADMIN_TOKENS.privacy);
    await waitFor(async () => (await exportOk()).json?.calls?.length === 1, { msg: 'victim call stored' });
    for (const token of [null, 'not-a-configured-token', ADMIN_TOKENS.ops]) {
      assert.notEqual((await adminRequest(gw, 'DELETE', `/users/${victim}`, token)).status, 200);
      assert.notEqual((await adminRequest(gw, 'PUT', `/users/${victim}/consent`, token, { training: true })).status, 200);
    }
    const ex = (await exportOk()).json;
    assert.equal(ex.calls.length, 1, 'still there');
    assert.equal(ex.user.consent_training, false, 'consent unchanged');
  });

  test('Authorization forms other than "Bearer <token>" are 401', async () => {
    for (const auth of [ADMIN_TOKENS.admin, `Basic ${ADMIN_TOKENS.admin}`, `Bearer ${ADMIN_TOKENS.admin}x`, 'Bearer ',
      `Bearer ${ADMIN_TOKENS.admin.slice(0, -1)}`]) {
      const r = await rawAuth('/retention', auth);
      assert.equal(r.status, 401, `Authorization: ${auth}`);
    }
    assert.equal((await rawAuth('/retention', `Bearer ${ADMIN_TOKENS.admin}`)).status, 200, 'control');
  });

  test('unknown routes: 401 without a token, 404 with one (any role)', async () => {
    const unknown = [['GET', '/nope'], ['GET', '/users'], ['GET', `/users/${U}/other`], ['PATCH', `/users/${U}`],
      ['GET', '/redactions/other'], ['POST', '/retention/x']];
    for (const [m, p] of unknown) {
      assert.equal((await adminRequest(gw, m, p, null)).status, 401, `${m} ${p} unauthenticated`);
      for (const role of ['ops', 'privacy', 'admin']) {
        const r = await adminRequest(gw, m, p, ADMIN_TOKENS[role]);
        assert.equal(r.status, 404, `${role} ${m} ${p}: ${r.body}`);
      }
    }
  });

  test('wrong method on a known route: 405; bad parameters: 400', async () => {
    const t = ADMIN_TOKENS.privacy;
    assert.equal((await adminRequest(gw, 'POST', '/retention', t, {})).status, 405);
    assert.equal((await adminRequest(gw, 'GET', '/purge', t)).status, 405);
    assert.equal((await adminRequest(gw, 'POST', '/redactions', t, {})).status, 405);
    assert.equal((await adminRequest(gw, 'POST', `/users/${U}/export`, t, {})).status, 405);
    assert.equal((await adminRequest(gw, 'POST', `/users/${U}/consent`, t, {})).status, 405);
    assert.equal((await adminRequest(gw, 'PUT', `/users/${U}/consent`, t, 'not json')).status, 400);
    assert.equal((await adminRequest(gw, 'GET', '/users/%zz/export', t)).status, 400);
    assert.equal((await adminRequest(gw, 'GET', `/users/${'x'.repeat(300)}/export`, t)).status, 400);
  });
});

describe('without a store', () => {
  test('admin routes answer 503 once authenticated (401 before)', async () => {
    const bare = await startAigw({ name: 'admin-nostore-aigw', mockUrl: mock.url,
      config: { admin_tokens: [{ role: 'admin', token: ADMIN_TOKENS.admin }] } });
    try {
      assert.equal((await adminRequest(bare, 'GET', '/retention', null)).status, 401);
      const r = await adminRequest(bare, 'GET', '/retention', ADMIN_TOKENS.admin);
      assert.equal(r.status, 503);
      assert.match(r.json.error, /master_key_file/);
    } finally {
      await bare.stop();
    }
  });
});

function rawAuth(p, auth) {
  return rawRequest(gw, { method: 'GET', path: `/admin/api${p}`, headers: { authorization: auth } });
}
