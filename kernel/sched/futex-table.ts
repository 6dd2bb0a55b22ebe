// Futex wait queues: one FIFO per key (Linux keeps a priority list, kernel/futex/core.c
// __futex_queue(): `prio = min(current->normal_prio, MAX_RT_PRIO)`, so every SCHED_OTHER
// thread — all guest threads — queues at MAX_RT_PRIO: arrival order). A private key is the
// address; a shared key on the process's own memory is the address tagged as shared, because
// Linux's keys for the two differ (FUT_OFF_MMSHARED) and a private wake never finds a shared
// waiter.
//
// Priority-inheritance waiters (futex-pi.ts) sit in the same queues as futex_q's carrying a
// pi_state, so a plain wake or requeue that meets one answers EINVAL as Linux does, and
// FUTEX_LOCK_PI finding a plain waiter first answers EINVAL too ([3] in kernel/futex/pi.c).

import type { Thread } from './thread.ts';
import { wake } from './wait.ts';
import { E } from '../errno.ts';

/**
 * struct futex_pi_state: the rt_mutex behind one PI futex, alive while futex_q's refer to it
 * (refs), owned by `owner` (undefined once exit_pi_state_list() let go of it).
 */
export interface PiState {
  readonly key: number;
  readonly uaddr: number;
  owner: Thread | undefined;
  /** The rt_mutex's waiters, highest priority first, FIFO among equal priorities. */
  readonly waiters: FutexWaiter[];
  /**
   * The top waiter the rt_mutex was released to (mark_wakeup_next_waiter()) and that has not
   * run yet to take it: until it does, the mutex has no owner but is not free.
   */
  handoff: FutexWaiter | undefined;
  /** futex_q's attached (pi_state->refcount, less the transient references). */
  refs: number;
}

export interface FutexWaiter {
  thread: Thread;
  key: number;
  bitset: number;
  /** Set for a FUTEX_LOCK_PI waiter (futex_q.pi_state). */
  pi?: PiState;
  /**
   * How the rt_mutex came to this waiter: 'unlock' (FUTEX_UNLOCK_PI already wrote its tid
   * and made it pi_state's owner: wake_futex_pi()) or 'owner-died' (exit_pi_state_list():
   * the waiter fixes the futex word up itself when it runs: fixup_pi_state_owner()).
   */
  granted?: 'unlock' | 'owner-died';
}

const SHARED_TAG = 2 ** 40; // above every user address (USER_TOP = 2^38)

export function futexKey(addr: number, shared: boolean): number {
  return shared ? addr + SHARED_TAG : addr;
}

/**
 * A shared futex in MAP_SHARED memory is keyed by the object and the offset in it, not by
 * the address (get_futex_key(): the inode's i_ino and the page index), so processes that
 * map the object at different places wait and wake on one key — in the run's one table of
 * such keys (ProcessTable.sharedFutexes). Above every address key.
 */
const OBJECT_TAG = 2 ** 50;
const MAX_OBJECT_OFFSET = 2 ** 32;

export function objectFutexKey(objId: number, offset: number): number | undefined {
  return offset < MAX_OBJECT_OFFSET && objId < 2 ** 18 ? OBJECT_TAG + objId * MAX_OBJECT_OFFSET + offset : undefined;
}

export function isObjectKey(key: number): boolean {
  return key >= OBJECT_TAG;
}

export class FutexTable {
  private readonly queues = new Map<number, FutexWaiter[]>();
  /** task->pi_state_list: the PI futexes each thread owns, newest first (list_add). */
  private readonly owned = new Map<Thread, PiState[]>();
  /** The FUTEX_LOCK_PI a thread is in (blocked, or granted and not yet back), by thread. */
  readonly piWaiting = new Map<Thread, FutexWaiter>();

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

  /** futex_top_waiter(): the first futex_q on key, PI or not. */
  top(key: number): FutexWaiter | undefined {
    return this.queues.get(key)?.[0];
  }

  /**
   * futex_wake() (kernel/futex/waitwake.c): wake up to n waiters on key whose bitset
   * intersects `bitset`; returns how many, or -EINVAL on meeting a PI waiter
   * (`if (this->pi_state || this->rt_waiter) { ret = -EINVAL; break; }`; the ones before it
   * are woken all the same, from the wake_q).
   */
  wake(key: number, n: number, bitset = 0xffffffff): number {
    const q = this.queues.get(key);
    if (!q) return 0;
    const chosen: FutexWaiter[] = [];
    let ret = 0;
    for (const w of q) {
      if (chosen.length >= Math.max(0, n)) break;
      if (w.pi) {
        ret = -E.EINVAL;
        break;
      }
      if ((w.bitset & bitset) !== 0) chosen.push(w);
    }
    for (const w of chosen) wake(w.thread, 'notified'); // cancel() removes it from the queue
    return ret || chosen.length;
  }

  /**
   * Wake nWake waiters on `from`, move up to nRequeue of the rest to `to`; returns both
   * counts, or -EINVAL (futex_requeue(): a futex_q with a pi_state is never requeued; the
   * ones handled before it stay woken or moved).
   */
  requeue(from: number, to: number, nWake: number, nRequeue: number): { woken: number; moved: number } | number {
    const q = [...(this.queues.get(from) ?? [])];
    let woken = 0;
    let moved = 0;
    for (const w of q) {
      if (woken >= nWake && moved >= nRequeue) break; // `if (task_count - nr_wake >= nr_requeue) break;`
      if (w.pi) return -E.EINVAL;
      if (woken < nWake) {
        wake(w.thread, 'notified');
        woken++;
        continue;
      }
      this.remove(w);
      w.key = to;
      this.enqueue(w);
      moved++;
    }
    return { woken, moved };
  }

  waiters(key: number): number {
    return this.queues.get(key)?.length ?? 0;
  }

  /** The PI futexes t owns, newest first. */
  ownedBy(t: Thread): readonly PiState[] {
    return this.owned.get(t) ?? [];
  }

  /** pi_state_update_owner(): move ps from its owner's list to `owner`'s (either may be none). */
  setOwner(ps: PiState, owner: Thread | undefined): void {
    if (ps.owner) {
      const list = this.owned.get(ps.owner);
      const i = list ? list.indexOf(ps) : -1;
      if (i >= 0) list!.splice(i, 1);
      if (list && list.length === 0) this.owned.delete(ps.owner);
    }
    ps.owner = owner;
    if (owner) {
      let list = this.owned.get(owner);
      if (!list) this.owned.set(owner, (list = []));
      list.unshift(ps);
    }
  }
}
