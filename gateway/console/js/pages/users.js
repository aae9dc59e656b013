// Users: one user at a time, by id. Ops: balance and grants (GET /admin/api/users/{id},
// POST .../credits). Privacy: training consent (PUT .../consent), access request (GET
// .../export, downloaded as JSON) and erasure (DELETE /admin/api/users/{id}) behind a typed
// confirmation of the id.
import { api, userPath } from '../api.js';
import { download, fmtCredits, fmtCreditsBoth, fmtInt, fmtMicro, fmtTime, h, notice, parseCredits, setChildren } from '../util.js';

const state = { id: '' };
const errText = (e) => (e.describe ? e.describe() : String(e));

function render(root, { roles }) {
  const handoff = sessionStorage.getItem('aigw.console.user'); /* set by the Usage page's user links */
  if (handoff) {
    state.id = handoff;
    sessionStorage.removeItem('aigw.console.user');
  }
  const idIn = h('input', { name: 'user', type: 'text', required: true, placeholder: 'user id (X-AIGW-User)',
    value: state.id, autocomplete: 'off', spellcheck: 'false', 'aria-label': 'user id' });
  const body = h('div', { class: 'user-body' });
  root.append(
    h('div', { class: 'page-head' }, h('h1', {}, 'Users')),
    h('form', { class: 'card filters', 'data-testid': 'user-lookup', onsubmit: (e) => {
      e.preventDefault();
      state.id = idIn.value.trim();
      if (state.id) show(state.id);
    } }, h('label', {}, 'User ', idIn), h('button', { type: 'submit', class: 'primary' }, 'Open'),
    h('span', { class: 'muted' }, 'The id your backend sends in X-AIGW-User.')),
    body);
  if (state.id) show(state.id);
  else setChildren(body, h('p', { class: 'empty' }, 'Enter a user id to see ',
    [roles.ops ? 'their balance and grant credits' : null, roles.privacy ? 'their consent, export their data or erase them' : null]
      .filter(Boolean).join(', or '), '.'));

  function show(id) {
    setChildren(body, h('h2', { class: 'user-title' }, 'User ', h('code', { 'data-testid': 'user-id' }, id)),
      h('div', { class: 'grid' }, roles.ops ? opsCard(id) : null, roles.privacy ? privacyCards(id) : null));
  }
}

/* ---- ops: balance and grants ------------------------------------------------------------ */

function opsCard(id) {
  const info = h('div', { 'data-testid': 'user-balance' }, h('p', { class: 'muted' }, 'Loading…'));
  const amount = h('input', { name: 'amount', type: 'text', inputmode: 'decimal', required: true, placeholder: '10', 'aria-label': 'credits' });
  const reason = h('input', { name: 'reason', type: 'text', required: true, placeholder: 'reason (kept in the ledger)', 'aria-label': 'reason' });
  const out = h('div', { 'aria-live': 'polite' });
  const card = h('div', { class: 'card' }, h('h3', {}, 'Credits'), info,
    h('form', { class: 'stack', 'data-testid': 'grant-form', onsubmit: async (e) => {
      e.preventDefault();
      const micro = parseCredits(amount.value);
      if (micro === null || micro === 0) {
        setChildren(out, notice('error', 'Amount: a number of credits such as 10 or 2.5 (up to 6 decimals; negative to adjust down).'));
        return;
      }
      try {
        await api(userPath(id, '/credits'), { method: 'POST', body: { amount_microcredits: micro, reason: reason.value.trim() } });
        setChildren(out, notice('ok', `${micro > 0 ? 'Granted' : 'Adjusted by'} ${fmtCreditsBoth(micro)}.`));
        amount.value = '';
        reason.value = '';
        load();
      } catch (err) {
        setChildren(out, notice('error', errText(err)));
      }
    } }, h('h4', {}, 'Grant credits'), h('div', { class: 'row' }, amount, h('span', { class: 'muted' }, 'credits (1 credit = 1,000,000 micro-credits)')), reason,
    h('button', { type: 'submit', class: 'primary' }, 'Grant'), out));
  async function load() {
    try {
      const u = await api(userPath(id));
      setChildren(info, h('dl', { class: 'facts' },
        h('dt', {}, 'Balance'), h('dd', { class: 'big', 'data-testid': 'balance' }, fmtCredits(u.balance_microcredits)),
        h('dd', { class: 'muted', 'data-testid': 'balance-micro' }, fmtMicro(u.balance_microcredits)),
        h('dt', {}, 'Reserved by calls in flight'), h('dd', {}, fmtCreditsBoth(u.reserved_microcredits)),
        h('dt', {}, 'Training consent'), h('dd', {}, u.consent_training ? 'given' : 'not given'),
        h('dt', {}, 'First seen'), h('dd', {}, fmtTime(u.created_at))));
    } catch (e) {
      setChildren(info, e.status === 404 && /metering|not available/i.test(e.message)
        ? notice('info', 'Credits are not available in this aigw build (the metering routes answer 404).')
        : e.status === 404 ? notice('info', 'aigw has no user with this id yet (users appear on their first request).')
          : notice('error', errText(e)));
    }
  }
  load();
  return card;
}

/* ---- privacy: consent, export, erasure ------------------------------------------------ */

function privacyCards(id) {
  return [consentCard(id), exportCard(id), forgetCard(id)];
}

function consentCard(id) {
  const current = h('p', { 'data-testid': 'consent-state' }, 'Current state: not loaded (an export shows it).');
  const out = h('div', { 'aria-live': 'polite' });
  const set = async (training) => {
    try {
      const r = await api(userPath(id, '/consent'), { method: 'PUT', body: { training } });
      current.textContent = `Current state: ${r.consent_training ? 'consent to training given' : 'no consent to training'}.`;
      setChildren(out, notice('ok', training ? 'Consent recorded.' : 'Consent withdrawn.'));
    } catch (e) {
      setChildren(out, notice('error', errText(e)));
    }
  };
  return h('div', { class: 'card', 'data-testid': 'consent-card' }, h('h3', {}, 'Training consent'),
    h('p', { class: 'muted' }, 'With training.mode "deny_unless_consent", calls to providers that may train on prompts are refused unless the user consented.'),
    current,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => set(true) }, 'Record consent'),
      h('button', { type: 'button', onclick: () => set(false) }, 'Withdraw consent')), out);
}

function exportCard(id) {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'export-result' });
  const btn = h('button', { type: 'button', class: 'primary', 'data-testid': 'export', onclick: async () => {
    btn.disabled = true;
    setChildren(out, notice('info', 'Preparing the export…'));
    try {
      const text = await api(userPath(id, '/export'), { as: 'text' });
      const doc = JSON.parse(text);
      download(`aigw-export-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.json`, text, 'application/json');
      setChildren(out, notice('ok', `Downloaded: ${fmtInt(doc.calls?.length ?? 0)} calls, ${fmtInt(doc.redactions?.length ?? 0)} redactions, `,
        `training consent ${doc.user?.consent_training ? 'given' : 'not given'}.`));
    } catch (e) {
      setChildren(out, notice(e.status === 404 ? 'info' : 'error', e.status === 404 ? 'aigw holds no data for this user.' : errText(e)));
    } finally {
      btn.disabled = false;
    }
  } }, 'Download export (JSON)');
  return h('div', { class: 'card', 'data-testid': 'export-card' }, h('h3', {}, 'Access request'),
    h('p', { class: 'muted' }, 'One JSON document with the user’s calls (decrypted bodies, as scrubbed before the provider saw them), redactions and consent.'),
    btn, out);
}

function forgetCard(id) {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'forget-result' });
  const confirmIn = h('input', { type: 'text', name: 'confirm', autocomplete: 'off', spellcheck: 'false',
    'aria-label': 'type the user id to confirm', placeholder: id });
  const btn = h('button', { type: 'submit', class: 'danger', disabled: true, 'data-testid': 'forget' }, 'Erase this user');
  confirmIn.addEventListener('input', () => {
    btn.disabled = confirmIn.value !== id;
  });
  return h('form', { class: 'card danger-zone', 'data-testid': 'forget-card', onsubmit: async (e) => {
    e.preventDefault();
    if (confirmIn.value !== id) return;
    btn.disabled = true;
    try {
      const r = await api(userPath(id), { method: 'DELETE' });
      confirmIn.value = '';
      setChildren(out, notice('ok', h('b', {}, 'Erased. '), `Data key destroyed: ${r.key_destroyed ? 'yes' : 'no key existed'}. `,
        `Deleted ${fmtInt(r.deleted?.calls)} calls, ${fmtInt(r.deleted?.redactions)} redactions, ${fmtInt(r.deleted?.access_log)} access-log rows; `,
        `${fmtInt(r.ledger_tombstoned)} ledger rows now under ${r.tombstone}. At ${fmtTime(r.at)}.`),
      h('details', {}, h('summary', {}, 'Receipt (JSON)'), h('pre', {}, JSON.stringify(r, null, 2))));
    } catch (err) {
      setChildren(out, notice('error', errText(err)));
      btn.disabled = confirmIn.value !== id;
    }
  } }, h('h3', {}, 'Erasure (right to be forgotten)'),
  h('p', { class: 'muted' }, 'Destroys the user’s data key first (their call bodies become unreadable), then deletes their calls, redactions ',
    'and access-log rows; ledger amounts stay under a tombstone id. This cannot be undone. Backups taken earlier stay ',
    'readable with the current master key until it is rotated (docs/deploy.md).'),
  h('label', {}, 'Type ', h('code', {}, id), ' to confirm'), confirmIn, btn, out);
}

export default { id: 'users', title: 'Users', needs: ['ops', 'privacy'], render };
