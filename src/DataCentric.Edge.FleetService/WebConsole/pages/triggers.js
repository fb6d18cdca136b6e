// Triggers: per trigger, fires per hour over time with the suppression reasons stacked under them,
// for one device or the whole fleet, from the counters the devices report (GET /api/triggers/counts);
// and each trigger's budget used against what the set last published through this console allows.
import uPlot from './vendor/uPlot.esm.js';
import { get } from './api.js';
import { el, time } from './dom.js';

const WINDOWS = { '6h': ['6 hours', 6, '15m', 0.25], '24h': ['24 hours', 24, '1h', 1], '7d': ['7 days', 168, '6h', 6] };
const STACK = [
  ['suppressedCooldown', 'cooldown', '#ffa94d'],
  ['suppressedBudget', 'budget', '#e03131'],
  ['suppressedSampling', 'sampling', '#9775fa'],
  ['suppressedDuplicate', 'near-duplicate', '#20c997'],
];

export async function showTriggers(view, params, signal) {
  const devices = (await get('/api/console/devices?limit=1000', { signal })).items;
  const fleets = [...new Set(devices.map((d) => d.fleet))].sort();
  const fleet = params.get('fleet') ?? fleets[0] ?? '';
  const device = params.get('device') ?? '';
  const windowKey = WINDOWS[params.get('window')] ? params.get('window') : '24h';
  const go = (change) => {
    const next = new URLSearchParams({ fleet, device, window: windowKey, ...change });
    if (!next.get('device')) next.delete('device');
    location.hash = `#/triggers?${next}`;
  };
  const fleetSelect = el('select', { id: 't-fleet', onchange: (e) => go({ fleet: e.target.value, device: '' }) },
    fleets.map((f) => el('option', { value: f, selected: f === fleet }, f)));
  const deviceSelect = el('select', { id: 't-device', onchange: (e) => go({ device: e.target.value }) },
    el('option', { value: '' }, 'whole fleet'),
    devices.filter((d) => d.fleet === fleet).map((d) => el('option', { value: d.device, selected: d.device === device }, d.device)));
  const windowSelect = el('select', { id: 't-window', onchange: (e) => go({ window: e.target.value }) },
    Object.entries(WINDOWS).map(([key, [label]]) => el('option', { value: key, selected: key === windowKey }, `last ${label}`)));
  const status = el('div', { id: 'triggers-status' });
  const plots = el('div', { id: 'trigger-plots', class: 'plots' });
  const budgets = el('tbody', { id: 'budgets' });
  view.replaceChildren(
    el('section', { class: 'toolbar' }, el('h1', {}, 'Triggers'),
      el('label', {}, 'Fleet ', fleetSelect), el('label', {}, 'Device ', deviceSelect), el('label', {}, 'Window ', windowSelect),
      el('a', { class: 'button', href: '#/editor' }, 'Open the editor')),
    status,
    el('h2', {}, 'Budgets: used in the last full hour vs allowed'),
    el('div', { class: 'scroll' }, el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ['Trigger', 'Device', 'Fires, last full hour', 'Allowed per hour', 'Suppressed by budget (window)', 'Daily bytes allowed'].map((h) => el('th', {}, h)))),
      budgets)),
    el('h2', {}, 'Fires per hour, with the suppressed rising edges stacked'),
    plots);
  if (!fleet) {
    status.replaceChildren(el('p', { class: 'muted' }, 'No device has reported to this service yet.'));
    return;
  }

  const [label, hours, bucket, bucketHours] = WINDOWS[windowKey];
  const to = new Date();
  const from = new Date(to.getTime() - hours * 3600_000);
  const query = new URLSearchParams({ fleet, from: from.toISOString(), to: to.toISOString(), bucket });
  if (device) query.set('device', device);
  const [counts, proposals] = await Promise.all([
    get(`/api/triggers/counts?${query}`, { signal }),
    get('/api/console/triggers/proposals', { signal }),
  ]);
  const allowed = allowedBudgets(proposals.items, fleet);
  const triggers = [...new Set(counts.map((c) => c.triggerId))].sort();
  status.replaceChildren(el('p', { class: 'muted' }, triggers.length === 0
    ? `No trigger counters from ${device || `fleet ${fleet}`} in the last ${label}.`
    : `${triggers.length} triggers, ${device ? `device ${device}` : `every device of ${fleet}`}, last ${label} in ${bucket} buckets (UTC).`));

  const buckets = [];
  for (let t = Math.floor(from.getTime() / (bucketHours * 3600_000)) * bucketHours * 3600; t <= to.getTime() / 1000; t += bucketHours * 3600) buckets.push(t);
  const charts = [];
  const widthNow = () => Math.max(240, Math.min(plots.clientWidth - 34, 1100));
  const resize = () => charts.forEach((u) => u.setSize({ width: widthNow(), height: 200 }));
  window.addEventListener('resize', resize);
  signal.addEventListener('abort', () => window.removeEventListener('resize', resize), { once: true });
  for (const id of triggers) {
    const mine = counts.filter((c) => c.triggerId === id);
    const per = (kind) => buckets.map((b) => mine.filter((c) => c.kind === kind && Date.parse(c.bucketStart) / 1000 === b).reduce((s, c) => s + c.count, 0) / bucketHours);
    const fires = per('fires');
    const raw = STACK.map(([kind]) => per(kind));
    const stacked = raw.map((_, i) => buckets.map((__, j) => raw.slice(0, i + 1).reduce((s, r) => s + r[j], 0)));
    const box = el('div', { class: 'plot', 'data-trigger': id, 'data-fires': fires.reduce((s, v) => s + v * bucketHours, 0) });
    plots.append(el('section', { class: 'card trigger-card' }, el('h3', {}, id), box));
    charts.push(new uPlot({
      width: widthNow(),
      height: 200,
      scales: { x: { time: true } },
      axes: [{}, { label: 'per hour' }],
      series: [
        { value: (u, v) => (v === null ? '' : time(new Date(v * 1000).toISOString())) },
        ...STACK.map(([, name, color], i) => ({
          label: `suppressed: ${name}`, stroke: color, fill: `${color}55`, width: 1,
          value: (u, v, si, idx) => (idx === null || idx === undefined ? '' : raw[i][idx].toFixed(1)),
        })).reverse(),
        { label: 'fires', stroke: '#1971c2', width: 2 },
      ],
    }, [buckets, ...[...stacked].reverse(), fires], box));
  }

  // Budgets: per device, the last full hour's fires against the published set's maxPerHour.
  const lastHour = Math.floor(to.getTime() / 3600_000) * 3600 - 3600;
  const rows = [];
  for (const id of triggers) {
    const byDevice = new Map();
    for (const c of counts.filter((x) => x.triggerId === id)) {
      const entry = byDevice.get(c.device) ?? { fires: 0, budget: 0 };
      const start = Date.parse(c.bucketStart) / 1000;
      if (c.kind === 'fires' && start >= lastHour && start < lastHour + 3600) entry.fires += c.count;
      if (c.kind === 'suppressedBudget') entry.budget += c.count;
      byDevice.set(c.device, entry);
    }
    const limit = allowed.get(id);
    for (const [dev, entry] of [...byDevice.entries()].sort()) {
      const over = limit?.maxPerHour !== null && limit?.maxPerHour !== undefined && entry.fires >= limit.maxPerHour;
      rows.push(el('tr', { 'data-trigger': id, 'data-device': dev },
        el('td', {}, id), el('td', {}, dev),
        el('td', { class: over ? 'fault' : '' }, String(entry.fires)),
        el('td', { title: limit ? `from v${limit.version}, published through this console` : '' }, limit ? (limit.maxPerHour ?? 'no limit') : el('span', { class: 'muted' }, 'unknown: no set published through this console')),
        el('td', {}, String(entry.budget)),
        el('td', {}, limit?.maxBytesPerDay ? `${(limit.maxBytesPerDay / 1048576).toFixed(0)} MiB` : '–')));
    }
  }
  budgets.replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No counters in this window.'))]));
}

/** Trigger id → {maxPerHour, maxBytesPerDay, version} from the newest set published to this fleet through the console. */
function allowedBudgets(proposals, fleet) {
  const published = proposals.filter((p) => p.fleet === fleet && p.state === 'published');
  const map = new Map();
  for (const p of published.reverse()) {
    for (const t of p.triggers) map.set(t.id, { maxPerHour: t.maxPerHour, maxBytesPerDay: t.maxBytesPerDay, version: p.version });
  }
  return map;
}

