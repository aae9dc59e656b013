// The admin API client: the token lives in sessionStorage (gone when the tab closes) and goes out
// as `Authorization: Bearer`. The server checks the role on every route; the console only uses
// the answers to decide what to show.

const KEY = 'aigw.console.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An admin API failure: status (0 = network), the server's message, and the route. */
export class ApiError extends Error {
  constructor(status, message, path) {
    super(message);
    this.status = status;
    this.path = path;
  }

  /** One line for people: "403 Forbidden: this route needs the privacy role; ...". */
  describe() {
    const names = { 0: 'Network error', 400: 'Bad request', 401: 'Not signed in', 402: 'Payment required',
      403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed', 409: 'Conflict', 500: 'Server error',
      503: 'Unavailable' };
    return `${this.status ? `${this.status} ` : ''}${names[this.status] || 'Error'}: ${this.message}`;
  }
}

let onUnauthorized = () => {};
/** Called with the ApiError when a request answers 401 (the token was revoked or is wrong). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/**
 * One request. path is absolute ("/admin/api/retention", "/metrics"); opts: {method, body (object
 * -> JSON), query (object, empty values skipped), as: 'json'|'text', tok (a token to try instead
 * of the stored one)}. @return the parsed body; throws ApiError.
 */
export async function request(path, opts = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const url = q.toString() ? `${path}?${q}` : path;
  const headers = { authorization: `Bearer ${opts.tok ?? token.get() ?? ''}` };
  let body;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(url, { method: opts.method || 'GET', headers, body, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new ApiError(0, `aigw did not answer (${e.message})`, path);
  }
  const text = await res.text();
  if (!res.ok) {
    let msg = text.trim() || res.statusText;
    try {
      const j = JSON.parse(text);
      msg = (typeof j.error === 'string' ? j.error : j.error?.message) || msg;
    } catch {
      /* not JSON: keep the text */
    }
    const err = new ApiError(res.status, msg, path);
    if (res.status === 401 && opts.tok === undefined) onUnauthorized(err);
    throw err;
  }
  if (opts.as === 'text') return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'the answer was not JSON', path);
  }
}

/** Admin API shorthand: api('/retention') -> request('/admin/api/retention'). */
export const api = (p, opts) => request(`/admin/api${p}`, opts);

/** "/users/" + the percent-encoded id. */
export const userPath = (id, rest = '') => `/users/${encodeURIComponent(id)}${rest}`;

/**
 * Finds what a token may do by asking the server (there is no "who am I" route): the privacy
 * routes answer 403 to other roles, /metrics answers 403 to non-ops. 401 means an unknown token.
 * @return {privacy: bool, ops: bool, role: 'admin'|'ops'|'privacy'}; throws ApiError (401, network).
 */
export async function probeRoles(tok) {
  const allowed = async (p) => {
    try {
      await request(p, { tok, as: 'text' });
      return true;
    } catch (e) {
      if (e.status === 403) return false;
      if (e.status === 401 || e.status === 0) throw e;
      return true; /* 404/503 come after the role check: the role is allowed, the feature is off */
    }
  };
  const [privacy, ops] = await Promise.all([allowed('/admin/api/retention'), allowed('/metrics')]);
  return { privacy, ops, role: privacy && ops ? 'admin' : ops ? 'ops' : 'privacy' };
}
