// The conformance report: one JSON schema, versioned. Every other format (Markdown,
// HTML, JUnit XML), the gate and the shard merge are computed from this object.
//
// Version history:
//   1  first version.

import type { BytesDiff } from './bytes-diff.ts';
import type { TraceDivergence } from './trace.ts';

export const REPORT_SCHEMA = 'zerosys-conformance-report';
export const REPORT_SCHEMA_VERSION = 1;

export type CaseKind = 'corpus' | 'spec' | 'property';

/**
 * pass        – zerosys matches the reference in everything compared.
 * fail        – a difference (status, stdout, stderr, trace, checked values).
 * unsupported – zerosys stopped the guest itself (unsupported syscall / feature): a fail,
 *               listed apart because it is a missing feature rather than a wrong answer.
 * error       – the case could not be judged (the reference timed out, a spec setup failed
 *               on the reference, a harness problem).
 * skipped     – not run (no reference available, filtered out).
 */
export type Outcome = 'pass' | 'fail' | 'unsupported' | 'error' | 'skipped';

/** Where the reference result came from. */
export type ReferenceSource = 'live' | 'recorded' | 'missing';

export interface SideSummary {
  status: number;
  timedOut: boolean;
  wallMs: number;
  stdoutBytes: number;
  stderrBytes: number;
  /** Syscalls made (from the trace). */
  calls?: number;
}

export interface CaseResult {
  /** Unique, stable id: "corpus/hello", "spec/openat/creates-a-file", "property/files/read-after-write". */
  id: string;
  kind: CaseKind;
  /** The syscall a spec case or property is about. */
  syscall?: string;
  /** Property family (files, memory, time, futex). */
  family?: string;
  /** Syscalls a property exercises. */
  covers?: string[];
  outcome: Outcome;
  reference: ReferenceSource;
  /** One line: why it failed / what passed. */
  summary: string;
  /** Which comparisons were made and how they came out. */
  checks: Record<string, 'same' | 'differs' | 'skipped'>;
  /** Byte diffs of stdout/stderr (first difference each). */
  diffs?: BytesDiff[];
  /** First syscall divergence. */
  trace?: {
    divergence?: TraceDivergence;
    normalised: Record<string, number>;
    expected: string[];
    /** qemu's calls (and signals) in the trace, and how many of them were compared with zerosys's. */
    qemuCalls?: number;
    compared?: number;
    /** Calls set aside (not compared) per rule, on each side. */
    setAside?: Record<string, { qemu: number; zerosys: number }>;
    /** Threads compared (pairs). */
    threads?: number;
    /** Threaded programs: where a thread's calls parted from its counterpart's (the rest set aside). */
    parted?: TraceDivergence[];
  };
  /** Other differences as text (spec checks, property counterexamples). */
  details?: string[];
  /** Syscalls the program made under zerosys (name -> count); qemu's when zerosys made none. */
  syscalls?: Record<string, number>;
  /** Corpus programs: the toolchain that built it ("C, glibc", "C, musl", "Go", ...). */
  toolchain?: string;
  qemu?: SideSummary;
  zerosys?: SideSummary;
  /** Spec source location ("specs/openat.yaml:12"). */
  source?: string;
  /** For properties: the seed, runs, and a shrunk counterexample as a YAML case. */
  property?: { seed: number; runs: number; counterexample?: string };
  /** Spec/property cases: index of the first driver step whose result differs. */
  firstStep?: number;
  /** The zerosys stop message when outcome is unsupported. */
  stop?: string;
  /**
   * The reference deviates from Linux here (a cited entry of deviations.ts): the call was
   * judged against Linux's documented result, not qemu's. Reports show these as their own
   * class, "reference deviates", with the citation.
   */
  referenceDeviates?: { id: string; citation: string };
}

export interface SyscallSummary {
  nr: number;
  name: string;
  module: string;
  support: string;
  note: string;
  spec?: { file: string; cases: number; pass: number; fail: number };
  /** Property families that exercise it. */
  properties: { pass: number; fail: number };
  /** Corpus programs that made this call (under either side). */
  corpus: string[];
}

export interface Totals {
  total: number;
  pass: number;
  fail: number;
  unsupported: number;
  error: number;
  skipped: number;
}

export interface ConformanceReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  /** Environment of the run. */
  environment: {
    zerosys: string;
    node: string;
    qemu: { version?: string; available: boolean; reason?: string };
    toolchain: { version?: string; available: boolean; reason?: string };
    host: string;
  };
  options: {
    kinds: CaseKind[];
    filter?: string;
    shard?: { index: number; count: number };
    propertyRuns: number;
    seed: number;
    quick: boolean;
    /** --allow-skips: baseline cases that were not compared did not fail the gate. */
    allowSkips?: boolean;
    /**
     * What zerosys did with an unsupported syscall in this run (`zerosys run --on-unsupported`):
     * 'fail' stops the guest (the case is "unsupported"), 'enosys' returns -ENOSYS. Conformance
     * runs always use 'fail'. Absent in reports written before it was recorded (they used 'fail').
     */
    onUnsupported?: 'fail' | 'enosys';
    /**
     * The implementation judged against the reference when it is not zerosys (--target): a
     * declared target's command, capabilities and where it was declared. Absent: zerosys.
     * The cases' `zerosys` summaries then describe that target's runs.
     */
    target?: { name: string; command?: string[]; capabilities?: { argv: boolean; stdin: boolean; files: boolean; threads: boolean; isa: string }; source?: string };
  };
  /** Set when the run was gated (--gate) against a baseline: the verdict and its counts. */
  gate?: GateSummary;
  /** Normalisation rules applied to trace comparison (rule -> explanation). */
  normalisation: Record<string, string>;
  summary: Totals & { byKind: Record<CaseKind, Totals>; specSyscalls: number; wallMs: number };
  syscalls: SyscallSummary[];
  cases: CaseResult[];
  /** References that were needed but absent, or recorded for other inputs. */
  references: { missing: string[]; stale: string[] };
  /** Set by merge: the shard reports joined. */
  mergedFrom?: string[];
}

export interface GateSummary {
  ok: boolean;
  /** --allow-skips was given: `notCompared` cases were let through, not compared. */
  allowSkips: boolean;
  regressions: number;
  missing: number;
  /** Baseline cases of this run that were not compared with a reference. */
  notCompared: number;
  /** Cases outside the baseline that do not pass. */
  knownFailing: number;
}

export function emptyTotals(): Totals {
  return { total: 0, pass: 0, fail: 0, unsupported: 0, error: 0, skipped: 0 };
}

export function tally(cases: CaseResult[]): Totals {
  const t = emptyTotals();
  for (const c of cases) {
    t.total++;
    t[c.outcome]++;
  }
  return t;
}
