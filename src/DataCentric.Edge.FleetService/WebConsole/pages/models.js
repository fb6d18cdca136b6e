// Models: which model version each device runs, per release step (downloading, probation, active,
// refused, rolled back) with why and what probation measured; a device's rollback (operators, after a
// confirm step); the model's staged rollouts (model-rollouts.js). Kept live by the device feed: every
// model ack the service takes arrives there as a device update, and the page reads the model again.
import { ApiError, get, post, session, stream } from './api.js';
import { bytes, el, errorBox, notReported, time } from './dom.js';
import { modelPushPanel } from './model-push.js';
import { rolloutsPanel } from './model-rollouts.js';

const STEPS = { downloading: 'downloading', probation: 'in probation', active: 'active', refused: 'refused', rolledBack: 'rolled back' };

/** #/models: every model a device reported, with how many devices run each version. */
export async function showModels(view, signal) {
  const devices = await allDevices(signal);
  const byName = new Map();
  for (const d of devices) {
    for (const m of d.models ?? []) {
      const held = byName.get(m.name) ?? { devices: 0, versions: new Map(), failed: 0 };
      held.devices++;
      const running = m.activeVersion > 0 ? `v${m.activeVersion}` : 'configured file';
      held.versions.set(running, (held.versions.get(running) ?? 0) + 1);
      if (m.lastRelease.stage === 'refused' || m.lastRelease.stage === 'rolledBack') held.failed++;
      byName.set(m.name, held);
    }
  }
  const rows = [...byName.keys()].sort().map((name) => {
    const m = byName.get(name);
    return el('tr', { 'data-model': name },
      el('td', {}, el('a', { href: `#/models/${encodeURIComponent(name)}` }, name)),
      el('td', {}, String(m.devices)),
      el('td', {}, [...m.versions].map(([v, n]) => `${v} on ${n}`).join(', ')),
      el('td', { class: m.failed ? 'fault' : 'muted' }, m.failed ? `${m.failed} device(s) refused or rolled back its last release` : 'none'));
  });
  const push = await modelPushPanel(signal);
  view.replaceChildren(
    el('h1', {}, 'Models'),
    el('p', { class: 'muted' }, 'The models the devices report releases of (their model acks). Open one for its versions, devices and rollouts.'),
    el('div', { class: 'scroll' }, el('table', { class: 'grid', id: 'model-list' },
      el('thead', {}, el('tr', {}, ['Model', 'Devices', 'Running', 'Last release failed on'].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 4, class: 'muted' }, 'No device has reported a model release yet.'))))),
    push);
}

/** #/models/{name}?fleet: the model's versions and devices, rollback, rollouts; live. */
export async function showModel(view, name, params, signal) {
  const devices = await allDevices(signal);
  const fleets = [...new Set(devices.map((d) => d.fleet))].sort();
  const fleet = params.get('fleet') ?? fleets[0];
  if (!fleet) {
    view.replaceChildren(el('h1', {}, `Model ${name}`), el('p', { class: 'muted' }, 'No device has reported to this service yet.'));
    return;
  }
  const operator = session.who()?.role === 'operator';
  const live = el('span', { id: 'live', class: 'live off' }, 'connecting…');
  const versions = el('div', { id: 'model-versions' });
  const fleetPick = el('select', { id: 'model-fleet', onchange: () => { location.hash = `#/models/${encodeURIComponent(name)}?fleet=${encodeURIComponent(fleetPick.value)}`; } },
    fleets.map((f) => el('option', { value: f, selected: f === fleet }, f)));
  const panel = await rolloutsPanel({ name, fleet, operator, signal, onChange: () => refresh() });
  // The rollback confirm and its answer outlive the live re-renders of the rows.
  const ui = { confirming: null, notes: new Map(), refresh: () => refresh().catch(() => {}) };

  // Reads overlap (live events, the operator's own actions): an answer read before the one already drawn is
  // older, and drawing it last would undo what the operator just saw happen (a halt shown as running again).
  let started = 0;
  let drawn = 0;
  const refresh = async () => {
    const mine = ++started;
    const [model, list] = await Promise.all([
      get(`/api/models/${encodeURIComponent(name)}?fleet=${encodeURIComponent(fleet)}`, { signal }).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }),
      get(`/api/models/${encodeURIComponent(name)}/rollouts?fleet=${encodeURIComponent(fleet)}`, { signal }),
    ]);
    if (mine < drawn) return;
    drawn = mine;
    versions.replaceChildren(...(model ? model.versions.map((v) => versionCard(v, name, operator, ui, signal)) : [el('p', { class: 'muted' }, `No device of ${fleet} reported model '${name}' yet.`)]));
    panel.show(list);
  };

  view.replaceChildren(
    el('section', { class: 'toolbar' },
      el('h1', {}, `Model ${name}`),
      el('label', {}, 'fleet ', fleetPick),
      el('a', { id: 'compare-link', class: 'button secondary', href: `#/models/${encodeURIComponent(name)}/compare?fleet=${encodeURIComponent(fleet)}` }, 'Compare versions'),
      el('a', { href: '#/models' }, 'All models'),
      live),
    el('h2', {}, 'Versions and devices'),
    versions,
    el('h2', {}, 'Staged rollouts'),
    panel.list,
    panel.node);
  await refresh();
  follow(name, fleet, refresh, live, signal);
}

async function allDevices(signal) {
  const all = [];
  let after = null;
  for (let page = 0; page < 20; page++) {
    const query = new URLSearchParams({ limit: '1000' });
    if (after) query.set('after', after);
    const answer = await get(`/api/console/devices?${query}`, { signal });
    all.push(...answer.items);
    after = answer.next;
    if (!after) break;
  }
  return all;
}

/** Reads the model again (at most every 300 ms) when a device of the fleet reports a step with it. */
async function follow(name, fleet, refresh, live, signal) {
  let pending = null;
  const soon = () => {
    pending ??= setTimeout(() => {
      pending = null;
      refresh().catch(() => {});
    }, 300);
  };
  let delay = 1000;
  while (!signal.aborted) {
    try {
      await stream('/api/console/devices/events', (event, data) => {
        if (event === 'resync') soon();
        if (event !== 'device') return;
        const d = JSON.parse(data);
        if (d.fleet === fleet && (d.models ?? []).some((m) => m.name === name)) soon();
      }, signal, () => {
        live.textContent = 'live';
        live.className = 'live on';
        delay = 1000;
        soon(); // what changed while the stream was closed
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

function versionCard(v, name, operator, ui, signal) {
  const rows = [
    ...v.running.map((d) => deviceRow(d, 'running', v, name, operator, ui, signal)),
    ...v.inProgress.map((d) => deviceRow(d, d.stage, v, name, false, ui, signal)),
    ...v.rolledBack.map((d) => deviceRow(d, 'rolledBack', v, name, false, ui, signal)),
    ...v.refused.map((d) => deviceRow(d, 'refused', v, name, false, ui, signal)),
  ];
  return el('section', { class: 'card version', 'data-version': v.version },
    el('h3', {}, v.version > 0 ? `v${v.version}` : 'unreadable releases (version 0)',
      v.sha256 ? el('span', { class: 'muted mono small', title: v.sha256 }, ` sha256 ${v.sha256.slice(0, 16)}…`) : null,
      el('span', { class: 'muted small' }, ` · ${v.running.length} running, ${v.inProgress.length} in progress, ${v.rolledBack.length} rolled back, ${v.refused.length} refused`)),
    el('div', { class: 'scroll' }, el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Device', 'Step', 'Why', 'Probation: frames / errors', 'p50 / p95 latency', 'RSS / limit', 'At', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows))));
}

function deviceRow(d, kind, v, name, operator, ui, signal) {
  const p = d.probation;
  const failed = kind === 'rolledBack' || kind === 'refused';
  const step = kind === 'running' ? (d.stage === 'active' || v.version === 0 ? 'runs it' : `runs it · last step ${STEPS[d.stage] ?? d.stage}`) : STEPS[kind] ?? kind;
  const key = `${d.fleet}/${d.device}@${v.version}`;
  const status = el('div', { class: 'small rollback-status' });
  const showStatus = () => status.replaceChildren(...(ui.confirming === key ? [confirmBox(ui, key, showStatus, d, name, v.version, signal)] : ui.notes.get(key) ?? []));
  showStatus();
  const action = operator && kind === 'running' && v.version > 0
    ? el('button', { type: 'button', class: 'secondary rollback', onclick: () => { ui.confirming = key; showStatus(); } }, 'Roll back…')
    : null;
  return el('tr', { 'data-device': d.device, 'data-step': kind },
    el('td', {}, d.device),
    el('td', { class: failed ? 'fault' : kind === 'running' ? 'ok' : 'muted' }, step),
    el('td', {}, d.reasons.length ? d.reasons.map((r) => el('div', { class: 'fault small reason' }, `${r.reason}: ${r.message}`)) : el('span', { class: 'muted' }, '–')),
    el('td', {}, p ? `${p.frames} / ${p.errors}` : notReported()),
    el('td', {}, p ? `${p.latencyP50Ms.toFixed(1)} / ${p.latencyP95Ms.toFixed(1)} ms` : notReported()),
    el('td', {}, p ? `${bytes(p.residentBytes)} / ${p.memoryLimitBytes ? bytes(p.memoryLimitBytes) : 'no limit'}` : notReported()),
    el('td', { class: 'small' }, time(d.at)),
    el('td', {}, action, status));
}

/** The confirm step: what will happen, then the device's own rollbackModel command; the answer stays under the row. */
function confirmBox(ui, key, showStatus, d, name, version, signal) {
  const done = (note) => {
    ui.confirming = null;
    ui.notes.set(key, [note]);
    showStatus();
    ui.refresh(); // the row may have been drawn again while the device answered
  };
  return el('div', { class: 'notice confirm' },
    `Roll ${d.device} back from ${name} v${version} to the model it ran before? The device will not take v${version} again (a new version is needed).`,
    el('div', { class: 'toolbar' },
      el('button', { type: 'button', class: 'danger confirm-rollback', onclick: async (e) => {
        e.target.disabled = true;
        try {
          const r = await post(`/api/console/devices/${encodeURIComponent(d.fleet)}/${encodeURIComponent(d.device)}/models/${encodeURIComponent(name)}/rollback`, { version }, { signal });
          done(el('span', { class: 'ok' }, r.message));
        } catch (err) {
          done(errorBox(err.message));
        }
      } }, `Roll back ${d.device}`),
      el('button', { type: 'button', class: 'secondary', onclick: () => { ui.confirming = null; showStatus(); } }, 'Cancel')));
}
