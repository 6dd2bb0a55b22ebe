// getsockopt(2) and setsockopt(2) at SOL_SOCKET, net/socket.c __sys_getsockopt /
// __sys_setsockopt and net/core/sock.c sk_getsockopt / sk_setsockopt. Other levels: AF_UNIX
// has no protocol options (EOPNOTSUPP); AF_INET's are inetSetsockopt / inetGetsockopt below
// (TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT; at IPPROTO_IP, on AF_INET6 sockets
// too, IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_TOS, IP_TTL; at IPPROTO_IPV6 IPV6_V6ONLY,
// IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS, IPV6_UNICAST_HOPS, IPV6_TCLASS: what
// the control messages of cmsg.ts use). Options not listed in OPTIONS are ENOPROTOOPT as for
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
  IPV6_TCLASS, IPV6_RECVERR, IPV6_MTU_DISCOVER, IPV6_FREEBIND, IPV6_TRANSPARENT, IPV6_2292PKTINFO, IPV6_2292HOPLIMIT, IPV6_2292HOPOPTS,
  IPV6_2292DSTOPTS, IPV6_2292RTHDR, IPV6_2292PKTOPTIONS, IPV6_DONTFRAG, IPV6_FLOWINFO, IPV6_RECVRTHDR, IPV6_RTHDR, IPV6_RECVHOPOPTS,
  IPV6_HOPOPTS, IPV6_RECVDSTOPTS, IPV6_DSTOPTS, IPV6_RTHDRDSTOPTS, IPV6_RECVPATHMTU, IPV6_PATHMTU, IPV6_MTU, IPV6_RECVORIGDSTADDR,
  IPV6_RECVFRAGSIZE, IPV6_AUTOFLOWLABEL, IPV6_ADDR_PREFERENCES, IPV6_MINHOPCOUNT, IPV6_UNICAST_IF, IPV6_MULTICAST_ALL,
  IPV6_ROUTER_ALERT, IPV6_ROUTER_ALERT_ISOLATE, IPV6_FLOWLABEL_MGR, IPV6_FLOWINFO_SEND, IPV6_CHECKSUM, IPV6_ADD_MEMBERSHIP,
  IPV6_DROP_MEMBERSHIP, IPV6_RECVERR_RFC4884, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST, IPV6_HDRINCL, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS,
  IP_TOS, IP_TTL, IP_HDRINCL, IP_OPTIONS, IP_RECVERR, IP_MTU_DISCOVER, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_ADD_MEMBERSHIP,
  IP_FREEBIND, IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT, IP_RECVOPTS, IP_RETOPTS, IP_RECVRETOPTS, IP_PKTOPTIONS, IP_MTU,
  IP_ROUTER_ALERT, IP_PASSSEC, IP_ORIGDSTADDR, IP_RECVORIGDSTADDR, IP_MINTTL, IP_NODEFRAG, IP_CHECKSUM, IP_RECVFRAGSIZE,
  IP_RECVERR_RFC4884, IP_UNICAST_IF, IP_MULTICAST_IF, IP_MULTICAST_ALL, IP_DROP_MEMBERSHIP, IP_IPSEC_POLICY, IP_XFRM_POLICY,
  IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, SOCK_STREAM,
} from '../abi.ts';
import { DEFAULT_TTL } from './cmsg.ts';
import { isV6only, setV6only } from './inet6.ts';
import { UCRED } from '../abi-structs.ts';
import { SOL_NETLINK } from './netlink-abi.ts';
import { sockOf } from './common.ts';
import { SK_WMEM_MAX, SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF, type UnixSock } from './unix.ts';

/** TCP options Linux has that zerosys does not provide (asking for them stops). */
const TCP_KNOWN = new Set([TCP_MAXSEG, TCP_CORK, TCP_INFO, TCP_QUICKACK, TCP_CONGESTION, TCP_USER_TIMEOUT, TCP_FASTOPEN, TCP_DEFER_ACCEPT, TCP_NOTSENT_LOWAT]);

/** IPv6 options Linux has that zerosys does not provide (asking for them stops). */
const IPV6_KNOWN = new Set([
  IPV6_ADDRFORM, IPV6_MULTICAST_IF, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP, IPV6_PKTINFO, IPV6_RECVERR, IPV6_MTU_DISCOVER,
  IPV6_FREEBIND, IPV6_TRANSPARENT, IPV6_2292PKTINFO, IPV6_2292HOPLIMIT, IPV6_2292HOPOPTS, IPV6_2292DSTOPTS, IPV6_2292RTHDR,
  IPV6_2292PKTOPTIONS, IPV6_DONTFRAG, IPV6_FLOWINFO, IPV6_RECVRTHDR, IPV6_RTHDR, IPV6_RECVHOPOPTS, IPV6_HOPOPTS, IPV6_RECVDSTOPTS,
  IPV6_DSTOPTS, IPV6_RTHDRDSTOPTS, IPV6_RECVPATHMTU, IPV6_PATHMTU, IPV6_MTU, IPV6_RECVORIGDSTADDR, IPV6_RECVFRAGSIZE,
  IPV6_AUTOFLOWLABEL, IPV6_ADDR_PREFERENCES, IPV6_MINHOPCOUNT, IPV6_UNICAST_IF, IPV6_MULTICAST_ALL, IPV6_ROUTER_ALERT,
  IPV6_ROUTER_ALERT_ISOLATE, IPV6_FLOWLABEL_MGR, IPV6_FLOWINFO_SEND, IPV6_CHECKSUM, IPV6_ADD_MEMBERSHIP, IPV6_DROP_MEMBERSHIP,
  IPV6_RECVERR_RFC4884, IPV6_JOIN_ANYCAST, IPV6_LEAVE_ANYCAST, IPV6_HDRINCL,
]);

/** IP options Linux has (do_ip_setsockopt / do_ip_getsockopt) that zerosys does not provide (asking for them stops). */
const IP_KNOWN = new Set([
  IP_HDRINCL, IP_OPTIONS, IP_RECVERR, IP_MTU_DISCOVER, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_ADD_MEMBERSHIP, IP_FREEBIND,
  IP_TRANSPARENT, IP_BIND_ADDRESS_NO_PORT, IP_RECVOPTS, IP_RETOPTS, IP_RECVRETOPTS, IP_PKTOPTIONS, IP_MTU, IP_ROUTER_ALERT,
  IP_PASSSEC, IP_ORIGDSTADDR, IP_RECVORIGDSTADDR, IP_MINTTL, IP_NODEFRAG, IP_CHECKSUM, IP_RECVFRAGSIZE, IP_RECVERR_RFC4884,
  IP_UNICAST_IF, IP_MULTICAST_IF, IP_MULTICAST_ALL, IP_DROP_MEMBERSHIP, IP_IPSEC_POLICY, IP_XFRM_POLICY,
]);

/** The IP options stored as one flag of inet->cmsg_flags each (IP_CMSG_PKTINFO, IP_CMSG_TTL, IP_CMSG_TOS). */
const IP_CMSG_FLAGS: ReadonlyMap<number, 'pktinfo' | 'recvttl' | 'recvtos'> = new Map([
  [IP_PKTINFO, 'pktinfo'],
  [IP_RECVTTL, 'recvttl'],
  [IP_RECVTOS, 'recvtos'],
] as const);

/** The IPv6 options stored as one bit of np->rxopt each. */
const IPV6_RXOPT: ReadonlyMap<number, 'rxinfo' | 'rxhlim' | 'rxtclass'> = new Map([
  [IPV6_RECVPKTINFO, 'rxinfo'],
  [IPV6_RECVHOPLIMIT, 'rxhlim'],
  [IPV6_RECVTCLASS, 'rxtclass'],
] as const);

/**
 * do_ip_setsockopt (net/ipv4/ip_sockglue.c; ipv6_setsockopt sends SOL_IP of an AF_INET6 socket
 * there too): the value is an int when optlen >= sizeof(int) (EFAULT), a byte when optlen >= 1,
 * else 0. IP_PKTINFO, IP_RECVTTL, IP_RECVTOS set or clear their flag; IP_TOS is stored as a
 * byte (a TCP socket keeps its own ECN bits, __ip_sock_set_tos); IP_TTL needs optlen >= 1 and
 * -1 (the default) or 1..255 (EINVAL). The other options Linux has stop; unknown ones ENOPROTOOPT.
 */
function ipSetsockopt(k: SyscallContext, s: UnixSock, opt: number, optval: number, optlen: number): number {
  const provided = IP_CMSG_FLAGS.has(opt) || opt === IP_TOS || opt === IP_TTL;
  if (!provided) {
    if (IP_KNOWN.has(opt)) k.unsupported(`IPPROTO_IP option ${opt}`);
    return -E.ENOPROTOOPT;
  }
  let val = 0;
  if (optlen >= 4) val = copyIn(k.mem, optval, 4).getInt32(0, true);
  else if (optlen >= 1) val = copyIn(k.mem, optval, 1).getUint8(0);
  const o = s.ipOpt;
  const flag = IP_CMSG_FLAGS.get(opt);
  if (flag) {
    o[flag] = val !== 0;
    return 0;
  }
  if (opt === IP_TOS) {
    // INET_ECN_MASK (include/net/inet_ecn.h): the two low bits.
    if (s.type === SOCK_STREAM) val = (val & ~3) | (o.tos & 3);
    o.tos = val & 0xff;
    return 0;
  }
  if (optlen < 1) return -E.EINVAL;
  if (val !== -1 && (val < 1 || val > 255)) return -E.EINVAL;
  o.ucTtl = val;
  return 0;
}

/**
 * do_ip_getsockopt: the length read (EFAULT; negative EINVAL); IP_PKTINFO, IP_RECVTTL,
 * IP_RECVTOS 0 or 1, IP_TOS the byte, IP_TTL the socket's or net.ipv4.ip_default_ttl; a length
 * of 1 to 3 with a value of 0..255 gets one byte (length 1), otherwise min(len, sizeof(int)).
 */
function ipGetsockopt(k: SyscallContext, s: UnixSock, opt: number, optval: number, optlenAddr: number): number {
  const o = s.ipOpt;
  const flag = IP_CMSG_FLAGS.get(opt);
  if (!flag && opt !== IP_TOS && opt !== IP_TTL) {
    if (IP_KNOWN.has(opt)) k.unsupported(`IPPROTO_IP option ${opt}`);
    return -E.ENOPROTOOPT;
  }
  let len = copyIn(k.mem, optlenAddr, 4).getInt32(0, true);
  if (len < 0) return -E.EINVAL;
  const val = flag ? (o[flag] ? 1 : 0) : opt === IP_TOS ? o.tos : o.ucTtl === -1 ? DEFAULT_TTL : o.ucTtl;
  if (len < 4 && len > 0 && val >= 0 && val <= 255) {
    copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, 1));
    copyOut(k.mem, optval, Uint8Array.of(val));
    return 0;
  }
  len = Math.min(len, 4);
  copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
  if (len) copyOut(k.mem, optval, new StructBuilder(4).u32(0, val >>> 0).bytes.subarray(0, len));
  return 0;
}

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
  const o = s.ipOpt;
  const bit = IPV6_RXOPT.get(opt);
  if (bit) {
    if (optlen < 4) return -E.EINVAL;
    o[bit] = val !== 0;
    return 0;
  }
  if (opt === IPV6_UNICAST_HOPS) {
    if (optlen < 4 || val > 255 || val < -1) return -E.EINVAL;
    o.hopLimit = val;
    return 0;
  }
  if (opt === IPV6_TCLASS) {
    if (optlen < 4 || val < -1 || val > 0xff) return -E.EINVAL;
    // RFC 3542, 6.5: -1 is the default traffic class, 0; a TCP socket keeps its own ECN bits.
    let tc = val === -1 ? 0 : val;
    if (s.type === SOCK_STREAM) tc = (tc & ~3) | (o.tclass & 3);
    o.tclass = tc;
    return 0;
  }
  if (IPV6_KNOWN.has(opt)) k.unsupported(`IPPROTO_IPV6 option ${opt}`);
  return -E.ENOPROTOOPT;
}

/** do_ipv6_getsockopt: the length read (EFAULT), IPV6_V6ONLY (sk_ipv6only) cut to min_t(unsigned int, len, sizeof(int)). */
function ipv6Getsockopt(k: SyscallContext, s: UnixSock, opt: number, optval: number, optlenAddr: number): number {
  const o = s.ipOpt;
  const bit = IPV6_RXOPT.get(opt);
  let val: number | undefined;
  if (opt === IPV6_V6ONLY) val = isV6only(s) ? 1 : 0;
  else if (bit) val = o[bit] ? 1 : 0;
  // np->hop_limit, else the route's, else net.ipv6.conf.all.hop_limit (64 either way on lo).
  else if (opt === IPV6_UNICAST_HOPS) val = o.hopLimit >= 0 ? o.hopLimit : DEFAULT_TTL;
  else if (opt === IPV6_TCLASS) val = o.tclass;
  if (val !== undefined) {
    const raw = copyIn(k.mem, optlenAddr, 4).getUint32(0, true);
    const len = Math.min(raw, 4);
    copyOut(k.mem, optlenAddr, new StructBuilder(4).u32(0, len));
    if (len) copyOut(k.mem, optval, new StructBuilder(4).u32(0, val).bytes.subarray(0, len));
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
  // ip_setsockopt (ipv6_setsockopt hands SOL_IP of a non-raw socket to udp_prot.setsockopt, which does too).
  if (level === IPPROTO_IP) return ipSetsockopt(k, s, opt, optval, optlen);
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
  if (level === IPPROTO_IP) return ipGetsockopt(k, s, opt, optval, optlenAddr);
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
