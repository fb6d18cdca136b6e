// Clip view: frames decoded from the clip's MCAP on the server, the shadow model's boxes over them,
// the signals on a time axis shared with the scrubber (triggers marked), metadata and links.
import uPlot from './vendor/uPlot.esm.js';
import { get } from './api.js';
import { bytes, el, errorBox, time } from './dom.js';

export async function showClip(view, clipId, signal) {
  const base = `/api/clips/${encodeURIComponent(clipId)}`;
  // The first frame is asked for with the index, not after it: the server decodes the clip once for both.
  const images = new Map();
  const blobUrl = (n) => get(`${base}/frames/${n}`, { signal, raw: true }).then((r) => r.blob()).then((b) => URL.createObjectURL(b));
  const firstFrame = blobUrl(0);
  firstFrame.catch(() => images.delete(0));
  images.set(0, firstFrame);
  const index = await get(`${base}/frames`, { signal });
  const { clip, frames } = index;
  signal.addEventListener('abort', () => images.forEach((url) => url.then((u) => URL.revokeObjectURL(u)).catch(() => {})));

  const img = el('img', { id: 'frame', alt: `frame of clip ${clip.clipId}` });
  const overlay = el('canvas', { id: 'boxes', 'aria-hidden': 'true' });
  const stage = el('div', { class: 'stage' }, img, overlay);
  const scrubber = el('input', { id: 'scrubber', type: 'range', min: 0, max: Math.max(0, frames.length - 1), step: 1, value: 0, 'aria-label': 'frame' });
  const label = el('span', { id: 'frame-label', class: 'mono' });
  const boxList = el('ul', { id: 'box-list', class: 'boxes' });
  const plotHost = el('div', { id: 'plot' });
  const values = el('ul', { id: 'signal-values', class: 'values' });
  const frameError = el('div', { id: 'frame-error' });
  const download = el('a', { id: 'download', class: 'button disabled', download: clip.fileName }, 'Download MCAP');
  const mp4Error = el('div', { id: 'mp4-error' });
  const mp4 = el('button', { id: 'download-mp4', type: 'button', disabled: !frames.length, title: frames.length ? 'Encoded on the server with ffmpeg' : 'This clip has no camera frames' }, 'Download MP4');
  mp4.addEventListener('click', () => downloadMp4(clip.clipId, mp4, mp4Error, signal));
  const foxglove = el('a', { id: 'foxglove', class: 'button disabled', target: '_blank', rel: 'noopener' }, 'Open in Foxglove');
  const detections = pickDetections(index.detections);

  view.replaceChildren(
    el('h1', {}, 'Clip ', el('span', { class: 'mono' }, clip.clipId)),
    el('div', { class: 'clip-layout' },
      el('section', { class: 'viewer' },
        frames.length ? stage : errorBox('This clip has no camera frames.'),
        frameError,
        el('div', { class: 'scrub' }, scrubber, label),
        el('p', { class: 'muted small' }, '← and → step one frame; Home and End jump to the ends.'),
        el('h2', {}, detections ? `Shadow model boxes (${detections.name})` : 'Shadow model boxes'),
        detections ? boxList : el('p', { id: 'box-list', class: 'muted' }, 'This clip carries no shadow-model boxes.'),
        el('h2', {}, 'Signals'),
        plotHost,
        values),
      el('aside', { class: 'meta' },
        el('div', { class: 'links' }, download, mp4, foxglove),
        mp4Error,
        metadata(index))));

  let position = 0;
  let plot = null;
  const show = async (n) => {
    if (!frames.length) return;
    position = Math.max(0, Math.min(frames.length - 1, n));
    const wanted = position;
    const frame = frames[position];
    scrubber.value = String(position);
    label.textContent = `frame ${position + 1} / ${frames.length} · ${(frame.timeMs / 1000).toFixed(2)} s`;
    stage.dataset.frame = String(position);
    plot?.redraw(false, false);
    try {
      const url = await image(position);
      if (position !== wanted) return; // a later step won
      img.src = url;
      frameError.replaceChildren();
    } catch (e) {
      if (!signal.aborted) frameError.replaceChildren(errorBox(`Frame ${position}: ${e.message}`));
    }
    drawBoxes(overlay, frame, detections ? boxesAt(detections, frame.timeMs) : [], boxList);
    values.replaceChildren(...index.signals.map((s) => el('li', { 'data-signal': s.name }, el('strong', {}, s.name), ` = ${valueAt(s, frame.timeMs)}`)));
    for (let k = 1; k <= 3; k++) if (position + k < frames.length) image(position + k).catch(() => {});
  };
  const image = (n) => {
    if (!images.has(n)) {
      const url = blobUrl(n);
      url.catch(() => images.delete(n));
      images.set(n, url);
    }
    return images.get(n);
  };

  scrubber.addEventListener('input', () => show(Number(scrubber.value)));
  const keys = (event) => {
    if (event.target instanceof HTMLInputElement && event.target !== scrubber) return;
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) show(position + step);
    else if (event.key === 'Home') show(0);
    else if (event.key === 'End') show(frames.length - 1);
    else return;
    event.preventDefault();
  };
  document.addEventListener('keydown', keys);
  const resize = () => plot?.setSize({ width: plotWidth(plotHost), height: 220 });
  window.addEventListener('resize', resize);
  signal.addEventListener('abort', () => {
    document.removeEventListener('keydown', keys);
    window.removeEventListener('resize', resize);
  });
  await show(0);
  plot = signalsPlot(plotHost, index, () => frames[position]?.timeMs ?? 0, (ms) => show(nearestFrame(frames, ms)));

  // The links are signed (they work without a token until they expire), so they are fetched after the first frame.
  get(`${base}/link`, { signal }).then((link) => {
    download.href = link.url;
    foxglove.href = link.foxgloveUrl;
    download.classList.remove('disabled');
    foxglove.classList.remove('disabled');
    foxglove.title = `The link works until ${time(link.expiresAt)}`;
  }).catch((e) => {
    if (!signal.aborted) view.querySelector('.links').append(errorBox(`No download link: ${e.message}`));
  });
}

// The MP4 needs the token (a plain link cannot send it): fetched, then saved from a blob URL.
async function downloadMp4(clipId, button, errorHost, signal) {
  const label = button.textContent;
  button.disabled = true;
  button.textContent = 'Encoding MP4…';
  errorHost.replaceChildren();
  try {
    const blob = await (await get(`/api/console/clips/${encodeURIComponent(clipId)}/mp4`, { signal, raw: true })).blob();
    const url = URL.createObjectURL(blob);
    const save = el('a', { href: url, download: `${clipId}.mp4`, hidden: true });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    if (!signal.aborted) errorHost.replaceChildren(errorBox(`No MP4: ${e.message}`));
  } finally {
    button.disabled = false;
    button.textContent = label;
  }
}

function metadata(index) {
  const { clip, events } = index;
  const model = clip.modelSha256 ?? index.metadata['model.sha256'] ?? null;
  const rows = [
    ['Device', `${clip.fleet}/${clip.device}`],
    ['Triggers', clip.triggerIds.join(', ')],
    ['Labels', clip.labels?.length ? clip.labels.join(', ') : 'none'],
    ['Model SHA-256', model ?? 'not recorded'],
    ['Start (UTC)', time(clip.startWall)],
    ['End (UTC)', time(clip.endWall)],
    ['Frames', String(clip.frameCount)],
    ['Size', bytes(clip.sizeBytes)],
    ['File SHA-256', clip.sha256],
  ];
  return el('div', {},
    el('dl', { id: 'clip-meta', class: 'kv' }, rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: k.includes('SHA') ? 'mono wrap' : '' }, v)])),
    el('h2', {}, 'Trigger events'),
    el('ul', { id: 'events', class: 'events' }, events.map((e) => el('li', {},
      el('div', {}, `${(e.timeMs / 1000).toFixed(2)} s · set v${e.triggerSetVersion}${e.dryRun ? ' · dry run' : ''} `, pullAround(clip, e)),
      e.triggers.map((t) => el('div', {}, el('strong', {}, t.triggerId), ` (priority ${t.priority}, ${t.preMs / 1000} s before, ${t.postMs / 1000} s after): `, el('code', {}, t.expression)))))),
    el('h2', {}, 'Clip metadata'),
    el('dl', { class: 'kv small' }, Object.entries(index.metadata).flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: 'wrap' }, v)])));
}

/** A link to the pull page with a window around the event filled in (the triggers' own pre/post windows, else 30 s / 10 s). */
function pullAround(clip, e) {
  const before = Math.max(0, ...e.triggers.map((t) => t.preMs / 1000)) || 30;
  const after = Math.max(0, ...e.triggers.map((t) => t.postMs / 1000)) || 10;
  const query = new URLSearchParams({ fleet: clip.fleet, device: clip.device, at: e.wallClock, before: String(before), after: String(after) });
  return el('a', { class: 'pull-around small', href: `#/pulls?${query}`, 'data-event': e.eventId }, 'Pull around this event');
}

function pickDetections(series) {
  return series.find((s) => s.name.startsWith('shadow.')) ?? series[0] ?? null;
}

/** The boxes of the latest detection sample at or before the frame's time. */
function boxesAt(series, ms) {
  let found = null;
  for (const sample of series.samples) {
    if (sample.timeMs <= ms) found = sample;
    else break;
  }
  return found?.boxes ?? [];
}

const PALETTE = ['#e8590c', '#2f9e44', '#1971c2', '#ae3ec9', '#f08c00', '#0c8599'];

function drawBoxes(canvas, frame, boxes, list) {
  canvas.width = frame.width;
  canvas.height = frame.height;
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.lineWidth = Math.max(2, frame.width / 200);
  g.font = `${Math.max(12, Math.round(frame.width / 40))}px sans-serif`;
  for (const b of boxes) {
    const color = PALETTE[b.classId % PALETTE.length];
    const [x, y, w, h] = [b.x * frame.width, b.y * frame.height, b.width * frame.width, b.height * frame.height];
    g.strokeStyle = color;
    g.strokeRect(x, y, w, h);
    const text = `class ${b.classId} ${(b.score * 100).toFixed(0)}%`;
    g.fillStyle = color;
    g.fillRect(x, Math.max(0, y - 18), g.measureText(text).width + 8, 18);
    g.fillStyle = '#fff';
    g.fillText(text, x + 4, Math.max(14, y - 4));
  }
  canvas.dataset.boxes = String(boxes.length);
  if (list.tagName === 'UL') {
    list.replaceChildren(...(boxes.length
      ? boxes.map((b) => el('li', {}, `class ${b.classId} · score ${b.score.toFixed(2)} · x ${b.x.toFixed(2)} y ${b.y.toFixed(2)} w ${b.width.toFixed(2)} h ${b.height.toFixed(2)}`))
      : [el('li', { class: 'muted' }, 'no box on this frame')]));
  }
}

/** The signal's latest sample at or before the frame's time, as the plot shows it. */
function valueAt(series, ms) {
  let value = null;
  for (let i = 0; i < series.timeMs.length && series.timeMs[i] <= ms; i++) value = series.values[i];
  if (value === null) return 'no sample yet';
  return series.kind === 'bool' ? String(value !== 0) : String(Math.round(value * 1000) / 1000);
}

function nearestFrame(frames, ms) {
  let best = 0;
  for (let i = 0; i < frames.length; i++) if (Math.abs(frames[i].timeMs - ms) < Math.abs(frames[best].timeMs - ms)) best = i;
  return best;
}

function plotWidth(host) {
  return Math.max(240, Math.floor(host.getBoundingClientRect().width) || 600);
}

/** Every numeric and boolean signal on one time axis (seconds from the clip's start), union of sample times. */
function signalsPlot(host, index, cursorMs, seek) {
  const series = index.signals;
  if (!series.length) {
    host.replaceChildren(el('p', { class: 'muted' }, 'This clip carries no numeric signals.'));
    return null;
  }
  const times = [...new Set(series.flatMap((s) => s.timeMs))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const columns = series.map((s) => {
    const column = new Array(times.length).fill(null);
    s.timeMs.forEach((t, i) => { column[at.get(t)] = s.values[i]; });
    return column;
  });
  const color = (name, i) => name.startsWith('shadow.') ? ['#1971c2', '#4dabf7', '#1864ab'][i % 3]
    : name.startsWith('primary.') ? ['#e8590c', '#ff922b', '#d9480f'][i % 3]
    : ['#2f9e44', '#868e96', '#ae3ec9'][i % 3];
  const marks = (u) => {
    const g = u.ctx;
    const line = (ms, style, dash) => {
      const x = Math.round(u.valToPos(ms / 1000, 'x', true));
      g.save();
      g.strokeStyle = style;
      g.setLineDash(dash);
      g.lineWidth = 2 * devicePixelRatio;
      g.beginPath();
      g.moveTo(x, u.bbox.top);
      g.lineTo(x, u.bbox.top + u.bbox.height);
      g.stroke();
      g.restore();
    };
    for (const e of index.events) line(e.timeMs, '#c92a2a', [6 * devicePixelRatio, 4 * devicePixelRatio]);
    line(cursorMs(), '#212529', []);
  };
  const plot = new uPlot({
    width: plotWidth(host),
    height: 220,
    scales: { x: { time: false } },
    axes: [{ label: 'seconds from clip start' }, {}],
    series: [{ label: 's' }, ...series.map((s, i) => ({ label: s.name, stroke: color(s.name, i), width: 2, spanGaps: true, paths: s.kind === 'bool' ? uPlot.paths.stepped({ align: 1 }) : undefined }))],
    hooks: { draw: [marks] },
  }, [times.map((t) => t / 1000), ...columns], host);
  host.dataset.series = String(series.length);
  host.dataset.triggers = String(index.events.length);
  plot.over.addEventListener('click', () => {
    const seconds = plot.posToVal(plot.cursor.left, 'x');
    if (Number.isFinite(seconds)) seek(seconds * 1000);
  });
  return plot;
}
