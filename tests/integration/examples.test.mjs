// docs/examples/*.json (one per privacy policy in tests/fixtures/seeds/) must stay loadable:
// 1. `aigw check --config FILE` with every ${VAR} it references set: the core keys (listen,
//    clients, admin tokens, providers) and the set of top-level sections;
// 2. `aigw serve` on the same file with only listen (a free loopback port, no TLS), store (a
//    fresh SQLite file) and master_key_file (a fresh key) replaced: the modules that validate
//    their own sections at start (pii, training, retention, store, log_bodies, models, pricing,
//    credits, rate_limits as they land) accept them, and /healthz answers 200.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AIGW_BIN, REPO, artifactDir, freePort, httpStatus, makeCert, sleep } from './lib/harness.mjs';

const EXAMPLES = path.join(REPO, 'docs/examples');
const SEEDS = path.join(REPO, 'tests/fixtures/seeds');
const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
const dir = artifactDir('examples');
const keyFile = path.join(dir, 'master.key');
assert.equal(spawnSync(AIGW_BIN, ['keygen', keyFile]).status, 0);
const tls = makeCert(dir);

/** A value for every ${NAME} the file references (secrets long enough for aigw's minimums). */
function envFor(text) {
  const env = { ...process.env };
  for (const m of text.matchAll(/\$\{([A-Z0-9_]+)(:-[^}]*)?\}/g)) {
    const name = m[1];
    env[name] = name === 'AIGW_MASTER_KEY_FILE' ? keyFile
      : name === 'AIGW_TLS_CERT' ? tls.cert
        : name === 'AIGW_TLS_KEY' ? tls.key
          : name === 'AIGW_DB' ? path.join(dir, 'check.db')
            : name === 'AIGW_PG_DSN' ? 'host=127.0.0.1 dbname=aigw'
              : `example-${name.toLowerCase().replace(/_/g, '-')}-0123456789`;
  }
  return env;
}

test('there is one example per seed policy, each described in docs/examples/README.md', () => {
  const readme = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
  const seeds = fs.readdirSync(SEEDS).filter((f) => /^\d{3}_.*\.txt$/.test(f)).map((f) => f.replace(/\.txt$/, '.json'));
  assert.ok(seeds.length > 0, `no seed policies in ${SEEDS}`);
  assert.deepEqual(files, seeds.sort());
  for (const f of files) assert.ok(readme.includes(f.replace(/\.json$/, '')), `README.md has no section on ${f}`);
});

for (const f of files) {
  test(`${f}: aigw check accepts it`, () => {
    const file = path.join(EXAMPLES, f);
    const r = spawnSync(AIGW_BIN, ['check', '--config', file], { env: envFor(fs.readFileSync(file, 'utf8')), encoding: 'utf8' });
    assert.equal(r.status, 0, `aigw check --config ${f}: ${r.stderr}${r.stdout}`);
    assert.match(r.stdout, /: OK \(/);
  });

  test(`${f}: aigw serve starts on it (listen, store and key swapped for test ones)`, async () => {
    const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
    const cfg = JSON.parse(text);
    const port = await freePort();
    const sub = artifactDir(`examples-${f.slice(0, 3)}`);
    cfg.listen = [{ host: '127.0.0.1', port }];
    cfg.store = { driver: 'sqlite', path: path.join(sub, 'aigw.db') };
    cfg.master_key_file = keyFile;
    const conf = path.join(sub, 'config.json');
    fs.writeFileSync(conf, JSON.stringify(cfg, null, 2));
    const log = path.join(sub, 'stderr.log');
    const fd = fs.openSync(log, 'w');
    const proc = spawn(AIGW_BIN, ['serve', '--config', conf], { env: envFor(text), stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    let exited = null;
    proc.on('exit', (code, signal) => { exited = { code, signal }; });
    try {
      let ok = false;
      for (let i = 0; i < 200 && !exited && !ok; i++) {
        ok = (await httpStatus(`http://127.0.0.1:${port}/healthz`)) === 200;
        if (!ok) await sleep(50);
      }
      assert.ok(ok, `aigw serve on ${f} did not become healthy (${JSON.stringify(exited)}):\n${fs.readFileSync(log, 'utf8')}`);
    } finally {
      if (!exited) {
        proc.kill('SIGTERM');
        await new Promise((res) => proc.on('exit', res));
      }
    }
  });
}
