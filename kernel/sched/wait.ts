// Blocking: how a syscall handler waits, and how other code wakes it.
//
// The model is re-execution. A handler that cannot complete calls `sleep(k, wait)`, which
// marks the calling thread blocked and throws ThreadSuspended. That unwinds through the
// dispatcher (no result is written, nothing is traced) to the machine, which leaves pc at
// the ecall and switches to another thread. `wake(thread, reason)` makes it runnable; when
// it next runs, it executes the same ecall again with the same registers, and the handler,
// seeing `thread.wake` set, finishes: a futex wait returns 0 ('notified') or ETIMEDOUT
// ('timeout'); every wait returns its restart code on 'signal' (-ERESTARTSYS and friends,
// which signal delivery turns into EINTR or a transparent restart, as Linux does).
// Handlers therefore do nothing with side effects before they decide to sleep, and
// `thread.wake` / `thread.deadline` are cleared once the syscall completes.
//
//   const t = k.state.thread.current;
//   if (t.wake === 'notified') return 0;              // re-executed after wake(t, 'notified')
//   if (t.wake === 'timeout') return -E.ETIMEDOUT;
//   if (t.wake === 'signal' || t.sigpending) return -ERESTARTSYS;
//   ... register t somewhere a waker finds it, then:
//   sleep(k.state.thread, { what: 'pipe read', deadline, cancel: () => unregister() });
//
// Files use the vfs WaitQueue (kernel/vfs/wait.ts) and its Blocker interface; SchedBlocker
// below implements that interface on top of sleep/wake and is installed by the Runtime.
//
// Timeouts are CLOCK_MONOTONIC deadlines on the virtual clock. The scheduler wakes a
// thread whose deadline has passed with 'timeout' at the next scheduling point; when every
// thread is blocked it advances the clock to the earliest deadline; when none has one, the
// guest is deadlocked and stops (ZerosysStop) instead of hanging.

import { SyscallErrno } from '../errors.ts';
import type { KernelState } from '../state.ts';
import { ERESTARTSYS } from '../signal/restart.ts';
import type { Blocker, WaitQueue } from '../vfs/wait.ts';
import type { Thread, ThreadState, Wait, WakeReason } from './thread.ts';

/** Thrown out of a syscall handler: the calling thread sleeps; the ecall is re-executed on wakeup. */
export class ThreadSuspended extends Error {
  constructor(readonly what: string) {
    super(`thread suspended: ${what}`);
  }
}

/** Block the calling thread (it must not be the only way out of its handler's side effects). */
export function sleep(threads: ThreadState, wait: Wait): never {
  const t = threads.current;
  t.state = 'blocked';
  t.wait = wait;
  t.wake = undefined;
  t.deadline = wait.deadline;
  throw new ThreadSuspended(wait.what);
}

/** Make a blocked thread runnable; false if it was not blocked. */
export function wake(t: Thread, reason: WakeReason): boolean {
  if (t.state !== 'blocked') return false;
  const w = t.wait;
  t.wait = undefined;
  t.state = 'runnable';
  t.wake = reason;
  w?.cancel();
  return true;
}

/** A deadline `ns` from now on the monotonic virtual clock. */
export function deadlineIn(state: KernelState, ns: bigint): bigint {
  return state.clock.monotonicNs() + ns;
}

/** The vfs Blocker (pipes, poll, eventfd) for a guest with threads. */
export class SchedBlocker implements Blocker {
  constructor(private readonly state: KernelState) {}

  block(queues: readonly WaitQueue[], timeoutNs: bigint | undefined, what: string): 'timeout' {
    // The caller is the running process's thread, whichever process made the file.
    const state = this.state.procs.current.state;
    const t = state.thread.current;
    if (t.wake === 'timeout') return 'timeout';
    if (t.wake === 'signal' || t.sigpending) throw new SyscallErrno(ERESTARTSYS);
    // A re-execution after a notify keeps the original deadline; a fresh call starts one.
    const deadline = t.wake === 'notified' ? t.deadline : timeoutNs === undefined ? undefined : deadlineIn(state, timeoutNs);
    if (deadline !== undefined && deadline <= state.clock.monotonicNs()) return 'timeout';
    const stops = queues.map((q) => q.listen(() => wake(t, 'notified')));
    sleep(state.thread, { what, deadline, cancel: () => stops.forEach((stop) => stop()) });
  }
}
