// exit_robust_list() (kernel/futex/core.c): when a thread exits, every robust mutex it
// still holds gets FUTEX_OWNER_DIED, and a waiter is woken, so the next locker sees
// EOWNERDEAD instead of hanging. The list lives in user memory:
//   struct robust_list_head { struct robust_list *next; long futex_offset; struct robust_list *list_op_pending; }
// Each entry pointer's bit 0 marks a PI futex. Any fault ends the walk silently.
// A PI futex only gets FUTEX_OWNER_DIED here; its waiter is woken by exit_pi_state_list(),
// which futex_cleanup() runs next (futex-pi.ts): the rt_mutex goes to the top waiter.

import { MemoryFault } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { futexTable, sharedFutexKey } from './futex-key.ts';
import { exitPiStateList } from './futex-pi.ts';
import { userAddr } from '../context.ts';
import type { Thread } from './thread.ts';
import { FUTEX_OWNER_DIED, FUTEX_TID_MASK, FUTEX_WAITERS } from '../abi.ts';

const ROBUST_LIST_LIMIT = 2048;

/** futex_cleanup(): exit_robust_list(), then exit_pi_state_list(). */
export function exitRobustList(k: SyscallContext, t: Thread): void {
  if (t.robustListHead) {
    const head = userAddr(t.robustListHead); // above 2^53: outside user space, the first read faults
    try {
      walk(k, t, head);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e;
    }
  }
  exitPiStateList(k.state.thread.futexes, t);
}

function walk(k: SyscallContext, t: Thread, head: number): void {
  const mem = k.mem;
  let entry = mem.readU64(head);
  const futexOffset = Number(BigInt.asIntN(64, mem.readBig64(head + 8)));
  const pendingRaw = mem.readU64(head + 16);
  const pending = pendingRaw - (pendingRaw % 2);
  let pi = entry % 2 === 1;
  entry -= entry % 2;
  for (let limit = ROBUST_LIST_LIMIT; entry !== head && limit > 0; limit--) {
    const nextRaw = mem.readU64(entry);
    if (entry !== pending && !futexDeath(k, t, entry + futexOffset, pi, false)) return;
    pi = nextRaw % 2 === 1;
    entry = nextRaw - (nextRaw % 2);
  }
  if (pending) futexDeath(k, t, pending + futexOffset, pendingRaw % 2 === 1, true);
}

/** handle_futex_death(); false ends the walk. */
function futexDeath(k: SyscallContext, t: Thread, uaddr: number, pi: boolean, pendingOp: boolean): boolean {
  if (uaddr % 4 !== 0) return false;
  const uval = k.mem.readU32(uaddr);
  const owner = uval & FUTEX_TID_MASK;
  // futex_wake(uaddr, FLAGS_SHARED, ...): a process-shared robust mutex is keyed by its object.
  const wakeOne = () => {
    const key = sharedFutexKey(k, uaddr);
    futexTable(k, key).wake(key, 1);
  };
  if (pendingOp && !pi && !owner) {
    wakeOne();
    return true;
  }
  if (owner !== t.tid) return true;
  k.mem.st32(uaddr, ((uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED) | 0);
  if (!pi && uval & FUTEX_WAITERS) wakeOne();
  return true;
}
