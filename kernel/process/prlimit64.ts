// prlimit64(2), as Linux 6.1 (kernel/sys.c): EFAULT reading new_limit; ESRCH unless pid is 0
// or the caller; EINVAL for resource >= RLIM_NLIMITS or cur > max; EPERM for a NOFILE hard
// limit above fs.nr_open. Raising a hard limit is allowed (the guest is root). The old limit
// is written after the change (an EFAULT there leaves the new limit set, as on Linux).
// Partial: new limits are recorded and reported back, but nothing enforces them yet.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { PID } from './identity.ts';
import { NR_OPEN, RLIMIT, RLIM_NLIMITS, type Rlimit } from './limits.ts';

export function prlimit64(k: SyscallContext): number {
  const pid = k.i32(0);
  const resource = k.u32(1);
  const newAddr = k.u(2);
  const oldAddr = k.u(3);
  let next: Rlimit | undefined;
  if (newAddr) {
    const v = copyIn(k.mem, newAddr, 16);
    next = { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
  }
  if (pid !== 0 && pid !== PID && pid !== k.state.thread.tid) return -E.ESRCH;
  if (resource >= RLIM_NLIMITS) return -E.EINVAL;
  if (next) {
    if (next.cur > next.max) return -E.EINVAL;
    if (resource === RLIMIT.NOFILE && next.max > NR_OPEN) return -E.EPERM;
  }
  const old = k.state.limits[resource];
  if (next) k.state.limits[resource] = next;
  if (oldAddr) copyOut(k.mem, oldAddr, new StructBuilder(16).u64(0, old.cur).u64(8, old.max));
  return 0;
}
