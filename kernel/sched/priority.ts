// getpriority(2) / setpriority(2) (kernel/sys.c). Nice values are kept per thread, as on
// Linux (PRIO_PROCESS names one thread by tid; 0 is the caller), and reported as the raw
// syscall does: 20 - nice (glibc turns that back into the nice value). The scheduler gives
// every thread the same quantum whatever its nice value (documented in runtime.ts).
// Lowering nice needs CAP_SYS_NICE or an RLIMIT_NICE that allows it (root has the
// capability until it drops it). Its process group is its pid, and every thread runs as the
// process's uid.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { UID } from '../process/identity.ts';
import type { Thread } from './thread.ts';
import { PRIO_PGRP, PRIO_PROCESS, PRIO_USER } from '../abi.ts';
import { CAP } from '../process/credentials.ts';
import { RLIMIT } from '../process/limits.ts';

const MIN_NICE = -20;
const MAX_NICE = 19;

/** The threads `which`/`who` name, undefined for an invalid `which`. */
function targets(k: SyscallContext, which: number, who: number): Thread[] | undefined {
  const threads = k.state.thread;
  switch (which) {
    case PRIO_PROCESS: {
      const t = who === 0 ? threads.current : threads.find(who);
      return t ? [t] : [];
    }
    case PRIO_PGRP:
      return who === 0 || who === k.state.pid ? threads.live() : [];
    case PRIO_USER:
      return who === 0 || who === UID ? threads.live() : [];
  }
  return undefined;
}

export function getpriority(k: SyscallContext): number {
  const ts = targets(k, k.i32(0), k.i32(1));
  if (!ts) return -E.EINVAL;
  if (ts.length === 0) return -E.ESRCH;
  return Math.max(...ts.map((t) => 20 - t.nice));
}

export function setpriority(k: SyscallContext): number {
  const ts = targets(k, k.i32(0), k.i32(1));
  if (!ts) return -E.EINVAL;
  if (ts.length === 0) return -E.ESRCH;
  const nice = Math.min(MAX_NICE, Math.max(MIN_NICE, k.i32(2)));
  // kernel/sys.c set_one_prio(): `if (niceval < task_nice(p) && !can_nice(p, niceval))
  // error = -EACCES;` per target; kernel/sched/core.c can_nice(): nice_to_rlimit(nice) =
  // 20 - nice within RLIMIT_NICE, or CAP_SYS_NICE. (All threads share one set of ids, so
  // set_one_prio_perm() always allows it.)
  const mayLower = (): boolean => BigInt(20 - nice) <= k.state.limits[RLIMIT.NICE].cur || k.state.proc.creds.capable(CAP.SYS_NICE);
  let error = 0;
  for (const t of ts) {
    if (nice < t.nice && !mayLower()) error = -E.EACCES;
    else t.nice = nice;
  }
  return error;
}
