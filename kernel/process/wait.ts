// wait4(2) and waitid(2). The guest cannot create child processes (fork and clone without
// CLONE_VM stop it), so after Linux 6.1's argument checks there is never a child to wait
// for: ECHILD.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { P_ALL, P_PGID, P_PID, P_PIDFD, WCONTINUED, WEXITED, WNOHANG, WNOWAIT, WUNTRACED, __WALL, __WCLONE, __WNOTHREAD } from '../abi.ts';
import { accessOk } from '../user-memory.ts';
import { SIGINFO_SIZE } from '../signal/siginfo.ts';

const INT_MIN = -(2 ** 31);

export function wait4(k: SyscallContext): number {
  const pid = k.i32(0);
  const options = k.u32(2);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.EINVAL;
  if (pid === INT_MIN) return -E.ESRCH;
  return -E.ECHILD;
}

export function waitid(k: SyscallContext): number {
  const err = waitFor(k);
  // kernel/exit.c SYSCALL_DEFINE5(waitid): whatever kernel_waitid() answered, a non-NULL
  // infop gets si_signo, si_errno, si_code, si_pid, si_uid and si_status (all 0 here: no
  // child ever exits), and an unwritable one makes the call EFAULT.
  const infop = k.addr(2);
  if (infop === 0) return err;
  if (!accessOk(infop, SIGINFO_SIZE)) return -E.EFAULT;
  try {
    for (const off of [0, 4, 8, 16, 20, 24]) k.mem.write(infop + off, new Uint8Array(4));
  } catch {
    return -E.EFAULT;
  }
  return err;
}

/** kernel_waitid(): the checks of which, upid and options, then ECHILD (zerosys has no child processes). */
function waitFor(k: SyscallContext): number {
  const which = k.i32(0);
  const upid = k.i32(1);
  const options = k.u32(3);
  if (options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) return -E.EINVAL;
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -E.EINVAL;
  switch (which) {
    case P_ALL:
      break;
    case P_PID:
    case P_PGID:
      if (upid < 0 || (which === P_PID && upid === 0)) return -E.EINVAL;
      break;
    case P_PIDFD:
      if (upid < 0) return -E.EINVAL;
      k.unsupported('waitid(P_PIDFD)');
    // falls through (unsupported never returns)
    default:
      return -E.EINVAL;
  }
  return -E.ECHILD;
}
