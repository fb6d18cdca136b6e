// Sign and push with an approval step. The service never holds the fleet's private key: the operator
// downloads the set, signs it with edgectl on their own machine and uploads the signed envelope; a
// second operator reviews the diff against the version last published on that target and approves the
// envelope by its SHA-256; then it is published retained and each device's ack arrives on the live feed.
import { ApiError, get, post, session, stream } from './api.js';
import { el, errorBox, time } from './dom.js';
import { diffTable } from './diff.js';

export async function pushPanel(view, editor, fleets, signal, onChange) {
  const fleet = el('select', { id: 'push-fleet' }, fleets.map((f) => el('option', { value: f }, f)));
  const scope = el('select', { id: 'push-scope' }, ['device', 'group', 'fleet'].map((s) => el('option', { value: s }, s)));
  const name = el('input', { id: 'push-name', placeholder: 'dev-a' });
  const command = el('pre', { id: 'sign-command', class: 'command' });
  const download = el('a', { id: 'download-set', class: 'button', download: 'triggers.yaml' }, 'Download the set');
  const envelope = el('textarea', { id: 'envelope', rows: 4, placeholder: 'paste the signed envelope (JSON) here, or choose its file' });
  const file = el('input', { id: 'envelope-file', type: 'file', accept: '.json,application/json' });
  const uploadStatus = el('div', { id: 'upload-status' });
  const list = el('ul', { id: 'proposals', class: 'proposals' });
  const review = el('div', { id: 'review' });
  const acks = el('div', { id: 'acks' });

  const refreshCommand = () => {
    const { text, validation, against } = editor();
    const version = validation.version ?? '<version>';
    const target = scope.value === 'fleet' ? 'fleet' : `${scope.value}:${name.value.trim() || '<name>'}`;
    const board = against.startsWith('board:') ? ` --board ${against.slice(6)}` : '';
    const setFile = `triggers-v${version}.yaml`;
    command.textContent = `edgectl triggers sign ${setFile} --key fleet.key --target ${target} --fleet ${fleet.value}${board} --out triggers-v${version}.signed.json`;
    download.setAttribute('download', setFile);
    if (download.href) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([text], { type: 'application/yaml' }));
  };
  for (const input of [fleet, scope, name]) input.addEventListener('input', refreshCommand);
  view.addEventListener('validated', refreshCommand, { signal });
  refreshCommand();

  file.addEventListener('change', async () => {
    if (file.files[0]) envelope.value = await file.files[0].text();
  });
  const upload = el('button', { type: 'button', id: 'upload', onclick: async () => {
    try {
      const proposal = await post('/api/console/triggers/proposals', envelope.value.trim(), { signal });
      uploadStatus.replaceChildren(el('p', { class: 'ok' }, `Proposal ${proposal.id}: version ${proposal.version} for ${proposal.topic}, waiting for a second operator.`));
      envelope.value = '';
      await refresh();
    } catch (e) {
      uploadStatus.replaceChildren(errorBox(e.message));
    }
  } }, 'Upload for approval');

  const refresh = async () => {
    const items = (await get('/api/console/triggers/proposals', { signal })).items;
    list.replaceChildren(...(items.length ? items.map((p) => el('li', { 'data-proposal': p.id, 'data-state': p.state },
      el('span', { class: `badge ${p.state}` }, p.state), ` v${p.version} → ${p.topic} · by ${p.proposedBy} ${time(p.proposedAt)}`,
      p.decidedBy ? ` · ${p.state === 'rejected' ? 'rejected' : 'approved'} by ${p.decidedBy}` : '',
      p.detail ? el('span', { class: 'muted' }, ` (${p.detail})`) : '',
      ' ', el('button', { type: 'button', class: 'secondary review', onclick: () => showReview(p) }, p.state === 'pending' ? 'Review' : 'Show'))) : [el('li', { class: 'muted' }, 'No proposal yet.')]));
    await onChange?.();
  };

  const showReview = (p, message = null) => {
    const me = session.who()?.name;
    const status = el('div', { id: 'review-status' }, message ? el('p', { class: 'ok' }, message) : null);
    const reason = el('input', { id: 'reject-reason', placeholder: 'why not' });
    review.replaceChildren(el('section', { class: 'card', 'data-proposal': p.id },
      el('h3', {}, `Proposal ${p.id}: v${p.version} for ${p.targetScope}${p.targetName ? ` ${p.targetName}` : ''} of ${p.fleet}`),
      el('dl', { class: 'kv' },
        el('dt', {}, 'uploaded by'), el('dd', {}, `${p.proposedBy}${p.proposedBy === me ? ' (you)' : ''}`),
        el('dt', {}, 'signed with key'), el('dd', { class: 'mono' }, p.keyId),
        el('dt', {}, 'envelope SHA-256'), el('dd', { class: 'mono wrap', id: 'review-sha' }, p.envelopeSha256),
        el('dt', {}, 'budgets'), el('dd', {}, p.triggers.map((t) => `${t.id}: ${t.maxPerHour ?? 'no limit'}/h`).join(', '))),
      diffTable('review-diff', p.previousSource, p.source, p.previousVersion ? `published v${p.previousVersion}` : 'nothing published here yet', `proposed v${p.version}`),
      p.state === 'pending' ? el('div', { class: 'toolbar' },
        el('button', { type: 'button', id: 'approve', onclick: async () => {
          try {
            const done = await post(`/api/console/triggers/proposals/${p.id}/approve`, { envelopeSha256: p.envelopeSha256 }, { signal });
            await refresh();
            showReview(done, `Published v${done.version} on ${done.topic}; waiting for the devices' acks.`);
          } catch (e) {
            status.replaceChildren(errorBox(e instanceof ApiError ? e.message : `Not approved: ${e.message}`));
          }
        } }, 'Approve and publish this diff'),
        reason,
        el('button', { type: 'button', id: 'reject', class: 'danger', onclick: async () => {
          try {
            await post(`/api/console/triggers/proposals/${p.id}/reject`, { envelopeSha256: p.envelopeSha256, reason: reason.value }, { signal });
            await refresh();
            review.replaceChildren();
          } catch (e) {
            status.replaceChildren(errorBox(e.message));
          }
        } }, 'Reject')) : null,
      status));
    if (p.state === 'published') followAcks(acks, p, signal);
  };

  await refresh();
  return el('div', { class: 'push' },
    el('ol', { class: 'steps' },
      el('li', {}, 'Choose the target: ', el('label', {}, 'fleet ', fleet), ' ', el('label', {}, 'scope ', scope), ' ', el('label', {}, 'name ', name)),
      el('li', {}, download, ' and sign it on your machine (the service does not hold the fleet key):', command),
      el('li', {}, 'Upload the signed envelope: ', file, envelope, upload, uploadStatus),
      el('li', {}, 'A second operator reviews the diff and approves; each device answers with its ack below.')),
    el('h3', {}, 'Proposals'), list, review, acks);
}

/** Each device of the target as its ack for this version arrives (the Fleet page's live feed), with a rollback button. */
async function followAcks(box, proposal, signal) {
  const rows = new Map();
  const body = el('tbody', {});
  box.replaceChildren(el('h3', {}, `Acks for v${proposal.version} on ${proposal.topic}`),
    el('div', { class: 'scroll' }, el('table', { class: 'grid', id: 'ack-table' },
      el('thead', {}, el('tr', {}, ['Device', 'Answer', 'Active', ''].map((h) => el('th', {}, h)))), body)));
  const show = (d) => {
    if (d.fleet !== proposal.fleet || (proposal.targetScope === 'device' && d.device !== proposal.targetName)) return;
    const a = d.triggerSetAck;
    const answered = a && a.version === proposal.version && Date.parse(a.at) >= Date.parse(proposal.decidedAt ?? proposal.proposedAt) - 1000;
    const rollbackStatus = el('span', { class: 'small' });
    const row = el('tr', { 'data-device': d.device, 'data-ack': answered ? a.decision : 'waiting' },
      el('td', {}, d.device),
      el('td', { class: answered ? (a.decision === 'accepted' ? 'ok' : 'fault') : 'muted' },
        answered ? `v${a.version} ${a.decision}${a.reason ? `: ${a.reason}` : ''}`
          : d.state === 'online' ? 'waiting for its ack…' : `${d.state}: it reads the set (retained) when it is back online`),
      el('td', {}, a ? `v${a.activeVersion}` : '–'),
      el('td', {}, el('button', { type: 'button', class: 'secondary rollback', onclick: async () => {
        if (!window.confirm(`Roll ${d.device} back to the set it ran before v${a?.activeVersion ?? '?'}?`)) return;
        try {
          const r = await post(`/api/console/devices/${encodeURIComponent(d.fleet)}/${encodeURIComponent(d.device)}/triggers/rollback`, {}, { signal });
          rollbackStatus.textContent = r.message;
        } catch (e) {
          rollbackStatus.textContent = e.message;
          rollbackStatus.className = 'small fault';
        }
      } }, 'Roll back'), rollbackStatus));
    rows.set(d.device, row);
    body.replaceChildren(...[...rows.keys()].sort().map((k) => rows.get(k)));
  };
  // The list is read once the stream is open, so an ack landing in between is in one or the other.
  const load = async () => (await get(`/api/console/devices?fleet=${encodeURIComponent(proposal.fleet)}&limit=1000`, { signal })).items.forEach(show);
  while (!signal.aborted) {
    try {
      await stream('/api/console/devices/events', (name, data) => {
        if (name === 'device') show(JSON.parse(data));
        else if (name === 'resync') load().catch(() => {});
      }, signal, () => load().catch(() => {}));
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
