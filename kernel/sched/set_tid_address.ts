// set_tid_address(2): remember clear_child_tid, return the caller's tid.

import type { SyscallContext } from '../context.ts';

export function set_tid_address(k: SyscallContext): number {
  k.state.thread.clearChildTid = k.u(0);
  return k.state.thread.tid;
}
