// sched_setaffinity(2) on a one-CPU machine (kernel/sched/core.c): the mask is read like
// get_user_cpu_mask() (a short mask is zero-extended, a long one truncated to the 8-byte
// kernel cpumask), the thread must exist (ESRCH), and the mask must contain CPU 0, the
// only CPU, or it is EINVAL. Nothing else changes: there is one CPU either way.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';


const CPUMASK_SIZE = 8;

export function sched_setaffinity(k: SyscallContext): number {
  const pid = k.i32(0);
  const len = k.u32(1);
  const n = Math.min(len, CPUMASK_SIZE);
  const bytes = n ? k.mem.read(k.addr(2), n) : new Uint8Array(0);
  const threads = k.state.thread;
  if (pid !== 0 && pid !== k.state.pid && !threads.find(pid)) return -E.ESRCH;
  if (bytes.length === 0 || (bytes[0] & 1) === 0) return -E.EINVAL;
  return 0;
}
