// pii.scan_responses on a prediction's stream (the capability route, gateway/async.c): every event with data is
// scanned, not only the `output` text events (session 12). Replicate's `logs`, `error`, the `done` payload and a kind
// no one knows yet passed as the provider sent them: a model's log line or error message reached the client with the
// model's own e-mail address in it. The user's own values (the creating request's vault) are restored in all of them;
// the incomplete event a stream ends inside is dropped (its text was never scanned). Through the `replicate` SDK and
// the raw stream, against a Replicate-shaped server of this file.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import Replicate from 'replicate';
import { CLIENT_KEY, USER, rawRequest, startAigw } from './lib/harness.mjs';

const EMAIL = 'jane.doe@example.com'; // the user's: tokenized on the way in, restored on the way out
const MODEL_MAIL = 'bob.smith@corp-mail.org'; // the model's own: redacted on the way out
const LLM = 'meta/meta-llama-3-8b-instruct';

const STREAMS = {
  ok: [
    'id: 1\nevent: output\ndata: Hello\n\n',
    `id: 2\nevent: logs\ndata: prompt was <EMAIL_ADDRESS_1>\ndata: also mailing ${MODEL_MAIL}\n\n`,
    `id: 3\nevent: progress\ndata: step 1 for ${MODEL_MAIL}\n\n`,
    ': keep-alive\n\n',
    `id: 4\nevent: done\ndata: {"reason":"${MODEL_MAIL}"}\n\n`,
    `id: 5\nevent: output\ndata: cut ${MODEL_MAIL}`, // the stream ends inside this event
  ],
  error: ['id: 1\nevent: output\ndata: Hello\n\n', `id: 2\nevent: error\ndata: failed writing to ${MODEL_MAIL}\n\n`],
};

let srv;
let gw;
let seq = 0;

before(async () => {
  srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const base = `http://127.0.0.1:${srv.address().port}`;
      const u = new URL(req.url, base);
      let m;
      if (req.method === 'POST' && /\/predictions$/.test(u.pathname)) {
        const input = JSON.parse(body).input;
        const id = `pred${++seq}${input.kind === 'error' ? 'error' : 'ok'}`;
        res.writeHead(201, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ id, model: LLM, version: 'hidden', input, status: 'starting', output: null,
          urls: { get: `${base}/v1/predictions/${id}`, cancel: `${base}/v1/predictions/${id}/cancel`,
            stream: `${base}/v1/predictions/${id}/stream`, web: `https://replicate.com/p/${id}` } }));
      }
      if (req.method === 'GET' && (m = /^\/v1\/predictions\/pred\d+(ok|error)\/stream$/.exec(u.pathname))) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        return res.end(STREAMS[m[1]].join(''));
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"detail":"not found"}');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${srv.address().port}`;
  gw = await startAigw({ name: 'async-stream-events-aigw', mockUrl: url, config: {
    retry: { max_retries: 0 },
    providers: { replicate: { base_url: url, api_key: 'r8_upstream-0001' } },
    pii: { default_action: 'tokenize', scan_responses: true } } });
});
after(async () => {
  if (gw) await gw.stop();
  if (srv) srv.close();
});

function replicate() {
  return new Replicate({ auth: CLIENT_KEY, baseUrl: `${gw.url}/replicate/v1`,
    fetch: (url, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('X-AIGW-User', USER);
      return fetch(url, { ...init, headers });
    } });
}

test('logs, done and an unknown event kind are scanned and restored; the event a stream ends inside is dropped', async () => {
  const p = await replicate().predictions.create({ model: LLM, input: { prompt: `Write to ${EMAIL}` }, stream: true });
  const u = new URL(p.urls.stream);
  const raw = await rawRequest(gw, { method: 'GET', path: u.pathname + u.search, headers: { accept: 'text/event-stream' } });
  assert.equal(raw.status, 200, raw.body);
  assert.ok(!raw.body.includes('bob.smith') && !raw.body.includes('corp-mail'), `the model's e-mail passed unscanned: ${raw.body}`);
  assert.ok(raw.body.includes(`id: 2\nevent: logs\ndata: prompt was ${EMAIL}\ndata: also mailing <EMAIL_ADDRESS>\n\n`), raw.body);
  assert.ok(raw.body.includes('id: 3\nevent: progress\ndata: step 1 for <EMAIL_ADDRESS>\n\n'), raw.body);
  assert.ok(raw.body.includes(': keep-alive\n\n'), raw.body);
  assert.ok(raw.body.endsWith('id: 4\nevent: done\ndata: {"reason":"<EMAIL_ADDRESS>"}\n\n'), raw.body);
  assert.ok(!raw.body.includes('cut'), 'the incomplete last event is not forwarded');

  const events = [];
  for await (const ev of replicate().stream(LLM, { input: { prompt: `Write to ${EMAIL}` } })) events.push(ev);
  assert.deepEqual(events.map((e) => [e.event, String(e.data)]), [
    ['output', 'Hello'],
    ['logs', `prompt was ${EMAIL}\nalso mailing <EMAIL_ADDRESS>`],
    ['progress', 'step 1 for <EMAIL_ADDRESS>'],
    ['done', '{"reason":"<EMAIL_ADDRESS>"}'],
  ]);
});

test('an error event\'s message is scanned before the SDK throws it', async () => {
  await assert.rejects(async () => {
    for await (const ev of replicate().stream(LLM, { input: { prompt: `Write to ${EMAIL}`, kind: 'error' } })) void ev;
  }, (e) => {
    assert.equal(e.message, 'failed writing to <EMAIL_ADDRESS>');
    return true;
  });
});
