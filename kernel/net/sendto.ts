// sendto(2), net/socket.c __sys_sendto: the buffer range (import_single_range: access_ok,
// EFAULT; the length clamped to MAX_RW_COUNT), the socket (EBADF, ENOTSOCK), the address if
// given (move_addr_to_kernel: EINVAL, EFAULT), O_NONBLOCK as MSG_DONTWAIT, then the protocol
// (io.ts). The bytes are read from the guest before the protocol's own checks (qemu-riscv64
// reads them first too; Linux copies after, so an unreadable buffer on, say, an unconnected
// socket is ENOTCONN there and EFAULT here).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_RW_COUNT, accessOk } from '../user-memory.ts';
import { addrFromUser, sockOf } from './common.ts';
import { sendData } from './io.ts';

export function sendto(k: SyscallContext): number {
  const buf = k.addr(1);
  const len = Math.min(k.size(2), MAX_RW_COUNT);
  const flags = k.u32(3);
  if (!accessOk(buf, len)) return -E.EFAULT;
  const file = sockOf(k, k.i32(0));
  const uaddr = k.addr(4);
  const name = uaddr ? addrFromUser(k, uaddr, k.i32(5)) : undefined;
  const data = len ? k.mem.read(buf, len).slice() : new Uint8Array(0);
  return sendData(k, file, data, flags, name);
}
