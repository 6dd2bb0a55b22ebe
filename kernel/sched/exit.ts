// exit(2): only the calling thread ends (exit_group ends them all). As Linux's do_exit:
// the thread stops being a target for process-directed signals (handing its share of them
// to a thread that can take them), its robust futex list is walked, and clear_child_tid
// (set_tid_address / CLONE_CHILD_CLEARTID) is zeroed and futex-woken — that is what wakes
// pthread_join. When the last thread exits, the process exits with the status the leader
// (the main thread) exited with, whenever that was.

import { endProcess, exitedWith } from '../process/exit-process.ts';
import type { SyscallContext } from '../context.ts';
import { MemoryFault } from '../../emulator/memory.ts';
import { retargetSharedPending } from '../signal/send.ts';
import { futexTable, sharedFutexKey } from './futex-key.ts';
import { exitRobustList } from './robust-list.ts';
import { userAddr } from '../context.ts';

export function exit(k: SyscallContext): number {
  const threads = k.state.thread;
  const t = threads.current;
  t.exitCode = k.i32(0) & 0xff;
  t.state = 'exited';
  t.pending.clear();
  if (threads.live().length === 0) endProcess(k.state, exitedWith(threads.leader.exitCode));

  retargetSharedPending(k.state, t);
  exitRobustList(k, t);
  if (t.clearChildTid) {
    const tidptr = userAddr(t.clearChildTid);
    try {
      k.mem.st32(tidptr, 0);
      // The kernel wakes with a shared futex op (no FUTEX_PRIVATE_FLAG); glibc waits to match.
      const key = sharedFutexKey(k, tidptr);
      futexTable(k, key).wake(key, 1);
    } catch (e) {
      if (!(e instanceof MemoryFault)) throw e; // a bad pointer is the thread's own problem
    }
    t.clearChildTid = 0n;
  }
  return 0;
}
