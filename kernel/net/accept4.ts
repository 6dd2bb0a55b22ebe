// accept(2) and accept4(2), net/socket.c __sys_accept4 / do_accept and af_unix.c unix_accept:
// flags beyond SOCK_CLOEXEC | SOCK_NONBLOCK → EINVAL; the fd (EBADF, ENOTSOCK); a free
// descriptor (EMFILE) before waiting; datagram sockets EOPNOTSUPP; not listening EINVAL;
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
import { sinBytes } from './inet.ts';
import { acceptedFile } from './connect.ts';
import { RCV_SHUTDOWN } from './unix.ts';

function doAccept(k: SyscallContext, flags: number): number {
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return -E.EINVAL;
  const file = sockOf(k, k.i32(0));
  const upeer = k.addr(1);
  const ulen = k.addr(2);
  const fds = k.state.fds;
  const limit = nofileLimit(k);
  let free = 0;
  while (free < limit && fds.getRaw(free) !== undefined) free++;
  if (free >= limit) return -E.EMFILE;
  const s = file.sock;
  if (s.type === SOCK_DGRAM) return -E.EOPNOTSUPP;
  if (s.state !== 'listen') return -E.EINVAL;
  // skb_recv_datagram on the listener's queue.
  const e = s.takeError();
  if (e) fail('ECONNRESET');
  const m = s.recvq[0];
  if (!m) {
    // __skb_recv_datagram (net/core/datagram.c): without a wait (O_NONBLOCK) the result is
    // __skb_try_recv_datagram's -EAGAIN; only __skb_wait_for_more_packets looks at
    // RCV_SHUTDOWN (err 0), which unix_accept turns into EINVAL ("This means receive shutdown").
    if (file.nonblock) return -E.EAGAIN;
    if (s.shutdown & RCV_SHUTDOWN) return -E.EINVAL;
    s.wait(false, 'accept with no pending connection');
  }
  s.recvq.shift();
  s.changed();
  const server = m.conn!;
  const nf = acceptedFile(server, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0, file);
  const fd = fds.allocate(nf, limit, (flags & SOCK_CLOEXEC) !== 0);
  if (upeer) {
    try {
      addrToUser(k, server.inet ? sinBytes(server.raddr, server.rport) : nameOf(server.peer), upeer, ulen);
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
