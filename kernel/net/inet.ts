// AF_INET on a private loopback (Linux 6.1 net/ipv4/af_inet.c, tcp_ipv4.c, udp.c, route.c):
// the guest has its own network namespace whose only interface is `lo` (127.0.0.0/8), so
// nothing ever reaches the host's network. TCP rides the AF_UNIX stream machinery (unix.ts:
// a connection is a pair of socks with a listener's queue of embryos), UDP the datagram one
// (message boundaries, MSG_TRUNC), with addresses, ports and the IPv4 error paths here.
//
// Routing (ip_route_output_key_hash_rcu in a namespace with only lo): 0.0.0.0 as a
// destination means the loopback (the socket's own address, else 127.0.0.1); 127.0.0.0/8 is
// local, with 127.0.0.1 as the preferred source (the `local 127.0.0.0/8 ... src 127.0.0.1`
// route); any other destination has no route: ENETUNREACH.
//
// Ephemeral ports (net.ipv4.ip_local_port_range 32768-60999): Linux starts its search at a
// random offset (bind prefers odd ports, connect even ones); zerosys hands out
// 32768, 32769, 32770, ... in the order sockets ask (bind to port 0, listen or connect or
// sendto unbound, for TCP and UDP alike), skipping a port some socket of the same protocol
// holds, and wraps after 60999. EADDRINUSE when the whole range is taken (EAGAIN for an
// autobind, as inet_autobind answers).
//
// AF_INET6 (inet6.ts) shares all of this: its sockets are the same socks with family
// AF_INET6, ::1 as an extra local address, and IPv4-mapped addresses going the IPv4 way.
//
// Not modelled: TIME_WAIT (a closed connection's port is free at once), SYN retransmission
// (a connect to a full backlog waits, or with O_NONBLOCK is queued anyway), ICMP errors other
// than port unreachable on a connected UDP socket, multicast and broadcast.

import type { SyscallContext } from '../context.ts';
import { ZerosysStop } from '../api.ts';
import { fail } from '../errors.ts';
import { E } from '../errno.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, CAP_NET_BIND_SERVICE, IPPROTO_ICMPV6, IN_LOOPBACKNET, INADDR_ANY, INADDR_LOOPBACK, IPPROTO_ICMP, IPPROTO_IP, IPPROTO_MAX, IPPROTO_MPTCP,
  IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, MSG_MORE, MSG_OOB, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM,
} from '../abi.ts';
import { SOCKADDR_IN } from '../abi-structs.ts';
import { IN6_LOOPBACK, isV4, isV6only, needSin6, parseSin6, setV6only, sin6Bytes, UDP6_MAX_PAYLOAD, type Sin6 } from './inet6.ts';
import { checkIpSource, receivedMeta, sentHeader, udpCmsgSend, type IpSend } from './cmsg.ts';
import { ECONNREFUSED_NO, NetState, RCV_SHUTDOWN, SEND_SHUTDOWN, SHUTDOWN_MASK, SocketFile, UnixSock, type Ucred } from './unix.ts';

/** net.ipv4.ip_local_port_range. */
export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 60999;
/** sysctl net.ipv4.tcp_wmem[1] / tcp_rmem[1]: a TCP socket's initial SO_SNDBUF / SO_RCVBUF. */
export const TCP_WMEM_DEFAULT = 16384;
export const TCP_RMEM_DEFAULT = 131072;
/** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
const UDP_MAX_PAYLOAD = 65507;

export interface Sin {
  family: number;
  addr: number;
  port: number;
}

/** The sockaddr_in fields (host byte order) of `raw`, which holds at least sizeof(sockaddr_in) bytes. */
export function parseSin(raw: Uint8Array): Sin {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  return { family: v.getUint16(SOCKADDR_IN.sin_family, true), port: v.getUint16(SOCKADDR_IN.sin_port, false), addr: v.getUint32(SOCKADDR_IN.sin_addr, false) };
}

/** A struct sockaddr_in for addr:port (host byte order; network order in the bytes). */
export function sinBytes(addr: number, port: number): Uint8Array {
  const b = new Uint8Array(SOCKADDR_IN.SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(SOCKADDR_IN.sin_family, AF_INET, true);
  v.setUint16(SOCKADDR_IN.sin_port, port, false);
  v.setUint32(SOCKADDR_IN.sin_addr, addr >>> 0, false);
  return b;
}

export const isLoopback = (addr: number) => addr >>> 24 === IN_LOOPBACKNET;

/**
 * inet_create's protocol lookup in inetsw[type]: the protocol to use or a negative errno.
 * A protocol outside 0..IPPROTO_MAX-1 is EINVAL; TCP for SOCK_STREAM, UDP for SOCK_DGRAM
 * (0 picks them); another protocol of the type EPROTONOSUPPORT; a type without protocols
 * ESOCKTNOSUPPORT. Ping sockets, UDP-Lite, MPTCP and raw sockets stop (not provided).
 */
export function inetProtocol(k: SyscallContext, type: number, protocol: number, family = AF_INET): number {
  const v6 = family === AF_INET6;
  if (protocol < 0 || protocol >= IPPROTO_MAX) return -E.EINVAL;
  switch (type) {
    case SOCK_STREAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_TCP) return IPPROTO_TCP;
      if (protocol === IPPROTO_MPTCP) k.unsupported('MPTCP sockets (IPPROTO_MPTCP)');
      return -E.EPROTONOSUPPORT;
    case SOCK_DGRAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_UDP) return IPPROTO_UDP;
      if (!v6 && protocol === IPPROTO_ICMP) k.unsupported('ICMP ping sockets (SOCK_DGRAM, IPPROTO_ICMP)');
      if (v6 && protocol === IPPROTO_ICMPV6) k.unsupported('ICMPv6 ping sockets (SOCK_DGRAM, IPPROTO_ICMPV6)');
      if (protocol === IPPROTO_UDPLITE) k.unsupported('UDP-Lite sockets (IPPROTO_UDPLITE)');
      return -E.EPROTONOSUPPORT;
    case SOCK_RAW:
      k.unsupported(v6 ? 'raw IPv6 sockets (SOCK_RAW)' : 'raw IPv4 sockets (SOCK_RAW)');
    // falls through (unreachable)
    default:
      return -E.ESOCKTNOSUPPORT;
  }
}

/** tcp_init_sock / udp_init_sock: the protocol and its initial buffer sizes (inet6_create: sk_ipv6only = net.ipv6.bindv6only, 0). */
export function initInet(s: UnixSock, protocol: number, family = AF_INET): void {
  s.family = family;
  s.protocol = protocol;
  if (protocol === IPPROTO_TCP) {
    s.sndbuf = TCP_WMEM_DEFAULT;
    s.rcvbuf = TCP_RMEM_DEFAULT;
  }
}

/** An address of `family` for an internal address and port: sockaddr_in, or sockaddr_in6 (IPv4 mapped). */
export function inetAddrBytes(family: number, addr: number, port: number): Uint8Array {
  return family === AF_INET6 ? sin6Bytes(addr, port) : sinBytes(addr, port);
}

/** inet_getname / inet6_getname: the local (or with `peer`, the remote) address; ENOTCONN for a peer not connected. */
export function inetName(s: UnixSock, peer: boolean): Uint8Array {
  if (!peer) return inetAddrBytes(s.family, s.laddr, s.lport);
  if (!s.rport || s.state !== 'established') fail('ENOTCONN');
  return inetAddrBytes(s.family, s.raddr, s.rport);
}

/**
 * inet_rcv_saddr_equal(s, o, match_wildcard) with s about to hold `addr`: do the two bindings
 * overlap? IPv4 (ipv4_rcv_saddr_equal): never with a V6ONLY socket, else the same IPv4 address
 * or either a wildcard (a dual-stack :: is 0.0.0.0 there). IPv6 (ipv6_rcv_saddr_equal): two
 * IPv4(-mapped) addresses as IPv4; two :: always; a :: overlaps anything except a V6ONLY ::
 * against a mapped address; else the same IPv6 address.
 */
function addrOverlap(s: UnixSock, addr: number, o: UnixSock): boolean {
  const oaddr = o.laddr;
  if (s.family !== AF_INET6) {
    if (o.family === AF_INET6 && isV6only(o)) return false;
    return addr === oaddr || addr === INADDR_ANY || oaddr === INADDR_ANY;
  }
  const mapped1 = isV4(addr);
  const mapped2 = o.family !== AF_INET6 || isV4(oaddr);
  if (mapped1 && mapped2) return !(o.family === AF_INET6 && isV6only(o)) && (addr === oaddr || oaddr === INADDR_ANY);
  if (o.family !== AF_INET6) {
    // o is IPv4 (mapped for the comparison): only a wildcard s matches it.
    return addr === 0 && !isV6only(s);
  }
  if (addr === 0 && oaddr === 0) return true;
  if (oaddr === 0 && !(isV6only(o) && mapped1)) return true;
  if (addr === 0 && !(isV6only(s) && mapped2)) return true;
  return addr === oaddr;
}

/**
 * Would binding s to addr:port conflict with a socket already there?
 * TCP (inet_csk_bind_conflict with relax, as inet_csk_get_port checks a given port): no
 * conflict when both have SO_REUSEADDR and the other is not listening, or both have
 * SO_REUSEPORT (one user). UDP (udp_lib_lport_inuse): none when both have SO_REUSEADDR, or
 * both SO_REUSEPORT.
 */
function conflicts(net: NetState, s: UnixSock, addr: number, port: number, strict: boolean): boolean {
  for (const o of net.inetBound) {
    if (o === s || o.protocol !== s.protocol || o.lport !== port || !addrOverlap(s, addr, o)) continue;
    if (strict) return true;
    if (s.reuseaddr && o.reuseaddr && (s.protocol === IPPROTO_UDP || o.state !== 'listen')) continue;
    if (s.reuseport && o.reuseport) continue;
    return true;
  }
  return false;
}

/** The next free ephemeral port of s's protocol (the deterministic sequence above), or 0. */
export function ephemeralPort(net: NetState, s: UnixSock): number {
  const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
  for (let i = 0; i < span; i++) {
    const port = EPHEMERAL_LOW + (net.ephemeralNext++ % span);
    if (!net.inetBound.some((o) => o !== s && o.protocol === s.protocol && o.lport === port)) return port;
  }
  return 0;
}

/** Take addr:port (0: an ephemeral one) for s; false when it is in use (or none is free). */
function getPort(net: NetState, s: UnixSock, addr: number, port: number): boolean {
  if (!port) {
    port = ephemeralPort(net, s);
    if (!port) return false;
  } else if (conflicts(net, s, addr, port, false)) return false;
  s.laddr = addr;
  s.lport = port;
  net.inetBound.push(s);
  return true;
}

/** inet_autobind: an ephemeral port on the wildcard address (EAGAIN when none is free). */
export function inetAutobind(s: UnixSock): void {
  if (s.lport) return;
  if (!getPort(s.net, s, INADDR_ANY, 0)) fail('EAGAIN');
}

/** Give the port back (tcp_set_state(TCP_CLOSE) / udp_disconnect) unless the user bound it. */
function putPort(s: UnixSock): void {
  if (s.portLock) return;
  const i = s.net.inetBound.indexOf(s);
  if (i >= 0) s.net.inetBound.splice(i, 1);
  s.lport = 0;
  if (!s.addrLock) s.laddr = 0;
}

/**
 * inet_bind → __inet_bind, in its order: a length below sizeof(sockaddr_in) EINVAL; a family
 * other than AF_INET EAFNOSUPPORT (AF_UNSPEC with INADDR_ANY is accepted); an address that is
 * not local (inet_addr_valid_or_nonlocal: the wildcard, 127/8, multicast and broadcast
 * addresses pass) EADDRNOTAVAIL; a port below net.ipv4.ip_unprivileged_port_start (1024)
 * needs CAP_NET_BIND_SERVICE (EACCES); a socket bound already or not closed EINVAL;
 * the port taken EADDRINUSE.
 */
export function inetBind(k: SyscallContext, s: UnixSock, raw: Uint8Array): void {
  if (s.family === AF_INET6) return inet6Bind(k, s, raw);
  if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
  const a = parseSin(raw);
  if (a.family !== AF_INET && (a.family !== AF_UNSPEC || a.addr !== INADDR_ANY)) fail('EAFNOSUPPORT');
  if (!v4Bindable(a.addr)) fail('EADDRNOTAVAIL');
  if (a.port && a.port < 1024 && !k.state.proc.creds.capable(CAP_NET_BIND_SERVICE)) fail('EACCES');
  if (s.state !== 'close' || s.lport) fail('EINVAL');
  if (!getPort(s.net, s, a.addr, a.port)) fail('EADDRINUSE');
  s.addrLock = a.addr !== INADDR_ANY;
  s.portLock = a.port !== 0;
}

/** inet_addr_valid_or_nonlocal: the wildcard, 127/8, multicast and broadcast addresses are local enough to bind. */
function v4Bindable(addr: number): boolean {
  const multicast = addr >>> 28 === 0xe;
  const broadcast = addr >>> 24 === 0 || addr === 0xffffffff;
  return addr === INADDR_ANY || isLoopback(addr) || multicast || broadcast;
}

/** lo's ifindex, the only interface (sin6_scope_id / sk_bound_dev_if). */
const LO_IFINDEX = 1;

/**
 * inet6_bind → __inet6_bind, in its order: a length below SIN6_LEN_RFC2133 EINVAL; a family
 * other than AF_INET6 EAFNOSUPPORT; a multicast address on a stream socket EINVAL; a port
 * below 1024 without CAP_NET_BIND_SERVICE EACCES; a socket bound already or not closed
 * EINVAL; then the address: IPv4-mapped on a V6ONLY socket EINVAL, else the IPv4 checks
 * (EADDRNOTAVAIL off the loopback); a link-local address needs sin6_scope_id (EINVAL without,
 * ENODEV for an interface other than lo, EADDRNOTAVAIL on lo, which has none); ::1 is lo's
 * (sin6_scope_id ignored), any other address EADDRNOTAVAIL. Binding a non-mapped specific
 * address makes the socket V6ONLY (kept only if the port is free: EADDRINUSE).
 */
function inet6Bind(k: SyscallContext, s: UnixSock, raw: Uint8Array): void {
  needSin6(raw);
  const a = parseSin6(raw);
  if (a.family !== AF_INET6) fail('EAFNOSUPPORT');
  if (a.kind === 'multicast' && s.type === SOCK_STREAM) fail('EINVAL');
  if (a.port && a.port < 1024 && !k.state.proc.creds.capable(CAP_NET_BIND_SERVICE)) fail('EACCES');
  if (s.state !== 'close' || s.lport) fail('EINVAL');
  switch (a.kind) {
    case 'mapped':
      if (isV6only(s)) fail('EINVAL');
      if (!v4Bindable(a.addr)) fail('EADDRNOTAVAIL');
      if (a.addr === INADDR_ANY) k.unsupported('binding the IPv4-mapped wildcard ::ffff:0.0.0.0');
      break;
    case 'linklocal':
      if (!a.scopeId) fail('EINVAL');
      if (a.scopeId !== LO_IFINDEX) fail('ENODEV');
      fail('EADDRNOTAVAIL');
    // falls through (unreachable)
    case 'multicast':
      k.unsupported('binding an IPv6 multicast address');
    // falls through (unreachable)
    case 'other':
      fail('EADDRNOTAVAIL');
    // falls through (unreachable)
    default:
  }
  const saved = isV6only(s);
  if (a.kind === 'loopback') setV6only(s, true);
  if (!getPort(s.net, s, a.addr, a.port)) {
    setV6only(s, saved);
    fail('EADDRINUSE');
  }
  s.addrLock = a.kind !== 'any';
  s.portLock = a.port !== 0;
}

/**
 * The route to `addr` from a socket bound to `laddr` (ip_route_connect in a namespace with only
 * lo): the destination (0.0.0.0 is the loopback) and the source; ENETUNREACH off the loopback.
 */
export function route(laddr: number, addr: number): { daddr: number; saddr: number } {
  if (addr === INADDR_ANY) addr = laddr || INADDR_LOOPBACK;
  if (!isLoopback(addr)) fail('ENETUNREACH');
  return { daddr: addr, saddr: laddr || INADDR_LOOPBACK };
}

/**
 * The IPv4 address a socket bound to `laddr` sends from over IPv4 (an AF_INET6 socket bound to
 * :: or a mapped address; one bound to ::1 is V6ONLY and never gets here).
 */
const v4Source = (laddr: number) => (laddr === IN6_LOOPBACK ? 0 : laddr);

/**
 * The route from an AF_INET6 socket to `a` (tcp_v6_connect, __ip6_datagram_connect,
 * udpv6_sendmsg in a namespace with only lo): :: means the loopback (127.0.0.1 mapped when the
 * socket is bound to a mapped address, else ::1); an IPv4-mapped destination goes the IPv4 way
 * (ENETUNREACH on a V6ONLY socket, then route()); ::1 is lo's (EAFNOSUPPORT from a mapped
 * source, ip6_dst_lookup_tail); a link-local destination needs an interface (EINVAL without a
 * sin6_scope_id); anything else has no route (ENETUNREACH).
 */
export function route6(s: UnixSock, a: Sin6): { daddr: number; saddr: number } {
  let { kind, addr } = a;
  if (kind === 'any') {
    addr = isV4(s.laddr) ? INADDR_LOOPBACK : IN6_LOOPBACK;
    kind = isV4(s.laddr) ? 'mapped' : 'loopback';
  }
  if (kind === 'mapped') {
    if (isV6only(s)) fail('ENETUNREACH');
    return route(v4Source(s.laddr), addr);
  }
  if (kind === 'linklocal' && !a.scopeId) fail('EINVAL');
  if (kind !== 'loopback') fail('ENETUNREACH');
  if (isV4(s.laddr)) fail('EAFNOSUPPORT');
  return { daddr: IN6_LOOPBACK, saddr: s.laddr || IN6_LOOPBACK };
}

/**
 * The listener for a SYN to daddr:dport. Over IPv6 (::1; inet6_lookup_listener): AF_INET6
 * listeners bound to ::1, else to ::. Over IPv4 (__inet_lookup_listener): AF_INET listeners
 * and dual-stack AF_INET6 ones, an exact address before the wildcard, AF_INET first on a tie
 * (compute_score's family point).
 */
function findListener(net: NetState, daddr: number, dport: number): UnixSock | undefined {
  let best: UnixSock | undefined;
  let bestScore = 0;
  const v6 = daddr === IN6_LOOPBACK;
  for (const o of net.inetBound) {
    if (o.protocol !== IPPROTO_TCP || o.state !== 'listen' || o.lport !== dport || o.dead || o.shutdown & RCV_SHUTDOWN) continue;
    if (v6 ? o.family !== AF_INET6 : o.family === AF_INET6 && isV6only(o)) continue;
    if (o.laddr !== daddr && o.laddr !== INADDR_ANY) continue;
    const score = (o.laddr === daddr ? 4 : 1) + (o.family === AF_INET ? 1 : 0);
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The destination of a TCP connect: tcp_v4_connect (a length below sizeof(sockaddr_in)
 * EINVAL, a family other than AF_INET EAFNOSUPPORT, route()) or tcp_v6_connect (below
 * SIN6_LEN_RFC2133 EINVAL, not AF_INET6 EAFNOSUPPORT, a multicast address ENETUNREACH,
 * route6()).
 */
function tcpDest(s: UnixSock, raw: Uint8Array): { daddr: number; saddr: number; port: number } {
  if (s.family === AF_INET6) {
    needSin6(raw);
    const a = parseSin6(raw);
    if (a.family !== AF_INET6) fail('EAFNOSUPPORT');
    if (a.kind === 'multicast') fail('ENETUNREACH');
    return { ...route6(s, a), port: a.port };
  }
  if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
  const a = parseSin(raw);
  if (a.family !== AF_INET) fail('EAFNOSUPPORT');
  return { ...route(s.laddr, a.addr), port: a.port };
}

/**
 * inet_stream_connect (__inet_stream_connect) and tcp_v4_connect, in order: a length below
 * sizeof(sa_family) EINVAL; AF_UNSPEC disconnects; by socket state: connected EISCONN,
 * connecting (after EINPROGRESS) 0 once established or the error that closed it (ECONNABORTED
 * if already reported), EALREADY otherwise; a socket not closed (a listener) EISCONN; then
 * tcp_v4_connect: a length below sizeof(sockaddr_in) EINVAL, a family other than AF_INET
 * EAFNOSUPPORT, the route (ENETUNREACH), an ephemeral port when unbound, and the SYN: with no
 * listener an RST (ECONNREFUSED; the ephemeral port is given back); a listener's full queue
 * makes a blocking caller wait; a connection is queued for accept. O_NONBLOCK: EINPROGRESS,
 * the outcome then shows in poll and SO_ERROR.
 */
export function tcpConnect(k: SyscallContext, file: SocketFile, raw: Uint8Array, cred: Ucred): number {
  const s = file.sock;
  if (raw.length < 2) fail('EINVAL');
  if (new DataView(raw.buffer, raw.byteOffset).getUint16(0, true) === AF_UNSPEC) {
    // tcp_disconnect: a listener or connection is dropped (our peer sees a reset).
    s.connecting = false;
    if (s.state !== 'close') tcpAbort(s);
    return 0;
  }
  if (s.connecting) {
    if (s.state === 'established') {
      s.connecting = false;
      return 0;
    }
    s.connecting = false;
    const e = s.takeError();
    return -(e || E.ECONNABORTED);
  }
  // SS_CONNECTED stays after the connection dies (raddr kept): EISCONN; a listener too.
  if (s.state !== 'close' || s.raddr) return -E.EISCONN;
  const a = tcpDest(s, raw);
  const { daddr, saddr } = a;
  const listener = findListener(s.net, daddr, a.port);
  if (listener && listener.recvqFull() && !file.nonblock) s.wait(false, 'connect to a TCP listener whose accept queue is full', [listener]);
  if (!s.lport) {
    // inet_hash_connect: an ephemeral port (EADDRNOTAVAIL when none is free).
    if (!getPort(s.net, s, INADDR_ANY, 0)) fail('EADDRNOTAVAIL');
  }
  if (!s.laddr) s.laddr = saddr;
  s.err = 0;
  s.shutdown = 0;
  s.finRcvd = false;
  if (!listener) {
    // The SYN meets no listener: tcp_v4_send_reset, tcp_reset in SYN_SENT → ECONNREFUSED.
    putPort(s);
    if (file.nonblock) {
      s.err = ECONNREFUSED_NO;
      s.shutdown = SHUTDOWN_MASK;
      s.connecting = true;
      s.queue.notify();
      return -E.EINPROGRESS;
    }
    return -E.ECONNREFUSED;
  }
  const server = new UnixSock(s.net, s.env, SOCK_STREAM, s.net.allocIno());
  initInet(server, IPPROTO_TCP, listener.family);
  if (isV6only(listener)) setV6only(server, true);
  server.laddr = daddr;
  server.lport = listener.lport;
  server.raddr = s.laddr;
  server.rport = s.lport;
  server.reuseaddr = listener.reuseaddr;
  server.reuseport = listener.reuseport;
  server.nodelay = listener.nodelay;
  server.keepIdle = listener.keepIdle;
  server.keepIntvl = listener.keepIntvl;
  server.keepCnt = listener.keepCnt;
  server.sndbuf = listener.sndbuf;
  server.rcvbuf = listener.rcvbuf;
  server.peer = s;
  server.state = 'established';
  s.net.inetBound.push(server);
  s.peer = server;
  s.raddr = daddr;
  s.rport = a.port;
  s.state = 'established';
  listener.recvq.push({ data: new Uint8Array(0), off: 0, from: s, cred, conn: server });
  listener.changed();
  s.changed();
  if (file.nonblock) {
    s.connecting = true;
    return -E.EINPROGRESS;
  }
  return 0;
}

/** tcp_disconnect of a connection or listener: the peer (or each embryo's client) gets a reset. */
function tcpAbort(s: UnixSock): void {
  const other = s.peer;
  if (other && other.peer === s) {
    other.err = E.ECONNRESET;
    other.shutdown = SHUTDOWN_MASK;
    other.state = 'close';
    other.queue.notify();
  }
  for (const m of s.recvq) m.conn?.release(true);
  s.recvq.length = 0;
  s.peer = undefined;
  s.state = 'close';
  s.raddr = s.rport = 0;
  s.shutdown = 0;
  putPort(s);
  s.queue.notify();
}

/** inet_listen: a listener closed by SHUT_RD (inet_shutdown's disconnect). */
export function tcpListenerShutdown(s: UnixSock): void {
  tcpAbort(s);
}

/**
 * inet_dgram_connect and ip4_datagram_connect: a length below sizeof(sa_family) EINVAL;
 * AF_UNSPEC disconnects (udp_disconnect: the port goes back unless bound by the user);
 * autobind; a length below sizeof(sockaddr_in) EINVAL; a family other than AF_INET
 * EAFNOSUPPORT; the route (ENETUNREACH); the source address is fixed to the route's.
 */
export function udpConnect(k: SyscallContext, s: UnixSock, raw: Uint8Array): number {
  if (raw.length < 2) fail('EINVAL');
  const family = new DataView(raw.buffer, raw.byteOffset).getUint16(0, true);
  if (family === AF_UNSPEC) {
    s.state = 'close';
    s.raddr = s.rport = 0;
    s.peer = undefined;
    if (!s.addrLock) s.laddr = 0;
    putPort(s);
    s.changed();
    return 0;
  }
  inetAutobind(s);
  let a: { daddr: number; saddr: number; port: number };
  if (s.family === AF_INET6 && family !== AF_INET) {
    // __ip6_datagram_connect: below SIN6_LEN_RFC2133 EINVAL, not AF_INET6 EAFNOSUPPORT, route6().
    needSin6(raw);
    const b = parseSin6(raw);
    if (b.family !== AF_INET6) fail('EAFNOSUPPORT');
    if (b.kind === 'multicast') k.unsupported('connecting a UDP socket to an IPv6 multicast address');
    a = { ...route6(s, b), port: b.port };
  } else {
    // __ip4_datagram_connect (an AF_INET6 socket takes a sockaddr_in too, unless V6ONLY: EAFNOSUPPORT).
    if (s.family === AF_INET6 && isV6only(s)) fail('EAFNOSUPPORT');
    if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
    const b = parseSin(raw);
    if (b.family !== AF_INET) fail('EAFNOSUPPORT');
    a = { ...route(v4Source(s.laddr), b.addr), port: b.port };
  }
  if (!s.laddr) s.laddr = a.saddr;
  s.raddr = a.daddr;
  s.rport = a.port;
  s.state = 'established';
  s.changed();
  return 0;
}

/**
 * The UDP socket a datagram to daddr:dport from saddr:sport is delivered to (__udp4_lib_lookup /
 * __udp6_lib_lookup's best score; the latest bound wins a tie): over IPv6 (to ::1) AF_INET6
 * sockets only; over IPv4 AF_INET ones and dual-stack AF_INET6 ones, AF_INET scoring higher.
 */
function findUdp(net: NetState, daddr: number, dport: number, saddr: number, sport: number): UnixSock | undefined {
  let best: UnixSock | undefined;
  let bestScore = -1;
  const v6 = daddr === IN6_LOOPBACK;
  for (const o of net.inetBound) {
    if (o.protocol !== IPPROTO_UDP || o.lport !== dport || o.dead) continue;
    if (v6 ? o.family !== AF_INET6 : o.family === AF_INET6 && isV6only(o)) continue;
    let score = v6 || o.family === AF_INET ? 2 : 1;
    if (o.laddr !== INADDR_ANY) {
      if (o.laddr !== daddr) continue;
      score += 4;
    }
    if (o.state === 'established') {
      if (o.raddr !== saddr || o.rport !== sport) continue;
      score += 4;
    }
    if (score >= bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

/**
 * inet_sendmsg (autobind first) and udp_sendmsg: more than 65535 bytes EMSGSIZE; MSG_OOB
 * EOPNOTSUPP; an address shorter than sockaddr_in EINVAL, of another family (AF_UNSPEC
 * passes) EAFNOSUPPORT, with port 0 EINVAL; no address on an unconnected socket
 * EDESTADDRREQ; the route (ENETUNREACH); more than 65507 bytes EMSGSIZE; a pending error
 * (sock_alloc_send_skb), SHUT_WR EPIPE. The datagram goes to the receive queue of the
 * socket bound there, or is dropped: nobody there (a connected sender then gets ECONNREFUSED
 * from the ICMP port unreachable, __udp4_lib_err), or the receiver's buffer full.
 *
 * MSG_MORE corks (udp_sendmsg's corkreq): the data is held as the start of one datagram to
 * this send's destination (up->pending, inet->cork.fl); while frames are pending, a send
 * appends to them whatever address it names (`if (up->pending) { ... goto do_append_data; }`,
 * before the address is looked at; udpv6_sendmsg checks its address first), and the first one
 * without MSG_MORE sends the whole datagram (udp_push_pending_frames). An append past the
 * largest datagram is EMSGSIZE and drops what was pending (ip_append_data fails,
 * udp_flush_pending_frames). Closing the socket drops it too (udp_destroy_sock).
 */
export function udpSend(file: SocketFile, data: Uint8Array, flags: number, name: Uint8Array | undefined, cred: Ucred, ctl?: Uint8Array, kc?: SyscallContext): number {
  const k = kc ?? { unsupported: (what: string): never => { throw new ZerosysStop(`unsupported ${what} in a UDP send`); } } as unknown as SyscallContext;
  const s = file.sock;
  inetAutobind(s);
  if (data.length > 0xffff) fail('EMSGSIZE');
  if (flags & MSG_OOB) fail('EOPNOTSUPP');
  if (s.cork && s.family !== AF_INET6) return udpAppend(s, data, flags, cred);
  let dest6: Sin6 | undefined;
  let dport: number;
  if (s.family === AF_INET6 && name && name.length) {
    // udpv6_sendmsg: shorter than the family EINVAL; AF_INET goes to udp_sendmsg (below);
    // AF_UNSPEC is no address; another family EINVAL; below SIN6_LEN_RFC2133 EINVAL.
    if (name.length < 2) fail('EINVAL');
    const family = new DataView(name.buffer, name.byteOffset).getUint16(0, true);
    if (family === AF_UNSPEC) name = undefined;
    else if (family === AF_INET6) {
      needSin6(name);
      const a = parseSin6(name);
      if (a.kind === 'multicast') k.unsupported('sending to an IPv6 multicast address');
      if (a.kind === 'mapped' && isV6only(s)) fail('ENETUNREACH');
      if (a.port === 0) fail('EINVAL');
      dest6 = a;
      dport = a.port;
    } else if (family === AF_INET) {
      if (isV6only(s)) fail('ENETUNREACH');
    } else fail('EINVAL');
  }
  if (s.cork) return udpAppend(s, data, flags, cred);
  let r: { daddr: number; saddr: number };
  let ipc: IpSend | undefined;
  let v4: boolean;
  if (dest6) {
    // The control messages (udp_cmsg_send, then ip_cmsg_send once udp_sendmsg has the mapped
    // address, or ip6_datagram_send_ctl), before the route.
    v4 = dest6.kind === 'mapped' || (dest6.kind === 'any' && isV4(s.laddr));
    if (ctl) ipc = udpCmsgSend(k, ctl, v4, true);
    if (ipc && v4) checkIpSource(k, ipc, dest6.addr);
    r = route6(s, dest6);
    if (ipc?.saddr !== undefined && v4) r = { daddr: r.daddr, saddr: ipc.saddr || INADDR_LOOPBACK };
  } else if (s.family === AF_INET6 && !name?.length) {
    if (s.state !== 'established') fail('EDESTADDRREQ');
    if (isV4(s.raddr) && isV6only(s)) fail('ENETUNREACH');
    v4 = isV4(s.raddr);
    if (ctl) ipc = udpCmsgSend(k, ctl, v4, true);
    if (ipc && v4) checkIpSource(k, ipc, s.raddr);
    r = { daddr: s.raddr, saddr: v4 && ipc?.saddr !== undefined ? ipc.saddr || INADDR_LOOPBACK : s.laddr };
    dport = s.rport;
  } else {
    let daddr: number;
    if (name && name.length) {
      if (name.length < SOCKADDR_IN.SIZE) fail('EINVAL');
      const a = parseSin(name);
      if (a.family !== AF_INET && a.family !== AF_UNSPEC) fail('EAFNOSUPPORT');
      if (a.port === 0) fail('EINVAL');
      daddr = a.addr;
      dport = a.port;
    } else {
      if (s.state !== 'established') fail('EDESTADDRREQ');
      daddr = s.raddr;
      dport = s.rport;
    }
    v4 = true;
    if (ctl) ipc = udpCmsgSend(k, ctl, true, s.family === AF_INET6);
    // udp_sendmsg: `saddr = ipc.addr;` (the socket's source, or IP_PKTINFO's ipi_spec_dst).
    let saddr = v4Source(s.laddr);
    if (ipc) {
      checkIpSource(k, ipc, daddr);
      if (ipc.saddr !== undefined) saddr = ipc.saddr;
    }
    r = route(saddr, daddr);
  }
  if (data.length > udpMaxPayload(r.daddr)) fail('EMSGSIZE');
  const e = s.takeError();
  if (e) return -e;
  if (s.shutdown & SEND_SHUTDOWN) fail('EPIPE');
  const hdr = sentHeader(s, ipc, v4);
  if (flags & MSG_MORE) {
    s.cork = { data: data.slice(), daddr: r.daddr, saddr: r.saddr, dport: dport!, ...hdr };
    return data.length;
  }
  udpDeliver(s, r.daddr, dport!, r.saddr, data, cred, hdr);
  return data.length;
}

const udpMaxPayload = (daddr: number) => (daddr === IN6_LOOPBACK ? UDP6_MAX_PAYLOAD : UDP_MAX_PAYLOAD);

/** do_append_data in udp_sendmsg: more data for the pending datagram; without MSG_MORE it goes. */
function udpAppend(s: UnixSock, data: Uint8Array, flags: number, cred: Ucred): number {
  const c = s.cork!;
  if (c.data.length + data.length > udpMaxPayload(c.daddr)) {
    s.cork = undefined;
    fail('EMSGSIZE');
  }
  const joined = new Uint8Array(c.data.length + data.length);
  joined.set(c.data);
  joined.set(data, c.data.length);
  c.data = joined;
  if (flags & MSG_MORE) return data.length;
  s.cork = undefined;
  udpDeliver(s, c.daddr, c.dport, c.saddr, c.data, cred, { ttl: c.ttl, tos: c.tos });
  return data.length;
}

/**
 * udp_send_skb over lo: to the socket bound at daddr:dport (dropped when its buffer is full),
 * or an ICMP port unreachable. __udp4_lib_err (__udp6_lib_err) finds the sender by the
 * datagram's own addresses, so a connected socket only hears of it for a datagram to its peer
 * (another destination's error finds no socket), and sets sk_err only when connected
 * (`if (!harderr || sk->sk_state != TCP_ESTABLISHED) goto out;` without IP_RECVERR).
 */
function udpDeliver(s: UnixSock, daddr: number, dport: number, saddr: number, data: Uint8Array, cred: Ucred, hdr: { ttl: number; tos: number }): void {
  const to = findUdp(s.net, daddr, dport, saddr, s.lport);
  if (!to) {
    if (s.state === 'established' && s.raddr === daddr && s.rport === dport) {
      s.err = ECONNREFUSED_NO;
      s.queue.notify();
    }
    return;
  }
  const queued = to.recvq.reduce((n, m) => n + m.data.length, 0);
  if (queued + data.length <= to.rcvbuf) {
    to.recvq.push({ data: data.slice(), off: 0, from: s, cred, src: inetAddrBytes(to.family, saddr, s.lport), ip: receivedMeta(to, daddr, hdr) });
    to.changed();
  }
}
