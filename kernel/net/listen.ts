// listen(2), net/socket.c __sys_listen and af_unix.c unix_listen: the socket (EBADF,
// ENOTSOCK); a backlog above net.core.somaxconn (4096; negative as unsigned) is clamped;
// datagram sockets are EOPNOTSUPP, an unbound socket EINVAL, a connected one EINVAL; listening
// again only changes the backlog. AF_INET (af_inet.c inet_listen): UDP EOPNOTSUPP; a TCP
// socket connected or connecting EINVAL; an unbound one gets an ephemeral port.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SOCK_DGRAM, SOMAXCONN } from '../abi.ts';
import { sockOf } from './common.ts';
import { inetAutobind } from './inet.ts';

export function listen(k: SyscallContext): number {
  const file = sockOf(k, k.i32(0));
  let backlog = k.i32(1);
  if (backlog >>> 0 > SOMAXCONN) backlog = SOMAXCONN;
  const s = file.sock;
  // netlink_ops.listen is sock_no_listen.
  if (s.type === SOCK_DGRAM || s.netlink) return -E.EOPNOTSUPP;
  if (s.inet) {
    // inet_listen: not an unconnected socket (connected, or connecting) EINVAL; a state other
    // than closed or listening EINVAL; inet_csk_listen_start takes an ephemeral port for an
    // unbound socket (EADDRINUSE when none is free).
    if (s.connecting || (s.state !== 'close' && s.state !== 'listen')) return -E.EINVAL;
    if (s.state === 'close' && s.raddr) return -E.EINVAL;
    s.backlog = backlog;
    if (s.state !== 'listen') {
      if (!s.lport) {
        try {
          inetAutobind(s);
        } catch {
          return -E.EADDRINUSE;
        }
      }
      s.state = 'listen';
    }
    // No init_peercred: that is af_unix.c's (unix_listen); a TCP socket's sk_peer_cred stays
    // NULL, so SO_PEERCRED answers pid 0, uid and gid -1 (cred_to_ucred).
    s.changed();
    return 0;
  }
  if (!s.addr) return -E.EINVAL;
  if (s.state === 'established') return -E.EINVAL;
  s.backlog = backlog;
  s.state = 'listen';
  // "set credentials so connect can copy them": init_peercred on every listen(), a second one too.
  s.peercred = file.cred();
  s.changed();
  return 0;
}
