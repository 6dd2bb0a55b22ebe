// CPU time of the guest for the CPU-time clocks, times(2) and getrusage(2): one retired
// instruction is one nanosecond of user time; no time is system time.

import type { SyscallContext } from '../context.ts';
import type { Thread } from '../sched/thread.ts';
import type { CpuClocks } from './clock.ts';
import { processCpuTime } from './timers.ts';

/** CPU time of the whole process: every instruction one of its threads retired. */
export function processCpuNs(k: SyscallContext): bigint {
  return processCpuTime(k.state);
}

/**
 * CPU time of one thread: what the scheduler credited it at its last switch-out, plus, for
 * the running thread, the instructions since it was switched in. With a single thread this
 * is the process's CPU time.
 */
export function threadCpuNs(k: SyscallContext, t: Thread): bigint {
  const threads = k.state.thread;
  if (threads.threads.length === 1 && t === threads.current) return processCpuNs(k);
  let insns = t.cpuInsns;
  const switchedInAt = (threads as { switchedInAt?: number }).switchedInAt;
  if (t === threads.current && switchedInAt !== undefined) insns += k.cpu.instret - switchedInAt;
  return BigInt(insns);
}

/** The CPU clocks as the caller sees them. */
export function cpuClocks(k: SyscallContext): CpuClocks {
  const threads = k.state.thread;
  return {
    process: () => processCpuNs(k),
    thread: (tid) => {
      const t = tid === 0 ? threads.current : threads.find(tid);
      return t ? threadCpuNs(k, t) : undefined;
    },
    isOurs: (pid) => pid === k.state.pid || threads.find(pid) !== undefined,
  };
}
