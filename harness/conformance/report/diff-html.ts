// `zerosys conformance-diff OLD NEW --html FILE`: the diff between two runs as one
// self-contained page in the style of index.html and matrix.html (their CSS, no script, no
// network): per target, newly failing first, then newly passing, otherwise changed, added
// and removed cases. Each case id is an anchor that links to itself, so a CI comment can
// point at one row; with several targets the anchor is TARGET:ID, since a case appears once
// per target.

import { diffCounts, type CaseOutcome, type OutcomeChange, type TargetDiff } from '../report-diff.ts';
import type { Outcome } from '../schema.ts';
import { CSS, esc } from './html.ts';

const outcome = (o: Outcome) => `<td class="${o}">${o}</td>`;

function caseCell(anchor: string, c: { id: string; source?: string }): string {
  return `<td><a href="#${esc(anchor)}">${esc(c.id)}</a>${c.source ? ` <small>${esc(c.source)}</small>` : ''}</td>`;
}

function table(title: string, head: string[], rows: string[]): string {
  if (!rows.length) return '';
  return `<h3>${esc(title)} (${rows.length})</h3>
<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function targetSection(t: TargetDiff, several: boolean): string {
  const d = t.diff;
  const anchor = (id: string) => (several ? `${t.target}:${id}` : id);
  const changeRow = (c: OutcomeChange) =>
    `<tr id="${esc(anchor(c.id))}">${caseCell(anchor(c.id), c)}${outcome(c.from)}${outcome(c.to)}<td>${esc(c.summary.slice(0, 300))}</td></tr>`;
  const oneRow = (c: CaseOutcome) => `<tr id="${esc(anchor(c.id))}">${caseCell(anchor(c.id), c)}${outcome(c.outcome)}</tr>`;
  const tables = [
    table('Newly failing', ['case', 'was', 'now', 'why (new run)'], d.regressed.map(changeRow)),
    table('Newly passing', ['case', 'was', 'now', 'new run'], d.fixed.map(changeRow)),
    table('Otherwise changed', ['case', 'was', 'now', 'why (new run)'], d.changed.map(changeRow)),
    table('Added', ['case', 'outcome'], d.added.map(oneRow)),
    table('Removed', ['case', 'outcome before'], d.removed.map(oneRow)),
  ].filter((x) => x);
  return `<h2 id="${esc(several ? `target:${t.target}` : 'target')}">${esc(t.target)}</h2>
<div class="meta${d.regressed.length ? ' gate warn' : ''}">${esc(diffCounts(d))}</div>
${tables.length ? tables.join('\n') : '<p>No case changed its outcome.</p>'}`;
}

export function renderReportDiffHtml(diffs: TargetDiff[], oldName: string, newName: string): string {
  const sum = (pick: (t: TargetDiff) => number) => diffs.reduce((n, t) => n + pick(t), 0);
  const cards = [
    ['newly failing', sum((t) => t.diff.regressed.length), 'fail'],
    ['newly passing', sum((t) => t.diff.fixed.length), 'pass'],
    ['otherwise changed', sum((t) => t.diff.changed.length), ''],
    ['added', sum((t) => t.diff.added.length), ''],
    ['removed', sum((t) => t.diff.removed.length), ''],
    ['unchanged', sum((t) => t.diff.unchanged), ''],
  ]
    .map(([k, v, cls]) => `<div class="card ${cls}"><b>${v}</b>${k}</div>`)
    .join('');
  const title = `${oldName} → ${newName}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>zerosys conformance diff — ${esc(title)}</title><style>${CSS}</style></head>
<body>
<h1>Conformance diff</h1>
<div class="meta">${esc(title)}${diffs.length > 1 ? ` · ${diffs.length} targets: ${diffs.map((t) => `<a href="#${esc(`target:${t.target}`)}">${esc(t.target)}</a>`).join(', ')}` : ''}</div>
<div class="cards">${cards}</div>
${diffs.map((t) => targetSection(t, diffs.length > 1)).join('\n')}
</body></html>
`;
}
