// Priority-inheritance futexes: FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_TRYLOCK_PI and
// FUTEX_UNLOCK_PI, with checks and results in the order of Linux 6.1 kernel/futex/pi.c, and
// the rt_mutex behaviour they rely on from kernel/locking/rtmutex.c. The futex word holds the
// owner's tid | FUTEX_WAITERS | FUTEX_OWNER_DIED.
//
// The model: a contended PI futex has a PiState (struct futex_pi_state) reached through the
// futex_q's of its waiters (futex-table.ts), owned by a thread and listed on that thread's
// pi_state_list. Waiters queue on the rt_mutex by priority; every guest thread is
// SCHED_OTHER and Linux 6.1 squashes all non-RT tasks to one priority for rt_mutex ordering
// (rtmutex.c __waiter_prio(): `if (!rt_prio(prio)) return DEFAULT_PRIO;`), so the order is
// FIFO. FUTEX_UNLOCK_PI hands the mutex to the top waiter (wake_futex_pi(): the word becomes
// FUTEX_WAITERS | its tid); a newcomer never steals it from the woken waiter (rt_mutex_steal()
// allows no lateral steal for a sleeping lock). Priority boosting itself is not modelled: with
// one CPU, SCHED_OTHER only and nice values that change nothing (runtime.ts), it has no effect.
//
// Blocking follows wait.ts: the waiter sleeps and re-executes its ecall when woken; by then
// the outcome is decided ('notified': it owns the mutex; 'timeout'; 'signal': the call
// restarts, -ERESTARTNOINTR, as futex_lock_pi() turns -EINTR into).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ERESTARTNOINTR } from '../signal/restart.ts';
import { readablePrefix, writablePrefix } from '../user-memory.ts';
import { FUTEX_BITSET_MATCH_ANY, FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS } from '../abi.ts';
import type { FutexTable, FutexWaiter, PiState } from './futex-table.ts';
import type { Thread } from './thread.ts';
import { sleep, wake } from './wait.ts';

/** kernel/locking/rtmutex.c max_lock_depth: the longest chain rt_mutex_adjust_prio_chain() walks. */
export const MAX_LOCK_DEPTH = 1024;

const readable = (k: SyscallContext, uaddr: number) => readablePrefix(k.mem, uaddr, 4) === 4;
const writable = (k: SyscallContext, uaddr: number) => writablePrefix(k.mem, uaddr, 4) === 4;

/**
 * futex_lock_pi() for FUTEX_LOCK_PI, FUTEX_LOCK_PI2 (deadline: absolute CLOCK_MONOTONIC on the
 * virtual clock, already converted from CLOCK_REALTIME where the op asks for it) and
 * FUTEX_TRYLOCK_PI. `key` is get_futex_key()'s, already checked by the caller.
 */
export function futexLockPi(k: SyscallContext, uaddr: number, key: number, deadline: bigint | undefined, trylock: boolean): number {
  const threads = k.state.thread;
  const t = threads.current;
  const futexes = threads.futexes;

  // Re-executed after sleeping: how the wait ended was decided while it slept.
  if (t.wake !== undefined) {
    const q = futexes.piWaiting.get(t);
    if (t.wake === 'notified' && q?.granted) return tookMutex(k, futexes, t, q);
    // The cancel of the wait took the waiter off the rt_mutex and unqueued it.
    if (t.wake === 'timeout') return -E.ETIMEDOUT;
    if (t.wake === 'signal') return -ERESTARTNOINTR;
  }

  // futex_lock_pi_atomic()
  // `if (futex_get_value_locked(&uval, uaddr)) return -EFAULT;` then, from futex_lock_pi(),
  // uaddr_faulted: fault_in_user_writeable() fails for an unmapped or read-only word.
  if (!readable(k, uaddr)) return -E.EFAULT;
  const uval = k.mem.readU32(uaddr);
  // `if ((unlikely((uval & FUTEX_TID_MASK) == vpid))) return -EDEADLK;`
  if ((uval & FUTEX_TID_MASK) === t.tid) return -E.EDEADLK;

  let ps: PiState;
  const top = futexes.top(key);
  if (top) {
    const r = attachToPiState(uval, top.pi);
    if (typeof r === 'number') return r;
    ps = r;
  } else if (!(uval & FUTEX_TID_MASK)) {
    // "We take over the futex. No other waiters and the user space TID is 0. We preserve
    // the owner died bit." — lock_pi_update_atomic() faults on a read-only word: EFAULT.
    if (!writable(k, uaddr)) return -E.EFAULT;
    k.mem.st32(uaddr, ((uval & FUTEX_OWNER_DIED) | t.tid) | 0);
    return 0;
  } else {
    // "First waiter. Set the waiters bit before attaching ourself to the owner."
    if (!writable(k, uaddr)) return -E.EFAULT;
    const newval = (uval | FUTEX_WAITERS) >>> 0;
    k.mem.st32(uaddr, newval | 0);
    const r = attachToPiOwner(k, futexes, uaddr, newval, key);
    if (typeof r === 'number') return r;
    ps = r;
  }

  // __futex_queue(): the futex_q holds a reference on the pi_state.
  const q: FutexWaiter = { thread: t, key, bitset: FUTEX_BITSET_MATCH_ANY, pi: ps };
  ps.refs++;
  futexes.enqueue(q);
  const unqueue = () => {
    futexes.remove(q);
    putPiState(futexes, ps);
  };

  if (trylock) {
    // rt_mutex_futex_trylock() -> try_to_take_rt_mutex(lock, current, NULL): only a mutex
    // with neither an owner nor waiters (a handed-off one still has its top waiter queued).
    const ok = ps.owner === undefined && ps.waiters.length === 0 && ps.handoff === undefined;
    // no_block: fixup_pi_owner(uaddr, &q, locked)
    const res = ok ? fixupOwner(k, futexes, uaddr, ps, t) : 0;
    unqueue();
    if (res < 0) return res;
    return ok ? 0 : -E.EWOULDBLOCK;
  }

  // __rt_mutex_start_proxy_lock(): try_to_take_rt_mutex() cannot succeed here (the mutex
  // has an owner, or waiters, or a top waiter it was handed to); task_blocks_on_rt_mutex()
  // with RT_MUTEX_FULL_CHAINWALK detects deadlocks through the owner chain.
  const dead = chainDeadlock(futexes, ps, t);
  if (dead) {
    unqueue(); // cleanup: rt_mutex_cleanup_proxy_lock(), fixup_pi_owner() (not locked), futex_unqueue_pi()
    return -E.EDEADLK;
  }
  // rt_mutex_slowlock_block(): `if (timeout && !timeout->task) ret = -ETIMEDOUT;` then
  // `if (signal_pending_state(state, current)) ret = -EINTR;`, checked before sleeping.
  if (deadline !== undefined && deadline <= k.state.clock.monotonicNs()) {
    unqueue();
    return -E.ETIMEDOUT;
  }
  if (t.sigpending) {
    unqueue();
    return -ERESTARTNOINTR;
  }

  // rt_mutex_enqueue(): by priority, FIFO among equals; every guest thread waits at
  // DEFAULT_PRIO (SCHED_OTHER: __waiter_prio()), so in arrival order.
  ps.waiters.push(q);
  futexes.piWaiting.set(t, q);
  sleep(threads, {
    what: `futex lock_pi on 0x${uaddr.toString(16)}`,
    deadline,
    cancel: () => {
      if (q.granted) return; // it owns the mutex now: it unqueues itself when it runs
      const i = ps.waiters.indexOf(q);
      if (i >= 0) ps.waiters.splice(i, 1);
      futexes.piWaiting.delete(t);
      unqueue();
    },
  });
}

/**
 * The waiter the rt_mutex was given to runs again: fixup_pi_owner(locked = 1), then
 * futex_unqueue_pi(). Returns 0, or -EFAULT when the word cannot be fixed up (it owns the
 * mutex all the same, as in Linux).
 */
function tookMutex(k: SyscallContext, futexes: FutexTable, t: Thread, q: FutexWaiter): number {
  const ps = q.pi!;
  futexes.piWaiting.delete(t);
  if (ps.handoff === q) ps.handoff = undefined;
  const res = ps.owner === t ? 0 : fixupOwner(k, futexes, ps.uaddr, ps, t);
  futexes.remove(q);
  putPiState(futexes, ps);
  return res < 0 ? res : 0;
}

/**
 * __fixup_pi_state_owner(uaddr, q, current): current took the rt_mutex without being
 * pi_state's owner (the owner died: exit_pi_state_list() left it without one). The word gets
 * its tid | FUTEX_WAITERS, and FUTEX_OWNER_DIED when there was no owner; then pi_state is
 * current's. A word that cannot be written: -EFAULT, pi_state still follows the rt_mutex.
 */
function fixupOwner(k: SyscallContext, futexes: FutexTable, uaddr: number, ps: PiState, t: Thread): number {
  let newtid = (t.tid | FUTEX_WAITERS) >>> 0;
  if (!ps.owner) newtid = (newtid | FUTEX_OWNER_DIED) >>> 0;
  if (!readable(k, uaddr) || !writable(k, uaddr)) {
    futexes.setOwner(ps, t);
    return -E.EFAULT;
  }
  const uval = k.mem.readU32(uaddr);
  k.mem.st32(uaddr, ((uval & FUTEX_OWNER_DIED) | newtid) | 0);
  futexes.setOwner(ps, t);
  return 1;
}

/**
 * attach_to_pi_state(): the futex already has a waiter; it must be a PI one whose pi_state
 * agrees with the word (the table of states [1]..[10] in kernel/futex/pi.c).
 */
function attachToPiState(uval: number, ps: PiState | undefined): PiState | number {
  const pid = uval & FUTEX_TID_MASK;
  // "Userspace might have messed up non-PI and PI futexes [3]"
  if (!ps) return -E.EINVAL;
  if (uval & FUTEX_OWNER_DIED) {
    if (!ps.owner) {
      // "No pi state owner, but the user space TID is not 0. Inconsistent state. [5]"
      if (pid) return -E.EINVAL;
      return ps; // [4]
    }
    if (!pid) return ps; // [6]
  } else if (!ps.owner) {
    return -E.EINVAL; // [7]
  }
  // "If pi state exists then the owner TID must be the same as the user space TID. [9/10]"
  if (pid !== ps.owner.tid) return -E.EINVAL;
  return ps;
}

/**
 * attach_to_pi_owner(): the first waiter makes the pi_state, owned by the thread the word
 * names. No such thread: handle_exit_race() re-reads the word, unchanged on one CPU: -ESRCH.
 */
function attachToPiOwner(k: SyscallContext, futexes: FutexTable, uaddr: number, uval: number, key: number): PiState | number {
  const pid = uval & FUTEX_TID_MASK;
  if (!pid) return -E.EAGAIN; // "The !pid check is paranoid."
  const owner = k.state.thread.find(pid);
  if (!owner) {
    // find_get_task_by_vpid() sees every task; a PI futex owned by another process's thread
    // would need the futex tables shared between processes, which they are not.
    for (const p of k.state.procs.list) {
      if (!p.exit && p.state !== k.state && p.state.thread.find(pid)) k.unsupported(`FUTEX_LOCK_PI on a futex owned by tid ${pid} of another process (${p.pid})`);
    }
    return -E.ESRCH;
  }
  const ps: PiState = { key, uaddr, owner: undefined, waiters: [], handoff: undefined, refs: 0 };
  futexes.setOwner(ps, owner); // __attach_to_pi_owner(): list_add(&pi_state->list, &p->pi_state_list)
  return ps;
}

/**
 * task_blocks_on_rt_mutex() / rt_mutex_adjust_prio_chain() deadlock detection: walking from
 * the mutex's owner through the mutex each owner is blocked on, reaching the waiter itself
 * (or the original mutex again) is -EDEADLK; so is a chain longer than max_lock_depth.
 * A mutex handed off to a waiter that has not taken it yet has no owner: the walk stops.
 */
function chainDeadlock(futexes: FutexTable, ps: PiState, t: Thread): boolean {
  const rtOwner = (m: PiState) => (m.handoff ? undefined : m.owner);
  let task = rtOwner(ps);
  if (task === t) return true; // `if (owner == task) return -EDEADLK;`
  for (let depth = 1; task; depth++) {
    if (depth > MAX_LOCK_DEPTH) return true;
    const w = futexes.piWaiting.get(task);
    if (!w || w.granted) return false; // the owner is not blocked
    const lock = w.pi!;
    // `if (lock == orig_lock || rt_mutex_owner(lock) == top_task) { ret = -EDEADLK; ... }`
    if (lock === ps || rtOwner(lock) === t) return true;
    task = rtOwner(lock);
  }
  return false;
}

/** put_pi_state(): the last futex_q gone, the pi_state leaves its owner's list. */
function putPiState(futexes: FutexTable, ps: PiState): void {
  if (--ps.refs > 0) return;
  if (ps.owner) futexes.setOwner(ps, undefined); // pi_state_update_owner(pi_state, NULL); rt_mutex_proxy_unlock()
}

/** Hand the rt_mutex to its top waiter and wake it (mark_wakeup_next_waiter()). */
function grant(ps: PiState, how: 'unlock' | 'owner-died'): void {
  const w = ps.waiters.shift()!;
  w.granted = how;
  ps.handoff = w;
  wake(w.thread, 'notified');
}

/** futex_unlock_pi(). */
export function futexUnlockPi(k: SyscallContext, uaddr: number, keyOf: () => number): number {
  const threads = k.state.thread;
  const t = threads.current;
  const futexes = threads.futexes;
  // `if (get_user(uval, uaddr)) return -EFAULT;` — before the key, so before the alignment check.
  if (!readable(k, uaddr)) return -E.EFAULT;
  const uval = k.mem.readU32(uaddr);
  // "We release only a lock we actually own"
  if ((uval & FUTEX_TID_MASK) !== t.tid) return -E.EPERM;
  const key = keyOf();
  if (key < 0) return key;

  const top = futexes.top(key);
  if (top) {
    const ps = top.pi;
    if (!ps) return -E.EINVAL;
    // "If current does not own the pi_state then the futex is inconsistent"
    if (ps.owner !== t) return -E.EINVAL;
    if (ps.waiters.length) {
      // wake_futex_pi(): "We pass it to the next owner. The WAITERS bit is always kept
      // enabling the futex_unlock_pi slow path"; a faulting write: pi_faulted, EFAULT.
      if (!writable(k, uaddr)) return -E.EFAULT;
      const next = ps.waiters[0];
      k.mem.st32(uaddr, (FUTEX_WAITERS | next.thread.tid) | 0);
      futexes.setOwner(ps, next.thread);
      grant(ps, 'unlock');
      return 0;
    }
    // No rt_mutex waiter: only waiters on their way out; Linux unqueues them and retries.
  }
  // "We have no kernel internal state, i.e. no waiters in the kernel. ... We do neither
  // preserve the WAITERS bit not the OWNER_DIED one."
  if (!writable(k, uaddr)) return -E.EFAULT;
  k.mem.st32(uaddr, 0);
  return 0;
}

/**
 * exit_pi_state_list() (kernel/futex/core.c), after exit_robust_list(): every PI futex the
 * exiting thread still owns loses its owner and its rt_mutex goes to the top waiter, which
 * fixes the word up (its tid | FUTEX_WAITERS | FUTEX_OWNER_DIED) when it runs.
 */
export function exitPiStateList(futexes: FutexTable, t: Thread): void {
  for (let list = futexes.ownedBy(t); list.length; list = futexes.ownedBy(t)) {
    const ps = list[0];
    futexes.setOwner(ps, undefined);
    // rt_mutex_futex_unlock(): `if (!rt_mutex_has_waiters(lock)) { lock->owner = NULL; ... }`
    if (ps.waiters.length) grant(ps, 'owner-died');
  }
}
