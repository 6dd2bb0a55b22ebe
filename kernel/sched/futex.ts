// futex(2) for a process with one thread, checks in the order of Linux 6.1 kernel/futex/.
//
// There is never a waiter, so wakes and requeues find nobody (0). A wait whose word no
// longer holds `val` fails with EAGAIN; one that would sleep forever can never be woken —
// the guest is deadlocked, and zerosys stops it. A wait with a timeout sleeps on the
// virtual clock (it advances to the deadline) and returns ETIMEDOUT.
// Partial: FUTEX_WAKE_OP and the priority-inheritance operations stop the guest.

import { ZerosysStop } from '../api.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { accessOk, copyIn, readablePrefix } from '../user-memory.ts';

// <linux/futex.h>
const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_LOCK_PI = 6;
const FUTEX_UNLOCK_PI = 7;
const FUTEX_TRYLOCK_PI = 8;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_WAIT_REQUEUE_PI = 11;
const FUTEX_CMP_REQUEUE_PI = 12;
const FUTEX_LOCK_PI2 = 13;
const FUTEX_PRIVATE_FLAG = 128;
const FUTEX_CLOCK_REALTIME = 256;
const FUTEX_BITSET_MATCH_ANY = 0xffffffff;

const UNSUPPORTED_OPS: Record<number, string> = {
  [FUTEX_WAKE_OP]: 'FUTEX_WAKE_OP',
  [FUTEX_LOCK_PI]: 'FUTEX_LOCK_PI',
  [FUTEX_UNLOCK_PI]: 'FUTEX_UNLOCK_PI',
  [FUTEX_TRYLOCK_PI]: 'FUTEX_TRYLOCK_PI',
  [FUTEX_WAIT_REQUEUE_PI]: 'FUTEX_WAIT_REQUEUE_PI',
  [FUTEX_CMP_REQUEUE_PI]: 'FUTEX_CMP_REQUEUE_PI',
  [FUTEX_LOCK_PI2]: 'FUTEX_LOCK_PI2',
};

const HAS_TIMEOUT = new Set([FUTEX_WAIT, FUTEX_LOCK_PI, FUTEX_LOCK_PI2, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI]);

export function futex(k: SyscallContext): number {
  const uaddr = k.u(0);
  const op = k.i32(1);
  const val = k.u32(2);
  const utime = k.u(3);
  const uaddr2 = k.u(4);
  const val3 = k.u32(5);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const shared = !(op & FUTEX_PRIVATE_FLAG);

  // sys_futex: the timeout is read and validated before anything else.
  let timeoutNs: bigint | undefined;
  if (utime && HAS_TIMEOUT.has(cmd)) {
    const ts = copyIn(k.mem, utime, 16);
    const sec = ts.getBigInt64(0, true);
    const nsec = ts.getBigInt64(8, true);
    if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) return -E.EINVAL;
    timeoutNs = sec * NS_PER_SEC + nsec;
  }

  // do_futex
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT_REQUEUE_PI && cmd !== FUTEX_LOCK_PI2)
    return -E.ENOSYS;
  switch (cmd) {
    case FUTEX_WAIT:
      return wait(k, uaddr, val, FUTEX_BITSET_MATCH_ANY, shared, timeoutNs, 'relative');
    case FUTEX_WAIT_BITSET:
      return wait(k, uaddr, val, val3, shared, timeoutNs, op & FUTEX_CLOCK_REALTIME ? 'realtime' : 'monotonic');
    case FUTEX_WAKE:
      return wake(k, uaddr, FUTEX_BITSET_MATCH_ANY, shared);
    case FUTEX_WAKE_BITSET:
      return wake(k, uaddr, val3, shared);
    case FUTEX_REQUEUE:
      return requeue(k, uaddr, uaddr2, val, k.i32(3), shared, undefined);
    case FUTEX_CMP_REQUEUE:
      return requeue(k, uaddr, uaddr2, val, k.i32(3), shared, val3);
  }
  if (UNSUPPORTED_OPS[cmd]) k.unsupported(`op ${UNSUPPORTED_OPS[cmd]} (${cmd})`);
  return -E.ENOSYS; // FUTEX_FD (removed in 2.6.26) and unknown commands
}

/** get_futex_key(): 0 or -errno. Shared futexes need the page to be present (EFAULT). */
function futexKey(k: SyscallContext, addr: number, shared: boolean): number {
  if (addr % 4 !== 0) return -E.EINVAL;
  if (!accessOk(addr, 4)) return -E.EFAULT;
  if (shared && readablePrefix(k.mem, addr, 4) < 4) return -E.EFAULT;
  return 0;
}

function wait(
  k: SyscallContext,
  uaddr: number,
  val: number,
  bitset: number,
  shared: boolean,
  timeoutNs: bigint | undefined,
  clock: 'relative' | 'monotonic' | 'realtime',
): number {
  if (bitset === 0) return -E.EINVAL;
  const key = futexKey(k, uaddr, shared);
  if (key) return key;
  if (k.mem.readU32(uaddr) !== val) return -E.EAGAIN;
  if (timeoutNs === undefined) {
    throw new ZerosysStop(
      `deadlock: futex wait on 0x${uaddr.toString(16)} can never be woken (no other thread) in ${k.name} (${k.nr}) at pc 0x${k.pc.toString(16)}`,
    );
  }
  const c = k.state.clock;
  const now = clock === 'realtime' ? c.realtimeNs() : c.monotonicNs();
  const deadline = clock === 'relative' ? now + timeoutNs : timeoutNs;
  c.idle(deadline - now);
  return -E.ETIMEDOUT;
}

function wake(k: SyscallContext, uaddr: number, bitset: number, shared: boolean): number {
  if (bitset === 0) return -E.EINVAL;
  return futexKey(k, uaddr, shared) || 0;
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
  const key = futexKey(k, uaddr, shared) || futexKey(k, uaddr2, shared);
  if (key) return key;
  if (cmpval !== undefined && k.mem.readU32(uaddr) !== cmpval) return -E.EAGAIN;
  return 0;
}
