// get_robust_list(2): the robust list head registered by thread `pid` (0: the caller) and
// its size, 24. ESRCH for an unknown thread; the size is written first (EFAULT), then the head.
// Linux 6.1 kernel/futex/syscalls.c: (int pid, struct robust_list_head __user * __user *head_ptr,
// size_t __user *len_ptr); put_user(sizeof(*head), len_ptr), then put_user(head, head_ptr).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { ROBUST_LIST_HEAD } from '../abi-structs.ts';


export function get_robust_list(k: SyscallContext): number {
  const pid = k.i32(0);
  const t = pid === 0 ? k.state.thread.current : k.state.thread.find(pid);
  if (!t) return -E.ESRCH;
  copyOut(k.mem, k.addr(2), new StructBuilder(8).u64(0, ROBUST_LIST_HEAD.SIZE));
  copyOut(k.mem, k.addr(1), new StructBuilder(8).u64(0, t.robustListHead));
  return 0;
}
