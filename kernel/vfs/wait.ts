// Blocking: the hook between file objects that may have to wait (pipes, eventfd, poll,
// epoll) and whoever decides what waiting means (the scheduler).
//
// A file owns a WaitQueue and calls notify() whenever its readiness may have changed (data
// written, a reader or writer closed, a counter changed). A handler that cannot complete
// now calls `k.state.vfs.blocker.block(queues, timeoutNs, what)`:
//
//   - it returns 'timeout' once the wait has timed out; the handler then completes with its
//     timeout result (poll: 0 ready);
//   - otherwise it does not return.
//
// The default blocker (one thread, nobody else can make progress) lets a finite timeout pass
// on the virtual clock at once, and stops an endless wait as a deadlock (ZerosysStop). A
// scheduler installs its own blocker: suspend the calling thread by throwing its own
// unwinding exception, leave pc at the ecall, wake the thread when a queue is notified (or
// the deadline passes) and re-execute the syscall from the start. Handlers call block()
// before any side effect, so re-execution is safe; remembering the pending deadline across
// the restart lets the blocker answer 'timeout' to the re-executed call.

import { ZerosysStop } from '../api.ts';
import type { VirtualClock } from '../time/clock.ts';

export class WaitQueue {
  private readonly listeners = new Set<() => void>();

  /** Call fn on every notify() until the returned function is called. */
  listen(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  notify(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

export interface Blocker {
  /**
   * The calling thread waits for one of `queues` or for timeoutNs of virtual time
   * (undefined: forever). Returns only when the wait timed out.
   */
  block(queues: readonly WaitQueue[], timeoutNs: bigint | undefined, what: string): 'timeout';
}

/** One thread: time passes at once; an endless wait can never end. */
export class SingleThreadBlocker implements Blocker {
  constructor(private readonly clock: VirtualClock) {}
  block(_queues: readonly WaitQueue[], timeoutNs: bigint | undefined, what: string): 'timeout' {
    if (timeoutNs === undefined) throw new ZerosysStop(`deadlock: ${what} would block forever and no other thread can run`);
    this.clock.idle(timeoutNs);
    return 'timeout';
  }
}
