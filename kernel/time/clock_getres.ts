// clock_getres(2): 1 ns for the high-resolution clocks and the scheduler CPU clocks, one tick
// (4 ms at HZ=250) for the coarse clocks and the PROF/VIRT CPU clocks — what the build
// machine's kernel and qemu-riscv64 report. EINVAL for ids clock_gettime rejects; a NULL
// res is allowed; EFAULT if res is not writable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { clockResolution, splitNs } from './clock.ts';
import { cpuClocks } from './cpu-time.ts';

export function clock_getres(k: SyscallContext): number {
  const res = clockResolution(k.i32(0), cpuClocks(k));
  if (res === undefined) return -E.EINVAL;
  const tp = k.addr(1); // struct __kernel_timespec __user *tp
  if (tp) {
    const { sec, nsec } = splitNs(res);
    copyOut(k.mem, tp, new StructBuilder(16).u64(0, sec).u64(8, nsec));
  }
  return 0;
}
