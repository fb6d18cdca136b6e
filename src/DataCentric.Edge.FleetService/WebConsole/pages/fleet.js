// Fleet: every device with what the catalog and its latest status say, kept live by
// /api/console/devices/events. Fields a device does not report read "not reported". Filter by
// device id prefix and by group (the groups each device announces in its status).
import { get, stream } from './api.js';
import { ago, bytes, el, notReported, time } from './dom.js';

const MAX_PAGES = 20;
// Group names never start with '_' (CONTRACT.md), so this cannot be one.
const NO_GROUP = '_none';

/** The group choices: every group a device announced, and devices that announced none; keeps the choice. */
function groupOptions(select, devices, chosen) {
  const groups = [...new Set([...devices.values()].flatMap((d) => d.groups ?? []))].sort();
  const wanted = select.value || chosen || '';
  const options = [['', 'all groups'], ...groups.map((g) => [g, g]), [NO_GROUP, 'no group reported']];
  const key = options.map(([v]) => v).join('\n');
  if (select.dataset.options !== key) {
    select.replaceChildren(...options.map(([value, text]) => el('option', { value }, text)));
    select.dataset.options = key;
  }
  select.value = options.some(([v]) => v === wanted) ? wanted : '';
}

export async function showFleet(view, params, signal) {
  const devices = new Map();
  const prefix = el('input', { id: 'device-prefix', type: 'search', placeholder: 'e.g. dev-a', value: params.get('prefix') ?? '' });
  const group = el('select', { id: 'group-filter' });
  const live = el('span', { id: 'live', class: 'live off' }, 'connecting…');
  const summary = el('p', { id: 'fleet-summary', class: 'muted' });
  const body = el('tbody', { id: 'devices' });
  const table = el('div', { class: 'scroll' }, el('table', { class: 'grid' },
    el('thead', {}, el('tr', {}, ['Device', 'State', 'Last seen', 'Trigger set', 'Ack', 'Model', 'Frames/s', 'Inference p50 / p99', 'Upload backlog', 'Disk (data / free)', 'Faults'].map((h) => el('th', {}, h)))),
    body));
  view.replaceChildren(
    el('section', { class: 'toolbar' },
      el('h1', {}, 'Fleet'),
      el('label', { for: 'device-prefix' }, 'Filter by device id prefix'),
      prefix,
      el('label', { for: 'group-filter' }, 'group'),
      group,
      live),
    summary,
    table);

  const render = () => {
    const wanted = prefix.value.trim();
    groupOptions(group, devices, params.get('group'));
    const inGroup = group.value;
    const rows = [...devices.values()]
      .filter((d) => d.device.startsWith(wanted))
      .filter((d) => inGroup === '' || (inGroup === NO_GROUP ? !d.groups?.length : d.groups?.includes(inGroup)))
      .sort((a, b) => a.fleet.localeCompare(b.fleet) || a.device.localeCompare(b.device));
    body.replaceChildren(...rows.map(row));
    const online = rows.filter((d) => d.state === 'online').length;
    summary.textContent = `${rows.length} of ${devices.size} devices shown, ${online} online.`;
    if (devices.size === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 11, class: 'muted' }, 'No device has reported to this service yet.')));
  };
  const remember = () => {
    const query = new URLSearchParams();
    if (prefix.value) query.set('prefix', prefix.value);
    if (group.value) query.set('group', group.value);
    params.set('group', group.value);
    history.replaceState(null, '', `#/fleet${query.size ? `?${query}` : ''}`);
    render();
  };
  prefix.addEventListener('input', remember);
  group.addEventListener('change', remember);

  const load = async () => {
    devices.clear();
    let after = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({ limit: '1000' });
      if (after) query.set('after', after);
      const answer = await get(`/api/console/devices?${query}`, { signal });
      for (const d of answer.items) devices.set(`${d.fleet}/${d.device}`, d);
      render(); // the first page shows before the rest arrive
      after = answer.next;
      if (!after) break;
    }
  };
  await load();
  follow(devices, render, load, live, signal);
}

/** Applies live updates; reconnects with a growing delay while the page is open. */
async function follow(devices, render, load, live, signal) {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      await stream('/api/console/devices/events', (name, data) => {
        if (name === 'resync') {
          load().catch(() => {});
          return;
        }
        if (name !== 'device') return;
        const update = JSON.parse(data);
        const key = `${update.fleet}/${update.device}`;
        const held = devices.get(key);
        // A Last Will has no trigger set and no health: keep what was shown; first seen stays the catalog's.
        devices.set(key, {
          ...update,
          firstSeen: held?.firstSeen ?? update.firstSeen,
          triggerSetVersion: update.triggerSetVersion ?? held?.triggerSetVersion ?? null,
          health: update.health ?? held?.health ?? null,
          triggerSetAck: update.triggerSetAck ?? held?.triggerSetAck ?? null,
          // The feed knows models only from acks since the service started: keep the catalog's until it has some.
          models: update.models?.length ? update.models : held?.models ?? [],
          groups: update.groups?.length ? update.groups : held?.groups ?? [],
        });
        render();
      }, signal, () => {
        live.textContent = 'live';
        live.className = 'live on';
        delay = 1000;
      });
    } catch (e) {
      if (signal.aborted) return;
      live.textContent = `reconnecting (${e.message})`;
    }
    if (signal.aborted) return;
    live.className = 'live off';
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 30000);
  }
}

function row(d) {
  const h = d.health;
  const faults = h?.faults ?? null;
  return el('tr', { 'data-device': d.device, class: `state-${d.state}` },
    el('td', {}, el('span', { class: 'muted' }, `${d.fleet}/`), d.device, d.groups?.length ? el('div', { class: 'muted small groups' }, d.groups.join(', ')) : null),
    el('td', {}, el('span', { class: `badge ${d.state}` }, d.state), d.detail ? el('div', { class: 'muted small' }, d.detail) : null),
    el('td', { title: time(d.lastSeen) }, ago(d.lastSeen)),
    el('td', {}, d.triggerSetVersion === null || d.triggerSetVersion === undefined ? notReported() : `v${d.triggerSetVersion}`),
    el('td', { class: 'ack' }, ackCell(d.triggerSetAck)),
    el('td', { class: 'models' }, d.models?.length ? d.models.map(modelLine) : notReported()),
    el('td', {}, h ? h.framesPerSecond.toFixed(1) : notReported()),
    el('td', {}, h && h.models.length ? h.models.map((m) => el('div', {}, `${m.name}: ${m.p50Ms?.toFixed(1) ?? '–'} / ${m.p99Ms?.toFixed(1) ?? '–'} ms${m.running ? '' : ' (stopped)'}`)) : notReported()),
    el('td', {}, h ? `${h.uploadBacklogClips} clips` : notReported()),
    el('td', {}, h ? `${bytes(h.dataDirectoryBytes)} / ${bytes(h.dataVolumeFreeBytes)}` : notReported()),
    el('td', { class: 'faults' }, faults === null ? notReported()
      : faults.length === 0 ? el('span', { class: 'ok' }, 'none')
      : faults.map((f) => el('div', { class: 'fault' }, `${f.component} (${f.device}): ${f.state}: ${f.detail}`))));
}

/** The device's latest trigger-set decision: "v5 accepted", or "v6 rejected: <reason>" with the version it kept running. */
function ackCell(a) {
  if (!a) return notReported();
  const version = a.version === null || a.version === undefined ? 'unreadable set' : `v${a.version}`;
  if (a.decision === 'accepted') return el('span', { class: 'ok', title: time(a.at) }, `${version} accepted`);
  return el('span', { class: 'fault', title: `${time(a.at)}; running v${a.activeVersion}` }, `${version} rejected: ${a.reason ?? 'no reason given'}`);
}

const STAGES = { downloading: 'downloading', probation: 'in probation', active: 'active', refused: 'refused', rolledBack: 'rolled back' };

/**
 * One model of a device: "name@vN" it runs, then its last release step when that is not the running
 * version's activation ("· v4 rolled back"); the reasons on hover and, for touch screens, behind "why".
 */
function modelLine(m) {
  const last = m.lastRelease;
  const running = m.activeVersion > 0 ? `${m.name}@v${m.activeVersion}` : `${m.name}: none running`;
  const settled = last.stage === 'active' && last.version === m.activeVersion;
  const failed = last.stage === 'refused' || last.stage === 'rolledBack';
  const reasons = last.reasons.map((r) => `${r.reason}: ${r.message}`);
  const probation = last.probation ? `p95 ${last.probation.latencyP95Ms.toFixed(1)} ms, RSS ${bytes(last.probation.residentBytes)}` : null;
  const title = [time(last.at), m.activeSha256 ? `sha256 ${m.activeSha256.slice(0, 12)}…` : null, probation, ...reasons].filter(Boolean).join('\n');
  return el('div', { class: 'model', 'data-model': m.name, title },
    el('span', { class: failed ? '' : 'ok' }, running),
    settled ? null : el('span', { class: failed ? 'fault step' : 'muted step' }, ` · v${last.version} ${STAGES[last.stage] ?? last.stage}`),
    reasons.length ? el('details', { class: 'why' }, el('summary', {}, 'why'), ...reasons.map((r) => el('div', { class: 'fault small' }, r))) : null);
}
