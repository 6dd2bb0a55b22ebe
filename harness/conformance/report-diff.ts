// `zerosys conformance-diff OLD.json NEW.json`: what changed between two conformance runs,
// case by case — what a CI job posts on a pull request. A case that passed and now does
// not is a regression; one that did not and now passes is fixed; a skipped case (not
// compared) is its own change, never counted as passing.

import type { CaseResult, ConformanceReport, Outcome } from './schema.ts';

export interface OutcomeChange {
  id: string;
  from: Outcome;
  to: Outcome;
  /** The new run's one-line summary (why it fails, or what passed). */
  summary: string;
}

export interface ReportDiff {
  /** Passed before, fails, errs, stops as unsupported, or is skipped now. */
  regressed: OutcomeChange[];
  /** Did not pass before, passes now. */
  fixed: OutcomeChange[];
  /** Any other change of outcome (fail -> unsupported, error -> skipped...). */
  changed: OutcomeChange[];
  /** Cases only the new run has, with their outcome. */
  added: { id: string; outcome: Outcome }[];
  /** Cases only the old run has. */
  removed: { id: string; outcome: Outcome }[];
  unchanged: number;
}

export function diffReports(oldReport: Pick<ConformanceReport, 'cases'>, newReport: Pick<ConformanceReport, 'cases'>): ReportDiff {
  const before = new Map<string, CaseResult>(oldReport.cases.map((c) => [c.id, c]));
  const after = new Map<string, CaseResult>(newReport.cases.map((c) => [c.id, c]));
  const diff: ReportDiff = { regressed: [], fixed: [], changed: [], added: [], removed: [], unchanged: 0 };
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) {
      diff.added.push({ id, outcome: now.outcome });
      continue;
    }
    if (was.outcome === now.outcome) {
      diff.unchanged++;
      continue;
    }
    const change = { id, from: was.outcome, to: now.outcome, summary: now.summary };
    if (was.outcome === 'pass') diff.regressed.push(change);
    else if (now.outcome === 'pass') diff.fixed.push(change);
    else diff.changed.push(change);
  }
  for (const [id, was] of before) if (!after.has(id)) diff.removed.push({ id, outcome: was.outcome });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const list of [diff.regressed, diff.fixed, diff.changed, diff.added, diff.removed]) list.sort(byId);
  return diff;
}

/** Markdown for a pull-request comment: counts first, then each list (regressions first). */
export function renderReportDiff(d: ReportDiff, oldName: string, newName: string): string {
  const lines = [
    `## Conformance: ${oldName} -> ${newName}`,
    '',
    `${d.regressed.length} newly failing, ${d.fixed.length} newly passing, ${d.changed.length} otherwise changed, ${d.added.length} added, ${d.removed.length} removed, ${d.unchanged} unchanged.`,
  ];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push('', `### ${title}`, '', ...items.map((i) => `- ${i}`));
  };
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 200);
  section('Newly failing', d.regressed.map((c) => `**${c.id}** — ${c.from} -> ${c.to}: ${oneLine(c.summary)}`));
  section('Newly passing', d.fixed.map((c) => `${c.id} — ${c.from} -> pass`));
  section('Otherwise changed', d.changed.map((c) => `${c.id} — ${c.from} -> ${c.to}: ${oneLine(c.summary)}`));
  section('Added', d.added.map((c) => `${c.id} (${c.outcome})`));
  section('Removed', d.removed.map((c) => `${c.id} (was ${c.outcome})`));
  return lines.join('\n') + '\n';
}
