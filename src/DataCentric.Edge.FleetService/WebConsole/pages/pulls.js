// Pulls: ask a device for a window of what it recorded (absolute, or around an event: the clip view's
// "Pull around this event" fills it in), with a priority; the fleet's queue of pulls with each one's
// state, what of its window has arrived (clips whole, uploads chunk by chunk), and cancel. Live through
// /api/console/pulls/events. The device has no cancel command, so cancel withdraws a pull at the service.
import { ApiError, get, post, session, stream } from './api.js';
import { ago, bytes, el, errorBox, time } from './dom.js';

const STATES = {
  requested: 'queued at the service',
  sent: 'asked: the device is sending',
  completed: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export async function showPulls(view, params, signal) {
  const operator = session.who()?.role === 'operator';
  const devices = (await get('/api/console/devices?limit=1000', { signal })).items;
  const fleets = [...new Set(devices.map((d) => d.fleet))].sort();
  const fleet = params.get('fleet') ?? fleets[0] ?? null;
  const pulls = new Map();

  const message = el('div', { id: 'pull-message', 'aria-live': 'polite' });
  const live = el('span', { id: 'pulls-live', class: 'live off' }, 'connecting…');
  const body = el('tbody', { id: 'pulls' });
  const form = pullForm(devices, fleet, params, operator, message, (answer) => {
    pulls.set(answer.pull.pullId, answer);
    render();
  }, signal);
  view.replaceChildren(
    el('section', { class: 'toolbar' }, el('h1', {}, 'Pulls'), fleets.length > 1 ? fleetPicker(fleets, fleet) : null, live),
    form,
    message,
    el('h2', {}, 'Queue'),
    el('p', { class: 'muted small' },
      'Progress is what the fleet holds of each window: clips received whole, and uploads still arriving, chunk by chunk. ',
      'A clip of that window received before the pull counts too.'),
    el('div', { class: 'scroll' }, el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Device', 'Window (UTC)', 'Priority', 'State', 'Progress', 'Requested', ''].map((h) => el('th', {}, h)))),
      body)));

  const render = () => {
    const rows = [...pulls.values()].sort((a, b) => b.pull.requestedAt.localeCompare(a.pull.requestedAt) || b.pull.pullId.localeCompare(a.pull.pullId));
    body.replaceChildren(...rows.map((p) => row(p, operator, message, (answer) => {
      const held = pulls.get(answer.pullId);
      if (held) pulls.set(answer.pullId, { ...held, pull: answer });
      render();
    })));
    if (rows.length === 0) body.replaceChildren(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No pull asked for in this fleet yet.')));
  };

  if (!fleet) {
    render();
    message.replaceChildren(el('p', { class: 'muted' }, 'No device has reported to this service yet: there is nobody to ask.'));
    return;
  }

  for (const p of await get(`/api/console/pulls?fleet=${encodeURIComponent(fleet)}`, { signal })) pulls.set(p.pull.pullId, p);
  render();
  follow(fleet, pulls, render, live, signal);
}

function fleetPicker(fleets, fleet) {
  const select = el('select', { id: 'pull-fleet', 'aria-label': 'fleet' }, fleets.map((f) => el('option', { value: f, selected: f === fleet }, f)));
  select.addEventListener('change', () => { location.hash = `#/pulls?fleet=${encodeURIComponent(select.value)}`; });
  return select;
}

/** The request form; its fields are filled from the URL (the clip view's "Pull around this event" link). */
function pullForm(devices, fleet, params, operator, message, added, signal) {
  const mine = devices.filter((d) => d.fleet === fleet).sort((a, b) => a.device.localeCompare(b.device));
  const device = el('select', { id: 'pull-device', name: 'device' },
    mine.map((d) => el('option', { value: d.device, selected: d.device === params.get('device') }, `${d.device} (${d.state})`)));
  const around = Boolean(params.get('at'));
  const mode = {
    window: el('input', { type: 'radio', name: 'mode', id: 'mode-window', value: 'window', checked: !around }),
    around: el('input', { type: 'radio', name: 'mode', id: 'mode-around', value: 'around', checked: around }),
  };
  const from = el('input', { id: 'pull-from', name: 'from', placeholder: '2026-12-05T10:00:00Z', value: params.get('from') ?? '' });
  const to = el('input', { id: 'pull-to', name: 'to', placeholder: '2026-12-05T10:01:00Z', value: params.get('to') ?? '' });
  const at = el('input', { id: 'pull-at', name: 'at', placeholder: '2026-12-05T10:00:30Z', value: params.get('at') ?? '' });
  const before = el('input', { id: 'pull-before', name: 'before', type: 'number', min: 0, max: 3600, step: 'any', value: params.get('before') ?? '30' });
  const after = el('input', { id: 'pull-after', name: 'after', type: 'number', min: 0, max: 3600, step: 'any', value: params.get('after') ?? '10' });
  const priority = el('input', { id: 'pull-priority', name: 'priority', type: 'number', step: 1, value: params.get('priority') ?? '5' });
  const submit = el('button', { type: 'submit', disabled: !operator || mine.length === 0 }, 'Ask the device');
  const absolute = el('div', { class: 'search', id: 'window-fields' },
    el('label', {}, el('span', {}, 'from (ISO 8601, UTC)'), from),
    el('label', {}, el('span', {}, 'to (ISO 8601, UTC)'), to));
  const event = el('div', { class: 'search', id: 'around-fields' },
    el('label', {}, el('span', {}, 'event time (ISO 8601, UTC)'), at),
    el('label', {}, el('span', {}, 'seconds before'), before),
    el('label', {}, el('span', {}, 'seconds after'), after));
  const showMode = () => {
    absolute.hidden = !mode.window.checked;
    event.hidden = !mode.around.checked;
  };
  mode.window.addEventListener('change', showMode);
  mode.around.addEventListener('change', showMode);
  showMode();

  const form = el('form', { id: 'pull-form', class: 'card' },
    el('div', { class: 'search' },
      el('label', {}, el('span', {}, 'device'), device),
      el('label', {}, el('span', {}, 'priority (higher goes first)'), priority)),
    el('div', { class: 'toolbar' },
      el('label', {}, mode.window, ' absolute window'),
      el('label', {}, mode.around, ' around an event')),
    absolute,
    event,
    submit,
    operator ? null : el('p', { class: 'muted small' }, 'Viewers see the queue; asking for a pull or cancelling one needs an operator token.'));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let window;
    try {
      window = mode.around.checked ? aroundWindow(at.value, before.value, after.value) : { from: from.value.trim(), to: to.value.trim() };
    } catch (problem) {
      message.replaceChildren(errorBox(problem.message));
      return;
    }
    const target = mine.find((d) => d.device === device.value);
    submit.disabled = true;
    try {
      const pull = await post('/api/console/pulls', { fleet, device: device.value, ...window, priority: Number(priority.value || 0) }, { signal });
      added({ pull, deviceState: target?.state ?? null, deviceLastSeen: target?.lastSeen ?? null, progress: { clipsReceived: 0, bytesReceived: 0, arriving: [] } });
      message.replaceChildren(el('p', { class: 'ok' }, `Pull ${pull.pullId} of ${pull.device}, ${time(pull.windowFrom)} to ${time(pull.windowTo)}: ${STATES[pull.state] ?? pull.state}.`),
        target && target.state !== 'online' ? offlineNotice(target) : null);
    } catch (problem) {
      if (signal.aborted) return;
      message.replaceChildren(errorBox(problem instanceof ApiError ? `The pull was not recorded: ${problem.message}` : problem.message));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** [at − before, at + after]; the service checks the rest (a window runs forward, at most one hour). */
function aroundWindow(atText, beforeText, afterText) {
  const at = Date.parse(atText.trim());
  if (!atText.trim() || Number.isNaN(at)) throw new Error(`event time: '${atText}' is not a time (ISO 8601, e.g. 2026-12-05T10:00:00Z)`);
  const before = Number(beforeText);
  const after = Number(afterText);
  if (beforeText === '' || !Number.isFinite(before) || before < 0) throw new Error(`seconds before: '${beforeText}' is not a number of seconds (0 or more)`);
  if (afterText === '' || !Number.isFinite(after) || after < 0) throw new Error(`seconds after: '${afterText}' is not a number of seconds (0 or more)`);
  return { from: new Date(at - before * 1000).toISOString(), to: new Date(at + after * 1000).toISOString() };
}

function offlineNotice(device) {
  return el('p', { class: 'notice', id: 'offline-notice' },
    `${device.device} is ${device.state} (last seen ${ago(device.lastSeen)}): the pull waits at the service and is sent when ${device.device} answers again. `,
    'Each try is in its detail; after the service\'s last try it fails and says so.');
}

function row(p, operator, message, changed) {
  const pull = p.pull;
  const open = pull.state === 'requested' || pull.state === 'sent';
  const cancel = operator && open ? el('button', { type: 'button', class: 'secondary', 'data-cancel': pull.pullId }, 'Cancel') : null;
  cancel?.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      const answer = await post(`/api/pulls/${encodeURIComponent(pull.pullId)}/cancel`, {});
      changed(answer);
      message.replaceChildren(el('p', { class: 'ok' }, `Pull ${answer.pullId} cancelled: ${answer.detail}.`));
    } catch (e) {
      cancel.disabled = false;
      message.replaceChildren(errorBox(`Pull ${pull.pullId} was not cancelled: ${e.message}`));
    }
  });
  const seconds = (new Date(pull.windowTo) - new Date(pull.windowFrom)) / 1000;
  return el('tr', { 'data-pull': pull.pullId, 'data-state': pull.state },
    el('td', {}, pull.device, ' ', el('span', { class: `badge ${p.deviceState ?? ''}` }, p.deviceState ?? 'never reported')),
    el('td', {}, `${time(pull.windowFrom)} → ${time(pull.windowTo)}`, el('div', { class: 'muted small' }, `${seconds} s`)),
    el('td', {}, String(pull.priority)),
    el('td', { class: 'pull-state' }, el('span', { class: `badge ${pull.state}` }, STATES[pull.state] ?? pull.state), stateNote(p)),
    el('td', { class: 'progress' }, progressCell(p.progress)),
    el('td', { title: time(pull.requestedAt) }, ago(pull.requestedAt)),
    el('td', {}, cancel));
}

/** Why a pull stands where it does, in the words a user needs: offline waits, a window gone from the device, a service-only cancel. */
function stateNote(p) {
  const pull = p.pull;
  const notes = [];
  if (pull.state === 'requested' && p.deviceState && p.deviceState !== 'online') {
    notes.push(el('div', { class: 'notice-text small waiting-note' }, `${pull.device} is ${p.deviceState}: waiting at the service until it returns.`));
  }
  if (pull.state === 'failed' && (pull.detail ?? '').startsWith('the window is no longer on the device')) {
    notes.push(el('div', { class: 'fault small gone' }, 'The device no longer holds any of this window: not in a stored clip, not in its recent buffer (what it holds is below).'));
  } else if (pull.state === 'completed' && /holds no clip in the window/.test(pull.detail ?? '')) {
    notes.push(el('div', { class: 'fault small gone' }, 'The device holds no stored clip of this window: it is no longer (or never was) in its buffer.'));
  }
  if (pull.detail) notes.push(el('div', { class: 'muted small detail' }, pull.detail));
  return notes;
}

function progressCell(progress) {
  const lines = [];
  if (progress.clipsReceived > 0) {
    lines.push(el('div', { class: 'ok received' }, `${progress.clipsReceived} ${progress.clipsReceived === 1 ? 'clip' : 'clips'} received (${bytes(progress.bytesReceived)})`));
  }
  for (const u of progress.arriving) {
    lines.push(el('div', { class: 'arriving', 'data-clip': u.clipId },
      el('progress', { max: u.chunkCount, value: u.chunksReceived }),
      ` ${u.clipId}: ${u.chunksReceived} / ${u.chunkCount} chunks (${bytes(u.bytesReceived)} of ${bytes(u.sizeBytes)})`));
  }
  return lines.length ? lines : el('span', { class: 'muted' }, 'nothing of this window has arrived yet');
}

/** Applies the queue's live changes; reconnects with a growing delay while the page is open. */
async function follow(fleet, pulls, render, live, signal) {
  let delay = 1000;
  while (!signal.aborted) {
    try {
      await stream(`/api/console/pulls/events?fleet=${encodeURIComponent(fleet)}`, (name, data) => {
        if (name !== 'pull') return;
        const update = JSON.parse(data);
        pulls.set(update.pull.pullId, update);
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
