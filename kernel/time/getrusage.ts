// getrusage(2): struct rusage (144 bytes on 64-bit). RUSAGE_SELF and RUSAGE_THREAD report
// the CPU time as user time (timeval, microseconds truncated) and ru_maxrss, the most pages
// the guest ever had resident, in KiB; RUSAGE_CHILDREN the CPU time of the children waited for.
// The fault, I/O, IPC, signal and context-switch counters are 0. EINVAL for another `who`,
// EFAULT if the struct is not writable.

import { PAGE_SIZE } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { NS_PER_SEC } from './clock.ts';
import { processCpuNs, threadCpuNs } from './cpu-time.ts';
import { RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD } from '../abi.ts';
import { RUSAGE, TIMEVAL } from '../abi-structs.ts';
export { RUSAGE_CHILDREN, RUSAGE_SELF, RUSAGE_THREAD } from '../abi.ts';

export const RUSAGE_SIZE = RUSAGE.SIZE;

export function getrusage(k: SyscallContext): number {
  const who = k.i32(0);
  if (who !== RUSAGE_SELF && who !== RUSAGE_CHILDREN && who !== RUSAGE_THREAD) return -E.EINVAL;
  const b = new StructBuilder(RUSAGE_SIZE);
  const self = k.state.procs.byPid(k.state.pid);
  if (who === RUSAGE_CHILDREN) {
    // Children waited for (wait4 adds each reaped child's time and its own children's).
    const ns = BigInt(self?.childInsns ?? 0);
    b.u64(RUSAGE.ru_utime + TIMEVAL.tv_sec, ns / NS_PER_SEC).u64(RUSAGE.ru_utime + TIMEVAL.tv_usec, (ns % NS_PER_SEC) / 1000n);
  } else {
    const ns = who === RUSAGE_SELF ? processCpuNs(k) : threadCpuNs(k, k.state.thread.current);
    b.u64(RUSAGE.ru_utime + TIMEVAL.tv_sec, ns / NS_PER_SEC).u64(RUSAGE.ru_utime + TIMEVAL.tv_usec, (ns % NS_PER_SEC) / 1000n);
    b.u64(RUSAGE.ru_maxrss, (k.mem.peakResidentPages * PAGE_SIZE) / 1024);
  }
  copyOut(k.mem, k.addr(1), b); // (int who, struct rusage __user *ru)
  return 0;
}
