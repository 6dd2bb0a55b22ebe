// signalfd4(2), as Linux 6.1 fs/signalfd.c SYSCALL_DEFINE4(signalfd4): sizemask other than
// sizeof(sigset_t) (8) is EINVAL, then the mask is copied in (EFAULT); do_signalfd4() then
// rejects flags other than SFD_CLOEXEC | SFD_NONBLOCK (EINVAL) and drops SIGKILL and SIGSTOP
// from the mask. ufd -1 creates one: anon_inode_getfd("[signalfd]", ..., O_RDWR | (flags &
// (O_CLOEXEC | O_NONBLOCK))), the lowest free fd (EMFILE). Any other ufd updates the mask of
// that signalfd (the flags are checked but not applied): fdget() (EBADF, O_PATH too), then
// `f.file->f_op != &signalfd_fops` is EINVAL; readers and pollers are woken to look again.
// riscv64 has no plain signalfd(2) (asm-generic/unistd.h defines only __NR_signalfd4).
// The file: signalfd.ts.

import { SFD_CLOEXEC, SFD_NONBLOCK } from '../abi.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn } from '../user-memory.ts';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../vfs/constants.ts';
import { nofileLimit } from '../vfs/fd-util.ts';
import { SIGSET_SIZE } from './signal-state.ts';
import { SignalFd } from './signalfd.ts';

// SYSCALL_DEFINE4(signalfd4, int, ufd, sigset_t __user *, user_mask, size_t, sizemask, int, flags)
export function signalfd4(k: SyscallContext): number {
  const ufd = k.i32(0);
  const flags = k.i32(3);
  if (k.size(2) !== SIGSET_SIZE) return -E.EINVAL;
  const mask = copyIn(k.mem, k.addr(1), SIGSET_SIZE).getBigUint64(0, true);
  // BUILD_BUG_ON(SFD_CLOEXEC != O_CLOEXEC); BUILD_BUG_ON(SFD_NONBLOCK != O_NONBLOCK);
  if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) return -E.EINVAL;
  if (ufd === -1) {
    const file = new SignalFd(k.state, mask, O_RDWR | (flags & O_NONBLOCK));
    return k.state.fds.allocate(file, nofileLimit(k), (flags & O_CLOEXEC) !== 0);
  }
  const file = k.state.fds.get(ufd);
  if (!file) return -E.EBADF;
  if (!(file instanceof SignalFd)) return -E.EINVAL;
  file.mask = mask;
  return ufd;
}
