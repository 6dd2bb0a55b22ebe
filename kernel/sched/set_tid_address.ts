// set_tid_address(2): remember clear_child_tid, return the caller's tid. Linux 6.1
// kernel/fork.c: SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr) stores the pointer
// unchecked, all 64 bits (PR_GET_TID_ADDRESS reports it back).

import type { SyscallContext } from '../context.ts';

export function set_tid_address(k: SyscallContext): number {
  k.state.thread.clearChildTid = k.big(0);
  return k.state.thread.tid;
}
