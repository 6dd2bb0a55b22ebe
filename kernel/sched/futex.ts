// futex(2), checks and results in the order of Linux 6.1 kernel/futex/ (syscalls.c, waitwake.c,
// requeue.c). Waiters sleep on the scheduler (wait.ts): a wait is re-executed once the
// thread is woken, and then returns 0 (woken by FUTEX_WAKE*), -ETIMEDOUT, or a restart code
// when a signal interrupted it (-ERESTARTSYS; -ERESTART_RESTARTBLOCK with a timeout).
// Timeouts are on the virtual clock. The priority-inheritance lock operations are in
// futex-pi.ts; FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI stop.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ERESTARTSYS, ERESTART_RESTARTBLOCK } from '../signal/restart.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { accessOk, copyIn, readablePrefix, writablePrefix } from '../user-memory.ts';
import { futexKey, isObjectKey, type FutexWaiter } from './futex-table.ts';
import { futexTable, sharedFutexKey } from './futex-key.ts';
import { futexLockPi, futexUnlockPi } from './futex-pi.ts';
import { sleep } from './wait.ts';
import { FUTEX_BITSET_MATCH_ANY, FUTEX_CLOCK_REALTIME, FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE_PI, FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_OP_OPARG_SHIFT, FUTEX_PRIVATE_FLAG, FUTEX_REQUEUE, FUTEX_TRYLOCK_PI, FUTEX_UNLOCK_PI, FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_WAKE_OP } from '../abi.ts';
export { FUTEX_BITSET_MATCH_ANY } from '../abi.ts';

// Requeue-PI (condition variables handing waiters to a PI mutex) is not implemented: neither
// glibc (since 2.25's condvar) nor musl issues it.
const UNSUPPORTED_OPS: Record<number, string> = {
  [FUTEX_WAIT_REQUEUE_PI]: 'FUTEX_WAIT_REQUEUE_PI',
  [FUTEX_CMP_REQUEUE_PI]: 'FUTEX_CMP_REQUEUE_PI',
};

const HAS_TIMEOUT = new Set([FUTEX_WAIT, FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI]);

export function futex(k: SyscallContext): number {
  // Exact addresses: get_futex_key() checks the alignment of the full 64-bit value (EINVAL)
  // before access_ok (EFAULT), so 2^64 - 1 must not round to an aligned 2^64.
  const uaddr = k.addr(0);
  const op = k.i32(1);
  const val = k.u32(2);
  const utime = k.addr(3);
  const uaddr2 = k.addr(4);
  const val3 = k.u32(5);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const shared = !(op & FUTEX_PRIVATE_FLAG);

  // sys_futex: the timeout is read, validated and made absolute (CLOCK_MONOTONIC) first.
  // futex_init_timeout(): FUTEX_WAIT's is relative; the others' absolute, on CLOCK_REALTIME
  // for FUTEX_LOCK_PI always (do_futex(): `case FUTEX_LOCK_PI: flags |= FLAGS_CLOCKRT;`) and
  // for the rest with FUTEX_CLOCK_REALTIME, else CLOCK_MONOTONIC.
  let deadline: bigint | undefined;
  if (utime && HAS_TIMEOUT.has(cmd)) {
    const ts = copyIn(k.mem, utime, 16);
    const sec = ts.getBigInt64(0, true);
    const nsec = ts.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) return -E.EINVAL;
    const t = sec * NS_PER_SEC + nsec;
    const c = k.state.clock;
    if (cmd === FUTEX_WAIT) deadline = c.monotonicNs() + t;
    else if (cmd === FUTEX_LOCK_PI || op & FUTEX_CLOCK_REALTIME) deadline = t - (c.realtimeNs() - c.monotonicNs());
    else deadline = t;
  }

  // do_futex
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT_REQUEUE_PI && cmd !== FUTEX_LOCK_PI2)
    return -E.ENOSYS;
  switch (cmd) {
    case FUTEX_WAIT:
      return futexWait(k, uaddr, val, FUTEX_BITSET_MATCH_ANY, shared, deadline);
    case FUTEX_WAIT_BITSET:
      return futexWait(k, uaddr, val, val3, shared, deadline);
    case FUTEX_WAKE:
      return wake(k, uaddr, val, FUTEX_BITSET_MATCH_ANY, shared);
    case FUTEX_WAKE_BITSET:
      return wake(k, uaddr, val, val3, shared);
    case FUTEX_REQUEUE:
      return requeue(k, uaddr, uaddr2, val, k.i32(3), shared, undefined);
    case FUTEX_CMP_REQUEUE:
      return requeue(k, uaddr, uaddr2, val, k.i32(3), shared, val3);
    case FUTEX_WAKE_OP:
      return wakeOp(k, uaddr, uaddr2, val, k.i32(3), val3, shared);
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_TRYLOCK_PI: {
      // futex_lock_pi(): get_futex_key(FUTEX_WRITE) first (EINVAL, EFAULT).
      const key = keyOf(k, uaddr, shared, true);
      if (key < 0) return key;
      if (isObjectKey(key)) k.unsupported('a PI futex in MAP_SHARED memory');
      return futexLockPi(k, uaddr, key, cmd === FUTEX_TRYLOCK_PI ? undefined : deadline, cmd === FUTEX_TRYLOCK_PI);
    }
    case FUTEX_UNLOCK_PI:
      return futexUnlockPi(k, uaddr, () => {
        const key = keyOf(k, uaddr, shared, true);
        if (key >= 0 && isObjectKey(key)) k.unsupported('a PI futex in MAP_SHARED memory');
        return key;
      });
  }
  if (UNSUPPORTED_OPS[cmd]) k.unsupported(`op ${UNSUPPORTED_OPS[cmd]} (${cmd})`);
  return -E.ENOSYS; // FUTEX_FD (removed in 2.6.26) and unknown commands
}

/**
 * get_futex_key(): the key, or -errno. Shared futexes need the page to be present (EFAULT),
 * writable for FUTEX_WRITE users (the PI operations: get_user_pages_fast(FOLL_WRITE), with no
 * read-only retry).
 */
function keyOf(k: SyscallContext, addr: number, shared: boolean, write = false): number {
  if (addr % 4 !== 0) return -E.EINVAL;
  if (!accessOk(addr, 4)) return -E.EFAULT;
  if (shared && (write ? writablePrefix : readablePrefix)(k.mem, addr, 4) < 4) return -E.EFAULT;
  return shared ? sharedFutexKey(k, addr) : futexKey(addr, false);
}

/**
 * futex_wait(): sleep while *uaddr == val until a FUTEX_WAKE whose bitset matches, the
 * absolute monotonic deadline, or a signal. Also the restart_syscall(2) continuation.
 */
export function futexWait(k: SyscallContext, uaddr: number, val: number, bitset: number, shared: boolean, deadline: bigint | undefined): number {
  const t = k.state.thread.current;
  if (t.wake === 'notified') return 0;
  if (t.wake === 'timeout') return -E.ETIMEDOUT;
  if (t.wake === 'signal') return interrupted(k, uaddr, val, bitset, shared, t.deadline);

  if (bitset === 0) return -E.EINVAL;
  const key = keyOf(k, uaddr, shared);
  if (key < 0) return key;
  if (k.mem.readU32(uaddr) !== val) return -E.EAGAIN;
  if (deadline !== undefined && deadline <= k.state.clock.monotonicNs()) return -E.ETIMEDOUT;
  if (t.sigpending) return interrupted(k, uaddr, val, bitset, shared, deadline);

  const futexes = futexTable(k, key);
  const waiter: FutexWaiter = { thread: t, key, bitset };
  futexes.enqueue(waiter);
  sleep(k.state.thread, { what: `futex wait on 0x${uaddr.toString(16)}`, deadline, cancel: () => futexes.remove(waiter) });
}

/** A signal ended the wait: restart transparently (no timeout) or through restart_syscall. */
function interrupted(k: SyscallContext, uaddr: number, val: number, bitset: number, shared: boolean, deadline: bigint | undefined): number {
  if (deadline === undefined) return -ERESTARTSYS;
  k.state.thread.current.restart = (rk) => futexWait(rk, uaddr, val, bitset, shared, deadline);
  return -ERESTART_RESTARTBLOCK;
}

function wake(k: SyscallContext, uaddr: number, n: number, bitset: number, shared: boolean): number {
  if (bitset === 0) return -E.EINVAL;
  const key = keyOf(k, uaddr, shared);
  if (key < 0) return key;
  // nr_wake is an int: a negative count (e.g. INT_MAX + 1) wakes nobody.
  return futexTable(k, key).wake(key, n | 0, bitset);
}

function requeue(
  k: SyscallContext,
  uaddr: number,
  uaddr2: number,
  nrWake: number,
  nrRequeue: number,
  shared: boolean,
  cmpval: number | undefined,
): number {
  // nr_wake and nr_requeue are C ints (nr_requeue travels in the timeout argument).
  if ((nrWake | 0) < 0 || nrRequeue < 0) return -E.EINVAL;
  const key1 = keyOf(k, uaddr, shared);
  if (key1 < 0) return key1;
  const key2 = keyOf(k, uaddr2, shared);
  if (key2 < 0) return key2;
  if (cmpval !== undefined && k.mem.readU32(uaddr) !== cmpval) return -E.EAGAIN;
  const table = futexTable(k, key1);
  if (table !== futexTable(k, key2)) k.unsupported('a requeue between a futex in MAP_SHARED memory and one in private memory');
  const r = table.requeue(key1, key2, nrWake | 0, nrRequeue);
  return typeof r === 'number' ? r : r.woken + r.moved;
}

// FUTEX_WAKE_OP: val3 encodes op (bits 28-31, bit 31 = oparg is a shift), cmp (24-27),
// oparg (12-23) and cmparg (0-11), both sign-extended 12-bit values.

function wakeOp(k: SyscallContext, uaddr: number, uaddr2: number, nrWake: number, nrWake2: number, encoded: number, shared: boolean): number {
  const key1 = keyOf(k, uaddr, shared);
  if (key1 < 0) return key1;
  const key2 = keyOf(k, uaddr2, shared);
  if (key2 < 0) return key2;

  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (((encoded >>> 12) & 0xfff) << 20) >> 20;
  const cmparg = ((encoded & 0xfff) << 20) >> 20;
  if ((encoded >>> 28) & FUTEX_OP_OPARG_SHIFT) oparg = 1 << (oparg & 31);
  if (op > 4) return -E.ENOSYS;
  if (writablePrefix(k.mem, uaddr2, 4) < 4) return -E.EFAULT;
  const old = k.mem.readU32(uaddr2) | 0;
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][op];
  k.mem.st32(uaddr2, next | 0);
  const compare = [old === cmparg, old !== cmparg, old < cmparg, old >= cmparg, old <= cmparg, old > cmparg][cmp];
  if (compare === undefined) return -E.ENOSYS;

  let woken = futexTable(k, key1).wake(key1, nrWake | 0);
  if (woken < 0) return woken; // a PI waiter: EINVAL (futex_wake_op())
  if (compare) {
    const woken2 = futexTable(k, key2).wake(key2, nrWake2 | 0);
    if (woken2 < 0) return woken2;
    woken += woken2;
  }
  return woken;
}
