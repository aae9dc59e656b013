// Retention (privacy): per class TTL, rows, oldest record and next expiry
// (GET /admin/api/retention), and purge now (POST /admin/api/purge, ?dry_run=1 to preview).
import { api } from '../api.js';
import { fmtInt, fmtTime, fmtTtl, h, notice, setChildren, table } from '../util.js';

const LABELS = {
  call_log: 'Call log (metadata + encrypted bodies)',
  redaction_log: 'Redaction log',
  access_log: 'Access log (with client IP)',
  image_payload: 'Image payloads in call bodies',
};

function render(root) {
  const statusBox = h('div', { 'data-testid': 'retention-status' });
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'purge-result' });
  const preview = h('button', { type: 'button', onclick: () => purge(true) }, 'Preview (dry run)');
  const purgeBtn = h('button', { type: 'button', class: 'danger', 'data-testid': 'purge-now', onclick: () => confirmPurge() }, 'Purge now');
  const confirmBox = h('div', { class: 'confirm-inline' });
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Retention'),
      h('button', { type: 'button', onclick: () => load() }, 'Refresh')),
    h('p', { class: 'muted' }, 'Every record gets its expiry when written (TTL from the config’s retention section); ',
      'a purge job deletes expired rows in small batches. Purging now runs the same job at once.'),
    h('div', { class: 'card' }, statusBox),
    h('div', { class: 'card' }, h('h2', {}, 'Purge now'),
      h('p', { class: 'muted' }, 'Deletes every row already past its expiry. Nothing that is still within its retention period is touched.'),
      h('div', { class: 'actions' }, preview, purgeBtn, confirmBox), result));

  async function load() {
    try {
      const r = await api('/retention');
      setChildren(statusBox,
        h('div', { class: 'kv' },
          h('div', {}, h('span', { class: 'muted' }, 'Last purge run '), r.last_purge_run ? fmtTime(r.last_purge_run) : 'none since the gateway started'),
          h('div', {}, h('span', { class: 'muted' }, 'Next scheduled run '), r.next_purge_run ? fmtTime(r.next_purge_run) : 'not scheduled')),
        table([
          { label: 'Class', value: (c) => h('span', { title: c.class }, LABELS[c.class] || c.class) },
          { label: 'Config key', value: (c) => h('code', {}, `retention.${c.config_key}`) },
          { label: 'TTL', value: (c) => (c.kept ? fmtTtl(c.ttl_seconds) : 'not kept') },
          { label: 'Rows', value: (c) => fmtInt(c.rows), class: 'num' },
          { label: 'Oldest record', value: (c) => fmtTime(c.oldest), class: 'nowrap' },
          { label: 'Next expiry', value: (c) => fmtTime(c.next_expiry), class: 'nowrap' },
        ], r.classes, { testid: 'retention-table', empty: 'The store reported no retention classes.' }));
    } catch (e) {
      setChildren(statusBox, notice('error', e.describe ? e.describe() : String(e)));
    }
  }

  function confirmPurge() {
    setChildren(confirmBox, h('span', {}, 'Delete every expired row now? '),
      h('button', { type: 'button', class: 'danger', 'data-testid': 'purge-confirm', onclick: () => {
        setChildren(confirmBox);
        purge(false);
      } }, 'Yes, purge'),
      h('button', { type: 'button', class: 'link', onclick: () => setChildren(confirmBox) }, 'Cancel'));
  }

  async function purge(dryRun) {
    preview.disabled = true;
    purgeBtn.disabled = true;
    setChildren(result, notice('info', dryRun ? 'Counting expired rows…' : 'Purging…'));
    try {
      const r = await api('/purge', { method: 'POST', query: dryRun ? { dry_run: 1 } : {} });
      const entries = Object.entries(r.purged || {});
      const total = entries.reduce((a, [, n]) => a + n, 0);
      setChildren(result, notice(total || dryRun ? 'ok' : 'info',
        dryRun ? `Dry run: ${fmtInt(total)} expired rows would be deleted.` : `Purged ${fmtInt(total)} expired rows.`),
      table([{ label: 'Class', value: ([k]) => LABELS[k] || k }, { label: dryRun ? 'Would delete' : 'Deleted', value: ([, n]) => fmtInt(n), class: 'num' }],
        entries, { testid: 'purge-table' }));
      if (!dryRun) load();
    } catch (e) {
      setChildren(result, notice('error', e.status === 404
        ? 'This aigw has no purge-now route (POST /admin/api/purge). Run `aigw purge --config FILE` on the server instead.'
        : e.describe ? e.describe() : String(e)));
    } finally {
      preview.disabled = false;
      purgeBtn.disabled = false;
    }
  }
  load();
}

export default { id: 'retention', title: 'Retention', needs: ['privacy'], render };
