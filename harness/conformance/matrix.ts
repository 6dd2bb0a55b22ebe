// Reports across implementations, in the manner of wpt.fyi: the reports of several
// conformance runs (one per target, `conformance --target a,b` or separate runs) joined
// into one table, rows grouped by syscall then case, one column per target, each cell the
// case's outcome there with its one-line verdict. The reference (qemu-riscv64) is what
// every column was judged against, so it has no column of its own.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSS, esc } from './report/html.ts';
import type { CaseResult, ConformanceReport, Outcome } from './schema.ts';
import { REPORT_SCHEMA } from './schema.ts';

export interface MatrixRow {
  id: string;
  /** The syscall a spec case or property is about; corpus programs group under "corpus". */
  group: string;
  source?: string;
  /** By target name: the case's result there, absent when that run did not have the case. */
  cells: Record<string, CaseResult | undefined>;
}

export interface Matrix {
  targets: { name: string; description: string; pass: number; total: number }[];
  reference: string;
  rows: MatrixRow[];
}

/** The implementation a report judged: its target, or zerosys. */
export function targetOf(r: ConformanceReport): string {
  return r.options.target?.name ?? 'zerosys';
}

function groupOf(c: CaseResult): string {
  if (c.kind === 'corpus') return 'corpus';
  if (c.kind === 'property') return `property: ${c.family ?? c.id.split('/')[1]}`;
  return c.syscall ?? c.id.split('/')[1];
}

export function buildMatrix(reports: ConformanceReport[]): Matrix {
  if (reports.length === 0) throw new Error('no reports to join');
  const names = reports.map(targetOf);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`two reports judge the same target ${twice}`);
  const refs = new Set(reports.map((r) => r.environment.qemu.version ?? 'recorded references'));
  const rows = new Map<string, MatrixRow>();
  reports.forEach((r, i) => {
    for (const c of r.cases) {
      let row = rows.get(c.id);
      if (!row) rows.set(c.id, (row = { id: c.id, group: groupOf(c), source: c.source, cells: {} }));
      row.cells[names[i]] = c;
    }
  });
  const sorted = [...rows.values()].sort((a, b) => (a.group === b.group ? (a.id < b.id ? -1 : 1) : a.group === 'corpus' ? -1 : b.group === 'corpus' ? 1 : a.group < b.group ? -1 : 1));
  return {
    reference: [...refs].join('; '),
    targets: reports.map((r, i) => {
      const t = r.options.target;
      const description = t?.command ? `\`${t.command.join(' ')}\`${t.source ? ` (${t.source})` : ''}, traces not compared` : t ? 'a second run of the reference' : 'zerosys';
      return { name: names[i], description, pass: r.cases.filter((c) => c.outcome === 'pass').length, total: r.cases.length };
    }),
    rows: sorted,
  };
}

const SYMBOL: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', unsupported: 'UNSUPPORTED', error: 'ERROR', skipped: 'SKIP' };

export function renderMatrixMarkdown(m: Matrix): string {
  const names = m.targets.map((t) => t.name);
  const out = ['# Conformance across implementations', '', `Every column judged against ${m.reference}.`, ''];
  for (const t of m.targets) out.push(`- **${t.name}** — ${t.description}: ${t.pass}/${t.total} pass`);
  out.push('', `| case | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---').join(' | ')} |`);
  let group = '';
  for (const row of m.rows) {
    if (row.group !== group) {
      group = row.group;
      out.push(`| **${group}** | ${names.map(() => '').join(' | ')} |`);
    }
    const cells = names.map((n) => {
      const c = row.cells[n];
      if (!c) return '—';
      const dev = c.referenceDeviates ? ` (reference deviates: ${c.referenceDeviates.id})` : '';
      return `${SYMBOL[c.outcome]}${dev}${c.outcome === 'pass' ? '' : `: ${c.summary.replace(/\|/g, '\\|').slice(0, 120)}`}`;
    });
    out.push(`| <a id="${row.id}"></a>${row.id}${row.source ? ` (${row.source})` : ''} | ${cells.join(' | ')} |`);
  }
  return out.join('\n') + '\n';
}

export function renderMatrixHtml(m: Matrix): string {
  const names = m.targets.map((t) => t.name);
  const head = names.map((n) => `<th>${esc(n)}</th>`).join('');
  const body: string[] = [];
  let group = '';
  for (const row of m.rows) {
    if (row.group !== group) {
      group = row.group;
      body.push(`<tr><th colspan="${names.length + 1}">${esc(group)}</th></tr>`);
    }
    const cells = names
      .map((n) => {
        const c = row.cells[n];
        if (!c) return '<td class="skipped">—</td>';
        const dev = c.referenceDeviates ? ` <small class="deviates" title="${esc(c.referenceDeviates.citation)}">reference deviates</small>` : '';
        return `<td class="${c.outcome}" title="${esc(c.summary)}">${SYMBOL[c.outcome]}${dev}${c.outcome === 'pass' ? '' : `<br><small>${esc(c.summary.slice(0, 160))}</small>`}</td>`;
      })
      .join('');
    body.push(`<tr id="${esc(row.id)}"><td><a href="#${esc(row.id)}">${esc(row.id)}</a>${row.source ? ` <small>${esc(row.source)}</small>` : ''}</td>${cells}</tr>`);
  }
  const targets = m.targets.map((t) => `<li><b>${esc(t.name)}</b> — ${esc(t.description)}: ${t.pass}/${t.total} pass</li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>zerosys conformance across implementations</title><style>${CSS}</style></head><body>
<h1>Conformance across implementations</h1><div class="meta">Every column judged against ${esc(m.reference)}.</div><ul>${targets}</ul>
<table><thead><tr><th>case</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table></body></html>
`;
}

/** Read reports (report.json files), join them and write matrix.md and matrix.html to dir. */
export function writeMatrix(files: string[], dir: string): { matrix: Matrix; markdown: string; html: string } {
  const reports = files.map((f) => {
    const r = JSON.parse(readFileSync(f, 'utf8')) as ConformanceReport;
    if (r.schema !== REPORT_SCHEMA) throw new Error(`${f}: not a conformance report`);
    return r;
  });
  const matrix = buildMatrix(reports);
  mkdirSync(dir, { recursive: true });
  const markdown = join(dir, 'matrix.md');
  const html = join(dir, 'matrix.html');
  writeFileSync(markdown, renderMatrixMarkdown(matrix));
  writeFileSync(html, renderMatrixHtml(matrix));
  return { matrix, markdown, html };
}
