// A line diff (longest common subsequence) of two trigger sets, shown side by side: sets are small
// (the compiler refuses long documents), so the quadratic table is fine.
import { el } from './dom.js';

export function diffLines(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) rows.push({ kind: 'same', left: x[i++], right: y[j++] });
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) rows.push({ kind: 'added', left: null, right: y[j++] });
    else rows.push({ kind: 'removed', left: x[i++], right: null });
  }
  return rows;
}

/** Two columns, removed lines red on the left, added lines green on the right. */
export function diffTable(id, before, after, leftTitle, rightTitle) {
  const rows = diffLines(before ?? '', after);
  const changed = rows.filter((r) => r.kind !== 'same').length;
  return el('div', { id, class: 'diff', 'data-changed': changed },
    el('p', { class: 'muted small' }, before === null || before === undefined ? 'Nothing to compare with: no earlier version known here.' : `${changed} changed line(s).`),
    el('div', { class: 'scroll' }, el('table', { class: 'diff-table' },
      el('thead', {}, el('tr', {}, el('th', {}, leftTitle), el('th', {}, rightTitle))),
      el('tbody', {}, rows.map((r) => el('tr', { class: r.kind },
        el('td', { class: r.kind === 'removed' ? 'removed' : '' }, r.left ?? ''),
        el('td', { class: r.kind === 'added' ? 'added' : '' }, r.right ?? '')))))));
}
