// fstatfs(2) (fs/statfs.c, Linux 6.1): fd_statfs() takes the file with fdget_raw() — so an
// O_PATH descriptor works, a closed one is EBADF — then vfs_statfs() of its f_path and
// do_statfs_native() copies struct statfs out (EFAULT). What each filesystem answers:
// statfs.ts (pipes: pipefs, sockets: sockfs, eventfd/epoll/timerfd: anon_inodefs, memfds:
// the internal shm mount, standard streams by what they are connected to).

import type { SyscallContext } from '../context.ts';
import { copyOut } from '../user-memory.ts';
import { rawFileOf } from './fd-util.ts';
import { encodeStatfs, statfsOfFile } from './statfs.ts';

// SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
export function fstatfs(k: SyscallContext): number {
  const file = rawFileOf(k, k.u32(0));
  copyOut(k.mem, k.addr(1), encodeStatfs(statfsOfFile(k, file)));
  return 0;
}
