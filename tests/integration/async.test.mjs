// Replicate's asynchronous predictions through aigw with the official `replicate` SDK (issue 16):
// the URLs in a prediction (urls.get, urls.cancel, urls.stream) point at aigw, so create, poll,
// stream and cancel all pass through it. The stream URL works without a client key (the SDK sends
// none there) because it carries a sealed capability; the placeholders of the creating request are
// restored in the streamed output even when a placeholder is split across events; a forged or
// altered capability is refused; neither the provider's URL nor a personal value can be read from
// the URL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Replicate from 'replicate';
import { CLIENT_KEY, USER, rawRequest, startAigw } from './lib/harness.mjs';
import { PROVIDER_KEYS, startProviderMock } from './lib/providers.mjs';

const EMAIL = 'jane.doe@example.com';
const PROMPT = `Write to ${EMAIL} about the lighthouse`;
const LLM = 'meta/meta-llama-3-8b-instruct';

let rmock;
let gw;

before(async () => {
  rmock = await startProviderMock('replicate', 'async-replicate-mock');
  gw = await startAigw({ name: 'async-aigw', mockUrl: rmock.url,
    config: { providers: { replicate: { base_url: rmock.url, api_key: PROVIDER_KEYS.replicate } } } });
});
after(async () => {
  if (gw) await gw.stop();
  if (rmock) await rmock.stop();
});

/** The SDK pointed at aigw; its fetch hook names the end user and adds mock headers. Records the URLs fetched. */
function replicate(extra = {}, seen = []) {
  return new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', USER);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      seen.push({ url: String(url), authorization: headers.get('authorization') });
      return fetch(url, { ...init, headers });
    } });
}

function assertAigwUrls(p) {
  const base = `${gw.url}/replicate/v1/predictions/${p.id}`;
  assert.equal(p.urls.get, base);
  assert.equal(p.urls.cancel, `${base}/cancel`);
  assert.ok(p.urls.stream.startsWith(`${base}/stream?aigw_cap=`), p.urls.stream);
  assert.ok(!JSON.stringify(p.urls).includes(`:${rmock.port}`), 'no provider URL left');
}

describe('Replicate predictions through aigw', () => {
  test('create: urls.get / cancel / stream point at aigw; the stream URL reveals nothing', async () => {
    const p = await replicate().predictions.create({ model: LLM, input: { prompt: PROMPT }, stream: true });
    assertAigwUrls(p);
    const cap = decodeURIComponent(p.urls.stream.split('aigw_cap=')[1]);
    assert.ok(!cap.includes(EMAIL) && !Buffer.from(cap, 'base64url').toString('latin1').includes(EMAIL));
    assert.ok(!Buffer.from(cap, 'base64url').toString('latin1').includes('/v1/predictions'), 'upstream URL sealed');
    assert.equal(p.input.prompt.includes(EMAIL), true, 'the answer is restored for the client');
  });

  test('poll: predictions.get and the SDK following urls.get go through aigw', async () => {
    await rmock.reset();
    const seen = [];
    const r = replicate({ 'x-mock-echo': '1' }, seen);
    const p = await r.predictions.create({ model: LLM, input: { prompt: PROMPT } });
    const done = await r.wait(p, { interval: 50 });
    assert.equal(done.status, 'succeeded');
    assertAigwUrls(done);
    assert.ok(seen.every((s) => s.url.startsWith(gw.url)), seen.map((s) => s.url).join(' '));
    const polls = (await rmock.requests()).filter((x) => x.method === 'GET' && x.path === `/v1/predictions/${p.id}`);
    assert.ok(polls.length >= 1);
    assert.equal(polls[0].headers.authorization, `Bearer ${PROVIDER_KEYS.replicate}`, 'provider key swapped in');
  });

  test('stream(): events through aigw without a client key, placeholders restored across events', async () => {
    await rmock.reset();
    const seen = [];
    // pieces of 4 bytes: "<EMAIL_ADDRESS_1>" reaches aigw split over five output events
    const events = [];
    for await (const ev of replicate({ 'x-mock-echo': '1', 'x-mock-piece': '4' }, seen).stream(LLM, { input: { prompt: PROMPT } })) {
      events.push(ev);
    }
    assert.equal(events[events.length - 1].event, 'done');
    const text = events.filter((e) => e.event === 'output').map((e) => e.data).join('');
    assert.equal(text, PROMPT, 'the user sees their own text back');
    const streamFetch = seen.find((s) => s.url.includes('/stream?aigw_cap='));
    assert.ok(streamFetch && streamFetch.url.startsWith(gw.url), 'the SDK read the stream from aigw');
    assert.equal(streamFetch.authorization, null, 'no client key on the stream URL');
    const recs = await rmock.requests();
    const create = recs.find((x) => x.method === 'POST');
    assert.ok(!create.body.includes(EMAIL), 'the provider got the placeholder');
    const up = recs.find((x) => x.method === 'GET' && x.path.endsWith('/stream'));
    assert.ok(up, 'aigw fetched the provider stream');
    assert.ok(!JSON.stringify(up).includes(EMAIL));
    // the call is recorded for the user of the creating request
    const log = await waitAccess((l) => l.route.includes('/stream') && l.status === 200);
    assert.equal(log.user, USER);
  });

  test('cancel: predictions.cancel and a POST to urls.cancel through aigw', async () => {
    const r = replicate();
    const p = await r.predictions.create({ model: LLM, input: { prompt: 'a lighthouse' } });
    const c = await r.predictions.cancel(p.id);
    assert.equal(c.status, 'canceled');
    assertAigwUrls(c);
    const res = await fetch(p.urls.cancel, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-aigw-user': USER } });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, 'canceled');
  });

  test('a forged, altered or foreign stream URL is refused (Replicate-shaped 403)', async () => {
    const p = await replicate().predictions.create({ model: LLM, input: { prompt: 'x' }, stream: true });
    const u = new URL(p.urls.stream);
    const cap = u.searchParams.get('aigw_cap');
    const flip = cap.slice(0, 30) + (cap[30] === 'A' ? 'B' : 'A') + cap.slice(31);
    for (const bad of [flip, 'AAAA', cap.slice(0, cap.length - 4)]) {
      const r = await rawRequest(gw, { path: `${u.pathname}?aigw_cap=${bad}` });
      assert.equal(r.status, 403, r.body);
      assert.match(r.json.detail, /stream URL is not valid/);
    }
    const post = await rawRequest(gw, { method: 'POST', path: `${u.pathname}${u.search}` });
    assert.equal(post.status, 405);
    // a capability from another aigw process (another key) does not open here
    const other = await startAigw({ name: 'async-aigw-2', mockUrl: rmock.url,
      config: { providers: { replicate: { base_url: rmock.url, api_key: PROVIDER_KEYS.replicate } } } });
    try {
      const r = await rawRequest(other, { path: `${u.pathname}${u.search}` });
      assert.equal(r.status, 403);
    } finally {
      await other.stop();
    }
  });
});

async function waitAccess(pred) {
  const fs = await import('node:fs');
  for (let i = 0; i < 100; i++) {
    const lines = fs.readFileSync(gw.accessLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const hit = lines.find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('access log line not found');
}
