// recvmmsg(2), net/socket.c (Linux 6.1). SYSCALL_DEFINE5(recvmmsg): MSG_CMSG_COMPAT in flags
// is EINVAL. __sys_recvmmsg: the timeout is read first (get_timespec64: EFAULT), then
// do_recvmmsg: a bad timespec is EINVAL (poll_select_set_timeout: tv_sec < 0 or tv_nsec
// outside [0, 1e9)), then the socket (sockfd_lookup_light: EBADF, ENOTSOCK), then a pending
// socket error (sock_error, unless MSG_ERRQUEUE) is the result. Each struct mmsghdr goes
// through ___sys_recvmsg (msg.ts) with flags minus MSG_WAITFORONE and its msg_len is
// written back (put_user: EFAULT); after one datagram MSG_WAITFORONE turns on MSG_DONTWAIT.
// With a timeout, the time left is computed after each datagram and the loop stops once it
// is zero or past (so a {0, 0} timeout takes exactly one datagram); the timeout bounds only
// the time between datagrams, not the wait for one. A datagram with MSG_OOB in msg_flags
// ends the loop. The result: datagrams received; if none, the first error; an error after
// some datagrams other than EAGAIN is kept as sk_err for the next call. With a timeout and
// some datagrams, the time left is written back (put_timespec64: EFAULT).
//
// Blocking: zerosys blocks by unwinding and re-executing the call (kernel/vfs/wait.ts), which
// would lose the datagrams already taken. So a datagram after the first is received with
// MSG_DONTWAIT, and if it would have to wait (Linux waits there) the guest stops as
// unsupported.

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { E } from '../errno.ts';
import { MSG_DONTWAIT, MSG_ERRQUEUE, MSG_OOB, MSG_WAITFORONE } from '../abi.ts';
import { MMSGHDR } from '../abi-structs.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { sockOf } from './common.ts';
import { recvOneMsg } from './msg.ts';
import { errnoOf, MSG_CMSG_COMPAT } from './sendmmsg.ts';

export function recvmmsg(k: SyscallContext): number {
  // (int fd, struct mmsghdr __user *mmsg, unsigned int vlen, unsigned int flags,
  //  struct __kernel_timespec __user *timeout)
  let flags = k.u32(3);
  if (flags & MSG_CMSG_COMPAT) fail('EINVAL');
  const vlen = k.u32(2);
  const tsAddr = k.addr(4);
  // get_timespec64
  let ts: { sec: bigint; nsec: bigint } | undefined;
  if (tsAddr) {
    const v = copyIn(k.mem, tsAddr, 16);
    ts = { sec: v.getBigInt64(0, true), nsec: v.getBigInt64(8, true) };
  }
  // poll_select_set_timeout: end_time 0 for a zero timeout, else now + timeout.
  let end = 0n;
  if (ts) {
    if (ts.sec < 0n || ts.nsec < 0n || ts.nsec >= NS_PER_SEC) fail('EINVAL');
    if (ts.sec || ts.nsec) end = k.state.clock.monotonicNs() + ts.sec * NS_PER_SEC + ts.nsec;
  }
  const file = sockOf(k, k.i32(0));
  if (!(flags & MSG_ERRQUEUE)) {
    const e = file.sock.takeError();
    if (e) return -e;
  }
  const mmsg = k.addr(1);
  let datagrams = 0;
  let err = 0;
  let left = 0n;
  while (datagrams < vlen) {
    const entry = mmsg + datagrams * MMSGHDR.SIZE;
    const mayWait = datagrams > 0 && !(flags & MSG_DONTWAIT) && !file.nonblock;
    let msgFlags: number;
    try {
      const r = recvOneMsg(k, file, entry + MMSGHDR.msg_hdr, (flags & ~MSG_WAITFORONE) | (mayWait ? MSG_DONTWAIT : 0));
      msgFlags = r.msgFlags;
      copyOut(k.mem, entry + MMSGHDR.msg_len, new StructBuilder(4).u32(0, r.ret >>> 0));
    } catch (e) {
      const errno = errnoOf(e);
      if (errno === undefined) throw e;
      if (mayWait && errno === E.EAGAIN) k.unsupported('waiting for a datagram after the first (the earlier ones are already taken)');
      err = errno;
      break;
    }
    datagrams++;
    // MSG_WAITFORONE turns on MSG_DONTWAIT after one packet
    if (flags & MSG_WAITFORONE) flags |= MSG_DONTWAIT;
    if (ts) {
      left = end - k.state.clock.monotonicNs();
      if (left <= 0n) {
        left = 0n;
        break;
      }
    }
    // Out of band data, return right away
    if (msgFlags & MSG_OOB) break;
  }
  if (err) {
    if (datagrams === 0) return -err;
    // recorded to return on the next call (or SO_ERROR)
    if (err !== E.EAGAIN) file.sock.err = err;
  }
  if (ts && datagrams > 0) {
    copyOut(k.mem, tsAddr, new StructBuilder(16).u64(0, left / NS_PER_SEC).u64(8, left % NS_PER_SEC));
  }
  return datagrams;
}
