// sched_getaffinity(2) on a one-CPU machine whose kernel cpumask is 64 bits (NR_CPUS <= 64):
// EINVAL if len is not a multiple of 8 or too small for one CPU; ESRCH unless pid is 0, the
// process or one of its threads; writes min(len, 8) bytes with only CPU 0 set and returns that size.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';

const NR_CPU_IDS = 1;
const CPUMASK_SIZE = 8;

export function sched_getaffinity(k: SyscallContext): number {
  const pid = k.i32(0);
  const len = k.u32(1);
  if (len * 8 < NR_CPU_IDS || len % 8 !== 0) return -E.EINVAL;
  if (pid !== 0 && pid !== k.state.pid && !k.state.thread.find(pid)) return -E.ESRCH;
  const n = Math.min(len, CPUMASK_SIZE);
  copyOut(k.mem, k.addr(2), new StructBuilder(n).u8(0, 1));
  return n;
}
