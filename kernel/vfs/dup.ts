// dup(2) and dup3(2) (riscv64 has no dup2; glibc builds it from dup3 and fcntl).
//   dup: EBADF, else the lowest free fd (EMFILE past RLIMIT_NOFILE).
//   dup3: flags other than O_CLOEXEC → EINVAL; oldfd == newfd → EINVAL; newfd at or past
//   RLIMIT_NOFILE → EBADF; oldfd not open → EBADF; newfd taken by a call still waiting to
//   fill it (a blocking accept) → EBUSY; whatever newfd held is closed.
// O_PATH descriptors can be duplicated.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { O_CLOEXEC } from './constants.ts';
import { nofileLimit, rawFileOf } from './fd-util.ts';

export function dup(k: SyscallContext): number {
  const file = rawFileOf(k, k.i32(0));
  return k.state.fds.allocate(file, nofileLimit(k));
}

export function dup3(k: SyscallContext): number {
  const oldfd = k.u32(0);
  const newfd = k.u32(1);
  const flags = k.i32(2);
  if (flags & ~O_CLOEXEC) return -E.EINVAL;
  if (oldfd === newfd) return -E.EINVAL;
  if (newfd >= nofileLimit(k)) return -E.EBADF;
  const file = k.state.fds.getRaw(oldfd);
  if (!file) return -E.EBADF;
  // do_dup2: a number another call has taken but not filled yet (`!tofree && fd_is_open`): EBUSY.
  if (k.state.fds.isReserved(newfd)) return -E.EBUSY;
  k.state.fds.install(newfd, file, (flags & O_CLOEXEC) !== 0);
  return newfd;
}
