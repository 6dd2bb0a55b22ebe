// getpriority(2) / setpriority(2) (kernel/sys.c). Nice values are kept per thread, as on
// Linux (PRIO_PROCESS names one thread by tid; 0 is the caller), and reported as the raw
// syscall does: 20 - nice (glibc turns that back into the nice value). The scheduler gives
// every thread the same quantum whatever its nice value (documented in runtime.ts).
// The guest is root, so lowering nice is allowed. Its process group is its pid, and every
// thread runs as uid 0.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PID, UID } from '../process/identity.ts';
import type { Thread } from './thread.ts';
import { PRIO_PGRP, PRIO_PROCESS, PRIO_USER } from '../abi.ts';

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
      return who === 0 || who === PID ? threads.live() : [];
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
  for (const t of ts) t.nice = nice;
  return 0;
}
