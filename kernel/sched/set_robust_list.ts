// set_robust_list(2): EINVAL unless len is sizeof(struct robust_list_head) (24); the head is
// remembered for the calling thread and walked when it exits (robust-list.ts).
// (qemu-riscv64 7.2 answers ENOSYS here; Linux answers 0, which is what zerosys follows:
// qemu deviation set_robust_list-enosys in harness/conformance/deviations.ts.)

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

const ROBUST_LIST_HEAD_SIZE = 24; // { struct robust_list list; long futex_offset; struct robust_list *list_op_pending; }

export function set_robust_list(k: SyscallContext): number {
  if (k.u(1) !== ROBUST_LIST_HEAD_SIZE) return -E.EINVAL;
  k.state.thread.robustListHead = k.u(0);
  k.state.thread.robustListLen = ROBUST_LIST_HEAD_SIZE;
  return 0;
}
