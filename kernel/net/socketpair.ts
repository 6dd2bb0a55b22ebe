// socketpair(2), net/socket.c __sys_socketpair: flags (EINVAL), two descriptors (EMFILE),
// both written to the int[2] (EFAULT) — all before the sockets are made — then
// __sock_create's checks (socket.ts); a family other than AF_UNIX has no socketpair
// (sock_no_socketpair: EOPNOTSUPP). unix_socketpair connects the two and sets each one's
// peer credentials to the caller's (init_peercred).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut, StructBuilder } from '../user-memory.ts';
import { AF_INET, AF_INET6, AF_NETLINK, SOCK_CLOEXEC, SOCK_NONBLOCK } from '../abi.ts';
import { callerCred, newSocket, SOCK_TYPE_MASK } from './common.ts';
import { unixType } from './socket.ts';
import { nofileLimit } from '../vfs/fd-util.ts';

export function socketpair(k: SyscallContext): number {
  const family = k.i32(0);
  const arg = k.i32(1);
  const protocol = k.i32(2);
  const usockvec = k.addr(3);
  const flags = arg & ~SOCK_TYPE_MASK;
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return -E.EINVAL;
  // get_unused_fd_flags twice: EMFILE before anything is written.
  const fds = k.state.fds;
  const limit = nofileLimit(k);
  const free: number[] = [];
  for (let fd = 0; free.length < 2 && fd < limit; fd++) if (fds.getRaw(fd) === undefined) free.push(fd);
  if (free.length < 2) return -E.EMFILE;
  copyOut(k.mem, usockvec, new StructBuilder(8).u32(0, free[0]).u32(4, free[1]));
  // The internet and netlink families create fine (inet_create's, netlink_create's checks
  // first) and then refuse the pair (sock_no_socketpair).
  if (family === AF_INET || family === AF_INET6 || family === AF_NETLINK) {
    const type = unixType(k, family, arg & SOCK_TYPE_MASK, protocol);
    return type < 0 ? type : -E.EOPNOTSUPP;
  }
  const type = unixType(k, family, arg & SOCK_TYPE_MASK, protocol);
  if (type < 0) return type;
  const a = newSocket(k, type, flags);
  const b = newSocket(k, type, flags);
  const sa = a.file.sock;
  const sb = b.file.sock;
  sa.peer = sb;
  sb.peer = sa;
  sa.state = sb.state = 'established';
  sa.peercred = sb.peercred = callerCred(k);
  return 0;
}
