// `zerosys conformance-diff OLD NEW [--html FILE]`: what changed between two conformance
// runs, case by case — what a CI job posts on a pull request. A case that passed and now
// does not is a regression; one that did not and now passes is fixed; a skipped case (not
// compared) is its own change, never counted as passing. OLD and NEW are report.json files,
// or the --out directories of runs against several targets (NAME/report.json each): then the
// diff is per target.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetOf } from './matrix.ts';
import { renderReportDiffHtml } from './report/diff-html.ts';
import type { CaseResult, ConformanceReport, Outcome } from './schema.ts';

export interface OutcomeChange {
  id: string;
  from: Outcome;
  to: Outcome;
  /** The new run's one-line summary (why it fails, or what passed). */
  summary: string;
  /** The spec's file:line, for a spec case. */
  source?: string;
}

/** A case only one of the runs has. */
export interface CaseOutcome {
  id: string;
  outcome: Outcome;
  source?: string;
}

export interface ReportDiff {
  /** Passed before, fails, errs, stops as unsupported, or is skipped now. */
  regressed: OutcomeChange[];
  /** Did not pass before, passes now. */
  fixed: OutcomeChange[];
  /** Any other change of outcome (fail -> unsupported, error -> skipped...). */
  changed: OutcomeChange[];
  /** Cases only the new run has, with their outcome. */
  added: CaseOutcome[];
  /** Cases only the old run has. */
  removed: CaseOutcome[];
  unchanged: number;
}

export function diffReports(oldReport: Pick<ConformanceReport, 'cases'>, newReport: Pick<ConformanceReport, 'cases'>): ReportDiff {
  const before = new Map<string, CaseResult>(oldReport.cases.map((c) => [c.id, c]));
  const after = new Map<string, CaseResult>(newReport.cases.map((c) => [c.id, c]));
  const diff: ReportDiff = { regressed: [], fixed: [], changed: [], added: [], removed: [], unchanged: 0 };
  const source = (c: CaseResult) => (c.source ? { source: c.source } : {});
  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) {
      diff.added.push({ id, outcome: now.outcome, ...source(now) });
      continue;
    }
    if (was.outcome === now.outcome) {
      diff.unchanged++;
      continue;
    }
    const change = { id, from: was.outcome, to: now.outcome, summary: now.summary, ...source(now) };
    if (was.outcome === 'pass') diff.regressed.push(change);
    else if (now.outcome === 'pass') diff.fixed.push(change);
    else diff.changed.push(change);
  }
  for (const [id, was] of before) if (!after.has(id)) diff.removed.push({ id, outcome: was.outcome, ...source(was) });
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const list of [diff.regressed, diff.fixed, diff.changed, diff.added, diff.removed]) list.sort(byId);
  return diff;
}

export function diffCounts(d: ReportDiff): string {
  return `${d.regressed.length} newly failing, ${d.fixed.length} newly passing, ${d.changed.length} otherwise changed, ${d.added.length} added, ${d.removed.length} removed, ${d.unchanged} unchanged.`;
}

/** Markdown for a pull-request comment: counts first, then each list (regressions first). */
export function renderReportDiff(d: ReportDiff, oldName: string, newName: string): string {
  return [`## Conformance: ${oldName} -> ${newName}`, '', ...diffLines(d, '###')].join('\n') + '\n';
}

function diffLines(d: ReportDiff, heading: string): string[] {
  const lines = [diffCounts(d)];
  const section = (title: string, items: string[]) => {
    if (items.length) lines.push('', `${heading} ${title}`, '', ...items.map((i) => `- ${i}`));
  };
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 200);
  section('Newly failing', d.regressed.map((c) => `**${c.id}** — ${c.from} -> ${c.to}: ${oneLine(c.summary)}`));
  section('Newly passing', d.fixed.map((c) => `${c.id} — ${c.from} -> pass`));
  section('Otherwise changed', d.changed.map((c) => `${c.id} — ${c.from} -> ${c.to}: ${oneLine(c.summary)}`));
  section('Added', d.added.map((c) => `${c.id} (${c.outcome})`));
  section('Removed', d.removed.map((c) => `${c.id} (was ${c.outcome})`));
  return lines;
}

/** One target's diff: the implementation both runs judged ("a -> b" when two single reports judged different ones). */
export interface TargetDiff {
  target: string;
  diff: ReportDiff;
}

/**
 * A run's reports by target: a report.json, or a directory holding report.json and/or
 * NAME/report.json (what `conformance --target a,b --out DIR` writes).
 */
export function readRun(path: string): Map<string, ConformanceReport> {
  const files = !statSync(path).isDirectory()
    ? [path]
    : [join(path, 'report.json'), ...readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(path, e.name, 'report.json'))].filter((f) => existsSync(f));
  if (!files.length) throw new Error(`${path}: no report.json in it nor in its subdirectories`);
  const run = new Map<string, ConformanceReport>();
  for (const f of files) {
    let r: ConformanceReport;
    try {
      r = JSON.parse(readFileSync(f, 'utf8')) as ConformanceReport;
    } catch (e) {
      throw new Error(`${f}: not a conformance report (${(e as Error).message})`);
    }
    if (!Array.isArray(r?.cases)) throw new Error(`${f}: not a conformance report (no cases)`);
    const target = r.options ? targetOf(r) : 'zerosys';
    if (run.has(target)) throw new Error(`${path}: two reports judge ${target}`);
    run.set(target, r);
  }
  return run;
}

/** The diff per target. Two single reports are compared whatever they judged; otherwise targets pair by name, and one only a run has is all added or all removed. */
export function diffRuns(before: Map<string, ConformanceReport>, after: Map<string, ConformanceReport>): TargetDiff[] {
  if (before.size === 1 && after.size === 1) {
    const [[a, ra]] = [...before];
    const [[b, rb]] = [...after];
    return [{ target: a === b ? a : `${a} -> ${b}`, diff: diffReports(ra, rb) }];
  }
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names.map((target) => ({ target, diff: diffReports(before.get(target) ?? { cases: [] }, after.get(target) ?? { cases: [] }) }));
}

/** Markdown for several targets: a section per target (one target: renderReportDiff's text). */
export function renderRunDiff(diffs: TargetDiff[], oldName: string, newName: string): string {
  if (diffs.length === 1) return renderReportDiff(diffs[0].diff, oldName, newName);
  const lines = [`## Conformance: ${oldName} -> ${newName}`];
  for (const t of diffs) lines.push('', `### ${t.target}`, '', ...diffLines(t.diff, '####'));
  return lines.join('\n') + '\n';
}

/** `zerosys conformance-diff OLD NEW [--html FILE]`: 1 when a case newly fails (any target), 2 when an input is not a report. */
export function diffCommand(oldPath: string, newPath: string, opts: { html?: string } = {}): number {
  try {
    const diffs = diffRuns(readRun(oldPath), readRun(newPath));
    process.stdout.write(renderRunDiff(diffs, oldPath, newPath));
    if (opts.html) writeFileSync(opts.html, renderReportDiffHtml(diffs, oldPath, newPath));
    return diffs.some((t) => t.diff.regressed.length) ? 1 : 0;
  } catch (error) {
    console.error(`zerosys conformance-diff: ${(error as Error).message}`);
    return 2;
  }
}
