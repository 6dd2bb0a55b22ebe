// set_robust_list(2): EINVAL unless len is sizeof(struct robust_list_head) (24); the head is
// remembered for the calling thread and walked when it exits (robust-list.ts).
// (qemu-riscv64 7.2 answers ENOSYS here; Linux answers 0, which is what zerosys follows:
// qemu deviation set_robust_list-enosys in harness/conformance/deviations.ts.)
//
// Linux 6.1 kernel/futex/syscalls.c: SYSCALL_DEFINE2(set_robust_list, struct robust_list_head
// __user *, head, size_t, len): `if (unlikely(len != sizeof(*head))) return -EINVAL;`, then
// `current->robust_list = head;` — the pointer is not checked, and kept with all 64 bits
// (get_robust_list reports it back).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ROBUST_LIST_HEAD } from '../abi-structs.ts';


export function set_robust_list(k: SyscallContext): number {
  if (k.size(1) !== ROBUST_LIST_HEAD.SIZE) return -E.EINVAL;
  k.state.thread.robustListHead = k.big(0);
  k.state.thread.robustListLen = ROBUST_LIST_HEAD.SIZE;
  return 0;
}
