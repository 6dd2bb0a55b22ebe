// prlimit64(2), as Linux 6.1 (kernel/sys.c): EFAULT reading new_limit; ESRCH unless pid is 0
// or names this process or one of its threads; then do_prlimit (rlimit.ts). The old limit
// is written after the change (an EFAULT there leaves the new limit set, as on Linux).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import type { Rlimit } from './limits.ts';
import { doPrlimit, readRlimit, writeRlimit } from './rlimit.ts';

export function prlimit64(k: SyscallContext): number {
  const pid = k.i32(0);
  const resource = k.u32(1);
  const newAddr = k.addr(2); // const struct rlimit64 __user *new_rlim
  const oldAddr = k.addr(3); // struct rlimit64 __user *old_rlim
  let next: Rlimit | undefined;
  if (newAddr) next = readRlimit(k, newAddr);
  if (pid !== 0 && pid !== k.state.pid && pid !== k.state.thread.tid) return -E.ESRCH;
  const { err, old } = doPrlimit(k, resource, next);
  if (err) return err;
  if (oldAddr) writeRlimit(k, oldAddr, old!);
  return 0;
}
