// bind(2), net/socket.c __sys_bind: the socket (EBADF, ENOTSOCK), the address copied in
// (move_addr_to_kernel: EINVAL for a length outside 0..128, EFAULT), then unix_bind: exactly
// the family (length 2) autobinds to an abstract name; otherwise unix_validate_addr (EINVAL)
// and a path (an S_IFSOCK inode, mode 0777 & ~umask; EADDRINUSE if the name exists) or an
// abstract name (EADDRINUSE if taken); a socket already bound is EINVAL. AF_INET: inet.ts
// inetBind (af_inet.c inet_bind / __inet_bind).

import type { SyscallContext } from '../context.ts';
import { AF_UNIX } from '../abi.ts';
import { inetBind } from './inet.ts';
import { netlinkBind } from './netlink.ts';
import { addrFromUser, autobind, bindUnix, parseUnixAddr, sockOf, SUN_PATH } from './common.ts';

export function bind(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const raw = addrFromUser(k, k.addr(1), k.i32(2));
  const s = file.sock;
  if (s.inet) {
    inetBind(k, s, raw);
    return 0;
  }
  if (s.netlink) {
    netlinkBind(s, raw, k.state.pid);
    return 0;
  }
  if (raw.length === SUN_PATH && new DataView(raw.buffer, raw.byteOffset).getUint16(0, true) === AF_UNIX) {
    if (s.addr) return 0;
    autobind(k, s);
    return 0;
  }
  bindUnix(k, s, parseUnixAddr(raw));
  return 0;
}
