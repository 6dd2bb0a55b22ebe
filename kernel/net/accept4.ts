// accept(2) and accept4(2), net/socket.c __sys_accept4 / do_accept and af_unix.c unix_accept:
// the fd (EBADF); flags beyond SOCK_CLOEXEC | SOCK_NONBLOCK → EINVAL; a free descriptor,
// taken before waiting (EMFILE); not a socket (ENOTSOCK); datagram sockets EOPNOTSUPP; not listening EINVAL;
// no pending connection: EAGAIN (O_NONBLOCK, even once shut down) or wait, EINVAL once the
// listener is shut down (SHUT_RD).
// The peer's address is copied out after the connection is taken (an EFAULT there loses it,
// as on Linux).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail } from '../errors.ts';
import { O_NONBLOCK, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK } from '../abi.ts';
import { nofileLimit } from '../vfs/fd-util.ts';
import { addrToUser, nameOf, sockOf } from './common.ts';
import { inetAddrBytes } from './inet.ts';
import { acceptedFile } from './connect.ts';
import { RCV_SHUTDOWN } from './unix.ts';
import { ThreadSuspended } from '../sched/wait.ts';

function doAccept(k: SyscallContext, flags: number): number {
  const sockfd = k.i32(0);
  const fds = k.state.fds;
  // __sys_accept4: fdget (EBADF); __sys_accept4_file: the flags (EINVAL), then
  // `newfd = get_unused_fd_flags(flags)` (EMFILE) before do_accept looks at the socket
  // (ENOTSOCK) and waits, so the number stays taken while this thread blocks (others' new
  // fds skip it); put_unused_fd on failure, fd_install on success. A re-run after a
  // wake-up finds its own reservation.
  if (!fds.get(sockfd)) return -E.EBADF;
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return -E.EINVAL;
  const owner = k.state.thread.current;
  const fd = fds.reserve(owner, nofileLimit(k));
  try {
    return acceptInto(k, sockOf(k, sockfd), flags, fd);
  } catch (err) {
    if (!(err instanceof ThreadSuspended)) fds.release(owner);
    throw err;
  }
}

function acceptInto(k: SyscallContext, file: ReturnType<typeof sockOf>, flags: number, fd: number): number {
  const fds = k.state.fds;
  const owner = k.state.thread.current;
  const upeer = k.addr(1);
  const ulen = k.addr(2);
  const fail0 = (errno: number) => (fds.release(owner), -errno);
  const s = file.sock;
  // Datagram sockets and netlink (sock_no_accept) have no accept.
  if (s.type === SOCK_DGRAM || s.netlink) return fail0(E.EOPNOTSUPP);
  if (s.state !== 'listen') return fail0(E.EINVAL);
  // skb_recv_datagram on the listener's queue.
  const e = s.takeError();
  if (e) fail('ECONNRESET');
  const m = s.recvq[0];
  if (!m) {
    // __skb_recv_datagram (net/core/datagram.c): without a wait (O_NONBLOCK) the result is
    // __skb_try_recv_datagram's -EAGAIN; only __skb_wait_for_more_packets looks at
    // RCV_SHUTDOWN (err 0), which unix_accept turns into EINVAL ("This means receive shutdown").
    if (file.nonblock) return fail0(E.EAGAIN);
    if (s.shutdown & RCV_SHUTDOWN) return fail0(E.EINVAL);
    s.wait(false, 'accept with no pending connection');
  }
  s.recvq.shift();
  s.changed();
  const server = m.conn!;
  const nf = acceptedFile(server, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, file);
  fds.installReserved(fd, nf, (flags & SOCK_CLOEXEC) !== 0);
  if (upeer) {
    try {
      addrToUser(k, server.inet ? inetAddrBytes(server.family, server.raddr, server.rport) : nameOf(server.peer), upeer, ulen);
    } catch (err) {
      fds.close(fd);
      throw err;
    }
  }
  return fd;
}

export function accept(k: SyscallContext): number {
  return doAccept(k, 0);
}

export function accept4(k: SyscallContext): number {
  return doAccept(k, k.i32(3));
}
