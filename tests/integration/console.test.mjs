// Admin console (gateway/console/, served at /admin/) driven in a real browser: Playwright
// (npm playwright-core) with Debian's chromium, headless. SDK traffic with personal data goes
// through aigw first, so the pages have real rows to show. Screenshots of every page land in
// artifacts/<run>/console-screens/ (look at them: the layout is part of what is tested by eye).
//
// Roles are enforced by the server, not by hidden links: the ops test opens the Redactions page
// by URL and expects the server's 403 message on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AIGW_BIN, REPO, artifactDir, client, rawRequest, startPair } from './lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.AIGW_CHROMIUM || '/usr/bin/chromium';
const TOKENS = { privacy: 'console-privacy-tok1', ops: 'console-ops-token01', admin: 'console-admin-tok01' };
const EMAIL = 'alice.console@example.com';
const CARD = '4111 1111 1111 1111';
const PHONE = '+1 415 555 0142';

let pair;
let browser;
let shots;
const browserErrors = [];

function keygen(file) {
  const r = spawnSync(AIGW_BIN, ['keygen', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`aigw keygen failed: ${r.stderr}`);
}

const admin = (method, p, tok, body) => rawRequest(pair.gw, { method, path: p,
  headers: { authorization: `Bearer ${tok}`, ...(body ? { 'content-type': 'application/json' } : {}) },
  body: body ? JSON.stringify(body) : undefined });

before(async () => {
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/install-deps.sh (Debian package chromium)`);
  const data = artifactDir('console-data');
  shots = artifactDir('console-screens');
  const keyFile = path.join(data, 'master.key');
  keygen(keyFile);
  pair = await startPair('console', { aigw: { config: {
    master_key_file: keyFile,
    store: { driver: 'sqlite', path: path.join(data, 'aigw.db') },
    log_bodies: 'scrubbed',
    admin_tokens: Object.entries(TOKENS).map(([role, token]) => ({ role, token })),
    // metering on, so the Usage page has rows
    credits: { default_grant: 100000000 },
    pricing: { 'openai/gpt-4o-mini': { input_per_mtok: 150000, output_per_mtok: 600000 } },
  } } });
  const calls = [
    ['alice-console', `Please email me at ${EMAIL} or call ${PHONE}.`],
    ['bob-console', `Charge my card ${CARD} for the order.`],
    ['alice-console', `Same address as before: ${EMAIL}.`],
    ['carol-console', 'A prompt without personal data.'],
    // a long id as real backends send them (UUID + tenant): the table must still fit 1280 px
    ['9f8e7d6c-5b4a-3210-fedc-ba9876543210.tenant-eu-west-1.customers.example.org', `Reach me at ${EMAIL}.`],
  ];
  for (const [user, content] of calls) {
    await client(pair.gw, { user }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] });
  }
  // The store writes asynchronously: wait until the redaction log holds alice's and bob's rows.
  for (let i = 0; ; i++) {
    const r = await admin('GET', '/admin/api/redactions?limit=1000', TOKENS.privacy);
    if (r.status === 200 && r.json.items.length >= 5) break;
    if (i > 100) throw new Error(`redaction rows did not appear: ${r.status} ${r.body}`);
    await new Promise((res) => setTimeout(res, 50));
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
    // launch() gives Chromium a fresh temporary --user-data-dir of its own (deleted on close);
    // each test also gets a fresh context (own sessionStorage, so its own sign-in).
  });
});

after(async () => {
  await browser?.close();
  await pair?.stop();
});

/** A fresh browser context (own sessionStorage) signed in with tok; returns the page. */
async function signIn(tok, expectRole) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // 403/404 resource errors are expected (role probing, missing routes); CSP or script errors are not.
    // (and 400: the Usage page asks for group_by=day,provider first and falls back to day).
    if (m.type() === 'error' && !/status of 40[034]/.test(m.text())) browserErrors.push(`console: ${m.text()}`);
  });
  await page.goto(`${pair.gw.url}/admin/`);
  await page.fill('#token', tok);
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('[data-testid=role]');
  assert.equal(await page.textContent('[data-testid=role]'), expectRole);
  return page;
}

const navLinks = (page) => page.$$eval('#nav a', (as) => as.map((a) => a.textContent));
const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

test('an unknown token is refused with a message and no pages', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${pair.gw.url}/admin/`);
  await page.fill('#token', 'not-a-real-token-123');
  await page.click('[data-testid=signin] button[type=submit]');
  await page.waitForSelector('.notice-error');
  assert.match(await page.textContent('.notice-error'), /does not know this token/);
  assert.deepEqual(await navLinks(page), []);
  await shot(page, '00-signin-refused');
  await ctx.close();
});

test('privacy sees the redaction chart and list, filters it, and never a raw value', async () => {
  const page = await signIn(TOKENS.privacy, 'privacy');
  assert.deepEqual(await navLinks(page), ['Users', 'Redactions', 'Retention']);
  await page.click('#nav a[data-page=redactions]');
  // the type filter lists every type of the engine's table (national identifiers included), not a
  // hand-kept subset
  const typesApi = await admin('GET', '/admin/api/redactions/types', TOKENS.privacy);
  assert.equal(typesApi.status, 200);
  for (const t of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'SECRET', 'UK_NINO', 'CN_RESIDENT_ID', 'TH_TNIN', 'RU_INN', 'CO_CEDULA']) {
    assert.ok(typesApi.json.types.includes(t), `${t} in /redactions/types`);
  }
  await page.waitForFunction((n) => document.querySelectorAll('select[name=type] option').length > n, typesApi.json.types.length);
  const options = await page.$$eval('select[name=type] option', (os) => os.map((o) => o.value));
  for (const t of typesApi.json.types) assert.ok(options.includes(t), `${t} in the type filter`);
  await page.waitForSelector('canvas[data-testid=redaction-chart]');
  await page.waitForSelector('[data-testid=redaction-table] tbody tr');
  const rows = await page.$$eval('[data-testid=redaction-table] tbody tr', (trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const types = rows.map((r) => r[4]);
  for (const t of ['EMAIL_ADDRESS', 'PHONE_NUMBER', 'CREDIT_CARD']) assert.ok(types.includes(t), `${t} in ${types}`);
  assert.ok(rows.every((r) => /^[0-9a-f]{8,}$/.test(r[7])), 'every row shows a keyed hash');
  assert.ok(rows.every((r) => /^\d+–\d+$/.test(r[5])), 'every row shows offsets');
  const text = await page.textContent('main');
  for (const raw of [EMAIL, CARD, PHONE, '4111']) assert.ok(!text.includes(raw), `raw value ${raw} on the page`);
  // issue 14: at 1280 px the whole table is visible: nothing cut off, no sideways scrolling
  const fit = await page.$eval('[data-testid=redaction-table]', (t) => {
    const table = t.tagName === 'TABLE' ? t : t.querySelector('table');
    const wrap = table.parentElement;
    const cells = [...table.querySelectorAll('th, td')].map((c) => c.getBoundingClientRect().right);
    return { scroll: wrap.scrollWidth, client: wrap.clientWidth, right: Math.max(...cells), page: document.documentElement.scrollWidth, cols: [...table.querySelectorAll("tbody tr:first-child td")].map((c) => Math.round(c.getBoundingClientRect().width) + ":" + c.textContent.slice(0, 30)) };
  });
  assert.ok(fit.scroll <= fit.client + 1 && fit.right <= 1280 && fit.page <= 1280, `redaction table fits 1280 px: ${JSON.stringify(fit)}`);
  // the same e-mail address twice: the same keyed hash
  const emailHashes = new Set(rows.filter((r) => r[4] === 'EMAIL_ADDRESS').map((r) => r[7]));
  assert.equal(emailHashes.size, 1);
  await shot(page, '10-privacy-redactions');

  await page.selectOption('select[name=type]', 'CREDIT_CARD');
  await page.click('[data-testid=redaction-filters] button[type=submit]');
  // (while the filtered page loads, the table is gone: wait for rows, all of the type)
  await page.waitForFunction(() => {
    const trs = [...document.querySelectorAll('[data-testid=redaction-table] tbody tr')];
    return trs.length > 0 && trs.every((tr) => tr.children[4].textContent === 'CREDIT_CARD');
  });
  const users = await page.$$eval('[data-testid=redaction-table] tbody tr', (trs) => trs.map((tr) => tr.children[1].textContent));
  assert.deepEqual([...new Set(users)], ['bob-console']);

  await page.selectOption('select[name=type]', '');
  await page.fill('input[name=user]', 'nobody-here');
  await page.click('[data-testid=redaction-filters] button[type=submit]');
  await page.waitForSelector('[data-testid=redaction-table-empty]');
  assert.match(await page.textContent('[data-testid=redaction-table-empty]'), /No redactions match/);
  await page.context().close();
});

test('privacy sees retention per class and purges now', async () => {
  const page = await signIn(TOKENS.privacy, 'privacy');
  await page.click('#nav a[data-page=retention]');
  await page.waitForSelector('[data-testid=retention-table] tbody tr');
  const rows = await page.$$eval('[data-testid=retention-table] tbody tr', (trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.equal(rows.length, 4);
  const calls = rows.find((r) => r[1] === 'retention.call_log_days');
  assert.equal(calls[2], '90 days');
  assert.ok(Number(calls[3]) >= 4, `call rows: ${calls[3]}`);
  assert.equal(rows.find((r) => r[1] === 'retention.image_payload_hours')[2], 'not kept');
  await page.click('[data-testid=purge-now]');
  await page.click('[data-testid=purge-confirm]');
  await page.waitForSelector('[data-testid=purge-table]');
  assert.match(await page.textContent('[data-testid=purge-result]'), /Purged 0 expired rows/);
  await shot(page, '11-privacy-retention');
  await page.context().close();
});

test('privacy exports a user and forgets them after typing the id', async () => {
  const page = await signIn(TOKENS.privacy, 'privacy');
  await page.click('#nav a[data-page=users]');
  await page.fill('input[name=user]', 'alice-console');
  await page.click('[data-testid=user-lookup] button[type=submit]');
  await page.waitForSelector('[data-testid=export]');
  // issue 14: the privacy role sees whether aigw holds data for the id, and the consent
  await page.waitForFunction(() => /holds data for this user/.test(document.querySelector('[data-testid=user-known]')?.textContent));
  assert.match(await page.textContent('[data-testid=consent-state]'), /no consent to training/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export]')]);
  const file = path.join(shots, 'export-alice-console.json');
  await dl.saveAs(file);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(doc.user.id, 'alice-console');
  assert.equal(doc.calls.length, 2);
  assert.ok(!fs.readFileSync(file, 'utf8').includes(EMAIL), 'the stored bodies are the scrubbed ones');
  assert.match(await page.textContent('[data-testid=export-result]'), /Downloaded: 2 calls/);

  const btn = page.locator('[data-testid=forget]');
  assert.equal(await btn.isDisabled(), true);
  await page.fill('input[name=confirm]', 'alice-consol');
  assert.equal(await btn.isDisabled(), true, 'a near miss does not enable erasure');
  await page.fill('input[name=confirm]', 'alice-console');
  assert.equal(await btn.isDisabled(), false);
  await shot(page, '12-privacy-users-before-forget');
  await btn.click();
  await page.waitForSelector('[data-testid=forget-result] .notice-ok');
  const receipt = await page.textContent('[data-testid=forget-result]');
  assert.match(receipt, /Erased\. Data key destroyed: yes\. Deleted 2 calls/);
  await shot(page, '13-privacy-users-forgotten');
  // the server agrees: no export, no redaction rows for alice
  assert.equal((await admin('GET', '/admin/api/users/alice-console/export', TOKENS.privacy)).status, 404);
  const red = await admin('GET', '/admin/api/redactions?user=alice-console', TOKENS.privacy);
  assert.deepEqual(red.json.items, []);
  // an id aigw does not know (a typo, or erased already): "no such user", nothing erased, no green "Erased."
  for (const id of ['alice-console', 'alice-consoel']) {
    await page.fill('input[name=user]', id);
    await page.click('[data-testid=user-lookup] button[type=submit]');
    await page.waitForFunction(() => /No such user/.test(document.querySelector('[data-testid=user-known]')?.textContent));
    await page.fill('input[name=confirm]', id);
    await page.locator('[data-testid=forget]').click();
    await page.waitForSelector('[data-testid=forget-result] .notice-info');
    assert.match(await page.textContent('[data-testid=forget-result]'), /No such user\. aigw holds no data for this id; nothing was erased/);
    assert.equal(await page.$('[data-testid=forget-result] .notice-ok'), null);
  }
  await shot(page, '14-privacy-users-no-such-user');
  await page.context().close();
});

test('ops has no redactions page: the server answers 403 and the console says so', async () => {
  const page = await signIn(TOKENS.ops, 'ops');
  const links = await navLinks(page);
  assert.deepEqual(links, ['Usage', 'Users', 'Health']);
  await page.goto(`${pair.gw.url}/admin/#/redactions`);
  await page.waitForSelector('.notice-error');
  const errs = await page.$$eval('.notice-error', (ns) => ns.map((n) => n.textContent));
  assert.ok(errs.some((e) => /^403 Forbidden: this route needs the privacy role; the token has the ops role/.test(e)), errs.join(' | '));
  assert.equal(await page.$('[data-testid=redaction-table] tbody tr'), null);
  await shot(page, '20-ops-redactions-403');

  await page.goto(`${pair.gw.url}/admin/#/health`);
  await page.waitForSelector('[data-testid=tile-p99] .tile-value');
  assert.match(await page.textContent('[data-testid=tile-p99]'), /\d+(\.\d+)? (µs|ms)/);
  assert.match(await page.textContent('[data-testid=tile-errors]'), /0\.0 %/);
  // the upstream card lists the mock's origin and its (closed) breaker
  await page.waitForSelector('[data-testid=breaker-table] tbody tr');
  const breaker = await page.textContent('[data-testid=breaker-table]');
  assert.match(breaker, new RegExp(`${pair.mock.url.replace(/[.:/]/g, '\\$&')}\\s*closed`));
  await shot(page, '21-ops-health');
  await page.context().close();
});

test('ops sees usage with a chart, top users and a CSV of the same report', async (t) => {
  const probe = await admin('GET', '/admin/api/usage?group_by=user&format=json', TOKENS.ops);
  assert.equal(probe.status, 200, probe.body);
  const metered = probe.json.rows.map((r) => r.key);
  assert.ok(metered.includes('bob-console'), `usage rows for the test's users: ${JSON.stringify(metered)}`);
  const page = await signIn(TOKENS.ops, 'ops');
  await page.click('#nav a[data-page=usage]');
  await page.waitForSelector('[data-testid=top-users-table] tbody tr, [data-testid=top-users] .notice-error');
  assert.equal(await page.$('[data-testid=top-users] .notice-error'), null, await page.textContent('[data-testid=top-users]'));
  await page.waitForSelector('canvas[data-testid=usage-chart]');
  // issue 13: the "by provider/model" selector is served (group_by=day,provider), not the daily-totals fallback
  const split = await admin('GET', '/admin/api/usage?group_by=day%2Cprovider&format=json', TOKENS.ops);
  assert.equal(split.status, 200, split.body);
  assert.ok(split.json.rows.every((r) => typeof r.day === 'string' && typeof r.provider === 'string'), split.body);
  assert.doesNotMatch(await page.textContent('.chart-box + p'), /one grouping at a time/);
  assert.match(await page.textContent('.chart-box + p'), /calls, [\d,]+ tokens, .* credits \([\d,]+ micro-credits\) charged/);
  const users = await page.$$eval('[data-testid=top-users-table] tbody tr', (trs) => trs.map((tr) => tr.children[0].textContent));
  // alice was forgotten by an earlier test: her ledger rows live on under a tombstone id (erased:<random>)
  for (const u of ['alice-console', 'bob-console']) {
    assert.ok(users.includes(u) || users.some((x) => x.startsWith('erased:')), users.join());
  }
  await shot(page, '22-ops-usage');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv]')]);
  const csv = fs.readFileSync(await dl.path(), 'utf8');
  // the page's default range: the last 30 UTC days, `to` exclusive
  const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
  const api = await admin('GET', `/admin/api/usage?from=${day(-29)}&to=${day(1)}&group_by=user&format=csv`, TOKENS.ops);
  assert.equal(api.status, 200);
  assert.equal(csv, api.body, 'the CSV download is the API report');
  assert.match(csv, /bob-console/);
  await page.context().close();
});

test('no script or CSP errors in any page', () => {
  assert.deepEqual(browserErrors, []);
});

test('Prometheus parsing and histogram quantiles used by the Health page', async () => {
  const m = await import(path.join(REPO, 'gateway/console/js/metrics.js'));
  const text = [
    '# TYPE aigw_requests_total counter',
    'aigw_requests_total{provider="openai",status="200"} 90',
    'aigw_requests_total{provider="openai",status="502"} 10',
    'aigw_overhead_seconds_bucket{le="0.0001"} 50',
    'aigw_overhead_seconds_bucket{le="0.001"} 100',
    'aigw_overhead_seconds_bucket{le="+Inf"} 100',
    'aigw_overhead_seconds_count 100',
  ].join('\n');
  const s = m.parseProm(text);
  assert.equal(m.sum(s, 'aigw_requests_total'), 100);
  const hist = m.histogram(s, 'aigw_overhead_seconds');
  assert.equal(m.quantile(hist, 0.5), 0.0001);
  // p99: rank 99 falls in (0.0001, 0.001] holding 50 -> 0.0001 + 0.0009 * 49/50
  assert.ok(Math.abs(m.quantile(hist, 0.99) - (0.0001 + 0.0009 * 49 / 50)) < 1e-12);
  const st = m.healthStats({ at: 0, samples: m.parseProm('aigw_requests_total{status="200"} 40') }, { at: 10000, samples: s });
  assert.equal(st.requests, 60);
  assert.equal(st.rate, 6);
  assert.equal(st.errors5xx, 10);
  assert.equal(m.quantile({ buckets: [] }, 0.5), null);
  // circuit breakers per origin (gateway/retry.c's series), open ones first
  const b = m.breakerRows(m.parseProm([
    'aigw_upstream_circuit_state{origin="https://api.openai.com"} 0',
    'aigw_upstream_circuit_state{origin="https://api.replicate.com"} 1',
    'aigw_upstream_circuit_failures{origin="https://api.replicate.com"} 7',
    'aigw_upstream_circuit_opened_total{origin="https://api.replicate.com"} 2',
    'aigw_upstream_circuit_rejected_total{origin="https://api.replicate.com"} 31',
    'aigw_upstream_retries_total{provider="openai",reason="status"} 4',
  ].join('\n')));
  assert.deepEqual(b, [
    { origin: 'https://api.replicate.com', state: 'open', failures: 7, opened: 2, rejected: 31 },
    { origin: 'https://api.openai.com', state: 'closed', failures: 0, opened: 0, rejected: 0 },
  ]);
});
