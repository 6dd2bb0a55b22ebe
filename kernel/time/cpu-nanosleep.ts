// clock_nanosleep(2) on a CPU-time clock: Linux 6.1 kernel/time/posix-cpu-timers.c
// posix_cpu_nsleep → do_cpu_nanosleep (posix_cpu_timer_create → pid_for_clock,
// posix_cpu_timer_set). The caller has read and checked the timespec already.
//
// A negative clock id encodes pid = ~(id >> 3), bit 2 = per-thread, bits 0-1 = which
// (include/linux/posix-timers.h). Sleeping on the caller's own thread clock is EINVAL (it
// cannot advance while the thread sleeps). A sleep that is already over — a zero relative
// time, a zero or passed absolute time — returns 0 at once, as the armed timer fires (or
// is never armed) before the thread blocks. A real wait on CPU time stops the guest: the
// clock only advances while other threads run, and the parent's is not known.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PPID } from '../process/identity.ts';
import { processCpuNs, threadCpuNs } from './cpu-time.ts';

const CPUCLOCK_PERTHREAD_MASK = 4;
const CPUCLOCK_CLOCK_MASK = 3;
const CPUCLOCK_MAX = 3;

/** PROCESS_CLOCK = make_process_cpuclock(0, CPUCLOCK_SCHED): what CLOCK_PROCESS_CPUTIME_ID sleeps on. */
export const PROCESS_CLOCK = (~0 << 3) | 2;

/** The CPU clock's current value in ns, 'parent' for the shell's, or undefined if pid_for_clock() finds nothing. */
function clockNow(k: SyscallContext, clock: number): bigint | 'parent' | undefined {
  const thread = (clock & CPUCLOCK_PERTHREAD_MASK) !== 0;
  const pid = ~(clock >> 3);
  if ((clock & CPUCLOCK_CLOCK_MASK) >= CPUCLOCK_MAX) return undefined;
  const threads = k.state.thread;
  if (pid === 0) return thread ? threadCpuNs(k, threads.current) : processCpuNs(k);
  if (thread) {
    const t = threads.find(pid); // same_thread_group(): only our own threads
    return t ? threadCpuNs(k, t) : undefined;
  }
  // A process clock needs a thread-group leader (pid_has_task(pid, PIDTYPE_TGID)).
  if (pid === k.state.pid) return processCpuNs(k);
  return pid === PPID ? 'parent' : undefined;
}

/** posix_cpu_nsleep(clock, abs, ns) for a valid request of ns nanoseconds. */
export function cpuNanosleep(k: SyscallContext, clock: number, abs: boolean, ns: bigint): number {
  const pid = ~(clock >> 3);
  if (clock & CPUCLOCK_PERTHREAD_MASK && (pid === 0 || pid === k.state.thread.tid)) return -E.EINVAL;
  const now = clockNow(k, clock);
  if (now === undefined) return -E.EINVAL;
  // posix_cpu_timer_set(): expiry 0 never arms; an absolute expiry not after now fires at once.
  if (ns === 0n) return 0;
  if (abs && now !== 'parent' && ns <= now) return 0;
  k.unsupported(`sleeping on a CPU-time clock (${clock})`);
}
