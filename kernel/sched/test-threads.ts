// Test fixture for threads and signals: the kernel fixture plus the Runtime the machine
// would use, and syscalls made the way the machine makes them (ecall at a pc, then the
// runtime finishes it: pc + 4, signal delivery, thread switches).

import { NR, type SyscallName } from '../syscall-numbers.ts';
import { LAYOUT, makeFixture, type Fixture } from '../test-support.ts';
import { USER_TOP } from '../../emulator/memory.ts';
import { Runtime } from './runtime.ts';
import { A0, A7, SP } from '../../emulator/cpu/registers.ts';

export { A0, A7, SP, TP } from '../../emulator/cpu/registers.ts';

/** A stack pointer well inside the fixture's stack mapping. */
export const STACK_TOP = USER_TOP - 0x10000;

export interface ThreadsFixture extends Fixture {
  rt: Runtime;
  /** Set a7/a0..a5 and pc = at, then ecall as the current thread. */
  sys(nr: SyscallName, args?: (number | bigint)[], at?: number): void;
  /** ecall with the registers as they are (a thread resuming at its syscall). */
  ecall(): void;
  /** a0 of the current thread as a signed 64-bit value. */
  a0(): bigint;
  tid(): number;
}

export function makeThreadsFixture(): ThreadsFixture {
  const f = makeFixture();
  f.cpu.setNum(SP, STACK_TOP);
  const rt = new Runtime(f.kernel.state);
  const sys = (nr: SyscallName, args: (number | bigint)[] = [], at = LAYOUT.pc) => {
    f.cpu.setNum(A7, NR[nr]);
    for (let i = 0; i < 6; i++) f.cpu.setX(A0 + i, BigInt(args[i] ?? 0));
    f.cpu.pc = at;
    rt.syscall(f.kernel);
  };
  return {
    ...f,
    rt,
    sys,
    ecall: () => rt.syscall(f.kernel),
    a0: () => BigInt.asIntN(64, f.cpu.getX(A0)),
    tid: () => f.kernel.state.thread.tid,
  };
}

// <linux/sched.h>: what glibc's pthread_create passes.
export const GLIBC_THREAD_FLAGS = 0x3d0f00;
