// Backtests: POST the set and which stored clips to replay, then follow the job's progress stream
// (server-sent events) until it is done or failed. The service runs one at a time, off the request.
import { ApiError, post, stream } from './api.js';
import { el, errorBox, time } from './dom.js';

/** Runs one backtest; onProgress(status) per change; resolves with the final status (state done or failed). */
export async function runBacktest(body, onProgress, signal) {
  let status = await post('/api/console/triggers/backtests', body, { signal });
  onProgress(status);
  await stream(`/api/console/triggers/backtests/${encodeURIComponent(status.id)}/events`, (name, data) => {
    status = JSON.parse(data);
    onProgress(status);
  }, signal);
  return status;
}

/** A form (fleet, device, clips) and its result; getSource() gives the set's text when the button is pressed. */
export function backtestPanel(id, getSource, fleets, signal) {
  const fleet = el('select', { id: `${id}-fleet` }, fleets.map((f) => el('option', { value: f }, f)));
  const device = el('input', { id: `${id}-device`, placeholder: 'every device' });
  const clips = el('input', { id: `${id}-clips`, type: 'number', min: 1, value: 20 });
  const out = el('div', { id: `${id}-result` });
  const button = el('button', { type: 'submit', id: `${id}-run` }, 'Run backtest');
  const form = el('form', { class: 'search' },
    el('label', {}, 'Fleet', fleet), el('label', {}, 'Device (optional)', device), el('label', {}, 'At most this many stored clips', clips), button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const status = await runBacktest(
        { source: getSource(), fleet: fleet.value, device: device.value.trim() || null, maxClips: Number(clips.value) || null },
        (s) => out.replaceChildren(progressLine(s)), signal);
      out.replaceChildren(...renderStatus(status));
    } catch (e) {
      out.replaceChildren(errorBox(e instanceof ApiError && e.status === 422 ? `The set does not compile: ${e.body.errors.map((x) => x.text).join('; ')}` : e.message));
    } finally {
      button.disabled = false;
    }
  });
  return el('div', { class: 'backtest' }, form, out);
}

export function progressLine(status) {
  return el('p', { class: 'muted progress', 'data-state': status.state }, `Backtest ${status.id}: ${status.state}${status.clipsTotal ? `, ${status.clipsDone} of ${status.clipsTotal} clips` : ''}${status.detail ? ` (${status.detail})` : ''}`);
}

export function renderStatus(status) {
  if (status.state === 'failed') return [errorBox(`Backtest ${status.id} failed: ${status.detail}`)];
  const r = status.result;
  const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(0)} %`);
  return [
    el('p', { class: 'small', 'data-state': 'done' }, `Version ${r.version} on ${r.clips} stored clips (${(r.hours * 60).toFixed(1)} min); clips measured at ${(r.clipBytesPerSecond / 1048576).toFixed(2)} MiB/s. `, el('span', { class: 'muted' }, r.note)),
    el('div', { class: 'scroll' }, el('table', { class: 'grid backtest-figures' },
      el('thead', {}, el('tr', {}, ['Trigger', 'Fires', 'Fires/hour', 'Clip MB/hour', 'Recall', 'Precision', 'Suppressed (cooldown / budget / sampling)'].map((h) => el('th', {}, h)))),
      el('tbody', {}, r.triggers.map((t) => el('tr', { 'data-trigger': t.triggerId },
        el('td', {}, t.triggerId), el('td', {}, t.fires), el('td', {}, t.firesPerHour.toFixed(1)), el('td', {}, t.clipMegabytesPerHour.toFixed(1)),
        el('td', { title: r.hasTruth ? '' : 'no ground-truth signal in these clips' }, pct(t.recall)), el('td', {}, pct(t.precision)),
        el('td', {}, `${t.suppressedCooldown} / ${t.suppressedBudget} / ${t.suppressedSampling}`)))))),
    timeline(r.fires),
    r.skipped.length ? el('details', {}, el('summary', {}, `${r.skipped.length} clip(s) skipped`), el('ul', { class: 'small' }, r.skipped.map((s) => el('li', {}, s)))) : null,
  ].filter(Boolean);
}

/** Fire times on one line per trigger, across the replayed clips' wall-clock span. */
function timeline(fires) {
  if (fires.length === 0) return el('p', { class: 'muted timeline-empty' }, 'No fire on these clips.');
  const times = fires.map((f) => Date.parse(f.at));
  const min = Math.min(...times);
  const span = Math.max(Math.max(...times) - min, 1);
  const ids = [...new Set(fires.map((f) => f.triggerId))];
  return el('div', { class: 'timeline', 'data-fires': fires.length },
    ids.map((id) => el('div', { class: 'lane' }, el('span', { class: 'lane-name' }, id),
      el('div', { class: 'lane-track' }, fires.filter((f) => f.triggerId === id).map((f) => {
        // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
        const mark = el('span', { class: 'fire', title: `${id} at ${time(f.at)} in clip ${f.clipId}` });
        mark.style.left = `${((Date.parse(f.at) - min) / span * 100).toFixed(2)}%`;
        return mark;
      })))),
    el('div', { class: 'muted small' }, `${time(new Date(min).toISOString())} … ${time(new Date(min + span).toISOString())}`));
}
