#!/usr/bin/env node
// Mock AI provider for aigw's integration tests: OpenAI by default, or with --provider NAME one of
// gemini, anthropic, replicate, openrouter, deepseek, fireworks, fal (routes in native.mjs).
//
// It answers with the recorded wire format in tests/fixtures/providers/<provider>/ (read once at
// start), checks the provider's own auth header against --api-key, records every request it receives
// (headers + body) to a JSONL file so tests can assert exactly what left aigw, and injects faults on
// request headers (aigw forwards end-to-end headers):
//
//   x-mock-status: N             answer N with an error body in the provider's shape (fixtures where
//                                the provider has one for N)
//   x-mock-delay-ms: N           wait N ms before sending the response headers
//   x-mock-hold: NAME            then hold the request until POST /__mock/release?hold=NAME (at most 60 s; requests
//                                arriving after the release pass at once): a test observes what is open meanwhile
//   x-mock-chunk-delay-ms: N     wait N ms between SSE events
//   x-mock-reset-after-bytes: N  destroy the connection (h1) / reset the stream (h2) after N body bytes
//   x-mock-truncate: 1           SSE ends without its terminal events ([DONE], finish chunk, *.completed)
//   x-mock-large-bytes: N        200 text/event-stream body of exactly N filler bytes, written with
//                                backpressure (never more than one 64 KiB chunk buffered)
//   x-mock-large-shape: S        with x-mock-large-bytes: `json` = one chat.completion JSON answer of exactly
//                                N bytes (application/json, the content is x-mock-say's text, then filler);
//                                `event` = one SSE event of exactly N bytes (`data: ` + that text + filler,
//                                then the blank line); default: 1 KiB events of filler
//   x-mock-echo: 1               the assistant text is the last user message's text, byte for byte;
//   x-mock-say: TEXT             with x-mock-echo: the assistant text is TEXT (percent-decoded, or base64 after "b64:") instead, i.e. what
//                                the model writes on its own (model-output scanning tests); Replicate: the
//                                prediction's output and stream; fal queue submit: the result's `output`
//   x-mock-piece: N              in streams it is split into pieces of N bytes (default 3, never inside
//                                a UTF-8 sequence), one SSE event each
//   x-mock-tool-call: 1          (OpenAI chat and Responses, Anthropic, Gemini; stream or not) while the request
//                                declares a tool and carries no tool result yet, the answer is a call of the
//                                first declared tool whose arguments are x-mock-say's text (a JSON object; `{}`
//                                without it), streamed in x-mock-piece pieces; once a tool result is in the
//                                request, the answer text is that result's text (as a model quoting it would)
//   x-mock-stream-error: 1       Anthropic / OpenRouter: the mid-stream error fixture instead
//   x-mock-keepalive: 1          DeepSeek: blank lines before a JSON body (as DeepSeek does while queued)
//   x-mock-fal-pending-polls: N  fal submit: the first N status polls answer 202 IN_QUEUE
//   x-mock-fal-sync: 1           fal POST: answer the result with x-fal-billable-units 1.5 (fal.run, not queue)
//   x-mock-replicate-status: S   Replicate create: answer with status S instead of succeeded/starting
//   x-mock-quote-key: error      answer x-mock-status (default 401) with a body and an x-mock-received-key header
//                                that quote the credential this mock received (as careless providers do)
//   x-mock-quote-key: stream     200 chat-completion stream whose text quotes the received credential, the event
//                                written in two halves 50 ms apart (the key split across upstream chunks)
//   x-mock-spaced-json: 1        SSE data JSON written with a space after every ':' and ',' outside strings
//                                (as OpenAI-compatible servers do: "choices": [], "usage": {...})
//   x-mock-faults: F1,F2,...     a fault per attempt of one logical request (with x-mock-fault-key: K, counted
//                                per K): attempt i gets Fi, attempts past the list are answered normally.
//                                Fi: `NNN` (status as x-mock-status; `NNN/ra=S` adds Retry-After: S,
//                                `NNN/ra-ms=N` retry-after-ms: N, `NNN/no-retry` x-should-retry: false),
//                                `reset` (connection destroyed before any response byte), `reset-after=N`
//                                (as x-mock-reset-after-bytes), `ok`
//   x-mock-faults-for: PROVIDER  x-mock-faults apply only on the mock of that provider (a fallback chain
//                                across providers: the primary fails, the target answers)
//
// Without --tls-cert it is a plain HTTP/1.1 server (aigw must not use h2c prior knowledge upstream);
// with --tls-cert/--tls-key it serves HTTP/2 over TLS with ALPN (HTTP/1.1 allowed too).
// Control endpoints (not logged, no auth): GET /__mock/requests (log as a JSON array, abort events
// merged into their request's "aborted" field), POST /__mock/reset (clears the log), GET /__mock/held?hold=NAME
// ({held: requests held now}), POST /__mock/release?hold=NAME ({released: n}).
//
// Only node built-ins: this file must run without npm install.

import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTH, PROVIDERS, loadNativeFixtures, nativeError, nativeOpenRoute, nativeRoute } from './native.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = { port: 0, host: '127.0.0.1', log: null, tlsCert: null, tlsKey: null, apiKey: 'sk-upstream-test',
    provider: 'openai' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`missing value after ${a}`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(next());
    else if (a === '--host') opts.host = next();
    else if (a === '--log') opts.log = next();
    else if (a === '--tls-cert') opts.tlsCert = next();
    else if (a === '--tls-key') opts.tlsKey = next();
    else if (a === '--api-key') opts.apiKey = next();
    else if (a === '--provider') opts.provider = next();
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: server.mjs [--provider openai|gemini|anthropic|replicate|openrouter|deepseek|fireworks|fal] ' +
        '[--port N] [--host H] [--log FILE.jsonl] [--api-key KEY] [--tls-cert C --tls-key K]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  if (!!opts.tlsCert !== !!opts.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  if (!PROVIDERS.includes(opts.provider)) throw new Error(`unknown --provider ${opts.provider} (${PROVIDERS.join(', ')})`);
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The provider wire-format fixtures copied into the repository (tests/fixtures/providers/README.md). */
const FIXTURES_DIR = path.resolve(HERE, '../fixtures/providers');

/**
 * Splits an SSE file into events {event, data, id, comments}: data is the joined data: lines (null for
 * a block of comment lines only, e.g. ": OPENROUTER PROCESSING"), comments the text of ':' lines.
 */
function parseSse(text) {
  const out = [];
  for (const block of text.replace(/\r\n/g, '\n').split(/\n\n+/)) {
    if (!block.trim()) continue;
    let event = null;
    let id;
    const data = [];
    const comments = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      else if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith(':')) comments.push(line.slice(1).replace(/^ /, ''));
    }
    const ev = { event, data: data.length ? data.join('\n') : null };
    if (id !== undefined) ev.id = id;
    if (comments.length) ev.comments = comments;
    out.push(ev);
  }
  return out;
}

function fixtureReaders(provider) {
  const dir = path.join(FIXTURES_DIR, provider);
  return {
    json: (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
    sse: (f) => parseSse(fs.readFileSync(path.join(dir, f), 'utf8')),
  };
}

function loadFixtures() {
  const { json, sse } = fixtureReaders('openai');
  return {
    chat: json('chat_completions.response.json'),
    chatStream: sse('chat_completions.stream.sse'),
    embeddings: json('embeddings.response.json'),
    imagesDalle3: json('images_generations.dalle3.response.json'),
    imagesGptImage: json('images_generations.gpt_image_1.response.json'),
    imagesStream: sse('images_generations.gpt_image_1.stream.sse'),
    responses: json('responses.response.json'),
    responsesStream: sse('responses.stream.sse'),
    err400: json('error.400_invalid_param.json'),
    err401: json('error.401_invalid_api_key.json'),
    err429: json('error.429_rate_limit.json'),
  };
}

const FX = loadFixtures();

function serverError(status) {
  if (status === 400) return FX.err400;
  if (status === 401) return FX.err401;
  if (status === 429) return FX.err429;
  if (status >= 500) {
    return { error: { message: 'The server had an error while processing your request. Sorry about that!',
      type: 'server_error', param: null, code: null } };
  }
  return { error: { message: `mock provider status ${status}`, type: 'invalid_request_error', param: null, code: null } };
}

// ---------------------------------------------------------------------------------------------
// Request log

const OPTS = parseArgs(process.argv.slice(2));
const records = [];
/** x-mock-fault-key -> attempts seen so far. */
const faultCounts = new Map();
// x-mock-hold: name -> resolvers of the requests held under it; released names pass at once
const holds = new Map();
const released = new Set();
let nextId = 1;

function appendLog(obj) {
  if (OPTS.log) fs.appendFileSync(OPTS.log, JSON.stringify(obj) + '\n');
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function logRequest(req, urlPath, query, body) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (!k.startsWith(':')) headers[k.toLowerCase()] = v;
  }
  const rec = { id: nextId++, ts: new Date().toISOString(), method: req.method, path: urlPath, query,
    http_version: req.httpVersion, headers, body: '', aborted: false };
  try {
    rec.body = utf8Strict.decode(body);
  } catch {
    rec.body = body.toString('base64');
    rec.body_encoding = 'base64';
  }
  records.push(rec);
  appendLog(rec);
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Response writing with fault injection

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function intHeader(req, name) {
  const v = req.headers[name];
  if (v === undefined) return null;
  const n = Number.parseInt(String(v), 10);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/**
 * Wraps a response: tracks client aborts, counts body bytes for x-mock-reset-after-bytes and
 * waits for 'drain' when the transport is full.
 */
class Out {
  constructor(req, res, rec) {
    this.req = req;
    this.res = res;
    this.rec = rec;
    this.sent = 0;
    this.resetAfter = intHeader(req, 'x-mock-reset-after-bytes');
    this.finished = false;
    this.closed = false;
    this.selfReset = false;
    res.on('finish', () => { this.finished = true; });
    res.on('close', () => {
      this.closed = true;
      if (!this.finished && !this.selfReset && rec) {
        rec.aborted = true;
        appendLog({ event: 'aborted', id: rec.id, ts: new Date().toISOString(), bytes_sent: this.sent });
      }
    });
  }

  get gone() {
    return this.closed || this.selfReset;
  }

  head(status, headers) {
    if (this.gone) return;
    this.res.writeHead(status, { 'x-request-id': `req_mock_${this.rec ? this.rec.id : 0}`, ...headers });
  }

  reset() {
    this.selfReset = true;
    if (this.rec) appendLog({ event: 'reset', id: this.rec.id, ts: new Date().toISOString(), bytes_sent: this.sent });
    if (this.req.httpVersionMajor === 2) this.res.stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    else this.req.socket.destroy();
  }

  /** Writes body bytes; resolves false once the response is gone (aborted or reset). */
  async write(data) {
    if (this.gone) return false;
    let buf = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    if (this.resetAfter !== null && this.sent + buf.length >= this.resetAfter) {
      buf = buf.subarray(0, this.resetAfter - this.sent);
      this.sent += buf.length;
      await new Promise((resolve) => {
        if (buf.length === 0) resolve();
        else this.res.write(buf, () => resolve());
      });
      // Give the bytes a moment to leave the socket before cutting it.
      await sleep(20);
      if (!this.gone) this.reset();
      return false;
    }
    this.sent += buf.length;
    const ok = this.res.write(buf);
    if (!ok) await this.drained();
    return !this.gone;
  }

  drained() {
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(data) {
    if (this.gone) return;
    if (data !== undefined && data !== null && (data.length > 0 || typeof data === 'string')) {
      // x-mock-reset-after-bytes applies to the final write too.
      if (this.resetAfter !== null) {
        this.write(data).then((alive) => { if (alive) this.res.end(); });
        return;
      }
      this.sent += Buffer.byteLength(data);
      this.res.end(data);
    } else this.res.end();
  }
}

/** JSON answer; `headers` may override content-type (e.g. application/problem+json). `prefix` goes before the JSON. */
function sendJson(out, status, obj, headers = {}, prefix = '') {
  const body = prefix + JSON.stringify(obj);
  out.head(status, { 'content-type': 'application/json', ...headers, 'content-length': Buffer.byteLength(body) });
  out.end(body);
}

/** One SSE event as text: comment lines, id, event, one data: line per line of data; LF or CRLF. */
function sseText(ev, crlf = false) {
  const eol = crlf ? '\r\n' : '\n';
  let s = '';
  for (const c of ev.comments || []) s += `: ${c}${eol}`;
  if (ev.id !== undefined) s += `id: ${ev.id}${eol}`;
  if (ev.event) s += `event: ${ev.event}${eol}`;
  if (ev.data !== null && ev.data !== undefined) {
    const data = typeof ev.data === 'string' ? ev.data : JSON.stringify(ev.data);
    for (const line of data.split('\n')) s += `data: ${line}${eol}`;
  }
  return s + eol;
}

/** Compact JSON text re-spaced: ': ' and ', ' outside strings (Python json.dumps default style). */
function spacedJson(text) {
  let out = '';
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    out += c;
    if (inStr) {
      if (c === '\\') out += text[++i];
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === ':' || c === ',') out += ' ';
  }
  return out;
}

async function sendSse(out, req, events, { crlf = false } = {}) {
  const chunkDelay = intHeader(req, 'x-mock-chunk-delay-ms') || 0;
  const spaced = req.headers['x-mock-spaced-json'] === '1';
  out.head(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && chunkDelay > 0) await sleep(chunkDelay);
    let ev = events[i];
    if (spaced && ev.data !== null && ev.data !== undefined && ev.data !== '[DONE]') {
      const text = typeof ev.data === 'string' ? ev.data : JSON.stringify(ev.data);
      try {
        ev = { ...ev, data: spacedJson(JSON.stringify(JSON.parse(text))) };
      } catch {
        /* not JSON: as it is */
      }
    }
    if (!(await out.write(sseText(ev, crlf)))) return;
  }
  out.end();
}

/** The credential the client sent, without its scheme ("Bearer ", "Key "). */
function receivedKey(req) {
  const [authHeader] = AUTH[OPTS.provider];
  return String(req.headers[authHeader] || '').replace(/^(Bearer|Key) /, '');
}

async function sendQuotedKey(req, out, mode) {
  const key = receivedKey(req);
  if (mode === 'stream') {
    out.head(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-mock-received-key': key });
    const chunk = (delta, finish = null) => `data: ${JSON.stringify({ id: 'chatcmpl-quote', object: 'chat.completion.chunk',
      created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    if (!(await out.write(chunk({ role: 'assistant', content: '' })))) return;
    const ev = chunk({ content: `your key is ${key} ok` });
    const cut = ev.indexOf(key) + Math.floor(key.length / 2);
    if (!(await out.write(ev.slice(0, cut)))) return;
    await sleep(50);
    if (!(await out.write(ev.slice(cut)))) return;
    if (!(await out.write(chunk({}, 'stop')))) return;
    await out.write('data: [DONE]\n\n');
    return out.end();
  }
  const status = intHeader(req, 'x-mock-status') || 401;
  const bodyText = JSON.stringify({ error: { message: `Incorrect API key provided: ${key}. You can find your API key at ` +
    'https://example.invalid.', type: 'invalid_request_error', param: null, code: 'invalid_api_key', key } });
  out.head(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(bodyText),
    'x-mock-received-key': key });
  return out.end(bodyText);
}

async function sendLarge(out, total, shape, say) {
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  let chunk = Buffer.concat(Array(64).fill(Buffer.from(`data: ${'x'.repeat(1016)}\n\n`))); // 64 KiB of 1 KiB events
  let type = 'text/event-stream; charset=utf-8';
  if (shape === 'json') {
    head = Buffer.from(`{"id":"chatcmpl-large","object":"chat.completion","created":1,"model":"gpt-4o-mini",` +
      `"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":${JSON.stringify(say).slice(0, -1)}`);
    tail = Buffer.from('"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}');
    chunk = Buffer.alloc(64 * 1024, 'x');
    type = 'application/json';
  } else if (shape === 'event') {
    head = Buffer.from(`data: ${say}`);
    tail = Buffer.from('\n\n');
    chunk = Buffer.alloc(64 * 1024, 'x');
  }
  if (total < head.length + tail.length) total = head.length + tail.length;
  out.head(200, { 'content-type': type, 'content-length': total });
  if (head.length !== 0 && !(await out.write(head))) return;
  let left = total - head.length - tail.length;
  while (left > 0) {
    const n = Math.min(left, chunk.length);
    if (!(await out.write(n === chunk.length ? chunk : chunk.subarray(0, n)))) return;
    left -= n;
  }
  if (tail.length !== 0 && !(await out.write(tail))) return;
  out.end();
}

// ---------------------------------------------------------------------------------------------
// Echo helpers

/** Text of content given as a string or as an array of text parts (parts concatenated, no separator). */
function contentText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((p) => p && (p.type === 'text' || p.type === 'input_text') && typeof p.text === 'string')
      .map((p) => p.text)
      .join('');
  }
  return '';
}

/** x-mock-say's text: "b64:" + base64, else percent-encoded (aigw refuses a header whose percent-decoded value holds
    an e-mail address: tests that make the model write one send it as base64). */
function sayText(v) {
  return v.startsWith('b64:') ? Buffer.from(v.slice(4), 'base64').toString('utf8') : decodeURIComponent(v);
}

/** x-mock-say's text, kept on the parsed body under this symbol (never serialized). */
const SAY = Symbol.for('aigw.mock.say');

function lastUserTextChat(body) {
  if (body && typeof body[SAY] === 'string') return body[SAY];
  const msgs = Array.isArray(body && body.messages) ? body.messages : [];
  for (let i = msgs.length - 1; i >= 0; i--) if (msgs[i] && msgs[i].role === 'user') return contentText(msgs[i].content);
  return '';
}

function lastUserTextResponses(body) {
  if (body && typeof body[SAY] === 'string') return body[SAY];
  const input = body ? body.input : undefined;
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) {
    for (let i = input.length - 1; i >= 0; i--) {
      const it = input[i];
      if (it && it.role === 'user') return contentText(it.content);
    }
  }
  return '';
}

/**
 * x-mock-tool-call (see the header comment): {name, args} of the tool call to answer with, {result} (the text of the
 * last tool result in the request) once there is one, or null when the mode is off or no tool is declared.
 * `fmt`: 'chat' | 'responses' | 'anthropic' | 'gemini' (where each format puts its tools and tool results).
 */
function mockToolCall(req, body, fmt) {
  if (req.headers['x-mock-tool-call'] !== '1' || !body || !Array.isArray(body.tools) || body.tools.length === 0) return null;
  const textOf = (v) => (typeof v === 'string' ? v : Array.isArray(v)
    ? v.map((p) => (p && typeof p.text === 'string' ? p.text : typeof p === 'string' ? p : '')).join('') : JSON.stringify(v));
  let result = null;
  if (fmt === 'chat') {
    for (const m of body.messages || []) if (m && m.role === 'tool') result = textOf(m.content);
  } else if (fmt === 'responses') {
    for (const it of Array.isArray(body.input) ? body.input : []) if (it && it.type === 'function_call_output') result = textOf(it.output);
  } else if (fmt === 'anthropic') {
    for (const m of body.messages || []) {
      for (const b of Array.isArray(m && m.content) ? m.content : []) if (b && b.type === 'tool_result') result = textOf(b.content);
    }
  } else {
    for (const c of body.contents || []) {
      for (const p of (c && c.parts) || []) {
        const fr = p && (p.functionResponse || p.function_response);
        if (fr) result = textOf(fr.response && fr.response.content !== undefined ? fr.response.content : fr.response);
      }
    }
  }
  if (result !== null) return { result };
  const t = body.tools[0];
  const name = fmt === 'chat' ? t.function && t.function.name : fmt === 'gemini'
    ? ((t.functionDeclarations || t.function_declarations || [])[0] || {}).name : t.name;
  return { name: String(name), args: typeof body[SAY] === 'string' ? body[SAY] : '{}' };
}

/** Splits text into pieces of about n UTF-8 bytes, never inside a multi-byte sequence. */
function pieces(text, n) {
  const buf = Buffer.from(text, 'utf8');
  const out = [];
  let start = 0;
  while (start < buf.length) {
    let end = Math.min(buf.length, start + Math.max(1, n));
    while (end < buf.length && (buf[end] & 0xc0) === 0x80) end++;
    out.push(buf.subarray(start, end).toString('utf8'));
    start = end;
  }
  return out;
}

const clone = (o) => JSON.parse(JSON.stringify(o));

// ---------------------------------------------------------------------------------------------
// Routes

/**
 * Events of a chat completions stream from the fixture `stream`. usageMode 'include_usage': the
 * usage chunk (choices: []) only when the request asked with stream_options.include_usage (OpenAI,
 * DeepSeek); 'always': as recorded (OpenRouter always sends it, Fireworks puts it on the finish chunk).
 * Comment blocks (": keep-alive") stay in front.
 */
function chatStreamEvents(req, body, stream = FX.chatStream, usageMode = 'include_usage') {
  const includeUsage = usageMode === 'always' || !!(body.stream_options && body.stream_options.include_usage === true);
  const truncate = req.headers['x-mock-truncate'] === '1';
  const isData = (e) => e.data !== null && e.data !== '[DONE]';
  const isUsage = (e) => isData(e) && Array.isArray(JSON.parse(e.data).choices) &&
    JSON.parse(e.data).choices.length === 0;
  const isFinish = (e) => isData(e) && !isUsage(e) &&
    JSON.parse(e.data).choices.some((c) => c.finish_reason !== null && c.finish_reason !== undefined);
  let events = stream;
  if (req.headers['x-mock-echo'] === '1') {
    const text = lastUserTextChat(body);
    const dataEvents = events.filter((e) => e.data !== null);
    const first = dataEvents[0];
    const tmpl = JSON.parse(dataEvents[1].data);
    const gen = events.filter((e) => e.data === null).concat([first]);
    // n > 1: each chunk carries one choice; the n completions' chunks interleave (choice 0's piece, choice 1's, ...),
    // as OpenAI streams them (API reference, "The chat completion chunk object": `choices` "Can contain more than one
    // element if n is greater than 1"; each element has its `index`)
    const n = Number.isInteger(body.n) && body.n > 1 ? body.n : 1;
    for (const p of pieces(text, intHeader(req, 'x-mock-piece') || 3)) {
      for (let i = 0; i < n; i++) {
        const c = clone(tmpl);
        c.choices[0].index = i;
        c.choices[0].delta = { content: p };
        c.choices[0].finish_reason = null;
        delete c.usage;
        if ('obfuscation' in tmpl || stream === FX.chatStream) c.obfuscation = '';
        gen.push({ event: null, data: JSON.stringify(c) });
      }
    }
    const finish = events.filter((e) => isFinish(e));
    for (let i = 1; i < n; i++) {
      for (const e of finish) {
        const c = JSON.parse(e.data);
        for (const ch of c.choices) ch.index = i;
        finish.push({ event: null, data: JSON.stringify(c) });
        break;
      }
    }
    events = gen.concat(finish, events.filter((e) => isUsage(e) || e.data === '[DONE]'));
  }
  if (!includeUsage) events = events.filter((e) => !isUsage(e));
  if (truncate) events = events.filter((e) => e.data !== '[DONE]' && !isFinish(e) && !isUsage(e));
  return events;
}

/**
 * OpenAI-format chat completions for OpenAI-compatible providers (OpenRouter, DeepSeek,
 * Fireworks, Gemini's /v1beta/openai/): `set` = {chat, chatStream} fixtures of that provider.
 * Returns null for paths other than /v1/chat/completions and /v1/embeddings.
 */
function openaiCompat(req, out, urlPath, body, set, usageMode, prefix = '') {
  if (urlPath === '/v1/embeddings' && req.method === 'POST') return sendJson(out, 200, embeddingsResponse(body));
  if (urlPath !== '/v1/chat/completions' || req.method !== 'POST') return null;
  if (body.stream === true) return sendSse(out, req, chatStreamEvents(req, body, set.chatStream, usageMode));
  const r = clone(set.chat);
  if (typeof body.model === 'string') r.model = body.model;
  if (req.headers['x-mock-echo'] === '1') r.choices[0].message.content = lastUserTextChat(body);
  return sendJson(out, 200, r, {}, prefix);
}

function responsesStreamEvents(req, body) {
  let events = FX.responsesStream.map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
  if (req.headers['x-mock-echo'] === '1') {
    const text = lastUserTextResponses(body);
    const out = [];
    let deltasDone = false;
    for (const e of events) {
      const d = e.data;
      if (d.type === 'response.output_text.delta') {
        if (deltasDone) continue;
        deltasDone = true;
        for (const p of pieces(text, intHeader(req, 'x-mock-piece') || 3)) {
          const c = clone(d);
          c.delta = p;
          c.obfuscation = '';
          out.push({ event: e.event, data: c });
        }
        continue;
      }
      const c = clone(d);
      if (c.type === 'response.output_text.done') c.text = text;
      if (c.type === 'response.content_part.done' && c.part) c.part.text = text;
      const item = c.type === 'response.output_item.done' ? c.item : null;
      const resp = c.type === 'response.completed' ? c.response : null;
      const items = item ? [item] : resp && Array.isArray(resp.output) ? resp.output : [];
      for (const it of items) {
        for (const part of it.content || []) if (part.type === 'output_text') part.text = text;
      }
      out.push({ event: e.event, data: c });
    }
    out.forEach((e, i) => { e.data.sequence_number = i; });
    events = out;
  }
  if (req.headers['x-mock-truncate'] === '1') {
    events = events.filter((e) => !/^response\.(completed|incomplete|failed)$/.test(e.data.type));
  }
  return events;
}

/** A Responses API function_call output item for x-mock-tool-call. */
function responsesFunctionCall(tc) {
  return { id: 'fc_mock0001', type: 'function_call', status: 'completed', arguments: tc.args, call_id: 'call_mock0001',
    name: tc.name };
}

/** Chat completions stream of one tool call (x-mock-tool-call): arguments in x-mock-piece pieces. */
function chatToolStreamEvents(req, body, tc) {
  const first = JSON.parse(FX.chatStream.find((e) => e.data !== null && e.data !== '[DONE]').data);
  const chunk = (delta, finish = null) => {
    const c = clone(first);
    c.choices = [{ index: 0, delta, logprobs: null, finish_reason: finish }];
    delete c.usage;
    return { event: null, data: JSON.stringify(c) };
  };
  const events = [chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_mock0001', type: 'function',
    function: { name: tc.name, arguments: '' } }] })];
  for (const p of pieces(tc.args, intHeader(req, 'x-mock-piece') || 3)) {
    events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  }
  events.push(chunk({}, 'tool_calls'));
  if (body.stream_options && body.stream_options.include_usage === true) {
    const u = clone(first);
    u.choices = [];
    u.usage = clone(FX.chat.usage);
    events.push({ event: null, data: JSON.stringify(u) });
  }
  events.push({ event: null, data: '[DONE]' });
  return events;
}

/** Responses stream of one function call (x-mock-tool-call), the events OpenAI sends for it. */
function responsesToolStreamEvents(req, body, tc) {
  const created = FX.responsesStream.map((e) => JSON.parse(e.data)).find((d) => d.type === 'response.created');
  const completed = FX.responsesStream.map((e) => JSON.parse(e.data)).find((d) => d.type === 'response.completed');
  const item = responsesFunctionCall(tc);
  const list = [created,
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } }];
  for (const p of pieces(tc.args, intHeader(req, 'x-mock-piece') || 3)) {
    list.push({ type: 'response.function_call_arguments.delta', item_id: item.id, output_index: 0, delta: p, obfuscation: '' });
  }
  list.push({ type: 'response.function_call_arguments.done', item_id: item.id, output_index: 0, arguments: tc.args });
  list.push({ type: 'response.output_item.done', output_index: 0, item });
  const done = clone(completed);
  done.response.output = [item];
  list.push(done);
  return list.map((d, i) => ({ event: d.type, data: { ...d, sequence_number: i } }));
}

function embeddingsResponse(body) {
  const r = clone(FX.embeddings);
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? body.dimensions : FX.embeddings.data[0].embedding.length;
  r.data = inputs.map((_, i) => {
    const src = FX.embeddings.data[i % FX.embeddings.data.length].embedding;
    const v = Array.from({ length: dims }, (_, j) => src[j % src.length]);
    // encoding_format "base64": the float32 little-endian bytes in base64, as OpenAI sends them (the SDK's default)
    const emb = body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
    return { object: 'embedding', index: i, embedding: emb };
  });
  if (typeof body.model === 'string') r.model = body.model;
  return r;
}

const MODELS = {
  object: 'list',
  data: ['gpt-4o-mini', 'gpt-5-mini', 'text-embedding-3-small', 'dall-e-3', 'gpt-image-1'].map((id) => ({
    id, object: 'model', created: 1767225600, owned_by: 'system',
  })),
};

function notFound(out, method, urlPath) {
  if (OPTS.provider !== 'openai') {
    const e = nativeError(OPTS.provider, NFX, 404);
    if (OPTS.provider === 'gemini' || OPTS.provider === 'openrouter') {
      e.body = OPTS.provider === 'gemini'
        ? { error: { code: 404, message: `Method not found: ${method} ${urlPath}`, status: 'NOT_FOUND' } }
        : { error: { code: 404, message: `Not found: ${method} ${urlPath}` } };
    }
    return sendJson(out, 404, e.body, e.contentType ? { 'content-type': e.contentType } : {});
  }
  sendJson(out, 404, { error: { message: `Invalid URL (${method} ${urlPath})`, type: 'invalid_request_error',
    param: null, code: null } });
}

/** Base URL of this mock (for URLs it hands out, e.g. Replicate's urls.stream). */
function selfUrl() {
  return `${OPTS.tlsCert ? 'https' : 'http'}://${OPTS.host}:${server.address().port}`;
}

/** Helpers for native.mjs. */
const H = {
  sendJson, sendSse, pieces, clone, intHeader, fixtureReaders, openaiCompat, selfUrl, mockToolCall,
  openaiChatFixtures: () => ({ chat: FX.chat, chatStream: FX.chatStream }),
};
const NFX = OPTS.provider === 'openai' ? {} : loadNativeFixtures(OPTS.provider, H);

async function route(req, out, urlPath, rawBody, query) {
  const method = req.method;
  let body = {};
  // multipart/form-data (OpenAI images/edits uploads): logged as received, answered like a JSON call
  const multipart = /^multipart\/form-data/i.test(req.headers['content-type'] || '');
  if ((method === 'POST' || method === 'PUT') && !multipart) {
    try {
      body = rawBody.length ? JSON.parse(rawBody.toString('utf8')) : {};
    } catch {
      sendJson(out, 400, { error: { message: 'We could not parse the JSON body of your request.',
        type: 'invalid_request_error', param: null, code: null } });
      return;
    }
    if (body === null || typeof body !== 'object') body = {};
  }
  if (typeof req.headers['x-mock-say'] === 'string') body[SAY] = sayText(req.headers['x-mock-say']);
  const echo = req.headers['x-mock-echo'] === '1';

  if (OPTS.provider !== 'openai') {
    const done = await nativeRoute(OPTS.provider, req, out, urlPath, body, query, NFX, H);
    if (done === null) return notFound(out, method, urlPath);
    return done;
  }
  if (method === 'POST' && urlPath === '/v1/chat/completions') {
    const tc = mockToolCall(req, body, 'chat');
    if (tc && tc.result !== undefined) {
      body[SAY] = tc.result;
      req.headers['x-mock-echo'] = '1';
    }
    if (body.stream === true) return sendSse(out, req, tc && tc.name ? chatToolStreamEvents(req, body, tc) : chatStreamEvents(req, body));
    const r = clone(FX.chat);
    if (typeof body.model === 'string') r.model = body.model;
    if (echo || (tc && tc.result !== undefined)) r.choices[0].message.content = lastUserTextChat(body);
    if (tc && tc.name) {
      r.choices[0].message = { role: 'assistant', content: null, refusal: null, annotations: [],
        tool_calls: [{ id: 'call_mock0001', type: 'function', function: { name: tc.name, arguments: tc.args } }] };
      r.choices[0].finish_reason = 'tool_calls';
    }
    // modalities ["text", "audio"] (gpt-4o-audio-preview): message.audio {id, data: the spoken answer in base64,
    // expires_at, transcript} and content null (OpenAI API reference, "The chat completion object", message.audio).
    // The mock's audio is an ID3 header, then the text as spoken.
    if (Array.isArray(body.modalities) && body.modalities.includes('audio') && !(tc && tc.name)) {
      const said = r.choices[0].message.content;
      r.choices[0].message.content = null;
      r.choices[0].message.audio = { id: 'audio_mock0001', expires_at: 1767229200, transcript: said,
        data: Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]), Buffer.from(said, 'utf8')]).toString('base64') };
    }
    // n > 1: one choice per completion, index 0..n-1 (OpenAI API reference, "Create chat completion": `n`,
    // "How many chat completion choices to generate for each input message"); the echo in each
    if (Number.isInteger(body.n) && body.n > 1) {
      r.choices = Array.from({ length: body.n }, (_, i) => ({ ...clone(r.choices[0]), index: i }));
    }
    return sendJson(out, 200, r);
  }
  if (method === 'POST' && urlPath === '/v1/responses') {
    const tc = mockToolCall(req, body, 'responses');
    if (tc && tc.result !== undefined) body[SAY] = tc.result;
    const useEcho = echo || (tc && tc.result !== undefined);
    if (body.stream === true) {
      if (tc && tc.name) return sendSse(out, req, responsesToolStreamEvents(req, body, tc));
      if (useEcho) req.headers['x-mock-echo'] = '1';
      return sendSse(out, req, responsesStreamEvents(req, body));
    }
    const r = clone(FX.responses);
    if (typeof body.model === 'string') r.model = body.model;
    if (useEcho) {
      const text = lastUserTextResponses(body);
      for (const it of r.output) for (const part of it.content || []) if (part.type === 'output_text') part.text = text;
    }
    if (tc && tc.name) r.output = [responsesFunctionCall(tc)];
    return sendJson(out, 200, r);
  }
  if (method === 'POST' && urlPath === '/v1/embeddings') return sendJson(out, 200, embeddingsResponse(body));
  if (method === 'POST' && urlPath === '/v1/images/generations') {
    if (body.stream === true) {
      let events = FX.imagesStream;
      if (req.headers['x-mock-truncate'] === '1') events = events.filter((e) => !/completed/.test(e.event || ''));
      return sendSse(out, req, events);
    }
    return sendJson(out, 200, clone(body.model === 'dall-e-3' ? FX.imagesDalle3 : FX.imagesGptImage));
  }
  if (method === 'GET' && urlPath === '/v1/models') return sendJson(out, 200, MODELS);
  if (method === 'POST' && urlPath === '/v1/moderations') {
    // OpenAI API reference, "Create moderation": {id, model, results: [one per input: flagged, categories,
    // category_scores, category_applied_input_types]}; no usage. `input` is a string, an array of strings or of
    // multi-modal parts ({type: text|image_url}).
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const cats = ['harassment', 'hate', 'self-harm', 'sexual', 'violence'];
    return sendJson(out, 200, { id: `modr-mock${out.rec ? out.rec.id : 0}`, model: typeof body.model === 'string' ? body.model : 'omni-moderation-latest',
      results: inputs.map(() => ({ flagged: false, categories: Object.fromEntries(cats.map((c) => [c, false])),
        category_scores: Object.fromEntries(cats.map((c) => [c, 0.0001])),
        category_applied_input_types: Object.fromEntries(cats.map((c) => [c, ['text']])) })) });
  }
  if (method === 'POST' && urlPath === '/v1/audio/speech') {
    // OpenAI API reference, "Create speech": the answer is the audio file itself (Content-Type audio/mpeg for the
    // default response_format mp3; audio/wav, audio/flac, ... otherwise). The mock's "audio" is an ID3 header, then the
    // input text as the model would speak it, so a test can tell what a listener would hear.
    const types = { mp3: 'audio/mpeg', opus: 'audio/ogg', aac: 'audio/aac', flac: 'audio/flac', wav: 'audio/wav', pcm: 'audio/pcm' };
    const fmt = typeof body.response_format === 'string' ? body.response_format : 'mp3';
    const b = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]), Buffer.from(String(body.input ?? ''), 'utf8')]);
    out.head(200, { 'content-type': types[fmt] || 'audio/mpeg', 'content-length': b.length });
    return out.end(b);
  }
  if (method === 'POST' && (urlPath === '/v1/images/edits' || urlPath === '/v1/images/variations') && multipart) {
    // OpenAI API reference, "Create image edit" / "Create image variation": multipart/form-data uploads (image[],
    // mask, prompt, model, n, size), answered with the ImagesResponse of images/generations (gpt-image-1: b64_json
    // and usage; dall-e-2 variations: url)
    const model = /name="model"\r\n\r\n([^\r]*)\r\n/.exec(rawBody.toString('latin1'));
    return sendJson(out, 200, clone(model && model[1] === 'gpt-image-1' ? FX.imagesGptImage : FX.imagesDalle3));
  }
  if (method === 'POST' && (urlPath === '/v1/audio/transcriptions' || urlPath === '/v1/audio/translations') && multipart) {
    // the transcript is x-mock-say's text (else a fixed one); response_format text / srt / vtt answer it as plain
    // text (OpenAI API reference, "Create transcription": text/plain for text and srt, text/vtt for vtt), json as {text}
    const text = typeof body[SAY] === 'string' ? body[SAY] : 'The quick brown fox.';
    if (/name="stream"\r\n\r\ntrue\r\n/.test(rawBody.toString('latin1'))) {
      // stream=true (gpt-4o-transcribe, gpt-4o-mini-transcribe): server-sent events transcript.text.delta {delta}, then
      // transcript.text.done {text, usage} (OpenAI API reference, "Create transcription", "Stream transcription")
      const events = pieces(text, intHeader(req, 'x-mock-piece') || 3).map((d) => ({ event: null,
        data: JSON.stringify({ type: 'transcript.text.delta', delta: d }) }));
      events.push({ event: null, data: JSON.stringify({ type: 'transcript.text.done', text,
        usage: { type: 'tokens', input_tokens: 14, input_token_details: { text_tokens: 4, audio_tokens: 10 }, output_tokens: 9,
          total_tokens: 23 } }) });
      return sendSse(out, req, events);
    }
    const fm = /name="response_format"\r\n\r\n([a-z_]+)\r\n/.exec(rawBody.toString('latin1'));
    const format = fm ? fm[1] : 'json';
    if (format === 'text' || format === 'srt' || format === 'vtt') {
      const t = format === 'vtt' ? `WEBVTT\n\n00:00:00.000 --> 00:00:02.000\n${text}\n` : format === 'srt' ?
        `1\n00:00:00,000 --> 00:00:02,000\n${text}\n` : `${text}\n`;
      const b = Buffer.from(t, 'utf8');
      out.head(200, { 'content-type': `${format === 'vtt' ? 'text/vtt' : 'text/plain'}; charset=utf-8`, 'content-length': b.length });
      return out.end(b);
    }
    return sendJson(out, 200, { text, usage: { type: 'duration', seconds: 2 } });
  }
  return notFound(out, method, urlPath);
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://mock');
  const urlPath = url.pathname;
  const query = url.search.startsWith('?') ? url.search.slice(1) : url.search;

  const chunks = [];
  for await (const c of req) chunks.push(c);
  const rawBody = Buffer.concat(chunks);

  if (urlPath === '/__mock/requests' && req.method === 'GET') {
    const out = new Out(req, res, null);
    return sendJson(out, 200, records);
  }
  if ((urlPath === '/__mock/held' && req.method === 'GET') || (urlPath === '/__mock/release' && req.method === 'POST')) {
    const name = new URLSearchParams(query).get('hold') || '';
    const waiting = holds.get(name) || [];
    if (urlPath === '/__mock/release') {
      released.add(name);
      holds.delete(name);
      for (const go of waiting) go();
    }
    return sendJson(new Out(req, res, null), 200, urlPath === '/__mock/held' ? { held: waiting.length } : { released: waiting.length });
  }
  if (urlPath === '/__mock/reset' && req.method === 'POST') {
    records.length = 0;
    if (OPTS.log) fs.writeFileSync(OPTS.log, '');
    const out = new Out(req, res, null);
    return sendJson(out, 200, { ok: true });
  }

  const rec = logRequest(req, urlPath, query, rawBody);
  // x-mock-faults: this attempt's fault (the key counts attempts of one logical request)
  let fault = null;
  const faultsFor = req.headers['x-mock-faults-for'];
  if (req.headers['x-mock-faults'] !== undefined && (faultsFor === undefined || faultsFor === OPTS.provider)) {
    const key = String(req.headers['x-mock-fault-key'] || '');
    const n = faultCounts.get(key) || 0;
    faultCounts.set(key, n + 1);
    rec.attempt = n + 1;
    fault = String(req.headers['x-mock-faults']).split(',').map((f) => f.trim())[n] || 'ok';
    rec.fault = fault;
  }
  if (fault !== null && fault.startsWith('reset-after=')) req.headers['x-mock-reset-after-bytes'] = fault.slice(12);
  const out = new Out(req, res, rec);
  if (fault === 'reset') {
    out.reset();
    return;
  }

  const delay = intHeader(req, 'x-mock-delay-ms');
  if (delay) await sleep(delay);
  const hold = req.headers['x-mock-hold'];
  if (hold !== undefined && !released.has(String(hold))) {
    const name = String(hold);
    await new Promise((go) => {
      const list = holds.get(name) || [];
      const entry = () => { clearTimeout(timer); go(); };
      const timer = setTimeout(() => { list.splice(list.indexOf(entry), 1); go(); }, 60000);
      list.push(entry);
      holds.set(name, list);
    });
  }
  if (out.gone) return;

  if (OPTS.provider !== 'openai') {
    const open = nativeOpenRoute(OPTS.provider, req, out, urlPath, NFX, H);
    if (open !== null) return open;
  }

  const [authHeader, expected] = AUTH[OPTS.provider];
  // Gemini also takes the key as ?key=; the SDKs send the header.
  const geminiQueryKey = OPTS.provider === 'gemini' && new URLSearchParams(query).get('key') === OPTS.apiKey;
  if (req.headers[authHeader] !== expected(OPTS.apiKey) && !geminiQueryKey) {
    if (OPTS.provider === 'openai') return sendJson(out, 401, FX.err401);
    const e = nativeError(OPTS.provider, NFX, 401, 'auth');
    return sendJson(out, e.status, e.body, e.contentType ? { 'content-type': e.contentType } : {});
  }

  const quote = req.headers['x-mock-quote-key'];
  if (quote === 'error' || quote === 'stream') return sendQuotedKey(req, out, quote);

  let status = intHeader(req, 'x-mock-status');
  const faultHdrs = {};
  const fm = fault !== null ? /^(\d{3})(?:\/(ra|ra-ms|no-retry)(?:=(\d+))?)?$/.exec(fault) : null;
  if (fm) {
    status = Number(fm[1]);
    if (fm[2] === 'ra') faultHdrs['retry-after'] = fm[3];
    if (fm[2] === 'ra-ms') faultHdrs['retry-after-ms'] = fm[3];
    if (fm[2] === 'no-retry') faultHdrs['x-should-retry'] = 'false';
  }
  if (status !== null && status >= 200 && status !== 200) {
    if (OPTS.provider !== 'openai') {
      const e = nativeError(OPTS.provider, NFX, status);
      const hdrs = { ...(e.headers || {}), ...(e.contentType ? { 'content-type': e.contentType } : {}), ...faultHdrs };
      return sendJson(out, e.status, e.body, hdrs);
    }
    const hdrs = { ...(status === 429 && !fm ? { 'retry-after': '1' } : {}), ...faultHdrs };
    const bodyText = JSON.stringify(serverError(status));
    out.head(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(bodyText), ...hdrs });
    return out.end(bodyText);
  }

  const large = intHeader(req, 'x-mock-large-bytes');
  if (large !== null) {
    const say = req.headers['x-mock-say'] !== undefined ? sayText(String(req.headers['x-mock-say'])) : '';
    return sendLarge(out, large, String(req.headers['x-mock-large-shape'] ?? ''), say);
  }

  return route(req, out, urlPath, rawBody, query);
}

function onRequest(req, res) {
  handle(req, res).catch((err) => {
    process.stderr.write(`mockprovider: ${err && err.stack ? err.stack : err}\n`);
    try {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(serverError(500)));
      } else res.destroy();
    } catch {
      /* connection already gone */
    }
  });
}

let server;
if (OPTS.tlsCert) {
  server = http2.createSecureServer(
    { cert: fs.readFileSync(OPTS.tlsCert), key: fs.readFileSync(OPTS.tlsKey), allowHTTP1: true }, onRequest);
} else {
  server = http.createServer(onRequest);
  // aigw keeps upstream connections alive in a pool; do not close them under it after node's 5 s default.
  server.keepAliveTimeout = 120000;
  server.headersTimeout = 125000;
  server.requestTimeout = 0;
}
if (OPTS.log) fs.writeFileSync(OPTS.log, '', { flag: 'a' });
server.listen(OPTS.port, OPTS.host, () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
