// The OpenAPI 3.1 description of the admin API (gateway/console/openapi.json, served at
// /admin/api/openapi.json) against the real gateway: every documented operation exists with the
// documented role, every route the router knows (gateway/admin.c) is documented, methods the
// document does not list are refused, and the answers have the documented shape.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ADMIN_TOKENS, REPO, USER, adminRequest, client, rawRequest, startAigw, startMock, storeSetup, waitFor } from './lib/harness.mjs';

let mock;
let gw;
let spec;
const U = 'openapi-user-1';

before(async () => {
  mock = await startMock({ name: 'openapi-mock' });
  const data = storeSetup('openapi-data');
  gw = await startAigw({ name: 'openapi-aigw', mockUrl: mock.url, config: { ...data.config,
    credits: { default_grant: 5000000 }, pricing: { 'openai/gpt-4o-mini': { input_per_mtok: 150000, output_per_mtok: 600000 } } } });
  await client(gw, { user: U }).chat.completions.create({ model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'mail jane.doe@example.com' }] });
  await waitFor(async () => (await adminRequest(gw, 'GET', '/redactions', ADMIN_TOKENS.privacy)).json?.items?.length > 0,
    { msg: 'redaction row' });
  const r = await rawRequest(gw, { method: 'GET', path: '/admin/api/openapi.json' });
  assert.equal(r.status, 200, 'served without a token');
  assert.match(r.headers['content-type'], /^application\/json/);
  spec = r.json;
});
after(async () => {
  await gw?.stop();
  await mock?.stop();
});

const METHODS = ['get', 'post', 'put', 'delete'];
const fill = (p) => p.replace('{id}', encodeURIComponent(U));
const ops = () => Object.entries(spec.paths).flatMap(([p, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ path: p, method: m, op: item[m] })));

/** A small JSON Schema check (type incl. null, required, properties, items, $ref): the subset the document uses. */
function check(schema, v, where) {
  if (schema.$ref) return check(schema.$ref.split('/').slice(1).reduce((o, k) => o[k], spec), v, where);
  const types = schema.type === undefined ? [] : [].concat(schema.type);
  const actual = v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (types.length) assert.ok(types.includes(actual) || (actual === 'integer' && types.includes('number')),
    `${where}: ${actual} is not ${types.join('|')} (${JSON.stringify(v)?.slice(0, 80)})`);
  if (actual === 'object') {
    for (const k of schema.required || []) assert.ok(k in v, `${where}: required ${k} missing in ${JSON.stringify(v).slice(0, 200)}`);
    for (const [k, s] of Object.entries(schema.properties || {})) if (k in v) check(s, v[k], `${where}.${k}`);
  }
  if (actual === 'array' && schema.items) v.forEach((x, i) => check(schema.items, x, `${where}[${i}]`));
}

test('the document is OpenAPI 3.1 and lists the routes the router knows (gateway/admin.c)', () => {
  assert.equal(spec.openapi, '3.1.0');
  assert.deepEqual(spec.servers, [{ url: '/admin/api' }]);
  // the file in the repository is what is served
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(REPO, 'gateway/console/openapi.json'), 'utf8')), spec);
  // every path literal of gw_admin_route_role is documented
  const src = fs.readFileSync(path.join(REPO, 'gateway/admin.c'), 'utf8');
  const fn = src.slice(src.indexOf('const char *gw_admin_route_role('), src.indexOf('int gw_admin_role_allows('));
  const lits = [...fn.matchAll(/"(\/[a-z/]+)"/g)].map((m) => m[1]).filter((l) => l !== '/users/');
  assert.ok(lits.length >= 8, `route literals found: ${lits}`);
  const documented = Object.keys(spec.paths);
  for (const l of lits) {
    assert.ok(documented.some((p) => p === l || p === `/users/{id}${l}`), `route ${l} is not in the OpenAPI document`);
  }
  for (const { path: p, method, op } of ops()) {
    assert.ok(op.operationId && op.responses['200'], `${method} ${p}: operationId and a 200 answer`);
    if (p !== '/openapi.json') assert.ok(['ops', 'privacy'].includes(op['x-aigw-role']), `${method} ${p}: x-aigw-role`);
  }
});

test('every documented operation exists with its documented role; undocumented methods are refused', async () => {
  for (const { path: p, method, op } of ops()) {
    if (p === '/openapi.json' || (method === 'delete')) continue; // erasure is exercised last
    const role = op['x-aigw-role'];
    const body = op.requestBody ? (p.endsWith('/credits') ? { amount_microcredits: 1, reason: 'openapi' } : { training: false }) : undefined;
    const r = await adminRequest(gw, method.toUpperCase(), fill(p), ADMIN_TOKENS[role], body);
    assert.equal(r.status, 200, `${method.toUpperCase()} ${p} with the ${role} role: ${r.status} ${r.body.slice(0, 200)}`);
    const ok = op.responses['200'].content;
    if (r.headers['content-type'].startsWith('application/json')) check(ok['application/json'].schema, r.json, `${method} ${p}`);
    const other = role === 'ops' ? 'privacy' : 'ops';
    assert.equal((await adminRequest(gw, method.toUpperCase(), fill(p), ADMIN_TOKENS[other], body)).status, 403,
      `${method} ${p} refuses the ${other} role`);
    assert.equal((await adminRequest(gw, method.toUpperCase(), fill(p), null, body)).status, 401, `${method} ${p} without a token`);
  }
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of METHODS.filter((x) => !item[x])) {
      const r = await adminRequest(gw, m.toUpperCase(), fill(p), ADMIN_TOKENS.admin, m === 'get' ? undefined : {});
      assert.ok([403, 404, 405].includes(r.status), `${m.toUpperCase()} ${p} is not documented but answered ${r.status}`);
    }
  }
  assert.equal((await adminRequest(gw, 'GET', '/nothing-here', ADMIN_TOKENS.admin)).status, 404);
  // the CSV form of /usage
  const csv = await adminRequest(gw, 'GET', '/usage?format=csv&group_by=user', ADMIN_TOKENS.ops);
  assert.equal(csv.status, 200);
  assert.ok('text/csv' in spec.paths['/usage'].get.responses['200'].content);
  assert.match(csv.headers['content-type'], /^text\/csv/);
});

test('erasure and "no such user" answer as documented', async () => {
  const del = spec.paths['/users/{id}'].delete;
  const r = await adminRequest(gw, 'DELETE', fill('/users/{id}'), ADMIN_TOKENS.privacy);
  assert.equal(r.status, 200, r.body);
  check(del.responses['200'].content['application/json'].schema, r.json, 'DELETE /users/{id}');
  const again = await adminRequest(gw, 'DELETE', fill('/users/{id}'), ADMIN_TOKENS.privacy);
  assert.equal(again.status, 404);
  assert.ok(del.responses['404']);
  check(spec.components.schemas.Error, again.json, '404');
  const st = await adminRequest(gw, 'GET', fill('/users/{id}/consent'), ADMIN_TOKENS.privacy);
  check(spec.components.schemas.UserStatus, st.json, 'consent after erasure');
  assert.equal(st.json.exists, false);
  assert.equal(USER.length > 0, true);
});
