// getsockname(2) and getpeername(2), net/socket.c __sys_getsockname / __sys_getpeername and
// af_unix.c unix_getname / af_inet.c inet_getname: the socket (EBADF, ENOTSOCK); for the
// peer, ENOTCONN without one (AF_INET: unless connected); the address (AF_UNIX: the family
// alone, length 2, when unbound; AF_INET: a sockaddr_in, 0.0.0.0:0 when unbound; AF_INET6: a sockaddr_in6, IPv4
// addresses mapped, [::]:0 when unbound) goes out
// through move_addr_to_user.

import type { SyscallContext } from '../context.ts';
import { addrToUser, nameOf, peerNameOf, sockOf } from './common.ts';

export function getsockname(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  addrToUser(k, nameOf(file.sock), k.addr(1), k.addr(2));
  return 0;
}

export function getpeername(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  addrToUser(k, peerNameOf(file.sock), k.addr(1), k.addr(2));
  return 0;
}
