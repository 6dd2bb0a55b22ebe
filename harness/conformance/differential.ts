// One differential case: the same binary, argv, stdin and starting directory contents,
// run under qemu-riscv64 and under zerosys, then judged. Both sides run one after the
// other in the *same* absolute working directory (recreated from scratch in between), so
// paths the guest prints or resolves are identical.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IsaName } from '../../emulator/isa.ts';
import { diffBytes } from './bytes-diff.ts';
import { runSide, type Side, type SideRun } from './exec.ts';
import type { CaseResult, CaseKind, ReferenceSource, SideSummary } from './schema.ts';
import { compareTraces, countCalls, parseTrace, type TraceComparison } from './trace.ts';
import { ZEROSYS_TARGET, type DeclaredTarget, type Target } from './targets.ts';

export interface DifferentialCase {
  id: string;
  kind: CaseKind;
  binary: string;
  args: string[];
  stdin: Buffer;
  /** Lay out the working directory (empty when called) before each side runs. */
  setup?: (dir: string) => Promise<void>;
  /** Describe the working directory after a run (compared between the sides). */
  inspect?: (dir: string) => Promise<string>;
  timeoutMs?: number;
  /** Compare the syscall traces (default true). */
  compareTrace?: boolean;
  /** The program may start threads: qemu's trace carries thread ids (exec.ts). */
  threadIds?: boolean;
  /** Describes setup() for recorded references (a changed setup makes a record stale). */
  fingerprint?: string;
  /** Corpus programs: the toolchain that built it (reported per case). */
  toolchain?: string;
  /** The ISA profile the program is built for (qemu.ts, isaArgs). */
  isa?: IsaName;
  /** It lays out files in its working directory (targets.ts, capability files: a target without it skips the case). */
  files?: boolean;
  /** A dynamically linked program's libraries: qemu-riscv64 -L DIR, zerosys --sysroot DIR. */
  sysroot?: string;
  /** The guest environment, when not the harness's fixed one (exec.ts: `{cwd}` is the working directory). */
  env?: Record<string, string>;
}

export interface SideOutcome {
  run: SideRun;
  /** inspect() of the working directory after the run. */
  after?: string;
}

export interface DifferentialRuns {
  qemu?: SideOutcome;
  /** The implementation under test: zerosys, or the target the run names (`impl`). */
  zerosys: SideOutcome;
  reference: ReferenceSource;
  /** Its name in verdicts ("zerosys", or a target's). */
  impl: string;
}

export interface RunnerOptions {
  /** Returns a recorded reference when qemu cannot run live. */
  recorded?: (c: DifferentialCase) => Promise<SideOutcome | undefined>;
  /** qemu-riscv64 is usable. */
  qemuLive: boolean;
  /** Run zerosys in this process (in-process.ts). */
  inProcess?: boolean;
  /** The implementation under test (default zerosys). */
  target?: Target;
}

async function freshWorkdir(c: DifferentialCase, base: string): Promise<string> {
  const work = join(base, 'work');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  await c.setup?.(work);
  return work;
}

async function runOneSide(side: Side, c: DifferentialCase, base: string, inProcess = false, target?: DeclaredTarget): Promise<SideOutcome> {
  const withTrace = c.compareTrace ?? true;
  let work = await freshWorkdir(c, base);
  const options = { cwd: work, args: c.args, stdin: c.stdin, timeoutMs: c.timeoutMs, inProcess, threadIds: c.threadIds, isa: c.isa, target, sysroot: c.sysroot, env: c.env };
  // zerosys writes its trace to a host file; qemu's trace needs a second run (see exec.ts).
  const run = await runSide(side, c.binary, { ...options, trace: withTrace && side === 'zerosys' });
  const after = c.inspect ? await c.inspect(work) : undefined;
  if (withTrace && side === 'qemu' && !run.timedOut) {
    work = await freshWorkdir(c, base);
    const traced = await runSide(side, c.binary, { ...options, cwd: work, trace: true });
    // A trace cut short by the timeout compares nothing after the cut: the case cannot pass on it.
    if (traced.timedOut) throw new Error(`qemu-riscv64's trace run timed out after ${traced.wallMs.toFixed(0)} ms although its plain run ended: its trace is not complete`);
    run.trace = traced.trace;
  }
  return { run, after };
}

/** Run both sides of a case: the reference, then the implementation under test. */
export async function runDifferential(dc: DifferentialCase, opts: RunnerOptions): Promise<DifferentialRuns> {
  const target = opts.target ?? ZEROSYS_TARGET;
  // A declared target records no trace: neither side traces, and the judges compare the rest;
  // one without files in its working directory is not asked what it left there.
  const c = target.kind === 'declared' ? { ...dc, compareTrace: false, ...(target.capabilities.files ? {} : { inspect: undefined }) } : dc;
  const base = await mkdtemp(join(tmpdir(), 'zerosys-conf-'));
  try {
    let qemu: SideOutcome | undefined;
    let reference: ReferenceSource = 'missing';
    if (opts.qemuLive) {
      qemu = await runOneSide('qemu', c, base);
      reference = 'live';
    } else if (opts.recorded) {
      qemu = await opts.recorded(c);
      if (qemu) reference = 'recorded';
    }
    const zerosys =
      target.kind === 'declared' ? await runOneSide('target', c, base, false, target) : await runOneSide(target.kind, c, base, target.kind === 'zerosys' && opts.inProcess);
    return { qemu, zerosys, reference, impl: target.name };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

export function summarizeSide(run: SideRun, calls?: number): SideSummary {
  return {
    status: run.status,
    timedOut: run.timedOut,
    wallMs: Math.round(run.wallMs),
    stdoutBytes: run.stdout.length,
    stderrBytes: run.stderr.length,
    calls,
  };
}

/** The zerosys fail-fast message, when zerosys stopped the guest itself. */
export function zerosysStop(run: SideRun): string | undefined {
  if (run.side !== 'zerosys' || run.status !== 125) return undefined;
  const m = /^zerosys: ([^\n]*)$/m.exec(run.stderr.toString('latin1'));
  return m ? m[1] : 'stopped by zerosys (status 125)';
}

/** A zerosys internal error (an uncaught JavaScript exception), when that is how it ended. */
export function zerosysCrash(run: SideRun): string | undefined {
  if (run.side !== 'zerosys') return undefined;
  const text = run.stderr.toString('utf8');
  if (run.status === 125 || !/\n\s+at .+\(?(file:\/\/|\/)/.test(text)) return undefined;
  const error = /^(\w*Error\b[^\n]*)$/m.exec(text);
  return `zerosys crashed: ${error ? error[1] : text.split('\n').find((l) => l.trim()) ?? 'uncaught exception'}`;
}

/** Judge a program-level differential run: status, stdout, stderr, directory, trace. */
export function judgeProgram(c: DifferentialCase, runs: DifferentialRuns): CaseResult {
  const z = runs.zerosys.run;
  const zEvents = parseTrace(z.trace);
  const base: CaseResult = {
    id: c.id,
    kind: c.kind,
    outcome: 'pass',
    reference: runs.reference,
    summary: '',
    checks: {},
    zerosys: summarizeSide(z, zEvents.filter((e) => e.kind === 'call').length),
    syscalls: countCalls(zEvents),
  };
  if (!runs.qemu) {
    return { ...base, outcome: 'skipped', summary: 'no reference: qemu-riscv64 is absent and nothing was recorded for this case' };
  }
  const q = runs.qemu.run;
  const qEvents = parseTrace(q.trace);
  base.qemu = summarizeSide(q, qEvents.filter((e) => e.kind === 'call').length);
  if (!zEvents.length) base.syscalls = countCalls(qEvents);
  if (q.timedOut || q.outputTruncated) {
    return { ...base, outcome: 'error', summary: `the reference ${q.timedOut ? 'timed out' : 'hit the output cap'}` };
  }
  const problems: string[] = [];
  let traceCounts: string | undefined;
  base.checks.status = q.status === z.status ? 'same' : 'differs';
  if (base.checks.status === 'differs') problems.push(`exit status qemu=${q.status} ${runs.impl}=${z.status}${z.timedOut ? ' (timed out)' : ''}`);
  const diffs = [diffBytes('stdout', q.stdout, z.stdout), diffBytes('stderr', q.stderr, z.stderr)].filter((d) => d !== undefined);
  base.checks.stdout = diffs.some((d) => d.stream === 'stdout') ? 'differs' : 'same';
  base.checks.stderr = diffs.some((d) => d.stream === 'stderr') ? 'differs' : 'same';
  for (const d of diffs) problems.push(`${d.stream} differs at byte ${d.offset} (line ${d.line})`);
  if (diffs.length) base.diffs = diffs;
  if (c.inspect) {
    const same = runs.qemu.after === runs.zerosys.after;
    base.checks.files = same ? 'same' : 'differs';
    if (!same) {
      problems.push('files after the run differ');
      base.details = [`files after the run:\n--- qemu\n${runs.qemu.after}\n--- ${runs.impl}\n${runs.zerosys.after}`];
    }
  }
  if ((c.compareTrace ?? true) && q.trace !== '') {
    const cmp = compareTraces(qEvents, zEvents);
    base.trace = { divergence: cmp.divergence, normalised: cmp.normalised, expected: cmp.expected, qemuCalls: cmp.qemuCalls, compared: cmp.compared, setAside: cmp.setAside, threads: cmp.threads, parted: cmp.parted };
    traceCounts = comparedText(cmp);
    base.checks.trace = cmp.divergence ? 'differs' : 'same';
    if (cmp.divergence) problems.push(`syscall #${cmp.divergence.index + 1}: ${cmp.divergence.what}`);
  } else base.checks.trace = 'skipped';

  const stop = zerosysStop(z);
  if (stop && problems.length) {
    return { ...base, outcome: 'unsupported', stop, summary: stop };
  }
  const crash = zerosysCrash(z);
  if (crash) problems.unshift(crash);
  if (problems.length) return { ...base, outcome: 'fail', summary: problems.join('; ') };
  if (runs.zerosys.run.side === 'target') return { ...base, summary: `identical exit status, stdout, stderr${c.inspect ? ', files' : ''} (trace not compared: target ${runs.impl} records none)` };
  return { ...base, summary: traceCounts ? `identical: ${traceCounts}` : `identical (${base.qemu.calls ?? 0} syscalls; trace not compared)` };
}

/** What the trace comparison covered: "6,512 of 6,655 calls compared; 143 set aside as scheduling (futex wait/wake, sched_yield)". */
export function comparedText(cmp: Pick<TraceComparison, 'compared' | 'qemuCalls' | 'setAside' | 'threads'>): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const what: Record<string, string> = { scheduling: 'as scheduling (futex wait/wake, sched_yield)', 'interleaving-rest': 'after their thread parted (interleaving-rest)' };
  const aside = Object.entries(cmp.setAside)
    .filter(([, c]) => c.qemu > 0)
    .sort((a, b) => b[1].qemu - a[1].qemu)
    .map(([rule, c]) => `${n(c.qemu)} set aside ${what[rule] ?? `by '${rule}'`}`);
  const threads = cmp.threads > 1 ? ` in ${cmp.threads} threads` : '';
  return `${n(cmp.compared)} of ${n(cmp.qemuCalls)} calls compared${threads}${aside.length ? `; ${aside.join(', ')}` : ''}`;
}
