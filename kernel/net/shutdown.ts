// shutdown(2), net/socket.c __sys_shutdown and af_unix.c unix_shutdown: the socket (EBADF,
// ENOTSOCK); how outside SHUT_RD..SHUT_RDWR is EINVAL; SHUT_RD/WR/RDWR set RCV_SHUTDOWN,
// SEND_SHUTDOWN or both (an unconnected socket too: no ENOTCONN for AF_UNIX), and on a
// connected stream or seqpacket socket the peer gets the mirror image (our SHUT_WR is its
// end of file). AF_INET: inetShutdown below.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SHUT_RD, SHUT_RDWR, SOCK_STREAM } from '../abi.ts';
import { sockOf } from './common.ts';
import { RCV_SHUTDOWN, SEND_SHUTDOWN, type UnixSock } from './unix.ts';
import { tcpListenerShutdown } from './inet.ts';

/**
 * inet_shutdown: a closed (never connected, or reset) socket is ENOTCONN but takes the bits
 * anyway; a listener ignores SHUT_WR and is closed by SHUT_RD (tcp_disconnect: its pending
 * connections are reset); otherwise the bits are set and a TCP SHUT_WR sends a FIN (the peer
 * reads end of file). TCP's SHUT_RD tells the peer nothing.
 */
function inetShutdown(s: UnixSock, mode: number): number {
  if (s.connecting) s.connecting = false;
  if (s.state === 'listen') {
    if (mode & RCV_SHUTDOWN) tcpListenerShutdown(s);
    return 0;
  }
  const ret = s.state === 'close' ? -E.ENOTCONN : 0;
  s.shutdown |= mode;
  const other = s.peer;
  if (other && s.type === SOCK_STREAM && s.state === 'established' && mode & SEND_SHUTDOWN && other.peer === s) {
    other.shutdown |= RCV_SHUTDOWN;
    other.finRcvd = true;
  }
  s.changed();
  return ret;
}

export function shutdown(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const how = k.i32(1);
  // netlink_ops.shutdown is sock_no_shutdown, whatever `how` is.
  if (file.sock.netlink) return -E.EOPNOTSUPP;
  if (how < SHUT_RD || how > SHUT_RDWR) return -E.EINVAL;
  const mode = how + 1;
  const s = file.sock;
  if (s.inet) return inetShutdown(s, mode);
  s.shutdown |= mode;
  const other = s.peer;
  if (other && s.connectionBased) {
    let peerMode = 0;
    if (mode & RCV_SHUTDOWN) peerMode |= SEND_SHUTDOWN;
    if (mode & SEND_SHUTDOWN) peerMode |= RCV_SHUTDOWN;
    other.shutdown |= peerMode;
  }
  s.changed();
  return 0;
}
