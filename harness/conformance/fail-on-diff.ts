// --fail-on-diff: the plain CI verdict, without a baseline. Any case that was run and did not
// pass (a difference, an unsupported stop, or a case that could not be judged) makes the run
// exit 1; cases not compared at all (skipped: no qemu, no recorded reference) do not — the
// summary counts them, and `--gate` without --allow-skips is the option that fails on them.

import { NAMED } from './baseline.ts';
import type { CaseResult } from './schema.ts';

const FAILED = new Set<CaseResult['outcome']>(['fail', 'unsupported', 'error']);

export function failedCases(cases: readonly CaseResult[]): CaseResult[] {
  return cases.filter((c) => FAILED.has(c.outcome));
}

/** One verdict line, then the first NAMED failed cases (id, outcome, why). */
export function renderFailOnDiff(failed: readonly CaseResult[]): string {
  if (!failed.length) return 'fail-on-diff: OK — every case compared passes';
  const lines = failed.slice(0, NAMED).map((c) => `  ${c.outcome.toUpperCase()} ${c.id}: ${c.summary}`);
  if (failed.length > NAMED) lines.push(`  … and ${failed.length - NAMED} more`);
  return [`fail-on-diff: FAILED — ${failed.length} case(s) differ from the reference or could not be judged:`, ...lines].join('\n');
}
