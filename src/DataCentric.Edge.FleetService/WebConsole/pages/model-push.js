// Push a model release, with approval. The service never holds the fleet key: the operator signs with
// `edgectl models sign` on their own machine and uploads the envelope with the ONNX file; the service
// checks the file against the manifest and keeps it; a second operator reviews the manifest and approves
// by repeating its name, version and SHA-256; then chunks and release are published and each device's
// acks show on the model's page.
import { ApiError, get, post, session, upload } from './api.js';
import { bytes, el, errorBox, time } from './dom.js';

const PATH = '/api/console/models/proposals';

export async function modelPushPanel(signal) {
  const operator = session.who()?.role === 'operator';
  const envelopeFile = el('input', { id: 'release-file', type: 'file', accept: '.json,application/json' });
  const modelFile = el('input', { id: 'model-file', type: 'file', accept: '.onnx' });
  const status = el('div', { id: 'model-upload-status' });
  const list = el('ul', { id: 'model-proposals', class: 'proposals' });
  const review = el('div', { id: 'model-review' });

  const refresh = async () => {
    const items = (await get(PATH, { signal })).items;
    list.replaceChildren(...(items.length ? items.map((p) => el('li', { 'data-proposal': p.id, 'data-state': p.state },
      el('span', { class: `badge ${p.state}` }, p.state), ` ${p.name} v${p.version} → ${p.topic} · by ${p.proposedBy} ${time(p.proposedAt)}`,
      p.decidedBy ? ` · ${p.state === 'rejected' ? 'rejected' : 'decided'} by ${p.decidedBy}` : '',
      p.detail ? el('span', { class: 'muted' }, ` (${p.detail})`) : '',
      ' ', el('button', { type: 'button', class: 'secondary review', onclick: () => showReview(p) }, p.state === 'pending' ? 'Review' : 'Show'))) : [el('li', { class: 'muted' }, 'No release uploaded yet.')]));
  };

  const send = el('button', { type: 'button', id: 'upload-release', onclick: async () => {
    const [envelope, model] = [envelopeFile.files[0], modelFile.files[0]];
    if (!envelope || !model) {
      status.replaceChildren(errorBox('Choose the signed release (edgectl models sign --out) and its ONNX file.'));
      return;
    }
    try {
      const raw = new Uint8Array(await envelope.arrayBuffer());
      const header = btoa(Array.from(raw, (b) => String.fromCharCode(b)).join(''));
      const p = await upload(PATH, model, { 'X-Model-Release': header }, { signal });
      status.replaceChildren(el('p', { class: 'ok' }, `Proposal ${p.id}: ${p.name} v${p.version} (${bytes(p.sizeBytes)}) for ${p.topic}, waiting for a second operator.`));
      await refresh();
    } catch (e) {
      status.replaceChildren(errorBox(e.message));
    }
  } }, 'Upload for approval');

  const showReview = (p, message = null) => {
    const me = session.who()?.name;
    const result = el('div', { id: 'model-review-status' }, message ? el('p', { class: 'ok' }, message) : null);
    const reason = el('input', { id: 'model-reject-reason', placeholder: 'why not' });
    const tensors = (ts) => ts.map((t) => `${t.name} ${t.element}[${t.shape.join('×')}]`).join(', ');
    const decide = async (action, body) => {
      try {
        const done = await post(`${PATH}/${p.id}/${action}`, body, { signal });
        await refresh();
        showReview(done, action === 'approve'
          ? `Published ${done.name} v${done.version}: ${done.chunks} chunk(s) and the release on ${done.topic}; the devices' acks show on the model's page.`
          : 'Rejected; its file is removed.');
      } catch (e) {
        result.replaceChildren(errorBox(e instanceof ApiError ? e.message : `Not done: ${e.message}`));
      }
    };
    review.replaceChildren(el('section', { class: 'card', 'data-proposal': p.id },
      el('h3', {}, `Proposal ${p.id}: ${p.name} v${p.version} for ${p.targetScope}${p.targetName ? ` ${p.targetName}` : ''} of ${p.fleet}`),
      el('dl', { class: 'kv' },
        el('dt', {}, 'uploaded by'), el('dd', {}, `${p.proposedBy}${p.proposedBy === me ? ' (you)' : ''}`),
        el('dt', {}, 'signed with key'), el('dd', { class: 'mono' }, p.keyId),
        el('dt', {}, 'size'), el('dd', {}, `${bytes(p.sizeBytes)} (${p.sizeBytes} bytes)`),
        el('dt', {}, 'SHA-256'), el('dd', { class: 'mono wrap', id: 'model-review-sha' }, p.sha256),
        el('dt', {}, 'inputs'), el('dd', { class: 'mono' }, tensors(p.io.inputs)),
        el('dt', {}, 'outputs'), el('dd', { class: 'mono' }, tensors(p.io.outputs)),
        el('dt', {}, 'latency budget'), el('dd', {}, p.latencyBudgetMs ? `${p.latencyBudgetMs} ms${p.board ? ` on ${p.board}` : ''}` : 'none'),
        el('dt', {}, 'expires'), el('dd', {}, time(p.expiresAt))),
      p.state === 'published' ? el('a', { href: `#/models/${encodeURIComponent(p.name)}?fleet=${encodeURIComponent(p.fleet)}` }, 'Follow the acks') : '',
      p.state === 'pending' && operator ? el('div', { class: 'toolbar' },
        el('button', { type: 'button', id: 'approve-release', onclick: () => decide('approve', { name: p.name, version: p.version, sha256: p.sha256 }) }, 'Approve and publish'),
        reason,
        el('button', { type: 'button', class: 'secondary', id: 'reject-release', onclick: () => decide('reject', { reason: reason.value }) }, 'Reject')) : '',
      result));
  };

  await refresh();
  return el('section', { id: 'model-push' },
    el('h2', {}, 'Push a release'),
    operator ? el('div', { class: 'card' },
      el('p', { class: 'muted' }, 'Sign on your own machine (the service never holds the fleet key): ',
        el('code', {}, 'edgectl models sign MODEL.onnx --key fleet.key --name NAME --version N --target fleet --fleet FLEET --out release.json'),
        '. Upload both; a second operator approves.'),
      el('label', {}, 'signed release ', envelopeFile), ' ', el('label', {}, 'ONNX file ', modelFile), ' ', send, status) : '',
    list,
    review);
}
