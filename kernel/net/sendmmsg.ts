// sendmmsg(2), net/socket.c __sys_sendmmsg (Linux 6.1): MSG_CMSG_COMPAT in flags is EINVAL
// (forbid_cmsg_compat), vlen is capped at UIO_MAXIOV, then the socket (sockfd_lookup_light:
// EBADF, ENOTSOCK — so vlen 0 still checks the fd). Each struct mmsghdr goes through
// ___sys_sendmsg (msg.ts: EFAULT for the msghdr, its name and iovecs; msg_flags may add
// MSG_EOR) and its msg_len is written back (put_user: EFAULT); the loop stops at the first
// error, or after a message whose bytes were not all sent (msg_data_left: a short stream
// send). The result is the number of messages sent if any, else the first error (which is
// then lost: no sk_err, unlike recvmmsg).
//
// Blocking: zerosys blocks by unwinding and re-executing the call (kernel/vfs/wait.ts), which
// would send the earlier messages again. So a message after the first is sent with
// MSG_DONTWAIT, and if it would have to wait (Linux waits there) the guest stops as
// unsupported.

import type { SyscallContext } from '../context.ts';
import { fail, SyscallErrno } from '../errors.ts';
import { MemoryFault } from '../../emulator/memory.ts';
import { E } from '../errno.ts';
import { MSG_DONTWAIT, MSG_EOR } from '../abi.ts';
import { MMSGHDR } from '../abi-structs.ts';
import { copyOut, StructBuilder } from '../user-memory.ts';
import { UIO_MAXIOV } from '../vfs/iovec.ts';
import { sockOf } from './common.ts';
import { sendOneMsg } from './msg.ts';

/** MSG_CMSG_COMPAT (include/linux/socket.h, CONFIG_COMPAT: riscv64 has it). */
export const MSG_CMSG_COMPAT = 0x80000000;

/** An errno thrown by a handler step (SyscallErrno, or a guest memory fault as EFAULT). */
export function errnoOf(e: unknown): number | undefined {
  if (e instanceof SyscallErrno) return e.errno;
  if (e instanceof MemoryFault) return E.EFAULT;
  return undefined;
}

export function sendmmsg(k: SyscallContext): number {
  // (int fd, struct mmsghdr __user *mmsg, unsigned int vlen, unsigned int flags)
  const flags = k.u32(3);
  if (flags & MSG_CMSG_COMPAT) fail('EINVAL');
  const vlen = Math.min(k.u32(2), UIO_MAXIOV);
  const file = sockOf(k, k.i32(0));
  const mmsg = k.addr(1);
  let datagrams = 0;
  let err = 0;
  // MSG_BATCH on all but the last only batches the device queue: nothing to model.
  while (datagrams < vlen) {
    const entry = mmsg + datagrams * MMSGHDR.SIZE;
    const mayWait = datagrams > 0 && !(flags & MSG_DONTWAIT) && !file.nonblock;
    let left: number;
    try {
      const r = sendOneMsg(k, file, entry + MMSGHDR.msg_hdr, mayWait ? flags | MSG_DONTWAIT : flags, MSG_EOR);
      left = r.left;
      copyOut(k.mem, entry + MMSGHDR.msg_len, new StructBuilder(4).u32(0, r.ret >>> 0));
    } catch (e) {
      const errno = errnoOf(e);
      if (errno === undefined) throw e;
      if (mayWait && errno === E.EAGAIN) k.unsupported('waiting to send a message after the first (the earlier ones are already sent)');
      err = errno;
      break;
    }
    datagrams++;
    if (left) break;
  }
  // "We only return an error if no datagrams were able to be sent"
  return datagrams !== 0 ? datagrams : -err;
}
