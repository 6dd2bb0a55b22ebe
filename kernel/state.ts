// Everything the kernel remembers about the guest process, one part per module.

import type { CpuState } from '../emulator/cpu/state.ts';
import type { ProcessImage, Stdio } from './api.ts';
import { ProgramBreak } from './memory/program-break.ts';
import { GID, UID } from './process/identity.ts';
import { defaultLimits, type Rlimit } from './process/limits.ts';
import { RandomStream } from './random/xoshiro.ts';
import { ThreadState } from './sched/thread.ts';
import { SignalState } from './signal/signal-state.ts';
import { VirtualClock } from './time/clock.ts';
import { FdTable } from './vfs/fd-table.ts';
import { StdioFile } from './vfs/stdio-file.ts';

export interface KernelState {
  readonly fds: FdTable;
  readonly brk: ProgramBreak;
  readonly thread: ThreadState;
  readonly signals: SignalState;
  readonly clock: VirtualClock;
  readonly random: RandomStream;
  readonly limits: Rlimit[];
}

export function createKernelState(cpu: CpuState, stdio: Stdio, image: ProcessImage, seed: bigint, epochNs: bigint): KernelState {
  const fds = new FdTable();
  for (const fd of [0, 1, 2] as const) fds.install(fd, new StdioFile(stdio, fd, epochNs, { uid: UID, gid: GID }));
  return {
    fds,
    brk: new ProgramBreak(image.brkStart),
    thread: new ThreadState(),
    signals: new SignalState(),
    clock: new VirtualClock(cpu, epochNs),
    random: new RandomStream(seed),
    limits: defaultLimits(),
  };
}
