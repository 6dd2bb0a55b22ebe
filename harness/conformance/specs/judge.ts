// Judging a spec case: both sides' driver reports are compared step by step (results,
// errno, output buffers — only the checked byte ranges), then stdout before the report,
// stderr, exit status, the working directory afterwards and the syscall trace; a literal
// expectation from the man page is checked against both sides.

import { ERRNO_INFO } from '../../../kernel/errno.ts';
import { diffBytes } from '../bytes-diff.ts';
import { citationText } from '../deviations.ts';
import { summarizeSide, zerosysCrash, zerosysStop, type DifferentialRuns } from '../differential.ts';
import type { SideRun } from '../exec.ts';
import type { CaseResult } from '../schema.ts';
import { compareTraces, countCalls, parseTrace, type TraceEvent } from '../trace.ts';
import { caseSteps, dumpedBuffers, errnoOf, parseDriverOutput, type DriverReport, type DriverStep } from './driver-args.ts';
import type { CallSpec, SpecCase } from './model.ts';

/** Calls whose result is an address: only success/errno is compared. */
const ADDRESS_RESULTS = new Set(['mmap', 'mremap', 'shmat']);
/** Calls whose result is a process or thread id, or a System V IPC id (the host's IPC namespace under qemu): success only. */
const ID_RESULTS = new Set(['getpid', 'getppid', 'gettid', 'set_tid_address', 'msgget', 'semget', 'shmget']);
/** Calls whose result is a clock reading (times: ticks since boot): success only. */
const CLOCK_RESULTS = new Set(['times']);

/**
 * The driver's own tail — its report write(1) and exit — depends on the values it reports
 * (ids printed in decimal): cut the trace there, keeping the calls of the steps.
 */
function stepsOnly(events: TraceEvent[]): TraceEvent[] {
  const calls = events.filter((e) => e.kind === 'call');
  let end = calls.length;
  if (calls.at(-1)?.name === 'exit_group') end--;
  if (end > 0 && calls[end - 1].name === 'write' && calls[end - 1].args[0] === '1') end--;
  return calls.slice(0, end);
}

function showRet(ret: bigint | undefined): string {
  if (ret === undefined) return '(not run)';
  const e = errnoOf(ret);
  return e !== undefined ? `-1 ${ERRNO_INFO.get(e)?.name ?? `errno ${e}`}` : ret.toString();
}

/** Whether a step's successful result is compared as a value (not an address, an id or a clock reading). */
export function resultIsValue(step: CallSpec): boolean {
  return !ADDRESS_RESULTS.has(step.name) && !ID_RESULTS.has(step.name) && !CLOCK_RESULTS.has(step.name);
}

function sameResult(step: CallSpec, how: 'exact' | 'success', q: DriverStep, z: DriverStep): boolean {
  const eq = errnoOf(q.ret);
  const ez = errnoOf(z.ret);
  if (eq !== undefined || ez !== undefined) return eq === ez;
  if (how === 'success' || !resultIsValue(step)) return true;
  return q.ret === z.ret;
}

/** Differences between the checked bytes of each dumped buffer. */
function bufferDifferences(step: CallSpec, index: number, q: DriverStep, z: DriverStep): string[] {
  const specs = dumpedBuffers(step);
  const out: string[] = [];
  specs.forEach((b, k) => {
    const qh = q.buffers[k]?.hex ?? '';
    const zh = z.buffers[k]?.hex ?? '';
    const check = b.spec.kind === 'out' ? b.spec.check : undefined;
    if (check === 'none') return;
    const ranges = check ?? [[0, Math.max(qh.length, zh.length) / 2]];
    for (const [off, len] of ranges) {
      const a = qh.slice(off * 2, (off + len) * 2);
      const c = zh.slice(off * 2, (off + len) * 2);
      if (a !== c) {
        const first = [...a].findIndex((ch, i) => ch !== c[i]);
        const byte = off + Math.floor((first < 0 ? Math.min(a.length, c.length) : first) / 2);
        out.push(`step ${index} (${step.name}) argument ${b.arg + 1}: bytes differ from offset ${byte}\n  qemu   : ${a.slice(0, 160)}\n  zerosys: ${c.slice(0, 160)}`);
        break;
      }
    }
  });
  return out;
}

function stepLabel(c: SpecCase, i: number): string {
  if (i < c.setup.length) return `setup step ${i + 1} (${c.setup[i].name})`;
  if (i === c.setup.length) return `the call (${c.call.name})`;
  return `after step ${i - c.setup.length} (${c.after[i - c.setup.length - 1].name})`;
}

function expectation(c: SpecCase): string {
  return c.expect?.errnoName ? `-1 ${c.expect.errnoName}` : String(c.expect?.ret);
}

function meetsExpectation(c: SpecCase, step: DriverStep | undefined): boolean {
  if (!c.expect || !step) return true;
  if (c.expect.errno !== undefined) return errnoOf(step.ret) === c.expect.errno;
  if (c.expect.ret !== undefined) return step.ret === c.expect.ret;
  return true;
}

export function judgeSpec(c: SpecCase, runs: DifferentialRuns, id: string): CaseResult {
  const z = runs.zerosys.run;
  const impl = runs.impl;
  const zEvents = parseTrace(z.trace);
  const steps = caseSteps(c);
  const callIndex = c.setup.length;
  const base: CaseResult = {
    id,
    kind: 'spec',
    syscall: c.syscall,
    outcome: 'pass',
    reference: runs.reference,
    summary: '',
    checks: {},
    source: c.source,
    zerosys: summarizeSide(z, zEvents.filter((e) => e.kind === 'call').length),
    syscalls: countCalls(zEvents),
  };
  if (!runs.qemu) return { ...base, outcome: 'skipped', summary: 'no reference: qemu-riscv64 is absent and nothing was recorded for this case' };
  const q = runs.qemu.run;
  const qEvents = parseTrace(q.trace);
  base.qemu = summarizeSide(q, qEvents.filter((e) => e.kind === 'call').length);
  const qr: DriverReport = parseDriverOutput(q.stdout);
  const zr: DriverReport = parseDriverOutput(z.stdout);
  // A reference that ends early by a signal (e.g. a kill to itself) is a result to compare;
  // one that hangs or exits otherwise without its report means the case itself is broken.
  const diedBySignal = q.status > 128 && q.status < 128 + 65;
  if (q.timedOut || (!qr.complete && !diedBySignal)) {
    return { ...base, outcome: 'error', summary: `the reference did not complete the case (status ${q.status}${q.timedOut ? ', timed out' : ''}): ${q.stderr.toString('utf8').trim().split('\n')[0] ?? ''}` };
  }
  const qCall = qr.steps[callIndex];
  if (c.qemuDeviates) return judgeAgainstExpectation(c, base, qr, zr, z, qEvents, zEvents, impl);
  if (c.expect && qr.complete && !meetsExpectation(c, qCall)) {
    return { ...base, outcome: 'error', summary: `qemu-riscv64 disagrees with the spec's expectation: expected ${expectation(c)}, qemu gave ${showRet(qCall?.ret)}` };
  }

  const problems: string[] = [];
  const details: string[] = [];
  let resultsSame = true;
  let buffersSame = true;
  const differs = (i: number) => void (base.firstStep ??= i);
  for (let i = 0; i < steps.length; i++) {
    const a = qr.steps[i];
    const b = zr.steps[i];
    if (!a) continue;
    if (!b) {
      resultsSame = false;
      differs(i);
      problems.push(`${stepLabel(c, i)}: not reached under ${impl}`);
      break;
    }
    if (!sameResult(steps[i], i === callIndex ? c.compareRet : 'exact', a, b)) {
      resultsSame = false;
      differs(i);
      problems.push(`${stepLabel(c, i)}: qemu ${showRet(a.ret)}, ${impl} ${showRet(b.ret)}`);
    }
    const diffs = bufferDifferences(steps[i], i, a, b);
    if (diffs.length) {
      buffersSame = false;
      differs(i);
      problems.push(`${stepLabel(c, i)}: output buffer differs`);
      details.push(...diffs);
    }
  }
  base.checks.result = resultsSame ? 'same' : 'differs';
  base.checks.buffers = buffersSame ? 'same' : 'differs';
  if (c.expect) {
    const ok = meetsExpectation(c, zr.steps[callIndex]);
    base.checks.expectation = ok ? 'same' : 'differs';
    if (!ok && resultsSame) problems.push(`expected ${expectation(c)} (man page), ${impl} gave ${showRet(zr.steps[callIndex]?.ret)}`);
  }
  const diffs = [diffBytes('stdout', qr.before, zr.before), diffBytes('stderr', q.stderr, z.stderr)].filter((d) => d !== undefined);
  if (diffs.length) base.diffs = diffs;
  base.checks.stdout = diffs.some((d) => d.stream === 'stdout') ? 'differs' : 'same';
  base.checks.stderr = diffs.some((d) => d.stream === 'stderr') ? 'differs' : 'same';
  for (const d of diffs) problems.push(`${d.stream} differs at byte ${d.offset}`);
  base.checks.status = q.status === z.status ? 'same' : 'differs';
  if (q.status !== z.status && (zr.complete || diedBySignal)) problems.push(`exit status qemu=${q.status} ${impl}=${z.status}`);
  if (c.compareFiles) {
    const same = runs.qemu.after === runs.zerosys.after;
    base.checks.files = same ? 'same' : 'differs';
    if (!same) {
      problems.push('files afterwards differ');
      details.push(`files afterwards:\n--- qemu\n${runs.qemu.after}\n--- ${impl}\n${runs.zerosys.after}`);
    }
  }
  if (q.trace) {
    const cmp = compareTraces(qr.complete ? stepsOnly(qEvents) : qEvents, zr.complete ? stepsOnly(zEvents) : zEvents);
    base.trace = { divergence: cmp.divergence, normalised: cmp.normalised, expected: cmp.expected };
    base.checks.trace = cmp.divergence ? 'differs' : 'same';
    if (cmp.divergence && problems.length === 0) problems.push(`syscall #${cmp.divergence.index + 1}: ${cmp.divergence.what}`);
  }
  if (details.length) base.details = details;
  const stop = zerosysStop(z);
  if (stop && (problems.length || !zr.complete)) return { ...base, outcome: 'unsupported', stop, summary: stop };
  if (!zr.complete && qr.complete && !problems.length) problems.push(`${impl} did not complete the case (status ${z.status})`);
  const crash = zerosysCrash(z);
  if (crash) problems.unshift(crash);
  if (problems.length) return { ...base, outcome: 'fail', summary: problems.join('; ') };
  const untraced = z.side === 'target' ? ` (trace not compared: target ${impl} records none)` : '';
  return { ...base, summary: `${c.call.name} → ${showRet(zr.steps[callIndex]?.ret)} on both sides${untraced}` };
}

/**
 * A case where qemu-riscv64 is known to differ from Linux (a cited entry of deviations.ts):
 * what comes before the call — its steps' results, their checked buffers and their part of
 * the trace — is still compared with qemu; the call itself is judged against the Linux
 * result the spec states. What follows the call depends on it, so it is not compared, and
 * the report says so next to the citation.
 */
function judgeAgainstExpectation(c: SpecCase, base: CaseResult, qr: DriverReport, zr: DriverReport, z: SideRun, qEvents: TraceEvent[], zEvents: TraceEvent[], impl: string): CaseResult {
  const callIndex = c.setup.length;
  const problems: string[] = [];
  const details: string[] = [];
  let resultsSame = true;
  let buffersSame = true;
  for (let i = 0; i < callIndex; i++) {
    const a = qr.steps[i];
    const b = zr.steps[i];
    if (!a || !b) continue;
    if (!sameResult(c.setup[i], 'exact', a, b)) {
      resultsSame = false;
      problems.push(`${stepLabel(c, i)}: qemu ${showRet(a.ret)}, ${impl} ${showRet(b.ret)}`);
    }
    const diffs = bufferDifferences(c.setup[i], i, a, b);
    if (diffs.length) {
      buffersSame = false;
      problems.push(`${stepLabel(c, i)}: output buffer differs`);
      details.push(...diffs);
    }
  }
  if (callIndex > 0) {
    base.checks.result = resultsSame ? 'same' : 'differs';
    base.checks.buffers = buffersSame ? 'same' : 'differs';
  }
  // The driver makes one syscall per step, so the setup's calls are the first callIndex.
  const cmp = compareTraces(stepsOnly(qEvents).slice(0, callIndex), stepsOnly(zEvents).slice(0, callIndex));
  base.trace = { divergence: cmp.divergence, normalised: cmp.normalised, expected: cmp.expected };
  base.checks.trace = cmp.divergence ? 'differs' : 'same';
  if (cmp.divergence && !problems.length) problems.push(`syscall #${cmp.divergence.index + 1}: ${cmp.divergence.what}`);
  const zCall = zr.steps[callIndex];
  const ok = meetsExpectation(c, zCall) && zCall !== undefined;
  base.checks.expectation = ok ? 'same' : 'differs';
  if (!ok) problems.push(`expected ${expectation(c)} (Linux), ${impl} gave ${showRet(zCall?.ret)}`);
  // The driver ends a complete report with exit_group(0) (sysdriver.c): any other status is wrong whatever qemu did.
  if (zr.complete && z.status !== 0) problems.push(`exit status ${z.status} after the driver's complete report (it exits with 0)`);
  const id = c.qemuDeviates!;
  base.referenceDeviates = { id, citation: citationText(id) };
  const note = `qemu deviation ${id}: ${citationText(id)}; qemu gave ${showRet(qr.steps[callIndex]?.ret)}, so the call is judged against the Linux result`;
  const notCompared = `not compared with qemu: the call's result and buffers, ${c.after.length ? `the ${c.after.length} step(s) after it, ` : ''}the trace from the call on, stdout, stderr, exit status${c.compareFiles ? ' and the files afterwards' : ''} (all follow the call qemu answers differently); compared: ${callIndex} setup step(s) (results, buffers, trace)`;
  base.details = [note, notCompared, ...details];
  const stop = zerosysStop(z);
  if (stop && !zr.complete) return { ...base, outcome: 'unsupported', stop, summary: stop };
  const crash = zerosysCrash(z);
  if (crash) problems.unshift(crash);
  if (problems.length) return { ...base, outcome: 'fail', summary: problems.join('; ') };
  return { ...base, summary: `${c.call.name} → ${showRet(zCall?.ret)} as on Linux (qemu deviation ${id}: ${callIndex} setup step(s) compared with qemu, the call and what follows judged against Linux only)` };
}
