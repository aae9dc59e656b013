// What the official-client suites (clients.test.mjs: AI SDK and LangChain; clients2.test.mjs: the providers' own SDKs)
// share: the prompt every call sends, and one gateway in front of one mock per provider with a store, set up and torn
// down by node:test hooks, with the helpers that check a call: nothing raw reached the provider, the answer came back
// restored, the call is in the call log. Separate from harness.mjs because it builds on providers.mjs, which imports
// harness.mjs.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { artifactDir, sqlite, storeSetup, waitFor } from './harness.mjs';
import { PROMPT, RAW, assertNoPii, assertRestored, makeGpsJpeg, mockRequests, startProviders } from './providers.mjs';

export const NAME = 'Jane Doe';
/** The prompt of every call: a name, an e-mail, a phone, a card and an SSN. */
export const ASK = `The customer is ${NAME}. ${PROMPT}`;
/** What the mock's model writes when it must answer JSON or call a tool: placeholders it was sent. */
export const MODEL_JSON = '{"contact":"<EMAIL_ADDRESS_1>","phone":"<PHONE_NUMBER_1>","summary":"refund"}';
/** A tool's result carrying personal data of its own (sent back to the provider on the next turn). */
export const TOOL_RESULT = 'Ticket 7 belongs to bob.smith@corp-mail.org, phone +1 415 555 0199.';

/**
 * Registers before/after hooks that start `providers` (mocks) behind one aigw with a store (Gemini on the paid tier)
 * and stop them. `config(store)` gives the gateway's config from the store's (default: the store's); `ready(suite)`
 * runs at the end of the hook. Returns the suite: env, gw, mocks, store, img (a JPEG with GPS metadata) and dir are set
 * once the hook ran; the helpers work from then on.
 */
export function clientSuite(name, { providers, config = (store) => store.config, ready = () => {} } = {}) {
  let seq = 0;
  const s = {
    env: null, gw: null, mocks: null, store: null, img: null, dir: null,
    /** A fresh end user per test, so that its call-log rows are its own. */
    newUser: () => `${name}-user-${process.pid}-${++seq}`,
    /** The last `n` POSTs the mock received (X-AIGW-User is not forwarded: matched by the call log's count). */
    async upstream(mock, n = 1) {
      const recs = await mockRequests(mock, (r) => r.method === 'POST', { min: n });
      return recs.slice(-n);
    },
    /** Provider side (a body, or a mock record): placeholders in, none of the raw values (the name included). */
    assertScrubbed(sent, where) {
      const text = typeof sent === 'string' ? sent : sent.body;
      assertNoPii(text, where);
      assert.ok(!text.includes(NAME), `${where}: the name reached the provider: ${text.slice(0, 400)}`);
      assert.match(text, /<EMAIL_ADDRESS_\d+>/, `${where}: placeholder instead of the e-mail`);
    },
    /** Client side: the echo of ASK came back with every original value. */
    assertAnswer(text, where) {
      assertRestored(text, where);
      assert.ok(text.includes(NAME) && text.includes(RAW.phone), `${where}: name and phone restored: ${JSON.stringify(text)}`);
    },
    /** The call-log rows of `user` once there are `n` (the store writes asynchronously), in call order. */
    async calls(user, n = 1) {
      const rows = await waitFor(() => {
        const r = sqlite(s.store.db, 'select provider, route, status, usage_json, notrain_decision from calls ' +
          `where user_id = '${user}' order by started_at, rowid`);
        return r.length >= n ? r : null;
      }, { timeoutMs: 5000, msg: `${n} call row(s) of ${user}` });
      assert.equal(rows.length, n, `${n} call(s) recorded for ${user}: ${JSON.stringify(rows)}`);
      return rows.map((r) => ({ ...r, usage: r.usage_json ? JSON.parse(r.usage_json) : null }));
    },
    /** The call is recorded: provider, status, usage (input tokens) when `usage`, the no-training decision. */
    async assertRecorded(user, provider, { n = 1, status = 200, usage = true, decision } = {}) {
      const rows = await s.calls(user, n);
      for (const r of rows) {
        assert.equal(r.provider, provider, JSON.stringify(r));
        assert.equal(r.status, status, JSON.stringify(r));
        if (usage) assert.ok(r.usage && Number(r.usage.input_tokens) > 0, `usage metered: ${JSON.stringify(r)}`);
        if (decision) assert.match(r.notrain_decision ?? '', decision, JSON.stringify(r));
      }
      return rows;
    },
  };
  before(async () => {
    s.store = storeSetup(`${name}-store`);
    s.env = await startProviders({ name, providers, providerConf: { gemini: { tier: 'paid' } }, config: config(s.store) });
    ({ gw: s.gw, mocks: s.mocks } = s.env);
    s.dir = artifactDir(`${name}-images`);
    s.img = makeGpsJpeg(s.dir);
    ready(s);
  });
  after(async () => {
    if (s.env) await s.env.stop();
  });
  return s;
}
