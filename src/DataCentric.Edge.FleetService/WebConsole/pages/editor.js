// The trigger set editor: the YAML checked as you type against the signals a chosen device announced
// or a board publishes (POST /api/console/triggers/validate), each error shown at its line; a backtest
// on stored clips; two versions compared side by side; then sign (edgectl, on the operator's machine),
// upload, a second operator's approval, and each device's ack arriving live (push.js).
import { post, get, session } from './api.js';
import { el } from './dom.js';
import { backtestPanel, renderStatus, runBacktest, progressLine } from './backtest.js';
import { diffTable } from './diff.js';
import { pushPanel } from './push.js';

const DRAFT = 'dce.console.editor';
const STARTER = `schemaVersion: 1
version: 1
description: Missed obstacle (shadow sees, primary does not brake)
triggers:
  - id: missed_obstacle
    when: held(shadow.obstacle > 0.6 and not primary.brake, 200ms)
    pre: 6s
    post: 4s
    cooldown: 10s
    maxPerHour: 20
    priority: 9
`;

export async function showEditor(view, params, signal) {
  const [sources, devices] = await Promise.all([
    get('/api/console/triggers/signal-sources', { signal }),
    get('/api/console/devices?limit=1000', { signal }),
  ]);
  const fleets = [...new Set(devices.items.map((d) => d.fleet))].sort();
  const against = el('select', { id: 'signals-from' },
    el('option', { value: '' }, 'no device (unknown signals are warnings)'),
    sources.devices.map((d) => el('option', { value: `device:${d.fleet}/${d.device}` }, `device ${d.fleet}/${d.device} (${d.signalCount} signals)`)),
    sources.boards.map((b) => el('option', { value: `board:${b}` }, `board ${b}`)));
  if (sources.devices.length) against.value = `device:${sources.devices[0].fleet}/${sources.devices[0].device}`;
  if (params.get('against')) against.value = params.get('against');

  const text = el('textarea', { id: 'set-text', spellcheck: 'false', wrap: 'off', autocapitalize: 'off', 'aria-label': 'Trigger set (YAML)' });
  text.value = sessionStorage.getItem(DRAFT) ?? STARTER;
  const gutter = el('div', { class: 'gutter', 'aria-hidden': 'true' });
  const lens = el('div', { id: 'editor-lens', class: 'lens', 'aria-hidden': 'true' });
  const problems = el('ul', { id: 'problems', class: 'problems' });
  const verdict = el('p', { id: 'verdict', class: 'muted' }, 'Checking…');
  const editor = el('div', { class: 'editor' }, gutter, el('div', { class: 'code' }, lens, text));
  let latest = { errors: [], warnings: [], valid: false };

  const draw = () => {
    const lines = text.value.split('\n');
    const marks = new Map();
    for (const d of [...latest.errors.map((e) => ({ ...e, level: 'error' })), ...latest.warnings.map((w) => ({ ...w, level: 'warning' }))]) {
      const at = Math.max(1, d.line || 1);
      if (!marks.has(at)) marks.set(at, []);
      marks.get(at).push(d);
    }
    gutter.replaceChildren(...lines.map((_, i) => el('div', { class: marks.has(i + 1) ? marks.get(i + 1)[0].level : '' }, String(i + 1))));
    lens.replaceChildren(...lines.map((line, i) => {
      const here = marks.get(i + 1);
      return el('div', { class: `lens-line ${here ? here[0].level : ''}`, 'data-line': i + 1 },
        el('span', { class: 'ghost' }, line || ' '),
        here ? el('span', { class: 'lens-note' }, `  ⟵ ${here.map((d) => `${d.line}:${d.column} ${d.message}${d.suggestion ? ` (did you mean '${d.suggestion}'?)` : ''}`).join(' · ')}`) : null);
    }));
    lens.scrollTop = text.scrollTop;
    lens.scrollLeft = text.scrollLeft;
    gutter.scrollTop = text.scrollTop;
  };
  text.addEventListener('scroll', () => {
    lens.scrollTop = text.scrollTop;
    lens.scrollLeft = text.scrollLeft;
    gutter.scrollTop = text.scrollTop;
  });

  let pending = null;
  let timer = null;
  const check = async () => {
    pending?.abort();
    const mine = new AbortController();
    pending = mine;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    const [kind, value] = against.value ? against.value.split(/:(.*)/s) : [null, null];
    const [fleet, device] = kind === 'device' ? value.split('/') : [null, null];
    try {
      latest = await post('/api/console/triggers/validate', { source: text.value, format: 'yaml', fleet, device, board: kind === 'board' ? value : null }, { signal: mine.signal });
    } catch (e) {
      if (mine.signal.aborted) return;
      latest = { errors: [{ line: 1, column: 1, message: e.message, text: e.message }], warnings: [], valid: false, signalsFrom: '' };
    }
    verdict.className = latest.valid ? 'ok' : 'fault';
    verdict.dataset.valid = String(latest.valid);
    verdict.textContent = latest.valid
      ? `Valid${latest.version ? `: version ${latest.version}, ${latest.triggers.length} trigger(s)` : ''}, checked against ${latest.signalsFrom}.${latest.warnings.length ? ` ${latest.warnings.length} warning(s).` : ''}`
      : `${latest.errors.length} error(s), checked against ${latest.signalsFrom}.`;
    view.dispatchEvent(new CustomEvent('validated'));
    problems.replaceChildren(...[...latest.errors, ...latest.warnings].map((d) => el('li', { class: latest.errors.includes(d) ? 'fault' : 'notice-text' },
      el('a', { href: '#', onclick: (event) => { event.preventDefault(); goTo(text, d.line, d.column); } }, `${d.line}:${d.column}`), ` ${d.text}`)));
    draw();
  };
  const schedule = () => {
    sessionStorage.setItem(DRAFT, text.value);
    draw();
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  };
  text.addEventListener('input', schedule);
  against.addEventListener('change', check);

  const role = session.who()?.role;
  const compare = comparePanel(() => text.value, fleets, signal);
  view.replaceChildren(
    el('section', { class: 'toolbar' }, el('h1', {}, 'Trigger set editor'), el('label', { for: 'signals-from' }, 'Check against'), against),
    editor, verdict, problems,
    el('h2', {}, 'Backtest on stored clips'),
    backtestPanel('bt', () => text.value, fleets, signal),
    el('h2', {}, 'Compare two versions'),
    compare.element,
    el('h2', {}, 'Sign and push'),
    role === 'operator' ? await pushPanel(view, () => ({ text: text.value, validation: latest, against: against.value }), fleets, signal, compare.refresh)
      : el('p', { class: 'muted', id: 'push-viewer' }, 'Signed in as a viewer: an operator uploads, approves and pushes sets.'));
  draw();
  await check();
}

function goTo(textarea, line, column) {
  const lines = textarea.value.split('\n');
  const offset = lines.slice(0, Math.max(0, line - 1)).reduce((s, l) => s + l.length + 1, 0) + Math.max(0, column - 1);
  textarea.focus();
  textarea.setSelectionRange(offset, offset);
}

/** Two versions (the editor's text, a kept copy, or any proposal) side by side: the YAML diff and each one's backtest. */
function comparePanel(current, fleets, signal) {
  const versions = new Map();
  const left = el('select', { id: 'compare-a' });
  const right = el('select', { id: 'compare-b' });
  const fleet = el('select', { id: 'compare-fleet' }, fleets.map((f) => el('option', { value: f }, f)));
  const out = el('div', { id: 'compare-result' });
  const refresh = async () => {
    const proposals = (await get('/api/console/triggers/proposals', { signal })).items;
    versions.clear();
    versions.set('editor', { label: 'the editor (now)', text: null });
    if (sessionStorage.getItem('dce.console.kept')) versions.set('kept', { label: 'kept copy', text: sessionStorage.getItem('dce.console.kept') });
    for (const p of proposals) versions.set(p.id, { label: `v${p.version} for ${p.targetScope}${p.targetName ? ` ${p.targetName}` : ''} (${p.state})`, text: p.source });
    for (const select of [left, right]) {
      const was = select.value;
      select.replaceChildren(...[...versions].map(([id, v]) => el('option', { value: id }, v.label)));
      if (versions.has(was)) select.value = was;
    }
    if (!left.value || left.value === right.value) left.value = versions.has('kept') ? 'kept' : [...versions.keys()].at(-1);
    right.value = right.value && right.value !== left.value ? right.value : 'editor';
  };
  const textOf = (id) => (id === 'editor' ? current() : versions.get(id)?.text ?? '');
  const keep = el('button', { type: 'button', id: 'keep-copy', class: 'secondary', onclick: async () => { sessionStorage.setItem('dce.console.kept', current()); await refresh(); } }, 'Keep the editor’s text as a version');
  const run = el('button', { type: 'button', id: 'compare-run', onclick: async () => {
    run.disabled = true;
    const a = textOf(left.value);
    const b = textOf(right.value);
    const columns = el('div', { class: 'compare-cols' }, el('div', { id: 'compare-a-result' }), el('div', { id: 'compare-b-result' }));
    out.replaceChildren(diffTable('compare-diff', a, b, versions.get(left.value).label, versions.get(right.value).label), columns);
    try {
      // One backtest at a time per user: A, then B.
      for (const [source, box] of [[a, columns.children[0]], [b, columns.children[1]]]) {
        const status = await runBacktest({ source, fleet: fleet.value }, (s) => box.replaceChildren(progressLine(s)), signal);
        box.replaceChildren(...renderStatus(status));
      }
    } catch (e) {
      columns.append(el('p', { class: 'error' }, e.body?.errors ? `A version does not compile: ${e.body.errors.map((x) => x.text).join('; ')}` : e.message));
    } finally {
      run.disabled = false;
    }
  } }, 'Compare');
  refresh().catch(() => {});
  return {
    element: el('div', { class: 'compare' }, el('div', { class: 'toolbar' }, el('label', {}, 'A ', left), el('label', {}, 'B ', right), el('label', {}, 'backtest on fleet ', fleet), keep, run), out),
    refresh,
  };
}
