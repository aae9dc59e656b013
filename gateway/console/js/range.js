// Date range picker (UTC days, both ends inclusive in the UI; the API's `to` is exclusive, so
// query() adds a day) with 7/30/90-day presets. Each page keeps its own range between visits.
import { addDays, h, isoDay } from './util.js';

/** A range control. onApply(range) runs on Apply and on a preset. @return {el, get(), query()}. */
export function dateRange(state, onApply, { days = 7 } = {}) {
  if (!state.to) {
    state.to = isoDay(new Date());
    state.from = addDays(state.to, -(days - 1));
  }
  const from = h('input', { type: 'date', name: 'from', value: state.from, required: true, 'aria-label': 'from (UTC)' });
  const to = h('input', { type: 'date', name: 'to', value: state.to, required: true, 'aria-label': 'to (UTC)' });
  const preset = (n) => h('button', { type: 'button', class: 'chip', onclick: () => {
    to.value = isoDay(new Date());
    from.value = addDays(to.value, -(n - 1));
    apply();
  } }, `${n} days`);
  const err = h('span', { class: 'field-error', 'aria-live': 'polite' });
  function apply() {
    if (!from.value || !to.value || from.value > to.value) {
      err.textContent = 'The start must be on or before the end.';
      return;
    }
    err.textContent = '';
    state.from = from.value;
    state.to = to.value;
    onApply(state);
  }
  const el = h('div', { class: 'range' },
    h('label', {}, 'From ', from), h('label', {}, 'to ', to), h('span', { class: 'muted' }, 'UTC'),
    h('button', { type: 'button', onclick: apply }, 'Apply'), preset(7), preset(30), preset(90), err);
  return { el, query: () => ({ from: state.from, to: addDays(state.to, 1) }) };
}
