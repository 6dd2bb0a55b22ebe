// The regression gate. The committed baseline (reports/baseline.json) lists every case id
// that passed when it was last accepted. `--gate` fails on any of those that ran now and did
// not pass; `--update-baseline` accepts the current state (for the cases that ran; cases
// outside this run's filter or shard keep their baseline entry).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CaseResult } from './schema.ts';

export const BASELINE_SCHEMA = 'zerosys-conformance-baseline';
export const BASELINE_VERSION = 1;

export interface Baseline {
  schema: typeof BASELINE_SCHEMA;
  version: typeof BASELINE_VERSION;
  updatedAt: string;
  /** Ids of passing cases, sorted. */
  passing: string[];
}

export function readBaseline(path: string): Baseline | undefined {
  if (!existsSync(path)) return undefined;
  const data = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
  if (data.schema !== BASELINE_SCHEMA || data.version !== BASELINE_VERSION || !Array.isArray(data.passing)) {
    throw new Error(`${path}: not a ${BASELINE_SCHEMA} v${BASELINE_VERSION} file`);
  }
  return data;
}

export interface GateResult {
  ok: boolean;
  /** Passed in the baseline, ran now, did not pass. */
  regressions: CaseResult[];
  /** Did not pass in the baseline, pass now (candidates for --update-baseline). */
  improvements: string[];
  /** In the baseline, selected for this run, but not judged now (skipped: no reference). */
  notJudged: string[];
  /** In the baseline and within this run's scope, but no such case exists any more. */
  missing: string[];
}

/** Which case ids a run covered completely (kind, filter, shard); undefined: not known (--quick). */
export type Scope = (id: string) => boolean;

/**
 * Compare a run with the baseline. A baseline case inside the run's scope that did not run at
 * all was deleted or renamed: that fails too, so dropping a case takes --update-baseline.
 */
export function gate(baseline: Baseline, cases: CaseResult[], scope?: Scope): GateResult {
  const passing = new Set(baseline.passing);
  const regressions = cases.filter((c) => passing.has(c.id) && c.outcome !== 'pass' && c.outcome !== 'skipped');
  const notJudged = cases.filter((c) => passing.has(c.id) && c.outcome === 'skipped').map((c) => c.id);
  const improvements = cases.filter((c) => !passing.has(c.id) && c.outcome === 'pass').map((c) => c.id);
  const present = new Set(cases.map((c) => c.id));
  const missing = scope ? baseline.passing.filter((id) => scope(id) && !present.has(id)) : [];
  return { ok: regressions.length === 0 && missing.length === 0, regressions, improvements, notJudged, missing };
}

/**
 * The baseline after accepting this run: entries of cases that ran are replaced, and entries
 * inside the run's scope that no longer exist are dropped.
 */
export function updatedBaseline(previous: Baseline | undefined, cases: CaseResult[], now = new Date(), scope?: Scope): Baseline {
  const ran = new Set(cases.filter((c) => c.outcome !== 'skipped').map((c) => c.id));
  const present = new Set(cases.map((c) => c.id));
  const kept = (previous?.passing ?? []).filter((id) => !ran.has(id) && !(scope?.(id) && !present.has(id)));
  const passing = [...new Set([...kept, ...cases.filter((c) => c.outcome === 'pass').map((c) => c.id)])].sort();
  return { schema: BASELINE_SCHEMA, version: BASELINE_VERSION, updatedAt: now.toISOString(), passing };
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, JSON.stringify(baseline, null, 1) + '\n');
}

export function renderGate(result: GateResult): string {
  const lines: string[] = [];
  if (result.ok) lines.push(`gate: OK — no case that passes in the baseline fails now`);
  else {
    lines.push(`gate: FAILED — ${result.regressions.length + result.missing.length} case(s) passed in the baseline and fail or are gone now:`);
    for (const c of result.regressions) lines.push(`  REGRESSION ${c.id}: ${c.outcome}: ${c.summary}`);
    for (const id of result.missing) lines.push(`  MISSING ${id}: in the baseline, no such case now (accept its removal with --update-baseline)`);
  }
  if (result.notJudged.length) lines.push(`gate: ${result.notJudged.length} baseline case(s) could not be judged (no reference): ${result.notJudged.join(', ')}`);
  if (result.improvements.length) lines.push(`gate: ${result.improvements.length} case(s) pass now but not in the baseline (accept with --update-baseline)`);
  return lines.join('\n');
}
