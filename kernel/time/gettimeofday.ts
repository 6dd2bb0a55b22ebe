// gettimeofday(2): CLOCK_REALTIME as { tv_sec, tv_usec } (truncated), then the kernel's
// timezone { tz_minuteswest = 0, tz_dsttime = 0 }; each written only if its pointer is
// non-NULL, EFAULT if not writable (tv first, as Linux).

import type { SyscallContext } from '../context.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { splitNs } from './clock.ts';

export function gettimeofday(k: SyscallContext): number {
  const tv = k.addr(0); // struct __kernel_old_timeval __user *tv
  const tz = k.addr(1); // struct timezone __user *tz
  if (tv) {
    const { sec, nsec } = splitNs(k.state.clock.realtimeNs());
    copyOut(k.mem, tv, new StructBuilder(16).u64(0, sec).u64(8, nsec / 1000n));
  }
  if (tz) copyOut(k.mem, tz, new StructBuilder(8));
  return 0;
}
