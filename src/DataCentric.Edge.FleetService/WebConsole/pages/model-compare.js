// A model's versions side by side (#/models/{name}/compare): per version the exposure (device-hours it
// ran), events and clips per hour of it, and the reviewed figures of the dataset import reports; then
// per trigger. The filters live in the URL, as on the clips page, so a comparison can be shared.
import { ApiError, get } from './api.js';
import { el, errorBox } from './dom.js';

const FIELDS = ['fleet', 'device', 'group', 'from', 'to'];

const number = (n) => (n === null || n === undefined ? null : Number(n.toFixed(3)).toString());
const percent = (r) => (r === null || r === undefined ? null : `${(100 * r).toFixed(1)} %`);
const cell = (value, attrs = {}) => el('td', attrs, value ?? el('span', { class: 'muted' }, 'n/a'));

export async function showModelCompare(view, name, params, signal) {
  const inputs = Object.fromEntries(FIELDS.map((f) => [f, el('input', {
    id: `c-${f}`, name: f, value: params.get(f) ?? '',
    placeholder: { fleet: 'demo', device: 'dev-a', group: 'north', from: '2026-12-05T00:00:00Z', to: '2026-12-06T00:00:00Z' }[f],
  })]));
  const form = el('form', { id: 'compare-filters', class: 'search' },
    FIELDS.map((f) => el('label', {}, el('span', {}, f === 'from' || f === 'to' ? `${f} (ISO 8601, UTC)` : f), inputs[f])),
    el('button', { type: 'submit' }, 'Compare'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const f of FIELDS) if (inputs[f].value.trim()) query.set(f, inputs[f].value.trim());
    location.hash = `#/models/${encodeURIComponent(name)}/compare?${query}`;
  });
  const status = el('div', { id: 'compare-status' });
  view.replaceChildren(el('h1', {}, `Compare versions of ${name}`), form, status);

  const query = new URLSearchParams();
  for (const f of FIELDS) if (params.get(f)) query.set(f, params.get(f));
  let c;
  try {
    c = await get(`/api/models/${encodeURIComponent(name)}/compare?${query}`, { signal });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 400 || e.status === 404)) {
      status.replaceChildren(errorBox(e.status === 400 ? `The comparison cannot run: ${e.message}` : e.message));
      return;
    }
    throw e;
  }

  status.replaceChildren(el('p', { class: 'muted' },
    `${c.versions.length} versions on ${c.devices} devices. Not attributed to a version: ${number(c.unattributedHours)} h, ` +
    `${c.unattributedEvents} events, ${c.unattributedClips} clips.`));
  const versions = el('table', { class: 'grid', id: 'compare-versions' },
    el('thead', {}, el('tr', {}, ['Version', 'SHA-256', 'Devices', 'Hours', 'Events', 'Events/h', 'Clips', 'Clips/h',
      'Box precision', 'Box recall', 'Class accuracy', 'Model right', 'Trigger precision', 'Reviewed'].map((h) => el('th', {}, h)))),
    el('tbody', {}, c.versions.map((v) => el('tr', { 'data-version': v.version },
      cell(`v${v.version}`),
      cell(v.sha256 ? v.sha256.slice(0, 12) : null, { class: 'mono', title: v.sha256 ?? '' }),
      cell(v.devices), cell(number(v.exposureHours)), cell(v.events), cell(number(v.eventsPerHour)),
      cell(v.clips), cell(number(v.clipsPerHour)),
      cell(percent(v.reviewed?.boxPrecision)), cell(percent(v.reviewed?.boxRecall)), cell(percent(v.reviewed?.classAccuracy)),
      cell(percent(v.reviewed?.modelRight)), cell(percent(v.reviewed?.triggerPrecision)),
      cell(v.reviewed ? `${v.reviewed.frames} frames (${v.reviewed.reports.join(', ')})` : 'no import report')))));
  const triggers = el('table', { class: 'grid', id: 'compare-triggers' },
    el('thead', {}, el('tr', {}, ['Version', 'Trigger', 'Events', 'Dry run', 'Events/h', 'Clips', 'Clips/h'].map((h) => el('th', {}, h)))),
    el('tbody', {}, c.versions.flatMap((v) => v.triggers.map((t) => el('tr', { 'data-version': v.version, 'data-trigger': t.triggerId },
      cell(`v${v.version}`), cell(t.triggerId), cell(t.events), cell(t.dryRunEvents), cell(number(t.eventsPerHour)),
      cell(t.clips), cell(number(t.clipsPerHour)))))));
  view.append(
    el('div', { class: 'scroll' }, versions),
    el('h2', {}, 'Per trigger'),
    el('div', { class: 'scroll' }, triggers),
    el('p', { class: 'muted', id: 'compare-exposure' }, `Rates: ${c.exposure}.`));
}
