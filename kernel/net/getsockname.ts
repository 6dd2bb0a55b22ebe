// getsockname(2) and getpeername(2), net/socket.c __sys_getsockname / __sys_getpeername and
// af_unix.c unix_getname: the socket (EBADF, ENOTSOCK); for the peer, ENOTCONN without one;
// the address (the family alone, length 2, when unbound) goes out through move_addr_to_user.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { addrToUser, nameOf, sockOf } from './common.ts';

export function getsockname(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  addrToUser(k, nameOf(file.sock), k.addr(1), k.addr(2));
  return 0;
}

export function getpeername(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const peer = file.sock.peer;
  if (!peer) return -E.ENOTCONN;
  addrToUser(k, nameOf(peer), k.addr(1), k.addr(2));
  return 0;
}
