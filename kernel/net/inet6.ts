// AF_INET6 on the private loopback (Linux 6.1 net/ipv6/af_inet6.c inet6_create / __inet6_bind /
// inet6_getname, ipv6_sockglue.c IPV6_V6ONLY, tcp_ipv6.c tcp_v6_connect, datagram.c
// __ip6_datagram_connect, udp.c udpv6_sendmsg): the namespace's only interface `lo` has ::1 and
// 127.0.0.0/8. An AF_INET6 socket is an AF_INET one (inet.ts, the same UnixSock) whose
// addresses are shown as struct sockaddr_in6; a dual-stack socket (IPV6_V6ONLY off, the
// net.ipv6.bindv6only = 0 default) also reaches the IPv4 loopback through IPv4-mapped
// addresses (::ffff:127.x.x.x), which Linux hands to the IPv4 code (tcp_v4_connect,
// udp_sendmsg), so the port space is shared with AF_INET per protocol.
//
// Addresses are kept as one number for both families (UnixSock.laddr / raddr): an IPv4
// address (on an AF_INET6 socket, the IPv4-mapped one), 0 the wildcard (:: or 0.0.0.0), or
// IN6_LOOPBACK for ::1 (only ever on an AF_INET6 socket). ::ffff:0.0.0.0 (a mapped wildcard
// that accepts IPv4 only) is not modelled: binding it stops.

import { fail } from '../errors.ts';
import { AF_INET6 } from '../abi.ts';
import { SOCKADDR_IN6 } from '../abi-structs.ts';
import type { UnixSock } from './unix.ts';

/** The internal number of ::1 (outside the 32-bit IPv4 range). */
export const IN6_LOOPBACK = 2 ** 32;
/** SIN6_LEN_RFC2133 (include/linux/ipv6.h, not UAPI): sockaddr_in6 without sin6_scope_id. */
export const SIN6_LEN_RFC2133 = SOCKADDR_IN6.sin6_scope_id;
/** The largest UDP payload over IPv6: 65535 - 8 (UDP header; the IPv6 header is not in the payload length). */
export const UDP6_MAX_PAYLOAD = 65527;

/** sk_ipv6only of AF_INET6 sockets (IPV6_V6ONLY, or set by binding a non-mapped address). */
const v6only = new WeakSet<UnixSock>();
export const isV6only = (s: UnixSock) => v6only.has(s);
export function setV6only(s: UnixSock, on: boolean): void {
  if (on) v6only.add(s);
  else v6only.delete(s);
}

/** ipv6_addr_type's classes, as far as the loopback namespace tells them apart. */
export type Addr6Kind = 'any' | 'loopback' | 'mapped' | 'multicast' | 'linklocal' | 'other';

export interface Sin6 {
  family: number;
  port: number;
  kind: Addr6Kind;
  /** The internal number (see above) for any, loopback and mapped; 0 otherwise. */
  addr: number;
  scopeId: number;
}

/** The fields of a struct sockaddr_in6 in `raw` (at least SIN6_LEN_RFC2133 bytes; sin6_scope_id 0 when shorter). */
export function parseSin6(raw: Uint8Array): Sin6 {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const a = raw.subarray(SOCKADDR_IN6.sin6_addr, SOCKADDR_IN6.sin6_addr + 16);
  const w = [0, 4, 8, 12].map((i) => v.getUint32(SOCKADDR_IN6.sin6_addr + i, false));
  let kind: Addr6Kind;
  let addr = 0;
  if (!w[0] && !w[1] && !w[2] && !w[3]) kind = 'any';
  else if (!w[0] && !w[1] && !w[2] && w[3] === 1) {
    kind = 'loopback';
    addr = IN6_LOOPBACK;
  } else if (!w[0] && !w[1] && w[2] === 0xffff) {
    kind = 'mapped';
    addr = w[3];
  } else if (a[0] === 0xff) kind = 'multicast';
  else if (a[0] === 0xfe && (a[1] & 0xc0) === 0x80) kind = 'linklocal';
  else kind = 'other';
  return {
    family: v.getUint16(SOCKADDR_IN6.sin6_family, true),
    port: v.getUint16(SOCKADDR_IN6.sin6_port, false),
    kind,
    addr,
    scopeId: raw.length >= SOCKADDR_IN6.SIZE ? v.getUint32(SOCKADDR_IN6.sin6_scope_id, true) : 0,
  };
}

/** A struct sockaddr_in6 for an internal address and port (IPv4 addresses mapped; flowinfo and scope id 0). */
export function sin6Bytes(addr: number, port: number): Uint8Array {
  const b = new Uint8Array(SOCKADDR_IN6.SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(SOCKADDR_IN6.sin6_family, AF_INET6, true);
  v.setUint16(SOCKADDR_IN6.sin6_port, port, false);
  if (addr === IN6_LOOPBACK) v.setUint32(SOCKADDR_IN6.sin6_addr + 12, 1, false);
  else if (addr) {
    v.setUint32(SOCKADDR_IN6.sin6_addr + 8, 0xffff, false);
    v.setUint32(SOCKADDR_IN6.sin6_addr + 12, addr >>> 0, false);
  }
  return b;
}

/** Is the internal address an IPv4 one (mapped on an AF_INET6 socket)? The wildcard is not. */
export const isV4 = (addr: number) => addr !== 0 && addr !== IN6_LOOPBACK;

/** Fail with EINVAL when `raw` is shorter than SIN6_LEN_RFC2133 (inet6_bind, tcp_v6_connect, ...). */
export function needSin6(raw: Uint8Array): void {
  if (raw.length < SIN6_LEN_RFC2133) fail('EINVAL');
}
