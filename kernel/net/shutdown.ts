// shutdown(2), net/socket.c __sys_shutdown and af_unix.c unix_shutdown: the socket (EBADF,
// ENOTSOCK); how outside SHUT_RD..SHUT_RDWR is EINVAL; SHUT_RD/WR/RDWR set RCV_SHUTDOWN,
// SEND_SHUTDOWN or both (an unconnected socket too: no ENOTCONN for AF_UNIX), and on a
// connected stream or seqpacket socket the peer gets the mirror image (our SHUT_WR is its
// end of file).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SHUT_RD, SHUT_RDWR } from '../abi.ts';
import { sockOf } from './common.ts';
import { RCV_SHUTDOWN, SEND_SHUTDOWN } from './unix.ts';

export function shutdown(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  const how = k.i32(1);
  if (how < SHUT_RD || how > SHUT_RDWR) return -E.EINVAL;
  const mode = how + 1;
  const s = file.sock;
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
