// Provider-specific routes of the mock provider (server.mjs --provider NAME): Gemini, Anthropic,
// Replicate, OpenRouter, DeepSeek, Fireworks and fal, each answering with its own recorded wire
// format from tests/fixtures/providers/<name>/ and its own auth header and error shape
// (docs/providers/README.md sections 1 and 5). server.mjs keeps the transport, request log and
// fault injection; this file only builds bodies and event lists, through the helpers `h` that
// server.mjs passes in (sendJson, sendSse, sendRaw, pieces, clone, intHeader, fixture readers).
//
// Stateful parts live here too: Replicate predictions (created, then GET by id, stream URL served
// without auth like stream.replicate.com) and fal queue requests (submit, status, status stream,
// result), keyed by the ids this mock hands out.
//
// Only node built-ins.

import crypto from 'node:crypto';

/** Auth header each provider expects, as [header name, expected value for key k]. */
export const AUTH = {
  openai: ['authorization', (k) => `Bearer ${k}`],
  openrouter: ['authorization', (k) => `Bearer ${k}`],
  deepseek: ['authorization', (k) => `Bearer ${k}`],
  fireworks: ['authorization', (k) => `Bearer ${k}`],
  replicate: ['authorization', (k) => `Bearer ${k}`],
  gemini: ['x-goog-api-key', (k) => k],
  anthropic: ['x-api-key', (k) => k],
  fal: ['authorization', (k) => `Key ${k}`],
};

export const PROVIDERS = Object.keys(AUTH);

// ---------------------------------------------------------------------------------------------
// Fixtures

export function loadNativeFixtures(provider, h) {
  const { json, sse } = h.fixtureReaders(provider);
  switch (provider) {
    case 'gemini':
      return {
        generate: json('generate_content.response.json'),
        imageOutput: json('generate_content.image_output.response.json'),
        stream: sse('stream_generate_content.sse'),
        imagen: json('imagen_predict.response.json'),
        err400: json('error.400_api_key_invalid.json'),
        err404: json('error.404_model_not_found.json'),
        err429: json('error.429_resource_exhausted.json'),
        // Gemini's OpenAI-compatible surface (/v1beta/openai/) speaks OpenAI chat.
        compat: h.openaiChatFixtures(),
      };
    case 'anthropic':
      return {
        messages: json('messages.response.json'),
        stream: sse('messages.stream.sse'),
        streamError: sse('messages.stream_error.sse'),
        err400: json('error.400_invalid_request.json'),
        err401: json('error.401_authentication.json'),
        err529: json('error.529_overloaded.json'),
      };
    case 'replicate':
      return {
        starting: json('prediction.starting.json'),
        succeeded: json('prediction.succeeded.json'),
        succeededLlm: json('prediction.succeeded_llm.json'),
        failed: json('prediction.failed.json'),
        stream: sse('prediction.stream.sse'),
        err401: json('error.401_unauthenticated.json'),
        err404: json('error.404_not_found.json'),
        err422: json('error.422_invalid_input.json'),
      };
    case 'openrouter':
      return {
        chat: json('chat_completions.response.json'),
        chatStream: sse('chat_completions.stream.sse'),
        chatStreamError: sse('chat_completions.stream_midstream_error.sse'),
        err400: json('error.400_bad_request.json'),
        err402: json('error.402_insufficient_credits.json'),
        err404: json('error.404_no_endpoints_data_policy.json'),
      };
    case 'deepseek':
      return {
        chat: json('chat_completions.response.json'),
        reasoner: json('reasoner.response.json'),
        chatStream: sse('chat_completions.stream.sse'),
        err401: json('error.401_authentication.json'),
        err402: json('error.402_insufficient_balance.json'),
      };
    case 'fireworks':
      return {
        chat: json('chat_completions.response.json'),
        chatStream: sse('chat_completions.stream.sse'),
        err401: json('error.401_unauthorized.json'),
      };
    case 'fal':
      return {
        submit: json('queue_submit.response.json'),
        inQueue: json('queue_status.in_queue.json'),
        completed: json('queue_status.completed.json'),
        result: json('queue_result.response.json'),
        statusStream: sse('queue_status.stream.sse'),
        err401: json('error.401_unauthorized.json'),
        err422: json('error.422_validation.json'),
        err504: json('error.504_start_timeout.json'),
      };
    default:
      return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Error bodies in each provider's shape (README.md section 5)

const GOOGLE_STATUS = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 501: 'UNIMPLEMENTED', 503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const ANTHROPIC_TYPE = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error',
  413: 'request_too_large', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error',
};

/**
 * {status, body, contentType, headers} of an error of `status` for `provider`, fixture bodies where
 * the fixtures have one. `reason` 'auth' is the answer to a missing or wrong key.
 */
export function nativeError(provider, fx, status, reason) {
  const openaiShape = (message, type = status >= 500 ? 'server_error' : 'invalid_request_error') =>
    ({ error: { message, type, param: null, code: null } });
  const generic = `mock ${provider} status ${status}`;
  switch (provider) {
    case 'gemini': {
      // A bad key is a 400 API_KEY_INVALID on the Gemini API, not a 401.
      if (reason === 'auth') return { status: 400, body: fx.err400 };
      if (status === 400) return { status, body: fx.err400 };
      if (status === 404) return { status, body: fx.err404 };
      if (status === 429) return { status, body: fx.err429, headers: { 'retry-after': '1' } };
      return { status, body: { error: { code: status, message: generic,
        status: GOOGLE_STATUS[status] || (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION') } } };
    }
    case 'anthropic':
      if (reason === 'auth' || status === 401) return { status: 401, body: fx.err401 };
      if (status === 400) return { status, body: fx.err400 };
      if (status === 529) return { status, body: fx.err529 };
      return { status, headers: status === 429 ? { 'retry-after': '1' } : {}, body: { type: 'error',
        error: { type: ANTHROPIC_TYPE[status] || (status >= 500 ? 'api_error' : 'invalid_request_error'), message: generic },
        request_id: 'req_mock' } };
    case 'replicate': {
      const ct = 'application/problem+json';
      if (reason === 'auth' || status === 401) return { status: 401, body: fx.err401, contentType: ct };
      if (status === 404) return { status, body: fx.err404, contentType: ct };
      if (status === 422) return { status, body: fx.err422, contentType: ct };
      return { status, body: { title: status >= 500 ? 'Internal server error' : 'Request failed', detail: generic, status },
        contentType: ct };
    }
    case 'openrouter':
      if (reason === 'auth' || status === 401) {
        return { status: 401, body: { error: { code: 401, message: 'No auth credentials found' } } };
      }
      if (status === 400) return { status, body: fx.err400 };
      if (status === 402) return { status, body: fx.err402 };
      if (status === 404) return { status, body: fx.err404 };
      return { status, body: { error: { code: status, message: generic } } };
    case 'deepseek':
      if (reason === 'auth' || status === 401) return { status: 401, body: fx.err401 };
      if (status === 402) return { status, body: fx.err402 };
      return { status, body: openaiShape(generic) };
    case 'fireworks':
      if (reason === 'auth' || status === 401) return { status: 401, body: fx.err401 };
      return { status, body: openaiShape(generic) };
    case 'fal':
      if (reason === 'auth' || status === 401) return { status: 401, body: fx.err401 };
      if (status === 422) return { status, body: fx.err422 };
      if (status === 504) return { status, body: fx.err504, headers: { 'x-fal-request-timeout-type': 'user' } };
      return { status, body: { detail: generic } };
    default:
      return { status, body: openaiShape(generic) };
  }
}

// ---------------------------------------------------------------------------------------------
// Echo helpers

/** Text of the last user turn of a Gemini request (camelCase or snake_case; text parts joined). */
/** x-mock-say's text (server.mjs), kept on the parsed body under this symbol. */
const SAY = Symbol.for('aigw.mock.say');

function geminiUserText(body) {
  if (body && typeof body[SAY] === 'string') return body[SAY];
  const contents = Array.isArray(body && body.contents) ? body.contents : [];
  for (let i = contents.length - 1; i >= 0; i--) {
    const c = contents[i];
    if (c && (c.role === undefined || c.role === 'user') && Array.isArray(c.parts)) {
      return c.parts.filter((p) => p && typeof p.text === 'string').map((p) => p.text).join('');
    }
  }
  return '';
}

/** Text of the last user message of an Anthropic request (string content or text blocks joined). */
function anthropicUserText(body) {
  if (body && typeof body[SAY] === 'string') return body[SAY];
  const msgs = Array.isArray(body && body.messages) ? body.messages : [];
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i];
    if (!m || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      return m.content.filter((b) => b && b.type === 'text' && typeof b.text === 'string').map((b) => b.text).join('');
    }
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Gemini: /v1beta/models/{model}:{method}, /v1beta/openai/* (OpenAI-compatible)

function geminiStreamEvents(req, body, fx, h) {
  let events = fx.stream.map((e) => ({ ...e }));
  if (req.headers['x-mock-echo'] === '1') {
    const text = geminiUserText(body);
    const tmpl = JSON.parse(fx.stream[fx.stream.length - 1].data);
    const parts = h.pieces(text, h.intHeader(req, 'x-mock-piece') || 3);
    if (parts.length === 0) parts.push('');
    events = parts.map((p, i) => {
      const c = h.clone(tmpl);
      c.candidates[0].content.parts = [{ text: p }];
      if (i < parts.length - 1) delete c.candidates[0].finishReason;
      // running totals, like the real stream
      c.usageMetadata.candidatesTokenCount = i + 1;
      c.usageMetadata.totalTokenCount = c.usageMetadata.promptTokenCount + (c.usageMetadata.thoughtsTokenCount || 0) + i + 1;
      return { event: null, data: JSON.stringify(c) };
    });
  }
  if (req.headers['x-mock-truncate'] === '1') {
    events = events.filter((e) => !/"finishReason"/.test(e.data || ''));
  }
  return events;
}

async function gemini(req, out, urlPath, body, query, fx, h) {
  const echo = req.headers['x-mock-echo'] === '1';
  if (req.method === 'POST' && urlPath.startsWith('/v1beta/openai/')) {
    return h.openaiCompat(req, out, '/v1/' + urlPath.slice('/v1beta/openai/'.length), body, fx.compat, 'include_usage');
  }
  if (req.method === 'GET' && urlPath === '/v1beta/models') {
    return h.sendJson(out, 200, { models: ['gemini-2.5-flash', 'gemini-2.5-flash-image', 'imagen-4.0-generate-001']
      .map((m) => ({ name: `models/${m}`, displayName: m })) });
  }
  const m = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/.exec(urlPath);
  if (req.method !== 'POST' || !m) return null;
  const [, model, method] = m;
  const tc = h.mockToolCall(req, body, 'gemini');
  if (tc && tc.result !== undefined) {
    body[SAY] = tc.result;
    req.headers['x-mock-echo'] = '1';
  }
  if (tc && tc.name && (method === 'generateContent' || method === 'streamGenerateContent')) {
    // Gemini sends a function call whole, in one chunk when streaming
    const r = h.clone(fx.generate);
    r.modelVersion = model;
    r.candidates[0].content.parts = [{ functionCall: { name: tc.name, args: JSON.parse(tc.args) } }];
    r.candidates[0].finishReason = 'STOP';
    if (method === 'generateContent') return h.sendJson(out, 200, r);
    return h.sendSse(out, req, [{ event: null, data: JSON.stringify(r) }], { crlf: true });
  }
  if (method === 'generateContent') {
    const modalities = (body.generationConfig && body.generationConfig.responseModalities) ||
      (body.generation_config && body.generation_config.response_modalities) || [];
    const r = h.clone(modalities.includes('IMAGE') ? fx.imageOutput : fx.generate);
    r.modelVersion = model;
    if (echo || req.headers['x-mock-echo'] === '1') r.candidates[0].content.parts = [{ text: geminiUserText(body) }];
    if (modalities.map((x) => String(x).toUpperCase()).includes('AUDIO')) {
      // a TTS model: the text spoken, as 24 kHz 16-bit PCM in inlineData (ai.google.dev/gemini-api/docs/speech-generation);
      // the mock's "PCM" is the text's bytes
      r.candidates[0].content.parts = [{ inlineData: { mimeType: 'audio/L16;codec=pcm;rate=24000',
        data: Buffer.from(geminiUserText(body), 'utf8').toString('base64') } }];
    }
    return h.sendJson(out, 200, r);
  }
  if (method === 'streamGenerateContent') {
    const events = geminiStreamEvents(req, body, fx, h).map((e) => {
      const c = JSON.parse(e.data);
      c.modelVersion = model;
      return { ...e, data: JSON.stringify(c) };
    });
    const params = new URLSearchParams(query);
    if (params.get('alt') === 'sse') return h.sendSse(out, req, events, { crlf: true });
    // Without alt=sse the REST API streams one JSON array.
    return h.sendJson(out, 200, events.map((e) => JSON.parse(e.data)));
  }
  if (method === 'countTokens') {
    const n = Buffer.byteLength(JSON.stringify(body.contents || body.generateContentRequest || ''), 'utf8');
    return h.sendJson(out, 200, { totalTokens: Math.max(1, Math.ceil(n / 4)) });
  }
  const VALUES = [0.0123, -0.0456, 0.0789, 0.0012];
  if (method === 'embedContent') return h.sendJson(out, 200, { embedding: { values: VALUES } });
  if (method === 'batchEmbedContents') {
    const n = Array.isArray(body.requests) ? body.requests.length : 1;
    return h.sendJson(out, 200, { embeddings: Array.from({ length: n }, () => ({ values: VALUES })) });
  }
  if (method === 'predict') {
    const r = h.clone(fx.imagen);
    const n = body.parameters && Number.isInteger(body.parameters.sampleCount) ? body.parameters.sampleCount : 2;
    const imgs = r.predictions.filter((p) => p.bytesBase64Encoded);
    const rest = r.predictions.filter((p) => !p.bytesBase64Encoded);
    r.predictions = imgs.slice(0, Math.max(1, n)).concat(body.parameters && body.parameters.includeSafetyAttributes ? rest : []);
    return h.sendJson(out, 200, r);
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Anthropic: /v1/messages (+ stream), /v1/messages/count_tokens

function anthropicStreamEvents(req, body, fx, h) {
  let events = (req.headers['x-mock-stream-error'] === '1' ? fx.streamError : fx.stream).map((e) => ({ ...e }));
  if (req.headers['x-mock-echo'] === '1' && req.headers['x-mock-stream-error'] !== '1') {
    const text = anthropicUserText(body);
    const ev = (name, obj) => ({ event: name, data: JSON.stringify(obj) });
    const stop = events.find((e) => e.event === 'message_delta');
    const delta = JSON.parse(stop.data);
    delta.delta.stop_reason = 'end_turn';
    const gen = [events[0], ev('content_block_start', { type: 'content_block_start', index: 0,
      content_block: { type: 'text', text: '' } }), ev('ping', { type: 'ping' })];
    for (const p of h.pieces(text, h.intHeader(req, 'x-mock-piece') || 3)) {
      gen.push(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } }));
    }
    gen.push(ev('content_block_stop', { type: 'content_block_stop', index: 0 }));
    gen.push(ev('message_delta', delta));
    gen.push(ev('message_stop', { type: 'message_stop' }));
    events = gen;
  }
  if (typeof body.model === 'string') {
    events = events.map((e) => {
      if (e.event !== 'message_start') return e;
      const d = JSON.parse(e.data);
      d.message.model = body.model;
      return { ...e, data: JSON.stringify(d) };
    });
  }
  if (req.headers['x-mock-truncate'] === '1') {
    events = events.filter((e) => e.event !== 'message_delta' && e.event !== 'message_stop');
  }
  return events;
}

/** A tool_use block streamed as Anthropic does: content_block_start with input {}, then input_json_delta pieces. */
function anthropicToolStreamEvents(req, body, fx, h, tc) {
  const ev = (name, obj) => ({ event: name, data: JSON.stringify(obj) });
  const start = JSON.parse(fx.stream[0].data);
  if (typeof body.model === 'string') start.message.model = body.model;
  const delta = JSON.parse(fx.stream.find((e) => e.event === 'message_delta').data);
  delta.delta.stop_reason = 'tool_use';
  const gen = [ev('message_start', start), ev('content_block_start', { type: 'content_block_start', index: 0,
    content_block: { type: 'tool_use', id: 'toolu_01MockToolUse0001', name: tc.name, input: {} } })];
  for (const p of h.pieces(tc.args, h.intHeader(req, 'x-mock-piece') || 3)) {
    gen.push(ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: p } }));
  }
  gen.push(ev('content_block_stop', { type: 'content_block_stop', index: 0 }));
  gen.push(ev('message_delta', delta));
  gen.push(ev('message_stop', { type: 'message_stop' }));
  return gen;
}

async function anthropic(req, out, urlPath, body, query, fx, h) {
  if (req.method !== 'POST') return null;
  if (urlPath !== '/v1/messages' && urlPath !== '/v1/messages/count_tokens') return null;
  if (!req.headers['anthropic-version']) {
    return h.sendJson(out, 400, { type: 'error', error: { type: 'invalid_request_error',
      message: 'anthropic-version: header is required' }, request_id: 'req_mock' });
  }
  if (urlPath === '/v1/messages/count_tokens') {
    const n = Buffer.byteLength(JSON.stringify(body.messages || []) + JSON.stringify(body.system || ''), 'utf8');
    return h.sendJson(out, 200, { input_tokens: Math.max(1, Math.ceil(n / 4)) });
  }
  const tc = h.mockToolCall(req, body, 'anthropic');
  if (tc && tc.result !== undefined) {
    body[SAY] = tc.result;
    req.headers['x-mock-echo'] = '1';
  }
  if (body.stream === true) {
    return h.sendSse(out, req, tc && tc.name ? anthropicToolStreamEvents(req, body, fx, h, tc) : anthropicStreamEvents(req, body, fx, h));
  }
  const r = h.clone(fx.messages);
  if (typeof body.model === 'string') r.model = body.model;
  if (req.headers['x-mock-echo'] === '1') r.content = [{ type: 'text', text: anthropicUserText(body) }];
  if (tc && tc.name) {
    r.content = [{ type: 'tool_use', id: 'toolu_01MockToolUse0001', name: tc.name, input: JSON.parse(tc.args) }];
    r.stop_reason = 'tool_use';
  }
  return h.sendJson(out, 200, r, { 'request-id': 'req_011CSHoEeqs5C35K2UUqR7Fy' });
}

// ---------------------------------------------------------------------------------------------
// Replicate: predictions (version or model route, Prefer: wait), GET prediction, stream, cancel

const predictions = new Map();

function replicateLooksLlm(model, input) {
  return /llama|mistral|gpt|claude|qwen|deepseek|granite|gemma/i.test(model || '') ||
    (input && (input.system_prompt !== undefined || input.max_tokens !== undefined || input.max_new_tokens !== undefined));
}

function predictionView(p, status, fx, h) {
  const base = h.selfUrl();
  const tmpl = status === 'starting' ? fx.starting : status === 'failed' ? fx.failed : p.llm ? fx.succeededLlm : fx.succeeded;
  const r = h.clone(tmpl);
  r.id = p.id;
  r.model = p.model;
  r.version = p.version || 'hidden';
  r.input = p.input;
  r.status = status;
  r.urls = {
    get: `${base}/v1/predictions/${p.id}`,
    cancel: `${base}/v1/predictions/${p.id}/cancel`,
    stream: `${base}/v1/predictions/${p.id}/stream`,
    web: `https://replicate.com/p/${p.id}`,
  };
  if (status === 'succeeded' && p.echo) {
    const text = typeof p.say === 'string' ? p.say : typeof p.input.prompt === 'string' ? p.input.prompt : '';
    // Language models return token pieces; split at spaces (each piece keeps its leading space).
    r.output = p.llm ? text.split(/(?= )/) : text;
  }
  if (status === 'canceled') {
    r.output = null;
    r.error = null;
  }
  return r;
}

async function replicate(req, out, urlPath, body, query, fx, h) {
  const method = req.method;
  let m;
  const create = method === 'POST' && (urlPath === '/v1/predictions' ||
    (m = /^\/v1\/models\/([^/]+)\/([^/]+)\/predictions$/.exec(urlPath)) ||
    (m = /^\/v1\/deployments\/([^/]+)\/([^/]+)\/predictions$/.exec(urlPath)));
  if (create) {
    if (!body.input || typeof body.input !== 'object') {
      return h.sendJson(out, 422, fx.err422, { 'content-type': 'application/problem+json' });
    }
    const id = crypto.randomBytes(13).toString('hex').slice(0, 26);
    const model = m ? `${m[1]}/${m[2]}` : typeof body.version === 'string' ? body.version.split(':')[0] : 'unknown/unknown';
    const p = { id, model, version: m ? undefined : body.version, input: body.input, echo: req.headers['x-mock-echo'] === '1',
      say: typeof body[SAY] === 'string' ? body[SAY] : undefined,
      llm: replicateLooksLlm(model, body.input) || body.stream === true, polls: 0 };
    predictions.set(id, p);
    const wait = /^\s*wait\b/i.test(String(req.headers.prefer || ''));
    // With Prefer: wait the model "finishes" within the window; without it the caller polls.
    const status = req.headers['x-mock-replicate-status'] || (wait ? 'succeeded' : 'starting');
    return h.sendJson(out, 201, predictionView(p, status, fx, h));
  }
  if (method === 'GET' && (m = /^\/v1\/predictions\/([a-z0-9]+)$/.exec(urlPath))) {
    const p = predictions.get(m[1]);
    if (!p) return h.sendJson(out, 404, fx.err404, { 'content-type': 'application/problem+json' });
    p.polls++;
    return h.sendJson(out, 200, predictionView(p, p.canceled ? 'canceled' : 'succeeded', fx, h));
  }
  if (method === 'POST' && (m = /^\/v1\/predictions\/([a-z0-9]+)\/cancel$/.exec(urlPath))) {
    const p = predictions.get(m[1]);
    if (!p) return h.sendJson(out, 404, fx.err404, { 'content-type': 'application/problem+json' });
    p.canceled = true;
    return h.sendJson(out, 200, predictionView(p, 'canceled', fx, h));
  }
  if (method === 'POST' && urlPath === '/v1/files') {
    return h.sendJson(out, 201, { id: 'file_mock', name: 'upload', content_type: 'application/octet-stream',
      urls: { get: `${h.selfUrl()}/v1/files/file_mock` } });
  }
  if (method === 'GET' && urlPath === '/v1/account') {
    return h.sendJson(out, 200, { type: 'organization', username: 'acme', name: 'Acme', github_url: null });
  }
  return null;
}

/** GET /v1/predictions/{id}/stream: no auth (stream.replicate.com URLs are capabilities). */
async function replicateStream(req, out, id, fx, h) {
  const p = predictions.get(id);
  if (!p) return h.sendJson(out, 404, fx.err404, { 'content-type': 'application/problem+json' });
  let events = fx.stream.map((e) => ({ ...e }));
  if (p.echo) {
    const text = typeof p.say === 'string' ? p.say : typeof p.input.prompt === 'string' ? p.input.prompt : '';
    events = h.pieces(text, h.intHeader(req, 'x-mock-piece') || 3).map((t, i) => ({ id: `${i}-0`, event: 'output', data: t }))
      .concat([{ event: 'done', data: '{}' }]);
  }
  if (req.headers['x-mock-truncate'] === '1') events = events.filter((e) => e.event !== 'done');
  return h.sendSse(out, req, events);
}

// ---------------------------------------------------------------------------------------------
// OpenRouter, DeepSeek, Fireworks: OpenAI wire format under their own prefixes

const OPENAI_LIKE = {
  // prefix on the provider host -> OpenAI path; usage: when the stream carries usage
  openrouter: { prefixes: ['/api/v1/'], usage: 'always' },
  deepseek: { prefixes: ['/v1/', '/beta/', '/'], usage: 'include_usage' },
  fireworks: { prefixes: ['/inference/v1/'], usage: 'always' },
};

async function openaiLike(provider, req, out, urlPath, body, query, fx, h) {
  const spec = OPENAI_LIKE[provider];
  const prefix = spec.prefixes.find((p) => urlPath.startsWith(p));
  if (!prefix) return null;
  const rest = urlPath.slice(prefix.length);
  if (req.method === 'GET' && rest === 'models') {
    return h.sendJson(out, 200, { object: 'list', data: [{ id: fx.chat.model, object: 'model', owned_by: provider }] });
  }
  if (req.method !== 'POST' || rest !== 'chat/completions') return null;
  const streamError = req.headers['x-mock-stream-error'] === '1' && fx.chatStreamError;
  const set = { chat: fx.chat, chatStream: streamError ? fx.chatStreamError : fx.chatStream };
  if (provider === 'deepseek' && body.model === 'deepseek-reasoner') set.chat = fx.reasoner;
  const keepalive = req.headers['x-mock-keepalive'] === '1' && provider === 'deepseek' ? '\n\n' : '';
  return h.openaiCompat(req, out, '/v1/chat/completions', body, set, spec.usage, keepalive);
}

// ---------------------------------------------------------------------------------------------
// fal queue: POST /{owner}/{alias}[/...] submit, GET .../requests/{id}/status[/stream], GET
// .../requests/{id} result, PUT .../requests/{id}/cancel. The host (queue.fal.run vs fal.run) is
// not visible behind aigw's base_url rewrite, so every POST outside /requests/ is a queue submit,
// unless the request has `x-mock-fal-sync: 1` (a synchronous fal.run call: the result at once).

const falRequests = new Map();

function falIds(appPath, id) {
  const base = `https://queue.fal.run/${appPath}/requests/${id}`;
  return { request_id: id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}

async function fal(req, out, urlPath, body, query, fx, h) {
  let m;
  const method = req.method;
  if ((m = /^\/([^/]+)\/([^/]+)(?:\/[^/]+)*\/requests\/([0-9a-f-]+)(\/status(?:\/stream)?|\/cancel)?$/.exec(urlPath))) {
    const [, owner, alias, id, tail] = m;
    const r = falRequests.get(id);
    if (!r) return h.sendJson(out, 404, { detail: `Request ${id} not found` });
    const ids = falIds(`${owner}/${alias}`, id);
    if (method === 'GET' && tail === '/status') {
      r.polls++;
      if (r.polls <= r.pendingPolls) return h.sendJson(out, 202, { ...h.clone(fx.inQueue), ...ids, queue_position: 0 });
      return h.sendJson(out, 200, { ...h.clone(fx.completed), ...ids });
    }
    if (method === 'GET' && tail === '/status/stream') {
      const events = fx.statusStream.map((e) => {
        if (e.data == null) return e;
        const d = JSON.parse(e.data);
        return { ...e, data: JSON.stringify({ ...d, ...ids }) };
      });
      return h.sendSse(out, req, events);
    }
    if (method === 'PUT' && tail === '/cancel') return h.sendJson(out, 400, { status: 'ALREADY_COMPLETED' });
    if (method === 'GET' && tail === undefined) {
      const res = h.clone(fx.result);
      if (typeof r.input.prompt === 'string') res.prompt = r.input.prompt;
      if (typeof r.say === 'string') res.output = r.say; // a language endpoint's answer (x-mock-say at submit)
      // The mock echoes image inputs back as outputs so a client can see what reached the provider.
      for (const [k, v] of Object.entries(r.input)) if (typeof v === 'string' && v.startsWith('data:')) res[`echo_${k}`] = v;
      return h.sendJson(out, 200, res, { 'x-fal-request-id': id, 'x-fal-billable-units': '1' });
    }
    return null;
  }
  if (method === 'POST' && (m = /^\/([^/]+)\/([^/]+)(\/.*)?$/.exec(urlPath))) {
    const id = crypto.randomUUID();
    if (req.headers['x-mock-fal-sync'] === '1') {
      // a synchronous call (fal.run/{model}): the result and its billable units at once
      const res = h.clone(fx.result);
      if (typeof body.prompt === 'string') res.prompt = body.prompt;
      return h.sendJson(out, 200, res, { 'x-fal-request-id': id, 'x-fal-billable-units': '1.5' });
    }
    const pendingPolls = h.intHeader(req, 'x-mock-fal-pending-polls') || 0;
    falRequests.set(id, { input: body, polls: 0, pendingPolls, say: body[SAY] });
    const r = { ...h.clone(fx.submit), ...falIds(`${m[1]}/${m[2]}`, id) };
    return h.sendJson(out, 200, r, { 'x-fal-request-id': id });
  }
  return null;
}

// ---------------------------------------------------------------------------------------------

/**
 * Routes one authenticated request of `provider`. Returns a promise that resolves after the
 * answer, or null (synchronously or resolved) when no route matched (the caller sends 404).
 */
export function nativeRoute(provider, req, out, urlPath, body, query, fx, h) {
  switch (provider) {
    case 'gemini': return gemini(req, out, urlPath, body, query, fx, h);
    case 'anthropic': return anthropic(req, out, urlPath, body, query, fx, h);
    case 'replicate': return replicate(req, out, urlPath, body, query, fx, h);
    case 'openrouter':
    case 'deepseek':
    case 'fireworks': return openaiLike(provider, req, out, urlPath, body, query, fx, h);
    case 'fal': return fal(req, out, urlPath, body, query, fx, h);
    default: return null;
  }
}

/** Unauthenticated provider routes (before the key check): returns a promise or null. */
export function nativeOpenRoute(provider, req, out, urlPath, fx, h) {
  let m;
  if (provider === 'replicate' && req.method === 'GET' && (m = /^\/v1\/predictions\/([a-z0-9]+)\/stream$/.exec(urlPath))) {
    return replicateStream(req, out, m[1], fx, h);
  }
  return null;
}
