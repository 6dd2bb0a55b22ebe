// recvfrom(2), net/socket.c __sys_recvfrom: the buffer range (access_ok: EFAULT), the socket
// (EBADF, ENOTSOCK), O_NONBLOCK as MSG_DONTWAIT, the protocol (io.ts), then the sender's
// address if asked for (move_addr_to_user: the length read, clamped, stored back in full;
// an unbound sender has length 0). Bytes go to the buffer up to its first unwritable page.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk, writablePrefix } from '../user-memory.ts';
import { addrToUser, sockOf } from './common.ts';
import { recvData } from './io.ts';

export function recvfrom(k: SyscallContext): number {
  const buf = k.addr(1);
  const len = Math.min(k.size(2), MAX_RW_COUNT);
  const flags = k.u32(3);
  if (!accessOk(buf, len)) return -E.EFAULT;
  const file = sockOf(k, k.i32(0));
  const room = len === 0 ? 0 : writablePrefix(k.mem, buf, len);
  if (len > 0 && room === 0) return -E.EFAULT;
  const r = recvData(file, room, flags);
  if (r.data.length) k.mem.write(buf, r.data);
  const uaddr = k.addr(4);
  if (uaddr) addrToUser(k, r.addr ?? new Uint8Array(0), uaddr, k.addr(5));
  return r.ret;
}
