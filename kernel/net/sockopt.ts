// getsockopt(2) and setsockopt(2) at SOL_SOCKET, net/socket.c __sys_getsockopt /
// __sys_setsockopt and net/core/sock.c sk_getsockopt / sk_setsockopt. Other levels: AF_UNIX
// has no protocol options (EOPNOTSUPP); AF_INET's are inetSetsockopt / inetGetsockopt below
// (TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT). Options not listed in OPTIONS are ENOPROTOOPT as for
// an unknown one... except those Linux knows, which stop (unsupported) rather than answer
// wrongly.
//
// setsockopt: optlen < 0 EINVAL, the socket (EBADF, ENOTSOCK), optlen < sizeof(int) EINVAL,
// the int read (EFAULT). SO_REUSEPORT set on a socket other than AF_INET/AF_INET6 is
// EOPNOTSUPP. SO_SNDBUF / SO_RCVBUF store twice the value (capped at
// wmem_max / rmem_max first; at least SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF); SO_TYPE,
// SO_PROTOCOL, SO_DOMAIN, SO_ERROR, SO_PEERCRED, SO_ACCEPTCONN are read-only (ENOPROTOOPT).
// getsockopt: the socket, the length read (EFAULT; negative EINVAL), the value cut to the
// length (an int, or struct ucred for SO_PEERCRED: pid, uid, gid of the peer; 0, -1, -1
// without one), then the length written.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import {
  SO_ACCEPTCONN, SO_DOMAIN, SO_ERROR, SO_KEEPALIVE, SO_PASSCRED, SO_PEERCRED, SO_PROTOCOL, SO_RCVBUF, SO_REUSEADDR,
  SO_REUSEPORT, SO_SNDBUF, SO_TYPE, SOL_SOCKET, SO_RCVBUFFORCE, SO_SNDBUFFORCE, SO_DEBUG, SO_BROADCAST, SO_DONTROUTE,
  SO_LINGER, SO_OOBINLINE, SO_PRIORITY, SO_RCVLOWAT, SO_SNDLOWAT, SO_PASSSEC, SO_PEERSEC, SO_MARK, IPPROTO_IP, IPPROTO_TCP,
  IPPROTO_UDP, TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_INFO, TCP_QUICKACK,
  TCP_CONGESTION, TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_DEFER_ACCEPT, TCP_NOTSENT_LOWAT, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY,
  IPV6_ADDRFORM, IPV6_UNICAST_HOPS, IPV6_MULTICAST_IF, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP, IPV6_RECVPKTINFO, IPV6_PKTINFO,
  IPV6_TCLASS, IPV6_RECVERR, IPV6_MTU_DISCOVER, IPV6_FREEBIND, IPV6_TRANSPARENT,
} from '../abi.ts';
import { isV6only, setV6only } from './inet6.ts';
import { UCRED } from '../abi-structs.ts';
import { SOL_NETLINK } from './netlink-abi.ts';
import { sockOf } from './common.ts';
import { SK_WMEM_MAX, SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF, type UnixSock } from './unix.ts';

/** TCP options Linux has that zerosys does not provide (asking for them stops). */
const TCP_KNOWN = new Set([TCP_MAXSEG, TCP_CORK, TCP_INFO, TCP_QUICKACK, TCP_CONGESTION, TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_DEFER_ACCEPT, TCP_NOTSENT_LOWAT]);

/** IPv6 options Linux has that zerosys does not provide (asking for them stops). */
const IPV6_KNOWN = new Set([
  IPV6_ADDRFORM, IPV6_UNICAST_HOPS, IPV6_MULTICAST_IF, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP, IPV6_RECVPKTINFO, IPV6_PKTINFO,
  IPV6_TCLASS, IPV6_RECVERR, IPV6_MTU_DISCOVER, IPV6_FREEBIND, IPV6_TRANSPARENT,
]);

/**
 * do_ipv6_setsockopt (net/ipv6/ipv6_sockglue.c) on an AF_INET6 socket: the int is read first
 * (a NULL optval reads as 0, optlen below sizeof(int) as 0, a bad address EFAULT); IPV6_V6ONLY
 * with optlen below sizeof(int) or on a socket holding a port EINVAL, else stored. Other
 * options Linux has stop; unknown ones ENOPROTOOPT.
 */
function ipv6Setsockopt(k: SyscallContext, s: UnixSock, opt: number, optval: number, optlen: number): number {
  const val = optval && optlen >= 4 ? copyIn(k.mem, optval, 4).getInt32(0, true) : 0;
  if (opt === IPV6_V6ONLY) {
    if (optlen < 4 || s.lport) return -E.EINVAL;
    setV6only(s, val !== 0);
    return 0;
  }
  if (IPV6_KNOWN.has(opt)) k.unsupported(`IPPROTO_IPV6 option ${opt}`);
  return -E.ENOPROTOOPT;
}

/** do_ipv6_getsockopt: the length read (EFAULT), IPV6_V6ONLY (sk_ipv6only) cut to min_t(unsigned int, len, sizeof(int)). */
function ipv6Getsockopt(k: SyscallContext, s: UnixSock, opt: number, optval: number, optlenAddr: number): number {
  if (opt === IPV6_V6ONLY) {
    const raw = copyIn(k.mem, optlenAddr, 4).getUint32(0, true);
    const len = Math.min(raw, 4);
    copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
    if (len) copyOut(k.mem, optval, new StructBuilder(4).u32(0, isV6only(s) ? 1 : 0).bytes.subarray(0, len));
    return 0;
  }
  if (IPV6_KNOWN.has(opt)) k.unsupported(`IPPROTO_IPV6 option ${opt}`);
  return -E.ENOPROTOOPT;
}

/**
 * The keepalive options Go sets on every TCP connection, stored and returned (no probe is
 * ever sent on the loopback): the ranges of include/net/tcp.h (MAX_TCP_KEEPIDLE 32767,
 * MAX_TCP_KEEPINTVL 32767, MAX_TCP_KEEPCNT 127; kernel-internal, not in the UAPI headers)
 * checked as tcp_sock_set_keepidle_locked / do_tcp_setsockopt do (EINVAL outside 1..max).
 */
const KEEPALIVE: ReadonlyMap<number, { field: 'keepIdle' | 'keepIntvl' | 'keepCnt'; max: number }> = new Map([
  [TCP_KEEPIDLE, { field: 'keepIdle', max: 32767 }],
  [TCP_KEEPINTVL, { field: 'keepIntvl', max: 32767 }],
  [TCP_KEEPCNT, { field: 'keepCnt', max: 127 }],
] as const);

/**
 * The protocol levels of an AF_INET socket (sock->ops->setsockopt: tcp_setsockopt,
 * udp_setsockopt): IPPROTO_TCP on a TCP socket: TCP_NODELAY (optlen below sizeof(int)
 * EINVAL, the int read: EFAULT) is stored; IPPROTO_IP options and the other TCP and UDP
 * options stop; any other level is ip_setsockopt's ENOPROTOOPT.
 */
function inetSetsockopt(k: SyscallContext, s: UnixSock, level: number, opt: number, optval: number, optlen: number): number {
  if (level === IPPROTO_TCP && s.protocol === IPPROTO_TCP) {
    if (opt === TCP_NODELAY || KEEPALIVE.has(opt)) {
      // do_tcp_setsockopt: `if (optlen < sizeof(int)) return -EINVAL;` then the int is read (EFAULT).
      if (optlen < 4) return -E.EINVAL;
      const val = copyIn(k.mem, optval, 4).getInt32(0, true);
      const keep = KEEPALIVE.get(opt);
      if (!keep) {
        s.nodelay = val !== 0;
        return 0;
      }
      if (val < 1 || val > keep.max) return -E.EINVAL;
      s[keep.field] = val;
      return 0;
    }
    if (TCP_KNOWN.has(opt)) k.unsupported(`IPPROTO_TCP option ${opt}`);
    return -E.ENOPROTOOPT;
  }
  if (level === IPPROTO_UDP && s.protocol === IPPROTO_UDP) k.unsupported(`IPPROTO_UDP option ${opt}`);
  if (level === IPPROTO_IP) k.unsupported(`IPPROTO_IP option ${opt}`);
  // ipv6_setsockopt: SOL_IPV6 on an AF_INET6 socket; another level ENOPROTOOPT (as ip_setsockopt's).
  if (level === IPPROTO_IPV6 && s.family === AF_INET6) return ipv6Setsockopt(k, s, opt, optval, optlen);
  return -E.ENOPROTOOPT;
}

/**
 * tcp_getsockopt / udp_getsockopt: IPPROTO_TCP TCP_NODELAY on a TCP socket: the length read
 * (EFAULT) and made min_t(unsigned int, len, sizeof(int)) (so a negative length reads as 4),
 * written back, then the value. Another level is ip_getsockopt's EOPNOTSUPP.
 */
function inetGetsockopt(k: SyscallContext, s: UnixSock, level: number, opt: number, optval: number, optlenAddr: number): number {
  if (level === IPPROTO_TCP && s.protocol === IPPROTO_TCP) {
    if (opt === TCP_NODELAY || KEEPALIVE.has(opt)) {
      const raw = copyIn(k.mem, optlenAddr, 4).getUint32(0, true);
      const len = Math.min(raw, 4);
      copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
      const keep = KEEPALIVE.get(opt);
      const val = keep ? s[keep.field] : s.nodelay ? 1 : 0;
      if (len) copyOut(k.mem, optval, new StructBuilder(4).u32(0, val).bytes.subarray(0, len));
      return 0;
    }
    if (TCP_KNOWN.has(opt)) k.unsupported(`IPPROTO_TCP option ${opt}`);
    return -E.ENOPROTOOPT;
  }
  if (level === IPPROTO_UDP && s.protocol === IPPROTO_UDP) k.unsupported(`IPPROTO_UDP option ${opt}`);
  if (level === IPPROTO_IP) k.unsupported(`IPPROTO_IP option ${opt}`);
  // ipv6_getsockopt: SOL_IPV6 on an AF_INET6 socket, another level ENOPROTOOPT; do_ip_getsockopt
  // (AF_INET): a level other than SOL_IP is EOPNOTSUPP (do_ip_setsockopt: ENOPROTOOPT).
  if (s.family === AF_INET6) return level === IPPROTO_IPV6 ? ipv6Getsockopt(k, s, opt, optval, optlenAddr) : -E.ENOPROTOOPT;
  return -E.EOPNOTSUPP;
}

/**
 * netlink_setsockopt / netlink_getsockopt: a level other than SOL_NETLINK is ENOPROTOOPT;
 * the SOL_NETLINK options (NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK,
 * ...) stop.
 */
function netlinkSockopt(k: SyscallContext, level: number, opt: number): number {
  if (level === SOL_NETLINK) k.unsupported(`SOL_NETLINK option ${opt}`);
  return -E.ENOPROTOOPT;
}

/**
 * The SOL_SOCKET options that are one flag each (sk_setsockopt's valbool: any non-zero int
 * sets it; getsockopt answers 0 or 1). SO_BROADCAST is stored only: Go sets it on every UDP
 * socket, and the loopback has no broadcast address to send to.
 */
const BOOL_OPTIONS: ReadonlyMap<number, 'reuseaddr' | 'reuseport' | 'keepalive' | 'broadcast' | 'passcred'> = new Map([
  [SO_REUSEADDR, 'reuseaddr'],
  [SO_REUSEPORT, 'reuseport'],
  [SO_KEEPALIVE, 'keepalive'],
  [SO_BROADCAST, 'broadcast'],
  [SO_PASSCRED, 'passcred'],
] as const);

const KNOWN = new Set([SO_RCVBUFFORCE, SO_SNDBUFFORCE, SO_DEBUG, SO_DONTROUTE, SO_LINGER, SO_OOBINLINE, SO_PRIORITY, SO_RCVLOWAT, SO_SNDLOWAT, SO_PASSSEC, SO_PEERSEC, SO_MARK]);
const optName = (opt: number) => `SOL_SOCKET option ${opt}`;

export function setsockopt(k: SyscallContext): number {
  const level = k.i32(1);
  const opt = k.i32(2);
  const optval = k.addr(3);
  const optlen = k.i32(4);
  if (optlen < 0) return -E.EINVAL;
  const file = sockOf(k, k.i32(0));
  if (level !== SOL_SOCKET && file.sock.netlink) return netlinkSockopt(k, level, opt);
  if (level !== SOL_SOCKET) return file.sock.inet ? inetSetsockopt(k, file.sock, level, opt, optval, optlen) : -E.EOPNOTSUPP;
  if (optlen < 4) return -E.EINVAL;
  const val = copyIn(k.mem, optval, 4).getInt32(0, true);
  const s = file.sock;
  const flag = BOOL_OPTIONS.get(opt);
  // sk_setsockopt: `case SO_REUSEPORT: if (valbool && !sk_is_inet(sk)) ret = -EOPNOTSUPP;`
  // (5b0af621c3f6 "net: restrict SO_REUSEPORT to inet sockets", in 6.1.y since 6.1.124).
  if (opt === SO_REUSEPORT && val !== 0 && !s.inet) return -E.EOPNOTSUPP;
  if (flag) {
    s[flag] = val !== 0;
    return 0;
  }
  switch (opt) {
    case SO_SNDBUF: {
      // min_t(u32, val, wmem_max), then max(val * 2, SOCK_MIN_SNDBUF)
      const v = Math.min(val >>> 0, SK_WMEM_MAX);
      s.sndbuf = Math.max(v * 2, SOCK_MIN_SNDBUF);
      s.changed();
      return 0;
    }
    case SO_RCVBUF: {
      // __sock_set_rcvbuf: min_t(u32, val, rmem_max), min(INT_MAX / 2), max(val * 2, SOCK_MIN_RCVBUF)
      const v = Math.min(val >>> 0, SK_WMEM_MAX);
      s.rcvbuf = Math.max(v * 2, SOCK_MIN_RCVBUF);
      return 0;
    }
    case SO_TYPE:
    case SO_PROTOCOL:
    case SO_DOMAIN:
    case SO_ERROR:
    case SO_PEERCRED:
    case SO_ACCEPTCONN:
      return -E.ENOPROTOOPT;
    default:
      if (KNOWN.has(opt)) k.unsupported(optName(opt));
      return -E.ENOPROTOOPT;
  }
}

export function getsockopt(k: SyscallContext): number {
  const level = k.i32(1);
  const opt = k.i32(2);
  const optval = k.addr(3);
  const optlenAddr = k.addr(4);
  const file = sockOf(k, k.i32(0));
  if (level !== SOL_SOCKET && file.sock.netlink) return netlinkSockopt(k, level, opt);
  if (level !== SOL_SOCKET) return file.sock.inet ? inetGetsockopt(k, file.sock, level, opt, optval, optlenAddr) : -E.EOPNOTSUPP;
  let len = copyIn(k.mem, optlenAddr, 4).getInt32(0, true);
  if (len < 0) return -E.EINVAL;
  const s = file.sock;
  let value: number;
  const flag = BOOL_OPTIONS.get(opt);
  if (flag) value = s[flag] ? 1 : 0;
  else switch (opt) {
    case SO_TYPE:
      value = s.type;
      break;
    case SO_PROTOCOL:
      value = s.protocol;
      break;
    case SO_DOMAIN:
      value = s.family;
      break;
    case SO_ERROR:
      value = s.takeError();
      break;
    case SO_ACCEPTCONN:
      value = s.state === 'listen' ? 1 : 0;
      break;
    case SO_SNDBUF:
      value = s.sndbuf;
      break;
    case SO_RCVBUF:
      value = s.rcvbuf;
      break;
    case SO_PEERCRED: {
      const c = s.peercred;
      const cred = new StructBuilder(UCRED.SIZE)
        .u32(UCRED.pid, c?.pid ?? 0)
        .u32(UCRED.uid, c?.uid ?? -1)
        .u32(UCRED.gid, c?.gid ?? -1);
      if (len > UCRED.SIZE) len = UCRED.SIZE;
      if (len) copyOut(k.mem, optval, cred.bytes.subarray(0, len));
      copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
      return 0;
    }
    default:
      if (KNOWN.has(opt)) k.unsupported(optName(opt));
      return -E.ENOPROTOOPT;
  }
  if (len > 4) len = 4;
  if (len) copyOut(k.mem, optval, new StructBuilder(4).u32(0, value).bytes.subarray(0, len));
  copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
  return 0;
}
