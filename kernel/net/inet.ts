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
// Not modelled: TIME_WAIT (a closed connection's port is free at once), SYN retransmission
// (a connect to a full backlog waits, or with O_NONBLOCK is queued anyway), ICMP errors other
// than port unreachable on a connected UDP socket, multicast and broadcast.

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { E } from '../errno.ts';
import {
  AF_INET, AF_UNSPEC, CAP_NET_BIND_SERVICE, IN_LOOPBACKNET, INADDR_ANY, INADDR_LOOPBACK, IPPROTO_ICMP, IPPROTO_IP, IPPROTO_MAX, IPPROTO_MPTCP,
  IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, MSG_OOB, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM,
} from '../abi.ts';
import { SOCKADDR_IN } from '../abi-structs.ts';
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
export function inetProtocol(k: SyscallContext, type: number, protocol: number): number {
  if (protocol < 0 || protocol >= IPPROTO_MAX) return -E.EINVAL;
  switch (type) {
    case SOCK_STREAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_TCP) return IPPROTO_TCP;
      if (protocol === IPPROTO_MPTCP) k.unsupported('MPTCP sockets (IPPROTO_MPTCP)');
      return -E.EPROTONOSUPPORT;
    case SOCK_DGRAM:
      if (protocol === IPPROTO_IP || protocol === IPPROTO_UDP) return IPPROTO_UDP;
      if (protocol === IPPROTO_ICMP) k.unsupported('ICMP ping sockets (SOCK_DGRAM, IPPROTO_ICMP)');
      if (protocol === IPPROTO_UDPLITE) k.unsupported('UDP-Lite sockets (IPPROTO_UDPLITE)');
      return -E.EPROTONOSUPPORT;
    case SOCK_RAW:
      k.unsupported('raw IPv4 sockets (SOCK_RAW)');
    // falls through (unreachable)
    default:
      return -E.ESOCKTNOSUPPORT;
  }
}

/** tcp_init_sock / udp_init_sock: the protocol and its initial buffer sizes. */
export function initInet(s: UnixSock, protocol: number): void {
  s.family = AF_INET;
  s.protocol = protocol;
  if (protocol === IPPROTO_TCP) {
    s.sndbuf = TCP_WMEM_DEFAULT;
    s.rcvbuf = TCP_RMEM_DEFAULT;
  }
}

/** inet_getname: the local (or with `peer`, the remote) address; ENOTCONN for a peer not connected. */
export function inetName(s: UnixSock, peer: boolean): Uint8Array {
  if (!peer) return sinBytes(s.laddr, s.lport);
  if (!s.rport || s.state !== 'established') fail('ENOTCONN');
  return sinBytes(s.raddr, s.rport);
}

/** Do a and b, both bound to `port`, overlap (inet_rcv_saddr_equal with wildcards)? */
const addrOverlap = (a: number, b: number) => a === INADDR_ANY || b === INADDR_ANY || a === b;

/**
 * Would binding s to addr:port conflict with a socket already there?
 * TCP (inet_csk_bind_conflict with relax, as inet_csk_get_port checks a given port): no
 * conflict when both have SO_REUSEADDR and the other is not listening, or both have
 * SO_REUSEPORT (one user). UDP (udp_lib_lport_inuse): none when both have SO_REUSEADDR, or
 * both SO_REUSEPORT.
 */
function conflicts(net: NetState, s: UnixSock, addr: number, port: number, strict: boolean): boolean {
  for (const o of net.inetBound) {
    if (o === s || o.protocol !== s.protocol || o.lport !== port || !addrOverlap(o.laddr, addr)) continue;
    if (strict) return true;
    if (s.reuseaddr && o.reuseaddr && (s.protocol === IPPROTO_UDP || o.state !== 'listen')) continue;
    if (s.reuseport && o.reuseport) continue;
    return true;
  }
  return false;
}

/** The next free ephemeral port of s's protocol (the deterministic sequence above), or 0. */
export function ephemeralPort(net: NetState, s: UnixSock, addr: number): number {
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
    port = ephemeralPort(net, s, addr);
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
  if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
  const a = parseSin(raw);
  if (a.family !== AF_INET && (a.family !== AF_UNSPEC || a.addr !== INADDR_ANY)) fail('EAFNOSUPPORT');
  const multicast = a.addr >>> 28 === 0xe;
  const broadcast = a.addr >>> 24 === 0 || a.addr === 0xffffffff;
  if (!(a.addr === INADDR_ANY || isLoopback(a.addr) || multicast || broadcast)) fail('EADDRNOTAVAIL');
  if (a.port && a.port < 1024 && !k.state.proc.creds.capable(CAP_NET_BIND_SERVICE)) fail('EACCES');
  if (s.state !== 'close' || s.lport) fail('EINVAL');
  if (!getPort(s.net, s, a.addr, a.port)) fail('EADDRINUSE');
  s.addrLock = a.addr !== INADDR_ANY;
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

/** The listener for a SYN to daddr:dport (__inet_lookup_listener: an exact address before the wildcard). */
function findListener(net: NetState, daddr: number, dport: number): UnixSock | undefined {
  let best: UnixSock | undefined;
  for (const o of net.inetBound) {
    if (o.protocol !== IPPROTO_TCP || o.state !== 'listen' || o.lport !== dport || o.dead || o.shutdown & RCV_SHUTDOWN) continue;
    if (o.laddr === daddr) return o;
    if (o.laddr === INADDR_ANY) best ??= o;
  }
  return best;
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
  const a = raw.length >= SOCKADDR_IN.SIZE ? parseSin(raw) : { family: new DataView(raw.buffer, raw.byteOffset).getUint16(0, true), addr: 0, port: 0 };
  if (a.family === AF_UNSPEC) {
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
  if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
  if (a.family !== AF_INET) fail('EAFNOSUPPORT');
  const { daddr, saddr } = route(s.laddr, a.addr);
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
  initInet(server, IPPROTO_TCP);
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
  server.peercred = cred;
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
export function udpConnect(s: UnixSock, raw: Uint8Array): number {
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
  if (raw.length < SOCKADDR_IN.SIZE) fail('EINVAL');
  const a = parseSin(raw);
  if (a.family !== AF_INET) fail('EAFNOSUPPORT');
  const { daddr, saddr } = route(s.laddr, a.addr);
  if (!s.laddr) s.laddr = saddr;
  s.raddr = daddr;
  s.rport = a.port;
  s.state = 'established';
  s.changed();
  return 0;
}

/** The UDP socket a datagram to daddr:dport from saddr:sport is delivered to (__udp4_lib_lookup's best score; the latest bound wins a tie). */
function findUdp(net: NetState, daddr: number, dport: number, saddr: number, sport: number): UnixSock | undefined {
  let best: UnixSock | undefined;
  let bestScore = -1;
  for (const o of net.inetBound) {
    if (o.protocol !== IPPROTO_UDP || o.lport !== dport || o.dead) continue;
    let score = 0;
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
 */
export function udpSend(file: SocketFile, data: Uint8Array, flags: number, name: Uint8Array | undefined, cred: Ucred): number {
  const s = file.sock;
  inetAutobind(s);
  if (data.length > 0xffff) fail('EMSGSIZE');
  if (flags & MSG_OOB) fail('EOPNOTSUPP');
  let daddr: number;
  let dport: number;
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
  const r = route(s.laddr, daddr);
  if (data.length > UDP_MAX_PAYLOAD) fail('EMSGSIZE');
  const e = s.takeError();
  if (e) return -e;
  if (s.shutdown & SEND_SHUTDOWN) fail('EPIPE');
  const to = findUdp(s.net, r.daddr, dport, r.saddr, s.lport);
  if (!to) {
    if (s.state === 'established') {
      s.err = ECONNREFUSED_NO;
      s.queue.notify();
    }
    return data.length;
  }
  const queued = to.recvq.reduce((n, m) => n + m.data.length, 0);
  if (queued + data.length <= to.rcvbuf) {
    to.recvq.push({ data: data.slice(), off: 0, from: s, cred, src: sinBytes(r.saddr, s.lport) });
    to.changed();
  }
  return data.length;
}
