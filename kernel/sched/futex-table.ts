// Futex wait queues: one FIFO per key (Linux keeps a priority list; every guest thread has
// the same priority, so it is arrival order). A private key is the address; a shared key
// on the process's own memory is the address tagged as shared, because Linux's keys for
// the two differ (FUT_OFF_MMSHARED) and a private wake never finds a shared waiter.

import type { Thread } from './thread.ts';
import { wake } from './wait.ts';

export interface FutexWaiter {
  thread: Thread;
  key: number;
  bitset: number;
}

const SHARED_TAG = 2 ** 40; // above every user address (USER_TOP = 2^38)

export function futexKey(addr: number, shared: boolean): number {
  return shared ? addr + SHARED_TAG : addr;
}

export class FutexTable {
  private readonly queues = new Map<number, FutexWaiter[]>();

  enqueue(w: FutexWaiter): void {
    let q = this.queues.get(w.key);
    if (!q) this.queues.set(w.key, (q = []));
    q.push(w);
  }

  remove(w: FutexWaiter): void {
    const q = this.queues.get(w.key);
    const i = q ? q.indexOf(w) : -1;
    if (i < 0) return;
    q!.splice(i, 1);
    if (q!.length === 0) this.queues.delete(w.key);
  }

  /** Wake up to n waiters on key whose bitset intersects `bitset`; returns how many. */
  wake(key: number, n: number, bitset = 0xffffffff): number {
    const q = this.queues.get(key);
    if (!q) return 0;
    const chosen = q.filter((w) => (w.bitset & bitset) !== 0).slice(0, Math.max(0, n));
    for (const w of chosen) wake(w.thread, 'notified'); // cancel() removes it from the queue
    return chosen.length;
  }

  /** Wake nWake waiters on `from`, move up to nRequeue of the rest to `to`; returns both counts. */
  requeue(from: number, to: number, nWake: number, nRequeue: number): { woken: number; moved: number } {
    const woken = this.wake(from, nWake);
    const q = this.queues.get(from) ?? [];
    const moving = q.slice(0, Math.max(0, nRequeue));
    for (const w of moving) {
      this.remove(w);
      w.key = to;
      this.enqueue(w);
    }
    return { woken, moved: moving.length };
  }

  waiters(key: number): number {
    return this.queues.get(key)?.length ?? 0;
  }
}
