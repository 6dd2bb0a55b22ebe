// rt_sigprocmask(2), as Linux 6.1: EINVAL unless sigsetsize is 8; EFAULT reading set; EINVAL
// for an unknown `how` (only checked when set is given); SIGKILL/SIGSTOP cannot be blocked;
// the old mask goes to oset after the change. The mask is the calling thread's; a signal it
// unblocks that is pending is delivered as the syscall returns.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { setBlocked } from './send.ts';
import { SIGSET_SIZE, UNBLOCKABLE } from './signal-state.ts';
import { SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK } from '../abi.ts';

export function rt_sigprocmask(k: SyscallContext): number {
  const how = k.i32(0);
  // (int how, sigset_t __user *nset, sigset_t __user *oset, size_t sigsetsize), kernel/signal.c:
  // `if (sigsetsize != sizeof(sigset_t)) return -EINVAL;` first, on the exact size_t.
  const set = k.addr(1);
  const oset = k.addr(2);
  if (k.size(3) !== SIGSET_SIZE) return -E.EINVAL;
  const t = k.state.thread.current;
  const old = t.blocked;
  if (set) {
    const req = copyIn(k.mem, set, SIGSET_SIZE).getBigUint64(0, true) & ~UNBLOCKABLE;
    if (how === SIG_BLOCK) setBlocked(k.state, t, old | req);
    else if (how === SIG_UNBLOCK) setBlocked(k.state, t, old & ~req);
    else if (how === SIG_SETMASK) setBlocked(k.state, t, req);
    else return -E.EINVAL;
  }
  if (oset) copyOut(k.mem, oset, new StructBuilder(SIGSET_SIZE).u64(0, old));
  return 0;
}
