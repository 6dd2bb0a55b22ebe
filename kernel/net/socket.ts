// socket(2), net/socket.c __sys_socket and __sock_create, net/unix/af_unix.c unix_create and
// net/ipv4/af_inet.c inet_create, in their order of checks: flags beyond SOCK_CLOEXEC |
// SOCK_NONBLOCK → EINVAL; a family outside 0..AF_MAX-1 → EAFNOSUPPORT; a type of SOCK_MAX or
// more → EINVAL; then the family: AF_UNIX is provided (protocol 0 or PF_UNIX, else
// EPROTONOSUPPORT; SOCK_RAW is a datagram socket; another type ESOCKTNOSUPPORT); AF_INET is
// provided on the private loopback (inet.ts inetProtocol: TCP and UDP), AF_INET6 too
// (net/ipv6/af_inet6.c inet6_create, inet6.ts: IPV6_V6ONLY starts at net.ipv6.bindv6only, 0);
// AF_NETLINK is provided for NETLINK_ROUTE (netlink.ts netlinkProtocol: netlink_create's checks);
// AF_PACKET stops (not provided yet); every other family is EAFNOSUPPORT, as a
// kernel without it answers.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import {
  AF_INET, AF_INET6, AF_MAX, AF_NETLINK, AF_PACKET, AF_UNIX, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_PACKET, SOCK_RAW,
  SOCK_SEQPACKET, SOCK_STREAM,
} from '../abi.ts';
import { newSocket, SOCK_TYPE_MASK } from './common.ts';
import { inetProtocol } from './inet.ts';
import { netlinkProtocol } from './netlink.ts';

/** SOCK_MAX (include/linux/net.h): SOCK_PACKET + 1. */
const SOCK_MAX = SOCK_PACKET + 1;
/** Families a stock kernel provides that zerosys does not yet: socket() stops on them. */
const NOT_PROVIDED: Record<number, string> = { [AF_PACKET]: 'AF_PACKET' };

/**
 * __sock_create's checks for (family, type, protocol), with flags already split off: the
 * socket type to make, or a negative errno. Shared with socketpair.
 */
export function unixType(k: SyscallContext, family: number, type: number, protocol: number): number {
  if (family < 0 || family >= AF_MAX) return -E.EAFNOSUPPORT;
  if (type < 0 || type >= SOCK_MAX) return -E.EINVAL;
  if (family === AF_INET || family === AF_INET6) {
    const p = inetProtocol(k, type, protocol, family);
    return p < 0 ? p : type;
  }
  if (family === AF_NETLINK) {
    const p = netlinkProtocol(k, type, protocol);
    return p < 0 ? p : type;
  }
  if (family !== AF_UNIX) {
    const name = NOT_PROVIDED[family];
    if (name) k.unsupported(`address family ${name} (only AF_UNIX, AF_INET, AF_INET6 and AF_NETLINK sockets are provided)`);
    return -E.EAFNOSUPPORT;
  }
  // unix_create
  if (protocol && protocol !== AF_UNIX) return -E.EPROTONOSUPPORT;
  switch (type) {
    case SOCK_STREAM:
    case SOCK_SEQPACKET:
    case SOCK_DGRAM:
      return type;
    case SOCK_RAW:
      return SOCK_DGRAM;
    default:
      return -E.ESOCKTNOSUPPORT;
  }
}

export function socket(k: SyscallContext): number {
  const family = k.i32(0);
  const arg = k.i32(1);
  const protocol = k.i32(2);
  const flags = arg & ~SOCK_TYPE_MASK;
  if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) return -E.EINVAL;
  const type = unixType(k, family, arg & SOCK_TYPE_MASK, protocol);
  if (type < 0) return type;
  if (family === AF_INET) return newSocket(k, type, flags, AF_INET, inetProtocol(k, type, protocol)).fd;
  if (family === AF_NETLINK) return newSocket(k, type, flags, AF_NETLINK, protocol).fd;
  if (family === AF_INET6) {
    const { fd, file } = newSocket(k, type, flags, AF_INET, inetProtocol(k, type, protocol, AF_INET6));
    file.sock.family = AF_INET6;
    return fd;
  }
  return newSocket(k, type, flags).fd;
}
