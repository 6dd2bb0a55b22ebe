// Everything the kernel remembers about the guest process, one part per module.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { ProcessImage, Stdio } from './api.ts';
import { MmState } from './memory/mm-state.ts';
import { ProgramBreak } from './memory/program-break.ts';
import { GID, PID, UID } from './process/identity.ts';
import { defaultLimits, type Rlimit } from './process/limits.ts';
import { ProcessState } from './process/process-state.ts';
import { ProcessTable } from './process/process-table.ts';
import { RandomStream } from './random/xoshiro.ts';
import { ThreadState } from './sched/thread.ts';
import { SignalState } from './signal/signal-state.ts';
import { VirtualClock } from './time/clock.ts';
import { ProcessTimers } from './time/timers.ts';
import { FdTable } from './vfs/fd-table.ts';
import { StdioFile } from './vfs/stdio-file.ts';
import { VfsState, type VfsOptions } from './vfs/vfs-state.ts';
import type { Memory } from '../emulator/memory.ts';

export interface KernelState {
  /** This process's id (the main thread's tid). */
  readonly pid: number;
  /** Every process of the guest (shared by all of them); procs.current is the running one. */
  readonly procs: ProcessTable;
  readonly fds: FdTable;
  readonly brk: ProgramBreak;
  /** Memory module: mapping attributes, --mem, mlockall. */
  readonly mm: MmState;
  /** Process module: credentials, personality, prctl knobs. */
  readonly proc: ProcessState;
  readonly thread: ThreadState;
  readonly signals: SignalState;
  readonly clock: VirtualClock;
  /** Time module: interval timers (setitimer) and POSIX timers (timer_create) of the process. */
  readonly timers: ProcessTimers;
  readonly random: RandomStream;
  readonly limits: Rlimit[];
  /** Vfs module: namespace, working directory, umask, blocking hook. */
  readonly vfs: VfsState;
}

export function createKernelState(cpu: CpuState, stdio: Stdio, image: ProcessImage, seed: bigint, epochNs: bigint, vfs: VfsOptions & { mem?: Memory } = {}): KernelState {
  const fds = new FdTable();
  // A write to a host stream without a reader raises SIGPIPE as a pipe's does (the VfsState, made below, delivers it).
  let vfsState: VfsState | undefined;
  const brokenPipe = () => vfsState?.sigpipe();
  for (const fd of [0, 1, 2] as const) fds.install(fd, new StdioFile(stdio, fd, epochNs, { uid: UID, gid: GID }, brokenPipe));
  const procs = new ProcessTable();
  const state = {
    pid: PID,
    procs,
    fds,
    brk: new ProgramBreak(image.brkStart),
    mm: new MmState(),
    proc: new ProcessState(image.execPath),
    thread: new ThreadState(PID, () => procs.allocId()),
    signals: new SignalState(),
    clock: new VirtualClock(cpu, epochNs),
    timers: new ProcessTimers(),
    random: new RandomStream(seed),
    limits: defaultLimits(),
  };
  // /proc is the running process's, and lists every process of the guest.
  const procViews = { self: () => procs.current?.state.vfs ?? vfsState!, all: () => (procs.list.length ? procs.list.map((p) => p.state.vfs) : [vfsState!]) };
  vfsState = new VfsState({ ...state, image, mem: vfs.mem, ramBytes: () => state.mm.ramBytes, procViews }, vfs);
  return { ...state, vfs: vfsState };
}
