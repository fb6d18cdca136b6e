// Clips: search by fleet, device, trigger, model, label (a class the shadow model detected) and time window, a page at a time (the API's keyset
// paging: "next" is the cursor of the following page). The search lives in the URL, so a page can be shared.
import { ApiError, get } from './api.js';
import { bytes, el, errorBox, time } from './dom.js';

// Fleet with device: the catalog's index is (fleet, device, time), a device alone is a scan.
const FIELDS = ['fleet', 'device', 'trigger', 'model', 'label', 'from', 'to'];

export async function showClips(view, params, signal) {
  const inputs = {
    fleet: el('input', { id: 'f-fleet', name: 'fleet', placeholder: 'acme' }),
    device: el('input', { id: 'f-device', name: 'device', placeholder: 'dev-a' }),
    trigger: el('input', { id: 'f-trigger', name: 'trigger', placeholder: 'missed-obstacle' }),
    model: el('input', { id: 'f-model', name: 'model', placeholder: 'model SHA-256' }),
    label: el('input', { id: 'f-label', name: 'label', placeholder: 'class-2' }),
    from: el('input', { id: 'f-from', name: 'from', placeholder: '2026-12-05T10:00:00Z' }),
    to: el('input', { id: 'f-to', name: 'to', placeholder: '2026-12-05T12:00:00Z' }),
  };
  for (const name of FIELDS) inputs[name].value = params.get(name) ?? '';
  const form = el('form', { id: 'clip-search', class: 'search' },
    FIELDS.map((name) => el('label', {}, el('span', {}, name === 'from' || name === 'to' ? `${name} (ISO 8601, UTC)` : name), inputs[name])),
    el('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    for (const name of FIELDS) if (inputs[name].value.trim()) query.set(name, inputs[name].value.trim());
    location.hash = `#/clips?${query}`;
  });
  const status = el('div', { id: 'clips-status' });
  const body = el('tbody', { id: 'clips' });
  const pager = el('nav', { class: 'pager' });
  view.replaceChildren(el('h1', {}, 'Clips'), form, status,
    el('div', { class: 'scroll' }, el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Clip', 'Device', 'Triggers', 'Labels', 'Model', 'Start (UTC)', 'Frames', 'Size'].map((h) => el('th', {}, h)))),
      body)),
    pager);

  const query = new URLSearchParams();
  for (const name of [...FIELDS, 'after', 'limit']) if (params.get(name)) query.set(name, params.get(name));
  if (!query.has('limit')) query.set('limit', '50');
  let page;
  try {
    page = await get(`/api/clips?${query}`, { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      status.replaceChildren(errorBox(`The search cannot run: ${e.message}`));
      return;
    }
    throw e;
  }
  body.replaceChildren(...page.items.map((c) => el('tr', { 'data-clip': c.clipId },
    el('td', {}, el('a', { href: `#/clip/${encodeURIComponent(c.clipId)}` }, c.clipId)),
    el('td', {}, `${c.fleet}/${c.device}`),
    el('td', {}, c.triggerIds.join(', ')),
    el('td', { class: 'labels' }, labelsText(c)),
    el('td', { class: 'mono', title: c.modelSha256 ?? '' }, c.modelSha256 ? c.modelSha256.slice(0, 12) : el('span', { class: 'muted' }, 'none')),
    el('td', {}, time(c.startWall)),
    el('td', {}, c.frameCount),
    el('td', {}, bytes(c.sizeBytes)))));
  status.replaceChildren(el('p', { class: 'muted' }, page.items.length === 0 ? 'No clip matches.' : `${page.items.length} clips on this page${page.next ? '' : ' (the last page)'}.`));
  const first = new URLSearchParams(query);
  first.delete('after');
  pager.replaceChildren(
    params.get('after') ? el('a', { href: `#/clips?${first}`, id: 'first-page' }, '« First page') : null,
    page.next ? el('a', { href: `#/clips?${withAfter(query, page.next)}`, id: 'next-page' }, 'Next page »') : null);
}

/** A clip's labels, or a muted "none" (clips received before labels were read have none either). */
export function labelsText(clip) {
  return clip.labels?.length ? clip.labels.join(', ') : el('span', { class: 'muted' }, 'none');
}

function withAfter(query, after) {
  const next = new URLSearchParams(query);
  next.set('after', after);
  return next;
}
