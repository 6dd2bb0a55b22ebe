// clock_gettime(2) on the virtual clock (see clock.ts): EINVAL for an unknown clock id,
// EFAULT if tp is not writable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { splitNs } from './clock.ts';
import { cpuClocks } from './cpu-time.ts';

export function clock_gettime(k: SyscallContext): number {
  const ns = k.state.clock.read(k.i32(0), cpuClocks(k));
  if (ns === undefined) return -E.EINVAL;
  const { sec, nsec } = splitNs(ns);
  // (clockid_t which_clock, struct __kernel_timespec __user *tp)
  copyOut(k.mem, k.addr(1), new StructBuilder(16).u64(0, sec).u64(8, nsec));
  return 0;
}
