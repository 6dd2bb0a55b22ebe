// The regression gate. The committed baseline (reports/baseline.json) lists every case id
// that passed when it was last accepted. `--gate` fails on any of those that ran now and did
// not pass, and on any that was not compared at all (no comparison, no pass: a missing qemu
// or reference must not read as green; `--allow-skips` lets those through, and the report
// says so). `--update-baseline` accepts the current state (for the cases that ran; cases
// outside this run's filter or shard keep their baseline entry), but refuses to drop a
// passing case unless `--allow-shrink` is given.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { CaseResult, GateSummary } from './schema.ts';

export const BASELINE_SCHEMA = 'zerosys-conformance-baseline';
export const BASELINE_VERSION = 1;

/** How many ids a gate or shrink message names before it only counts the rest. */
export const NAMED = 20;

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

/**
 * Whether a reference was really compared with zerosys for this case: skipped cases were not
 * (qemu absent and nothing recorded, no driver binary, a compiler missing), and a pass with
 * no reference at all cannot have compared anything either.
 */
export function compared(c: CaseResult): boolean {
  return c.outcome !== 'skipped' && !(c.outcome === 'pass' && c.reference === 'missing');
}

export interface GateOptions {
  /** Which case ids the run covered completely (kind, filter, shard); undefined: not known (--quick). */
  scope?: Scope;
  /** Baseline cases that were not compared do not fail the gate (they are still listed). */
  allowSkips?: boolean;
}

export interface GateResult {
  ok: boolean;
  allowSkips: boolean;
  /** Passed in the baseline, compared now, did not pass. */
  regressions: CaseResult[];
  /** Did not pass in the baseline, pass now (candidates for --update-baseline). */
  improvements: string[];
  /** In the baseline, selected for this run, but not compared (skipped: no reference, no qemu). */
  notCompared: CaseResult[];
  /** In the baseline and within this run's scope, but no such case exists any more. */
  missing: string[];
  /** Not in the baseline and not passing now: failures the baseline already accepts. */
  knownFailing: CaseResult[];
}

/** Which case ids a run covered completely (kind, filter, shard). */
export type Scope = (id: string) => boolean;

/**
 * Compare a run with the baseline. A baseline case inside the run's scope that did not run at
 * all was deleted or renamed: that fails too, so dropping a case takes --update-baseline.
 */
export function gate(baseline: Baseline, cases: CaseResult[], opts: GateOptions = {}): GateResult {
  const passing = new Set(baseline.passing);
  const inBaseline = cases.filter((c) => passing.has(c.id));
  const notCompared = inBaseline.filter((c) => !compared(c));
  const regressions = inBaseline.filter((c) => compared(c) && c.outcome !== 'pass');
  const improvements = cases.filter((c) => !passing.has(c.id) && c.outcome === 'pass' && compared(c)).map((c) => c.id);
  const knownFailing = cases.filter((c) => !passing.has(c.id) && c.outcome !== 'pass' && c.outcome !== 'skipped');
  const present = new Set(cases.map((c) => c.id));
  const missing = opts.scope ? baseline.passing.filter((id) => opts.scope!(id) && !present.has(id)) : [];
  const allowSkips = !!opts.allowSkips;
  const ok = regressions.length === 0 && missing.length === 0 && (allowSkips || notCompared.length === 0);
  return { ok, allowSkips, regressions, improvements, notCompared, missing, knownFailing };
}

/** The gate's verdict as the report records it. */
export function gateSummary(g: GateResult): GateSummary {
  return {
    ok: g.ok,
    allowSkips: g.allowSkips,
    regressions: g.regressions.length,
    missing: g.missing.length,
    notCompared: g.notCompared.length,
    knownFailing: g.knownFailing.length,
  };
}

/**
 * The baseline after accepting this run: entries of cases that ran are replaced, and entries
 * inside the run's scope that no longer exist are dropped.
 */
export function updatedBaseline(previous: Baseline | undefined, cases: CaseResult[], now = new Date(), scope?: Scope): Baseline {
  const ran = new Set(cases.filter(compared).map((c) => c.id));
  const present = new Set(cases.map((c) => c.id));
  const kept = (previous?.passing ?? []).filter((id) => !ran.has(id) && !(scope?.(id) && !present.has(id)));
  const passing = [...new Set([...kept, ...cases.filter((c) => c.outcome === 'pass' && compared(c)).map((c) => c.id)])].sort();
  return { schema: BASELINE_SCHEMA, version: BASELINE_VERSION, updatedAt: now.toISOString(), passing };
}

export interface Acceptance {
  baseline: Baseline;
  /** Passing in the previous baseline, absent from the new one. */
  dropped: string[];
  /** The new baseline would drop cases and --allow-shrink was not given: do not write it. */
  refused: boolean;
}

/**
 * `--update-baseline`: the new baseline, and whether it may be written. A baseline that loses
 * passing cases hides regressions from every later gate, so that takes --allow-shrink.
 */
export function acceptRun(previous: Baseline | undefined, cases: CaseResult[], opts: { scope?: Scope; allowShrink?: boolean; now?: Date } = {}): Acceptance {
  const baseline = updatedBaseline(previous, cases, opts.now ?? new Date(), opts.scope);
  const now = new Set(baseline.passing);
  const dropped = (previous?.passing ?? []).filter((id) => !now.has(id));
  return { baseline, dropped, refused: dropped.length > 0 && !opts.allowShrink };
}

/** The first NAMED lines, then a count of the rest. */
function named(lines: string[]): string[] {
  return lines.length > NAMED ? [...lines.slice(0, NAMED), `  … and ${lines.length - NAMED} more`] : lines;
}

export function renderAcceptance(a: Acceptance): string {
  if (!a.dropped.length) return '';
  const ids = named(a.dropped.map((id) => `  DROPPED ${id}`));
  if (a.refused) {
    return [`baseline: NOT updated — ${a.dropped.length} case(s) that pass in the baseline would be dropped (they fail, were not compared, or are gone now); accept that with --update-baseline --allow-shrink:`, ...ids].join('\n');
  }
  return [`baseline: --allow-shrink: dropped ${a.dropped.length} case(s) that passed before:`, ...ids].join('\n');
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, JSON.stringify(baseline, null, 1) + '\n');
}

export function renderGate(result: GateResult): string {
  const lines: string[] = [];
  const failing = result.regressions.length + result.missing.length + (result.allowSkips ? 0 : result.notCompared.length);
  if (result.ok) lines.push(`gate: OK — every case that passes in the baseline was compared and passes now${result.allowSkips && result.notCompared.length ? ' (except those not compared, let through by --allow-skips)' : ''}`);
  else lines.push(`gate: FAILED — ${failing} case(s) passed in the baseline and fail, were not compared, or are gone now:`);
  for (const c of result.regressions) lines.push(`  REGRESSION ${c.id}: ${c.outcome}: ${c.summary}`);
  for (const id of result.missing) lines.push(`  MISSING ${id}: in the baseline, no such case now (accept its removal with --update-baseline --allow-shrink)`);
  if (result.notCompared.length) {
    const what = result.allowSkips ? 'passed only because of --allow-skips' : 'no comparison, no pass; --allow-skips lets them through';
    lines.push(`gate: ${result.notCompared.length} baseline case(s) were not compared (${what}):`);
    lines.push(...named(result.notCompared.map((c) => `  NOT COMPARED ${c.id}: ${c.summary}`)));
  }
  if (result.knownFailing.length) {
    lines.push(`gate: ${result.knownFailing.length} case(s) outside the baseline fail (not judged by the gate):`);
    lines.push(...named(result.knownFailing.map((c) => `  known failing: ${c.id}: ${c.summary}`)));
  }
  if (result.improvements.length) lines.push(`gate: ${result.improvements.length} case(s) pass now but not in the baseline (accept with --update-baseline)`);
  return lines.join('\n');
}
