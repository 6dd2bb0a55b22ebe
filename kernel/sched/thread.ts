// Per-thread bookkeeping. One thread for now; the scheduler module will hold one per thread.

import { PID } from '../process/identity.ts';

export class ThreadState {
  readonly tid = PID;
  /** set_tid_address: cleared and futex-woken when the thread exits (matters once threads exist). */
  clearChildTid = 0;
  /** set_robust_list: walked when the thread dies (matters once threads exist). */
  robustListHead = 0;
  robustListLen = 0;
}
