// Runs one guest on one side — the reference (qemu-riscv64) or zerosys — in a given
// working directory, with a time limit and an output cap. Both sides can record the
// syscall trace in qemu's -strace text format: zerosys writes it to a host file
// (--strace-file, invisible to the guest); qemu prints it on stderr, interleaved with the
// guest's own stderr. (qemu's -D FILE would keep the trace apart, but qemu-user then holds
// the log open as host fd 3, which the guest sees: its first open() would return 4.) So the
// harness runs qemu once plain for the outputs and once with -strace for the trace.

import { readFile, rm } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type Options } from 'execa';
import type { IsaName } from '../../emulator/isa.ts';
import { findOnPath, GUEST_ENV, guestStdin, isaArgs, normalizeQemuStderr, qemuStatus, referenceCommand, zerosysCommand } from '../qemu.ts';
import { straceTidSetup } from './strace-tid.ts';
import { targetArgv, type DeclaredTarget } from './targets.ts';

/** The reference, zerosys, or a declared target (targets.ts) as the implementation under test. */
export type Side = 'qemu' | 'zerosys' | 'target';

export interface SideRun {
  side: Side;
  /** Shell-style status: exit code, 128+N after signal N, -1 when it never started. */
  status: number;
  stdout: Buffer;
  stderr: Buffer;
  /** The syscall trace text (qemu -strace format), '' when none was written. For a qemu run
   *  with the trace on, this is the whole stderr (trace lines and guest output mixed) and
   *  `stderr` is empty: such a run is only used for its trace. */
  trace: string;
  wallMs: number;
  timedOut: boolean;
  outputTruncated: boolean;
  command: string[];
}

export interface ExecOptions {
  cwd: string;
  args?: string[];
  stdin?: Buffer;
  timeoutMs?: number;
  maxOutputBytes?: number;
  env?: Record<string, string>;
  /** Record the syscall trace (default true). */
  trace?: boolean;
  /**
   * qemu's trace with thread ids (strace-tid.ts): for programs that may start threads. Spec
   * drivers are single-threaded and go without: the library shifts qemu's own stack, and
   * qemu 7.2's nanosleep with an unreadable request sleeps on whatever lies there.
   */
  threadIds?: boolean;
  /** Extra `zerosys run` options. */
  zerosysArgs?: string[];
  /** Run zerosys in this process instead of a child (see in-process.ts). */
  inProcess?: boolean;
  /** The ISA profile the program is built for (qemu.ts, isaArgs). */
  isa?: IsaName;
  /** A dynamically linked program's libraries: qemu-riscv64 -L DIR, zerosys --sysroot DIR. */
  sysroot?: string;
  /** Side 'target': the declared target that runs the program. */
  target?: DeclaredTarget;
}

function shellStatus(exitCode: number | undefined, signal: string | undefined): number {
  if (exitCode !== undefined) return exitCode;
  const n = signal ? osConstants.signals[signal as keyof typeof osConstants.signals] : undefined;
  return n !== undefined ? 128 + n : -1;
}

function toBuffer(data: unknown): Buffer {
  return data instanceof Uint8Array ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.alloc(0);
}

let qemuBinary: string | undefined;
function qemuPath(): string {
  if (!qemuBinary) {
    const status = qemuStatus();
    if (!status.ok) throw new Error(status.reason);
    qemuBinary = findOnPath('qemu-riscv64')!;
  }
  return qemuBinary;
}

/** Run `binary` on `side` in opts.cwd (which must exist); the trace file lives beside it. */
export async function runSide(side: Side, binary: string, opts: ExecOptions): Promise<SideRun> {
  if (side === 'zerosys' && opts.inProcess) {
    const { runZerosysInProcess } = await import('./in-process.ts');
    return runZerosysInProcess(binary, opts);
  }
  const withTrace = opts.trace ?? true;
  const traceFile = join(resolve(opts.cwd, '..'), `${side}.strace`);
  const guestArgv = [resolve(binary), ...(opts.args ?? [])];
  let file: string;
  let argv: string[];
  // `{cwd}` in a value is the working directory, the same absolute path on both sides.
  let env = Object.fromEntries(Object.entries(opts.env ?? GUEST_ENV).map(([k, v]) => [k, v.replaceAll('{cwd}', opts.cwd)]));
  let timeoutMs = opts.timeoutMs ?? 60_000;
  if (side === 'target') {
    // A declared target: its own command, the guest environment plus its own variables; it
    // records no trace.
    const t = opts.target;
    if (!t) throw new Error('runSide: side target without a target');
    [file, ...argv] = targetArgv(t, guestArgv[0], guestArgv.slice(1), opts.cwd);
    env = { ...env, ...t.env };
    timeoutMs = t.timeoutMs ?? timeoutMs;
  } else if (side === 'qemu') {
    const qemu = qemuPath();
    // A trace run prints thread ids (strace-tid.ts): an LD_PRELOAD library in qemu, kept
    // out of the guest's environment by -U.
    const tids = withTrace && opts.threadIds ? straceTidSetup() : { qemuArgs: [], env: {} };
    const qemuArgs = [...tids.qemuArgs, ...(withTrace ? ['-strace'] : []), ...(opts.sysroot ? ['-L', opts.sysroot] : []), ...isaArgs(opts.isa).qemu, ...guestArgv];
    // qemu-user hands its environment to the guest reversed (util/envlist.c); reverse it
    // first so the guest sees the intended order.
    env = { ...Object.fromEntries(Object.entries(env).reverse()), ...tids.env };
    [file, argv] = referenceCommand(qemu, qemuArgs);
  } else {
    [file, argv] = zerosysCommand(['run', '--quiet', ...(withTrace ? ['--strace-file', traceFile] : []), ...(opts.zerosysArgs ?? []), ...(opts.sysroot ? ['--sysroot', opts.sysroot] : []), ...isaArgs(opts.isa).zerosys, '--', ...guestArgv]);
  }
  await rm(traceFile, { force: true });
  const input = await guestStdin(opts.stdin ?? Buffer.alloc(0), join(resolve(opts.cwd, '..'), `${side}.stdin`));
  const started = performance.now();
  const result = await execa(file, argv, {
    cwd: opts.cwd,
    env,
    extendEnv: false,
    stdin: input.stdin as Options['stdin'],
    encoding: 'buffer',
    stripFinalNewline: false,
    maxBuffer: opts.maxOutputBytes ?? 4 * 1024 * 1024,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    reject: false,
  }).finally(() => input.close());
  const wallMs = performance.now() - started;
  let stderr = toBuffer(result.stderr);
  let trace = '';
  if (withTrace && side === 'zerosys') trace = await readFile(traceFile, 'latin1').catch(() => '');
  else if (withTrace && side === 'qemu') {
    // The trace is on stderr: its lines start with the pid; everything else is the guest's.
    trace = stderr.toString('latin1');
    stderr = Buffer.alloc(0);
  }
  await rm(traceFile, { force: true });
  return {
    side,
    status: shellStatus(result.exitCode, result.signal),
    stdout: toBuffer(result.stdout),
    stderr: side === 'qemu' ? normalizeQemuStderr(stderr) : stderr,
    trace,
    wallMs,
    timedOut: result.timedOut,
    outputTruncated: result.isMaxBuffer,
    command: [file, ...argv],
  };
}
