// Control messages on AF_INET and AF_INET6 UDP sockets (Linux 6.1): what sendmsg's control
// buffer sets for one datagram (net/ipv4/udp.c udp_cmsg_send, net/ipv4/ip_sockglue.c
// ip_cmsg_send, net/ipv6/datagram.c ip6_datagram_send_ctl, net/core/sock.c __sock_cmsg_send)
// and what recvmsg reports about it (ip_sockglue.c ip_cmsg_recv_offset, datagram.c
// ip6_datagram_recv_common_ctl / ip6_datagram_recv_specific_ctl, in udp_recvmsg's and
// udpv6_recvmsg's order), in a namespace whose only interface is lo (ifindex 1).
//
// Sent: IP_PKTINFO (ipi_spec_dst becomes the source address, routed as ip_route_output_key_hash_rcu
// checks it: a multicast, limited broadcast or 0.x.x.x source EINVAL, one off 127.0.0.0/8
// ENETUNREACH; ipi_ifindex an output interface: ENODEV unless lo), IP_TTL (1..255), IP_TOS (an int
// or a byte, 0..255), and on an AF_INET6 socket sending
// over IPv4 an IPV6_PKTINFO with an IPv4-mapped address; over IPv6, IPV6_PKTINFO (a source of
// :: or ::1, the only local address; a link-local one without an interface EINVAL; an index
// other than lo's ENODEV), IPV6_HOPLIMIT and IPV6_TCLASS (-1..255, -1 the socket's default),
// IPV6_DONTFRAG (0 or 1). Every cmsghdr must be whole (CMSG_OK, EINVAL), an unknown type of
// SOL_IP / SOL_IPV6 / SOL_SOCKET is EINVAL, other levels are skipped.
// Received (each when the socket asked for it, as a control message put_cmsg writes): over
// IPv4 IP_PKTINFO (struct in_pktinfo: lo's index and the destination as spec_dst when the
// socket asked for packet info when the datagram arrived, else 0 and 0; the destination
// address), IP_TTL (an int), IP_TOS (one byte); over IPv6 IPV6_PKTINFO (struct in6_pktinfo:
// ::1, lo), IPV6_HOPLIMIT, IPV6_TCLASS (ints); an AF_INET6 socket receiving over IPv4 gets
// IPV6_PKTINFO with the mapped address, then the IP_* ones it asked for at SOL_IP.
// Defaults: TTL and hop limit 64 (net.ipv4.ip_default_ttl, net.ipv6.conf.lo.hop_limit), TOS and
// traffic class 0.
// Stop (unsupported): SOL_UDP (UDP_SEGMENT: GSO), IP_RETOPTS (IP options), SO_MARK and
// SO_TIMESTAMPING, the IPv6 extension headers and IPV6_FLOWINFO, an IP_PKTINFO ifindex of lo
// with a destination off the loopback (Linux sends it on lo, where nobody receives it).

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import {
  AF_INET6, CAP_NET_ADMIN, CAP_NET_RAW, IPPROTO_IP, IPPROTO_IPV6, IPPROTO_UDP, IPV6_2292DSTOPTS, IPV6_2292HOPLIMIT,
  IPV6_2292HOPOPTS, IPV6_2292PKTINFO, IPV6_2292RTHDR, IPV6_DONTFRAG, IPV6_DSTOPTS, IPV6_FLOWINFO, IPV6_HOPLIMIT, IPV6_HOPOPTS,
  IPV6_PKTINFO, IPV6_RTHDR, IPV6_RTHDRDSTOPTS, IPV6_TCLASS, IP_PKTINFO, IP_RETOPTS, IP_TOS, IP_TTL, SCM_CREDENTIALS,
  SCM_RIGHTS, SCM_TXTIME, SOL_SOCKET, SO_MARK, SO_TIMESTAMPING_NEW, SO_TIMESTAMPING_OLD,
} from '../abi.ts';
import { CMSGHDR, IN6_PKTINFO, IN_PKTINFO } from '../abi-structs.ts';
import { IN6_LOOPBACK } from './inet6.ts';
import type { IpMeta, UnixSock } from './unix.ts';

/** lo's ifindex (LOOPBACK_IFINDEX), the only interface. */
export const LO_IFINDEX = 1;
/** net.ipv4.ip_default_ttl and lo's net.ipv6.conf hop_limit (both 64 by default). */
export const DEFAULT_TTL = 64;

/** CMSG_ALIGN / CMSG_LEN (include/linux/socket.h). */
const cmsgAlign = (n: number) => (n + 7) & ~7;
const cmsgLen = (n: number) => CMSGHDR.SIZE + n;

interface Cmsg {
  level: number;
  type: number;
  len: number;
  data: DataView;
}

/** for_each_cmsghdr with CMSG_OK (EINVAL for a header whose cmsg_len is below the header or past the buffer), in order. */
function* cmsgs(ctl: Uint8Array): Generator<Cmsg> {
  const v = new DataView(ctl.buffer, ctl.byteOffset, ctl.byteLength);
  for (let off = 0; off + CMSGHDR.SIZE <= ctl.length; ) {
    const len64 = v.getBigUint64(off + CMSGHDR.cmsg_len, true);
    if (len64 < BigInt(CMSGHDR.SIZE) || len64 > BigInt(ctl.length - off)) fail('EINVAL');
    const len = Number(len64);
    yield {
      level: v.getInt32(off + CMSGHDR.cmsg_level, true),
      type: v.getInt32(off + CMSGHDR.cmsg_type, true),
      len,
      data: new DataView(ctl.buffer, ctl.byteOffset + off + CMSGHDR.SIZE, len - CMSGHDR.SIZE),
    };
    off += cmsgAlign(len);
  }
}

/** What a UDP sendmsg's control messages set (struct ipcm_cookie / ipcm6_cookie). */
export interface IpSend {
  /** ipc.addr from IP_PKTINFO's ipi_spec_dst (IPv4), undefined when not given. */
  saddr?: number;
  /** ipc.oif (IP_PKTINFO / IPV6_PKTINFO ipi_ifindex), 0 when not given. */
  oif: number;
  /** ipc.ttl / ipc6.hlimit (0 / -1: the socket's). */
  ttl: number;
  /** ipc.tos / ipc6.tclass (-1: the socket's). */
  tos: number;
}

/** __sock_cmsg_send (net/core/sock.c) for a SOL_SOCKET control message of an inet socket. */
function sockCmsg(k: SyscallContext, c: Cmsg): void {
  switch (c.type) {
    case SO_MARK: {
      const caps = k.state.proc.creds;
      if (!caps.capable(CAP_NET_RAW) && !caps.capable(CAP_NET_ADMIN)) fail('EPERM');
      if (c.len !== cmsgLen(4)) fail('EINVAL');
      k.unsupported('SO_MARK control message (the packet mark is not modelled)');
    }
    // falls through (unreachable)
    case SO_TIMESTAMPING_OLD:
    case SO_TIMESTAMPING_NEW:
      if (c.len !== cmsgLen(4)) fail('EINVAL');
      k.unsupported('SO_TIMESTAMPING control message');
    // falls through (unreachable)
    case SCM_TXTIME:
      // `if (!sock_flag(sk, SOCK_TXTIME)) return -EINVAL;` (SO_TXTIME is never set here).
      fail('EINVAL');
    // falls through (unreachable)
    case SCM_RIGHTS:
    case SCM_CREDENTIALS:
      return;
    default:
      fail('EINVAL');
  }
}

/**
 * udp_cmsg_send, then (when any control message is not SOL_UDP) ip_cmsg_send for a datagram
 * going over IPv4 (allowIpv6: the socket is AF_INET6) or ip6_datagram_send_ctl over IPv6.
 */
export function udpCmsgSend(k: SyscallContext, ctl: Uint8Array, v4: boolean, allowIpv6: boolean): IpSend {
  const ipc: IpSend = { oif: 0, ttl: v4 ? 0 : -1, tos: -1 };
  let needIp = false;
  for (const c of cmsgs(ctl)) {
    if (c.level !== IPPROTO_UDP) {
      needIp = true;
      continue;
    }
    k.unsupported(`SOL_UDP control message ${c.type} (UDP_SEGMENT: GSO is not modelled)`);
  }
  if (!needIp) return ipc;
  if (v4) ipCmsgSend(k, ctl, ipc, allowIpv6);
  else ip6CmsgSend(k, ctl, ipc);
  return ipc;
}

const int = (c: Cmsg) => c.data.getInt32(0, true);

/** ip_cmsg_send (net/ipv4/ip_sockglue.c). */
function ipCmsgSend(k: SyscallContext, ctl: Uint8Array, ipc: IpSend, allowIpv6: boolean): void {
  for (const c of cmsgs(ctl)) {
    if (allowIpv6 && c.level === IPPROTO_IPV6 && c.type === IPV6_PKTINFO) {
      if (c.len < cmsgLen(IN6_PKTINFO.SIZE)) fail('EINVAL');
      const a = (i: number) => c.data.getUint32(IN6_PKTINFO.ipi6_addr + i * 4, false);
      // ipv6_addr_v4mapped
      if (a(0) !== 0 || a(1) !== 0 || a(2) !== 0xffff) fail('EINVAL');
      const ifindex = c.data.getInt32(IN6_PKTINFO.ipi6_ifindex, true);
      if (ifindex) ipc.oif = ifindex;
      ipc.saddr = a(3);
      continue;
    }
    if (c.level === SOL_SOCKET) {
      sockCmsg(k, c);
      continue;
    }
    if (c.level !== IPPROTO_IP) continue;
    switch (c.type) {
      case IP_RETOPTS:
        k.unsupported('IP_RETOPTS control message (IP options are not modelled)');
      // falls through (unreachable)
      case IP_PKTINFO: {
        if (c.len !== cmsgLen(IN_PKTINFO.SIZE)) fail('EINVAL');
        const ifindex = c.data.getInt32(IN_PKTINFO.ipi_ifindex, true);
        if (ifindex) ipc.oif = ifindex;
        ipc.saddr = c.data.getUint32(IN_PKTINFO.ipi_spec_dst, false);
        break;
      }
      case IP_TTL: {
        if (c.len !== cmsgLen(4)) fail('EINVAL');
        const val = int(c);
        if (val < 1 || val > 255) fail('EINVAL');
        ipc.ttl = val;
        break;
      }
      case IP_TOS: {
        let val: number;
        if (c.len === cmsgLen(4)) val = int(c);
        else if (c.len === cmsgLen(1)) val = c.data.getUint8(0);
        else fail('EINVAL');
        if (val < 0 || val > 255) fail('EINVAL');
        ipc.tos = val;
        break;
      }
      default:
        // IP_PROTOCOL (52) is not known here: 6.1.20 answers EINVAL (6.1.y gained it later, with
        // the UAPI name the riscv64 cross headers, 6.1.4, lack).
        fail('EINVAL');
    }
  }
}

/** ip6_datagram_send_ctl (net/ipv6/datagram.c) for a datagram to ::1. */
function ip6CmsgSend(k: SyscallContext, ctl: Uint8Array, ipc: IpSend): void {
  for (const c of cmsgs(ctl)) {
    if (c.level === SOL_SOCKET) {
      sockCmsg(k, c);
      continue;
    }
    if (c.level !== IPPROTO_IPV6) continue;
    switch (c.type) {
      case IPV6_PKTINFO:
      case IPV6_2292PKTINFO: {
        if (c.len < cmsgLen(IN6_PKTINFO.SIZE)) fail('EINVAL');
        const srcIdx = c.data.getInt32(IN6_PKTINFO.ipi6_ifindex, true);
        if (srcIdx) {
          if (ipc.oif && srcIdx !== ipc.oif) fail('EINVAL');
          ipc.oif = srcIdx;
        }
        const b = new Uint8Array(c.data.buffer, c.data.byteOffset + IN6_PKTINFO.ipi6_addr, 16);
        const any = b.every((x) => x === 0);
        const loopback = b.subarray(0, 15).every((x) => x === 0) && b[15] === 1;
        const linklocal = b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
        if (ipc.oif) {
          if (ipc.oif !== LO_IFINDEX) fail('ENODEV');
        } else if (linklocal) fail('EINVAL');
        // ipv6_chk_addr_and_flags: ::1 is the only local IPv6 address.
        if (!any && !loopback) fail('EINVAL');
        break;
      }
      case IPV6_FLOWINFO:
        if (c.len < cmsgLen(4)) fail('EINVAL');
        k.unsupported('IPV6_FLOWINFO control message (flow labels are not modelled)');
      // falls through (unreachable)
      case IPV6_2292HOPOPTS:
      case IPV6_HOPOPTS:
      case IPV6_2292DSTOPTS:
      case IPV6_DSTOPTS:
      case IPV6_RTHDRDSTOPTS:
      case IPV6_2292RTHDR:
      case IPV6_RTHDR:
        k.unsupported(`IPv6 extension header control message ${c.type}`);
      // falls through (unreachable)
      case IPV6_2292HOPLIMIT:
      case IPV6_HOPLIMIT: {
        if (c.len !== cmsgLen(4)) fail('EINVAL');
        const val = int(c);
        if (val < -1 || val > 0xff) fail('EINVAL');
        ipc.ttl = val;
        break;
      }
      case IPV6_TCLASS: {
        if (c.len !== cmsgLen(4)) fail('EINVAL');
        const tc = int(c);
        if (tc < -1 || tc > 0xff) fail('EINVAL');
        ipc.tos = tc;
        break;
      }
      case IPV6_DONTFRAG: {
        if (c.len !== cmsgLen(4)) fail('EINVAL');
        const df = int(c);
        if (df < 0 || df > 1) fail('EINVAL');
        break;
      }
      default:
        fail('EINVAL');
    }
  }
}

/**
 * The source checks of ip_route_output_key_hash_rcu for an IP_PKTINFO source and output
 * interface: a multicast, limited broadcast or 0.x.x.x source EINVAL; one that is not local
 * (__ip_dev_find: 127.0.0.0/8 is, through the local table) ENETUNREACH; an interface other than
 * lo ENODEV.
 */
export function checkIpSource(k: SyscallContext, ipc: IpSend, daddr: number): void {
  const saddr = ipc.saddr ?? 0;
  if (saddr) {
    const multicast = saddr >>> 28 === 0xe;
    if (multicast || saddr === 0xffffffff || saddr >>> 24 === 0) fail('EINVAL');
    if (saddr >>> 24 !== 127) fail('ENETUNREACH');
  }
  if (ipc.oif) {
    if (ipc.oif !== LO_IFINDEX) fail('ENODEV');
    if (daddr !== 0 && daddr >>> 24 !== 127) k.unsupported('IP_PKTINFO with lo as the interface for a destination off the loopback');
  }
}

/** The IP header fields of a datagram s sends with ipc (ip_select_ttl / ip6_sk_dst_hoplimit, iph->tos / ipc6.tclass). */
export function sentHeader(s: UnixSock, ipc: IpSend | undefined, v4: boolean): { ttl: number; tos: number } {
  const o = s.ipOpt;
  if (v4) {
    const ttl = ipc?.ttl ? ipc.ttl : o.ucTtl >= 0 ? o.ucTtl : DEFAULT_TTL;
    return { ttl, tos: ipc && ipc.tos >= 0 ? ipc.tos : o.tos };
  }
  const hl = ipc && ipc.ttl >= 0 ? ipc.ttl : o.hopLimit >= 0 ? o.hopLimit : DEFAULT_TTL;
  return { ttl: hl, tos: ipc && ipc.tos >= 0 ? ipc.tos : o.tclass };
}

/**
 * The datagram as the receiver's queue holds it (udp_queue_rcv_one_skb: ipv4_pktinfo_prepare
 * fills PKTINFO_SKB_CB when the receiver has IP_PKTINFO, or IPV6_RECVPKTINFO on an AF_INET6
 * socket: lo's index and fib_compute_spec_dst, the destination of a local route).
 */
export function receivedMeta(to: UnixSock, daddr: number, hdr: { ttl: number; tos: number }): IpMeta {
  const v6 = daddr === IN6_LOOPBACK;
  const prepare = !v6 && (to.ipOpt.pktinfo || (to.family === AF_INET6 && to.ipOpt.rxinfo));
  return { v6, daddr, ttl: hdr.ttl, tos: hdr.tos, ifindex: v6 || prepare ? LO_IFINDEX : 0, specDst: prepare ? daddr : 0 };
}

export interface PutCmsg {
  level: number;
  type: number;
  data: Uint8Array;
}

/**
 * The control messages recvmsg writes for a datagram, in order: udp_recvmsg's
 * ip_cmsg_recv_offset (IP_PKTINFO, IP_TTL, IP_TOS); udpv6_recvmsg's
 * ip6_datagram_recv_common_ctl (IPV6_PKTINFO), then for an IPv4 datagram ip_cmsg_recv_offset,
 * for an IPv6 one ip6_datagram_recv_specific_ctl (IPV6_HOPLIMIT, IPV6_TCLASS).
 */
export function udpRecvCmsgs(s: UnixSock, m: IpMeta, v6sock: boolean): PutCmsg[] {
  const o = s.ipOpt;
  const out: PutCmsg[] = [];
  const intData = (x: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, x, true);
    return b;
  };
  if (v6sock && o.rxinfo) {
    const b = new Uint8Array(IN6_PKTINFO.SIZE);
    const v = new DataView(b.buffer);
    if (m.v6) v.setUint32(IN6_PKTINFO.ipi6_addr + 12, 1, false);
    else {
      v.setUint32(IN6_PKTINFO.ipi6_addr + 8, 0xffff, false);
      v.setUint32(IN6_PKTINFO.ipi6_addr + 12, m.daddr >>> 0, false);
    }
    v.setInt32(IN6_PKTINFO.ipi6_ifindex, m.ifindex, true);
    out.push({ level: IPPROTO_IPV6, type: IPV6_PKTINFO, data: b });
  }
  if (!m.v6) {
    if (o.pktinfo) {
      const b = new Uint8Array(IN_PKTINFO.SIZE);
      const v = new DataView(b.buffer);
      v.setInt32(IN_PKTINFO.ipi_ifindex, m.ifindex, true);
      v.setUint32(IN_PKTINFO.ipi_spec_dst, m.specDst >>> 0, false);
      v.setUint32(IN_PKTINFO.ipi_addr, m.daddr >>> 0, false);
      out.push({ level: IPPROTO_IP, type: IP_PKTINFO, data: b });
    }
    if (o.recvttl) out.push({ level: IPPROTO_IP, type: IP_TTL, data: intData(m.ttl) });
    if (o.recvtos) out.push({ level: IPPROTO_IP, type: IP_TOS, data: Uint8Array.of(m.tos) });
    return out;
  }
  if (o.rxhlim) out.push({ level: IPPROTO_IPV6, type: IPV6_HOPLIMIT, data: intData(m.ttl) });
  if (o.rxtclass) out.push({ level: IPPROTO_IPV6, type: IPV6_TCLASS, data: intData(m.tos) });
  return out;
}

