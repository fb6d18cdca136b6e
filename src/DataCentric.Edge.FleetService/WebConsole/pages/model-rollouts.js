// A model's staged rollouts: each stage's targets and every device's step live, promote and halt
// (operators), and a new rollout from envelopes the operator signed on their own machine (the service
// never holds the fleet key, so it cannot sign or re-target a release: the page prints the exact
// edgectl lines, then uploads what they wrote). A push straight to a target stays with edgectl: the
// API publishes release envelopes, not the model file's chunks.
import { ApiError, get, post } from './api.js';
import { bytes, el, errorBox, time } from './dom.js';

const STEPS = { downloading: 'downloading', probation: 'in probation', active: 'accepted', refused: 'refused', rolledBack: 'rolled back' };

export async function rolloutsPanel({ name, fleet, operator, signal, onChange }) {
  const list = el('div', { id: 'rollouts' });
  // What the operator typed or ticked survives the live re-renders of the cards.
  const drafts = new Map();
  let shown = null;
  const show = (rollouts) => {
    const now = JSON.stringify(rollouts);
    if (now === shown) return; // nothing changed: keep the focus where the operator is typing
    shown = now;
    list.replaceChildren(...(rollouts.length
      ? rollouts.map((r) => rolloutCard(r, operator, drafts, signal, onChange))
      : [el('p', { class: 'muted' }, `No rollout of ${name} in ${fleet} yet.`)]));
  };
  const node = el('div', {},
    operator ? startForm(name, fleet, signal, onChange) : el('p', { class: 'muted' }, 'Starting, promoting and halting a rollout, and rolling a device back, take an operator token.'),
    pushHelp(name, fleet));
  return { list, node, show };
}

function rolloutCard(r, operator, drafts, signal, onChange) {
  const draft = drafts.get(r.id) ?? { reason: '', force: false, status: null };
  drafts.set(r.id, draft);
  const status = el('div', { class: 'rollout-status' }, draft.status);
  const act = async (path, what) => {
    try {
      await post(path, {}, { signal });
      draft.status = el('p', { class: 'ok' }, what);
      draft.reason = '';
    } catch (e) {
      draft.status = errorBox(e instanceof ApiError ? e.message : `${e.message}`);
    }
    status.replaceChildren(draft.status);
    await onChange();
  };
  const base = `/api/models/${encodeURIComponent(r.name)}/rollouts/${encodeURIComponent(r.id)}`;
  const force = el('input', { type: 'checkbox', class: 'force', checked: draft.force, onchange: () => { draft.force = force.checked; } });
  const reason = el('input', { class: 'halt-reason', placeholder: 'why (recorded with your name)', oninput: () => { draft.reason = reason.value; } });
  reason.value = draft.reason;
  const open = r.state === 'running' || r.state === 'planned';
  const next = r.currentStage + 1 < r.stages.length ? r.stages[r.currentStage + 1] : null;
  return el('section', { class: 'card rollout', 'data-rollout': r.id, 'data-state': r.state },
    el('h3', {}, `${r.id}: ${r.name} v${r.version} `, el('span', { class: `badge ${r.state}` }, r.state),
      el('span', { class: 'muted small' }, ` · stage ${r.currentStage + 1} of ${r.stages.length} out · canaries ${r.canaryPercent}% · by ${r.createdBy} ${time(r.createdAt)}`)),
    r.haltReason ? el('p', { class: 'error halt-reason-text' }, r.haltReason.startsWith('halted by ') ? `H${r.haltReason.slice(1)}` : `Halted because ${r.haltReason}`) : null,
    el('div', { class: 'scroll' }, el('table', { class: 'grid stages' },
      el('thead', {}, el('tr', {}, ['Stage', 'Targets', 'Published', 'Accepted', 'Rolled back', 'Refused', 'Pending', 'Devices'].map((h) => el('th', {}, h)))),
      el('tbody', {}, r.stages.map((s) => el('tr', { 'data-stage': s.index },
        el('td', {}, s.index === 0 ? 'canaries' : `stage ${s.index + 1}`),
        el('td', { class: 'small' }, s.targets.join(', ')),
        el('td', { class: 'small' }, s.publishedAt ? time(s.publishedAt) : el('span', { class: 'muted' }, 'not yet')),
        el('td', { class: 'ok' }, String(s.accepted)),
        el('td', { class: s.rolledBack ? 'fault' : '' }, String(s.rolledBack)),
        el('td', { class: s.refused ? 'fault' : '' }, String(s.refused)),
        el('td', {}, s.pending === null ? el('span', { class: 'muted', title: 'the fleet does not know which devices a group holds' }, 'unknown (group)') : String(s.pending)),
        el('td', {}, s.devices.map(stageDevice))))))),
    operator && open ? el('div', { class: 'toolbar' },
      next ? el('button', { type: 'button', class: 'promote', onclick: () => act(`${base}/promote${draft.force ? '?force=true' : ''}`, `Stage ${r.currentStage + 2} (${next.targets.join(', ')}) published.`) },
        `Promote to ${next.targets.join(', ')}`) : null,
      next ? el('label', { class: 'small' }, force, ' even while devices are still in probation') : null,
      reason,
      el('button', { type: 'button', class: 'danger halt', onclick: () => act(`${base}/halt?reason=${encodeURIComponent(draft.reason)}`, `Rollout ${r.id} halted.`) }, 'Halt')) : null,
    status);
}

function stageDevice(d) {
  const p = d.probation;
  const failed = d.stage === 'refused' || d.stage === 'rolledBack';
  return el('div', { class: 'stage-device', 'data-device': d.device, 'data-step': d.stage ?? 'none' },
    el('strong', {}, d.device), ': ',
    el('span', { class: failed ? 'fault' : d.stage === 'active' ? 'ok' : 'muted' }, d.stage ? STEPS[d.stage] ?? d.stage : 'no ack yet'),
    p ? el('span', { class: 'muted small' }, ` · p95 ${p.latencyP95Ms.toFixed(1)} ms, RSS ${bytes(p.residentBytes)}${p.memoryLimitBytes ? ` of ${bytes(p.memoryLimitBytes)}` : ''}, ${p.frames} frames`) : null,
    ...d.reasons.map((r) => el('div', { class: 'fault small' }, `${r.reason}: ${r.message}`)));
}

/** Pick canaries, print the signing lines, upload the signed envelopes stage by stage. */
function startForm(name, fleet, signal, onChange) {
  const percent = el('input', { id: 'canary-percent', type: 'number', min: 1, max: 100, value: 10 });
  const version = el('input', { id: 'release-version', type: 'number', min: 1, placeholder: 'N' });
  const file = el('input', { id: 'model-file', value: `${name}.onnx` });
  const wide = el('input', { id: 'wide-target', value: 'fleet', title: 'the later stages in order, comma-separated: group:NAME or fleet' });
  const commands = el('pre', { id: 'rollout-commands', class: 'command' });
  const stages = el('ol', { id: 'stage-files' });
  const status = el('div', { id: 'start-status' });
  let canaries = [];

  const addStage = (label) => {
    const input = el('input', { type: 'file', multiple: true, accept: '.json,application/json', class: 'stage-file' });
    stages.append(el('li', {}, label, ' ', input));
  };
  const later = () => wide.value.split(',').map((t) => t.trim()).filter(Boolean);
  const print = () => {
    const v = version.value || 'N';
    const sign = (target, out) => `edgectl models sign ${file.value} --name ${name} --version ${v} --key fleet.key --fleet ${fleet} --target ${target} --out ${out}`;
    commands.textContent = [
      `# ${canaries.length} canar${canaries.length === 1 ? 'y' : 'ies'} of ${percent.value}%: ${canaries.join(', ')}`,
      'mkdir -p canary',
      ...canaries.map((d) => sign(`device:${d}`, `canary/${d}.json`)),
      ...later().map((t) => sign(t, `${t.replace(':', '-')}.json`)),
      '# the file\'s chunks go on the broker with edgectl (the API does not take model files); this also',
      '# publishes the first canary\'s own release, which the rollout publishes anyway:',
      canaries.length ? `edgectl models push canary/${canaries[0]}.json ${file.value} --broker HOST:8884 --ca ca.crt --cert op.crt --key op.key` : '',
    ].join('\n');
  };
  const pick = el('button', { type: 'button', id: 'pick-canaries', onclick: async () => {
    try {
      canaries = (await get(`/api/models/${encodeURIComponent(name)}/rollouts/canaries?fleet=${encodeURIComponent(fleet)}&percent=${encodeURIComponent(percent.value)}`, { signal })).devices;
      print();
    } catch (e) {
      commands.textContent = '';
      status.replaceChildren(errorBox(e.message));
    }
  } }, 'Pick the canaries');
  for (const input of [version, file, wide]) input.addEventListener('input', print);

  const start = el('button', { type: 'button', id: 'start-rollout', onclick: async () => {
    try {
      const body = { canaryPercent: Number(percent.value), stages: [] };
      for (const input of stages.querySelectorAll('input.stage-file')) {
        if (!input.files.length) continue;
        const envelopes = [];
        for (const f of input.files) {
          try {
            envelopes.push(JSON.parse(await f.text()));
          } catch (e) {
            throw new Error(`${f.name} is not a signed envelope (JSON): ${e.message}`);
          }
        }
        body.stages.push({ envelopes });
      }
      if (!body.stages.length) throw new Error('Choose the canaries\' signed envelopes first.');
      const r = await post(`/api/models/${encodeURIComponent(name)}/rollouts`, body, { signal });
      status.replaceChildren(el('p', { class: 'ok' }, `Rollout ${r.id} started: its canaries (${r.stages[0].targets.join(', ')}) have their release.`));
      await onChange();
    } catch (e) {
      status.replaceChildren(errorBox(e.message));
    }
  } }, 'Start the rollout');
  addStage('Canary envelopes (one per canary):');
  addStage('Next stage (the group or fleet envelope):');
  return el('section', { class: 'card start-rollout' },
    el('h3', {}, `Start a rollout of ${name} in ${fleet}`),
    el('ol', { class: 'steps' },
      el('li', {}, el('label', {}, 'canary share % ', percent), ' ', pick),
      el('li', {}, 'Sign on your machine (the service does not hold the fleet key): ',
        el('label', {}, 'version ', version), ' ', el('label', {}, 'file ', file), ' ', el('label', {}, 'later stages ', wide), commands),
      el('li', {}, 'Upload what they wrote, stage by stage: ', stages,
        el('button', { type: 'button', id: 'add-stage', class: 'secondary', onclick: () => addStage('Next stage:') }, 'Add a stage'), ' ', start, status)));
}

/** Where a one-step push is done: the Models list's upload, or edgectl. */
function pushHelp(name, fleet) {
  return el('section', { class: 'card push-help' },
    el('h3', {}, 'Push without stages'),
    el('p', {}, 'A push publishes the model file in 128 KiB chunks beside the signed release. Upload both under "Push a release" on ', el('a', { href: '#/models' }, 'Models'), ' (a second operator approves), or push from your machine with edgectl (each device\'s ack then shows here live):'),
    el('pre', { class: 'command', id: 'push-command' },
      `edgectl models sign ${name}.onnx --name ${name} --version N --key fleet.key --fleet ${fleet} --target device:ID|group:NAME|fleet --out release.json\n` +
      `edgectl models push release.json ${name}.onnx --broker HOST:8884 --ca ca.crt --cert op.crt --key op.key`));
}
