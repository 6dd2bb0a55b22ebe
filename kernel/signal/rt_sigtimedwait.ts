// rt_sigtimedwait(2) (do_sigtimedwait): take a pending signal from `set` without running
// its handler; if none is pending, unblock the set and sleep until one arrives (-> its
// number), another signal interrupts (-> EINTR, then its handler runs), or the relative
// timeout on the virtual clock passes (-> EAGAIN; a zero timeout does not sleep).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { sleep } from '../sched/wait.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { copyIn, copyOut } from '../user-memory.ts';
import { dequeue } from './deliver.ts';
import { setBlocked } from './send.ts';
import { SIGSET_SIZE, UNBLOCKABLE } from './signal-state.ts';

export function rt_sigtimedwait(k: SyscallContext): number {
  const t = k.state.thread.current;
  // (const sigset_t __user *uthese, siginfo_t __user *uinfo, const struct __kernel_timespec
  // __user *uts, size_t sigsetsize), kernel/signal.c: the exact sigsetsize first (EINVAL).
  if (k.size(3) !== SIGSET_SIZE) return -E.EINVAL;
  const which = copyIn(k.mem, k.addr(0), SIGSET_SIZE).getBigUint64(0, true) & ~UNBLOCKABLE;
  const uinfo = k.addr(1);
  const uts = k.addr(2);
  let timeout: bigint | undefined;
  if (uts) {
    const ts = copyIn(k.mem, uts, 16);
    const sec = ts.getBigInt64(0, true);
    const nsec = ts.getBigInt64(8, true);
    if (!t.wake && (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC)) return -E.EINVAL;
    timeout = sec * NS_PER_SEC + nsec;
  }
  const notWanted = ~which;

  let result: number;
  if (t.wake) {
    // Back from the sleep: the old mask returns, then one more look.
    setBlocked(k.state, t, t.realBlocked);
    t.realBlocked = 0n;
    const info = dequeue(k.state, t, notWanted);
    if (!info) return t.wake === 'signal' ? -E.EINTR : -E.EAGAIN;
    result = info.signo;
    if (uinfo) copyOut(k.mem, uinfo, info.toUser());
    return result;
  }
  const info = dequeue(k.state, t, notWanted);
  if (info) {
    if (uinfo) copyOut(k.mem, uinfo, info.toUser());
    return info.signo;
  }
  if (timeout === 0n) return -E.EAGAIN;
  t.realBlocked = t.blocked;
  setBlocked(k.state, t, t.blocked & notWanted);
  if (t.sigpending) {
    setBlocked(k.state, t, t.realBlocked);
    t.realBlocked = 0n;
    return -E.EINTR;
  }
  const deadline = timeout === undefined ? undefined : k.state.clock.monotonicNs() + timeout;
  sleep(k.state.thread, { what: 'rt_sigtimedwait', deadline, cancel: () => {} });
}
