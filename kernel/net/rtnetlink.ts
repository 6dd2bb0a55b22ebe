// NETLINK_ROUTE requests and their answers, for the guest's network namespace: `lo` alone
// (ifindex 1, up), with 127.0.0.1/8 and ::1/128. After Linux 6.1:
//   net/netlink/af_netlink.c  netlink_rcv_skb (the request loop), netlink_ack (NLMSG_ERROR),
//                             netlink_dump_start / netlink_dump / netlink_dump_done (NLMSG_DONE)
//   net/core/rtnetlink.c      rtnetlink_rcv_msg, rtnl_dump_ifinfo, rtnl_fill_ifinfo, rtnl_dump_all
//   net/ipv4/devinet.c        inet_dump_ifaddr, inet_fill_ifaddr (127.0.0.1/8: inetdev_event's NETDEV_UP of lo)
//   net/ipv6/addrconf.c       inet6_dump_ifaddr, inet6_fill_ifaddr (::1/128: init_loopback)
//
// Provided: RTM_GETLINK and RTM_GETADDR dumps (NLM_F_DUMP), answered as Linux chunks them:
// each dump call fills one skb, so a link dump reads as [RTM_NEWLINK lo] then [NLMSG_DONE], an
// AF_UNSPEC address dump as [127.0.0.1] [::1] [NLMSG_DONE] (rtnl_dump_all stops after each
// family that wrote something), AF_INET or AF_INET6 as [address] [NLMSG_DONE]; acks and
// errors (NLM_F_ACK, a type past RTM_MAX: EOPNOTSUPP, a second dump while one runs: EBUSY);
// control messages and messages without NLM_F_REQUEST are only acked; an empty request is
// ignored (rtnetlink_rcv_msg's `if (nlmsg_len(nlh) < sizeof(struct rtgenmsg)) return 0;`).
// Not provided (they stop): other message types (routes, neighbours, rules, ...), GET
// requests without NLM_F_DUMP (rtnl_getlink's doit), changes (NEW/DEL/SET: they need
// CAP_NET_ADMIN, EPERM without it), AF_INET6's own link dump (inet6_dump_ifinfo).
//
// What RTM_NEWLINK for lo carries, in rtnl_fill_ifinfo's order: IFLA_IFNAME, TXQLEN,
// OPERSTATE, LINKMODE, MTU, MIN_MTU, MAX_MTU, GROUP, PROMISCUITY, ALLMULTI, NUM_TX_QUEUES,
// GSO_MAX_SEGS, GSO_MAX_SIZE, GRO_MAX_SIZE, TSO_MAX_SIZE, TSO_MAX_SEGS, NUM_RX_QUEUES,
// CARRIER, QDISC, CARRIER_CHANGES, CARRIER_UP_COUNT, CARRIER_DOWN_COUNT, PROTO_DOWN, MAP,
// ADDRESS, BROADCAST, STATS64, STATS, XDP. Left out: IFLA_AF_SPEC (the per-family
// configuration: AF_INET's devconf array, AF_INET6's flags, conf, statistics). The traffic
// counters are zero (Linux counts the loopback's packets); the address timestamps
// (IFA_CACHEINFO cstamp/tstamp) are 0, as for addresses made at boot.
//
// Attribute alignment follows riscv64: without CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS (not
// selected by arch/riscv in 6.1) a 64-bit attribute (IFLA_MAP, IFLA_STATS64) gets an IFLA_PAD
// before it when the skb's tail is 8-byte aligned (include/net/netlink.h
// nla_need_padding_for_64bit); an skb's data is taken to start 8-byte aligned.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { AF_INET, AF_INET6, AF_UNSPEC, CAP_NET_ADMIN, INADDR_LOOPBACK } from '../abi.ts';
import {
  ARPHRD_LOOPBACK, IFA_ADDRESS, IFA_CACHEINFO, IFA_CACHEINFO_STRUCT, IFA_FLAGS, IFA_F_PERMANENT, IFA_LABEL, IFA_LOCAL, IFA_PROTO,
  IFADDRMSG, IFAPROT_KERNEL_LO, IFF_LOOPBACK, IFF_LOWER_UP, IFF_RUNNING, IFF_UP, IFINFOMSG, IFLA_ADDRESS, IFLA_ALLMULTI, IFLA_BROADCAST,
  IFLA_CARRIER, IFLA_CARRIER_CHANGES, IFLA_CARRIER_DOWN_COUNT, IFLA_CARRIER_UP_COUNT, IFLA_GRO_MAX_SIZE, IFLA_GROUP, IFLA_GSO_MAX_SEGS,
  IFLA_GSO_MAX_SIZE, IFLA_IFNAME, IFLA_LINKMODE, IFLA_MAP, IFLA_MAX_MTU, IFLA_MIN_MTU, IFLA_MTU, IFLA_NUM_RX_QUEUES, IFLA_NUM_TX_QUEUES,
  IFLA_OPERSTATE, IFLA_PAD, IFLA_PROMISCUITY, IFLA_PROTO_DOWN, IFLA_QDISC, IFLA_STATS, IFLA_STATS64, IFLA_TSO_MAX_SEGS, IFLA_TSO_MAX_SIZE,
  IFLA_TXQLEN, IFLA_XDP, IFLA_XDP_ATTACHED, IF_LINK_MODE_DEFAULT, IF_OPER_UNKNOWN, NLA_ALIGNTO, NLA_HDRLEN, NLATTR, NLMSG_ALIGNTO, NLMSG_DONE,
  NLMSG_ERROR, NLMSG_HDRLEN, NLMSG_MIN_TYPE, NLMSGERR, NLMSGHDR, NLM_F_ACK, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST,
  RTGENMSG, RTM_BASE, RTM_GETADDR, RTM_GETLINK, RTM_MAX, RTM_NEWADDR, RTM_NEWLINK, RTNL_LINK_IFMAP, RTNL_LINK_STATS, RTNL_LINK_STATS64,
  RT_SCOPE_HOST, XDP_ATTACHED_NONE,
} from './netlink-abi.ts';
import { queueSkb } from './netlink.ts';
import type { UnixSock } from './unix.ts';

/** rtnl_msgtype_kind (include/net/rtnetlink.h, not UAPI): the low two bits, RTNL_KIND_NEW, DEL, GET, SET. */
const RTNL_KIND_MASK = 0x3;
const RTNL_KIND_GET = 2;
/** INFINITY_LIFE_TIME (include/net/addrconf.h, not UAPI): an address that never expires. */
const INFINITY_LIFE_TIME = 0xffffffff;

const align = (n: number, to: number) => (n + to - 1) & ~(to - 1);
const nlmsgAlign = (n: number) => align(n, NLMSG_ALIGNTO);
const nlaAlign = (n: number) => align(n, NLA_ALIGNTO);

/** An skb being filled: nlmsg_put, nla_put and the nest helpers over a growing buffer. */
export class NlSkb {
  private buf = new Uint8Array(512);
  len = 0;

  private put(n: number): number {
    if (this.len + n > this.buf.length) {
      const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
    }
    const at = this.len;
    this.buf.fill(0, at, at + n);
    this.len += n;
    return at;
  }
  private view(): DataView {
    return new DataView(this.buf.buffer);
  }

  /** nlmsg_put: the header and room for a zeroed payload of `payload` bytes; the header's offset. */
  msg(portid: number, seq: number, type: number, payload: number, flags: number): number {
    const h = this.put(NLMSG_HDRLEN + nlmsgAlign(payload));
    const v = this.view();
    v.setUint32(h + NLMSGHDR.nlmsg_len, NLMSG_HDRLEN + payload, true);
    v.setUint16(h + NLMSGHDR.nlmsg_type, type, true);
    v.setUint16(h + NLMSGHDR.nlmsg_flags, flags, true);
    v.setUint32(h + NLMSGHDR.nlmsg_seq, seq >>> 0, true);
    v.setUint32(h + NLMSGHDR.nlmsg_pid, portid >>> 0, true);
    return h;
  }
  /** The payload of the message at h, to fill. */
  data(h: number): DataView {
    return new DataView(this.buf.buffer, h + NLMSG_HDRLEN);
  }
  /** nlmsg_end: the message's length is what was put since its header. */
  end(h: number): void {
    this.view().setUint32(h + NLMSGHDR.nlmsg_len, this.len - h, true);
  }
  /** nla_put: header, data, zero padding to NLA_ALIGNTO. */
  attr(type: number, data: Uint8Array = new Uint8Array(0)): number {
    const at = this.put(nlaAlign(NLA_HDRLEN + data.length));
    const v = this.view();
    v.setUint16(at + NLATTR.nla_len, NLA_HDRLEN + data.length, true);
    v.setUint16(at + NLATTR.nla_type, type, true);
    this.buf.set(data, at + NLA_HDRLEN);
    return at;
  }
  u8(type: number, x: number): void {
    this.attr(type, Uint8Array.of(x));
  }
  u32(type: number, x: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, x >>> 0, true);
    this.attr(type, b);
  }
  /** nla_put_string: the text and its NUL. */
  str(type: number, s: string): void {
    this.attr(type, Buffer.from(`${s}\0`, 'latin1'));
  }
  /** nla_put_64bit: an IFLA_PAD-style empty attribute first when the tail is 8-byte aligned (see above). */
  attr64(type: number, data: Uint8Array, padType: number): void {
    if (this.len % 8 === 0) this.attr(padType);
    this.attr(type, data);
  }
  /** nla_nest_start_noflag / nla_nest_end. */
  nest(type: number): number {
    return this.attr(type);
  }
  nestEnd(at: number): void {
    this.view().setUint16(at + NLATTR.nla_len, this.len - at, true);
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** lo as the namespace's loopback_net_init made it and dev_open brought it up. */
export const LO = {
  ifindex: 1,
  name: 'lo',
  /** dev_get_flags: IFF_LOOPBACK (gen_lo_setup), IFF_UP, and IFF_RUNNING / IFF_LOWER_UP (running, carrier on). */
  flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP,
  /** loopback_setup: gen_lo_setup(dev, (64 * 1024), ...). */
  mtu: 64 * 1024,
  /** alloc_netdev_mqs: DEFAULT_TX_QUEUE_LEN; qdisc noqueue (IFF_NO_QUEUE). */
  txqlen: 1000,
  qdisc: 'noqueue',
  /** GSO_MAX_SEGS, GSO_LEGACY_MAX_SIZE, GRO_LEGACY_MAX_SIZE (alloc_netdev_mqs); gen_lo_setup: netif_set_tso_max_size(dev, GSO_MAX_SIZE), 8 * GSO_MAX_SEGS; TSO_MAX_SEGS. */
  gsoMaxSegs: 65535,
  gsoMaxSize: 65536,
  groMaxSize: 65536,
  tsoMaxSize: 8 * 65535,
  tsoMaxSegs: 65535,
  /** dev->addr_len ETH_ALEN, dev_addr and broadcast all zeros. */
  addrLen: 6,
} as const;

/** rtnl_fill_ifinfo for lo (RTM_NEWLINK, NLM_F_MULTI in a dump). */
export function fillLink(skb: NlSkb, portid: number, seq: number): void {
  const h = skb.msg(portid, seq, RTM_NEWLINK, IFINFOMSG.SIZE, NLM_F_MULTI);
  const ifm = skb.data(h);
  ifm.setUint8(IFINFOMSG.ifi_family, AF_UNSPEC);
  ifm.setUint16(IFINFOMSG.ifi_type, ARPHRD_LOOPBACK, true);
  ifm.setInt32(IFINFOMSG.ifi_index, LO.ifindex, true);
  ifm.setUint32(IFINFOMSG.ifi_flags, LO.flags, true);
  ifm.setUint32(IFINFOMSG.ifi_change, 0, true);
  skb.str(IFLA_IFNAME, LO.name);
  skb.u32(IFLA_TXQLEN, LO.txqlen);
  skb.u8(IFLA_OPERSTATE, IF_OPER_UNKNOWN);
  skb.u8(IFLA_LINKMODE, IF_LINK_MODE_DEFAULT);
  skb.u32(IFLA_MTU, LO.mtu);
  skb.u32(IFLA_MIN_MTU, 0);
  skb.u32(IFLA_MAX_MTU, 0);
  skb.u32(IFLA_GROUP, 0);
  skb.u32(IFLA_PROMISCUITY, 0);
  skb.u32(IFLA_ALLMULTI, 0);
  skb.u32(IFLA_NUM_TX_QUEUES, 1);
  skb.u32(IFLA_GSO_MAX_SEGS, LO.gsoMaxSegs);
  skb.u32(IFLA_GSO_MAX_SIZE, LO.gsoMaxSize);
  skb.u32(IFLA_GRO_MAX_SIZE, LO.groMaxSize);
  skb.u32(IFLA_TSO_MAX_SIZE, LO.tsoMaxSize);
  skb.u32(IFLA_TSO_MAX_SEGS, LO.tsoMaxSegs);
  skb.u32(IFLA_NUM_RX_QUEUES, 1);
  skb.u8(IFLA_CARRIER, 1);
  skb.str(IFLA_QDISC, LO.qdisc);
  skb.u32(IFLA_CARRIER_CHANGES, 0);
  skb.u32(IFLA_CARRIER_UP_COUNT, 0);
  skb.u32(IFLA_CARRIER_DOWN_COUNT, 0);
  // rtnl_fill_proto_down: IFLA_PROTO_DOWN, no reasons.
  skb.u8(IFLA_PROTO_DOWN, 0);
  // rtnl_fill_link_ifmap: a zeroed struct rtnl_link_ifmap, nla_put_64bit.
  skb.attr64(IFLA_MAP, new Uint8Array(RTNL_LINK_IFMAP.SIZE), IFLA_PAD);
  skb.attr(IFLA_ADDRESS, new Uint8Array(LO.addrLen));
  skb.attr(IFLA_BROADCAST, new Uint8Array(LO.addrLen));
  // rtnl_fill_stats: nla_reserve_64bit(IFLA_STATS64), then IFLA_STATS.
  skb.attr64(IFLA_STATS64, new Uint8Array(RTNL_LINK_STATS64.SIZE), IFLA_PAD);
  skb.attr(IFLA_STATS, new Uint8Array(RTNL_LINK_STATS.SIZE));
  // rtnl_xdp_fill: nothing attached.
  const xdp = skb.nest(IFLA_XDP);
  skb.u8(IFLA_XDP_ATTACHED, XDP_ATTACHED_NONE);
  skb.nestEnd(xdp);
  skb.end(h);
}

function cacheinfo(skb: NlSkb): void {
  // put_cacheinfo(skb, cstamp, tstamp, INFINITY_LIFE_TIME, INFINITY_LIFE_TIME) of a permanent address.
  const b = new Uint8Array(IFA_CACHEINFO_STRUCT.SIZE);
  const v = new DataView(b.buffer);
  v.setUint32(IFA_CACHEINFO_STRUCT.ifa_prefered, INFINITY_LIFE_TIME, true);
  v.setUint32(IFA_CACHEINFO_STRUCT.ifa_valid, INFINITY_LIFE_TIME, true);
  skb.attr(IFA_CACHEINFO, b);
}

function ifaddrmsg(skb: NlSkb, h: number, family: number, prefixlen: number): void {
  const ifa = skb.data(h);
  ifa.setUint8(IFADDRMSG.ifa_family, family);
  ifa.setUint8(IFADDRMSG.ifa_prefixlen, prefixlen);
  ifa.setUint8(IFADDRMSG.ifa_flags, IFA_F_PERMANENT);
  ifa.setUint8(IFADDRMSG.ifa_scope, RT_SCOPE_HOST);
  ifa.setUint32(IFADDRMSG.ifa_index, LO.ifindex, true);
}

/** inet_fill_ifaddr for 127.0.0.1/8 on lo: permanent, host scope, label "lo", no broadcast, no protocol. */
export function fillAddr4(skb: NlSkb, portid: number, seq: number): void {
  const h = skb.msg(portid, seq, RTM_NEWADDR, IFADDRMSG.SIZE, NLM_F_MULTI);
  ifaddrmsg(skb, h, AF_INET, 8);
  const addr = new Uint8Array(4);
  new DataView(addr.buffer).setUint32(0, INADDR_LOOPBACK, false);
  skb.attr(IFA_ADDRESS, addr);
  skb.attr(IFA_LOCAL, addr);
  skb.str(IFA_LABEL, LO.name);
  skb.u32(IFA_FLAGS, IFA_F_PERMANENT);
  cacheinfo(skb);
  skb.end(h);
}

/** inet6_fill_ifaddr for ::1/128 on lo (init_loopback: add_addr(..., IFA_HOST, IFAPROT_KERNEL_LO)). */
export function fillAddr6(skb: NlSkb, portid: number, seq: number): void {
  const h = skb.msg(portid, seq, RTM_NEWADDR, IFADDRMSG.SIZE, NLM_F_MULTI);
  ifaddrmsg(skb, h, AF_INET6, 128);
  const addr = new Uint8Array(16);
  addr[15] = 1;
  skb.attr(IFA_ADDRESS, addr);
  cacheinfo(skb);
  skb.u32(IFA_FLAGS, IFA_F_PERMANENT);
  skb.u8(IFA_PROTO, IFAPROT_KERNEL_LO);
  skb.end(h);
}

type Fill = (skb: NlSkb, portid: number, seq: number) => void;

/**
 * The skbs a dump fills, one per netlink_dump call, or undefined when no family has a dumpit
 * for the type (EOPNOTSUPP). rtnetlink_rcv_msg takes the family's handler, else PF_UNSPEC's:
 * RTM_GETLINK is rtnl_dump_ifinfo for every family but AF_INET6 (inet6_dump_ifinfo: stops
 * here); RTM_GETADDR is inet_dump_ifaddr (AF_INET), inet6_dump_ifaddr (AF_INET6) or
 * rtnl_dump_all over both (any other family).
 */
function dumpParts(k: SyscallContext, type: number, family: number): Fill[][] {
  if (type === RTM_GETLINK) {
    if (family === AF_INET6) k.unsupported('an RTM_GETLINK dump for AF_INET6 (inet6_dump_ifinfo)');
    return [[fillLink]];
  }
  if (type === RTM_GETADDR) {
    if (family === AF_INET) return [[fillAddr4]];
    if (family === AF_INET6) return [[fillAddr6]];
    return [[fillAddr4], [fillAddr6]];
  }
  return k.unsupported(`rtnetlink message type ${type} with NLM_F_DUMP (only RTM_GETLINK and RTM_GETADDR dumps are provided)`);
}

/** netlink_dump: the next part of the running dump, or NLMSG_DONE (netlink_dump_done) when none is left. */
export function continueDump(s: UnixSock): void {
  const d = s.nl?.dump;
  if (!d) return;
  const skb = d.next();
  if (skb) queueSkb(s, skb, 0);
}

function startDump(s: UnixSock, parts: Fill[][], portid: number, seq: number): void {
  let i = 0;
  s.nl!.dump = {
    next: () => {
      const skb = new NlSkb();
      if (i < parts.length) {
        for (const fill of parts[i++]) fill(skb, portid, seq);
        return skb.bytes();
      }
      // nlmsg_put_answer(skb, cb, NLMSG_DONE, sizeof(nlk->dump_done_errno), NLM_F_MULTI | cb->answer_flags)
      const h = skb.msg(portid, seq, NLMSG_DONE, 4, NLM_F_MULTI);
      skb.data(h).setInt32(0, 0, true);
      skb.end(h);
      s.nl!.dump = undefined;
      return skb.bytes();
    },
  };
  continueDump(s);
}

/** netlink_dump_start's answer: the dump runs, no ack even with NLM_F_ACK. */
const STARTED = Symbol('dump started');

/**
 * rtnetlink_rcv_msg: a type past RTM_MAX EOPNOTSUPP; a payload shorter than struct rtgenmsg
 * is ignored; kinds other than GET need CAP_NET_ADMIN (EPERM); a GET with NLM_F_DUMP starts
 * a dump (EBUSY while one runs).
 */
function rcvMsg(k: SyscallContext, s: UnixSock, msg: Uint8Array, portid: number): number | typeof STARTED {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.length);
  const type = v.getUint16(NLMSGHDR.nlmsg_type, true);
  const flags = v.getUint16(NLMSGHDR.nlmsg_flags, true);
  if (type > RTM_MAX) return -E.EOPNOTSUPP;
  if (msg.length - NLMSG_HDRLEN < RTGENMSG.SIZE) return 0;
  const family = msg[NLMSG_HDRLEN + RTGENMSG.rtgen_family];
  const kind = (type - RTM_BASE) & RTNL_KIND_MASK;
  if (kind !== RTNL_KIND_GET) {
    if (!k.state.proc.creds.capable(CAP_NET_ADMIN)) return -E.EPERM;
    return k.unsupported(`rtnetlink message type ${type} (changes to the network configuration)`);
  }
  if (!(flags & NLM_F_DUMP)) return k.unsupported(`rtnetlink message type ${type} without NLM_F_DUMP`);
  const parts = dumpParts(k, type, family);
  if (s.nl!.dump) return -E.EBUSY;
  startDump(s, parts, portid, v.getUint32(NLMSGHDR.nlmsg_seq, true));
  return STARTED;
}

/**
 * netlink_ack: NLMSG_ERROR with the error and the request's header (flag NLM_F_CAPPED), or
 * for an error the whole request (NETLINK_CAP_ACK is never set here); no extended-ack TLVs
 * (NETLINK_EXT_ACK is not provided).
 */
export function ackMessage(msg: Uint8Array, err: number, portid: number): Uint8Array {
  const v = new DataView(msg.buffer, msg.byteOffset, msg.length);
  const len = v.getUint32(NLMSGHDR.nlmsg_len, true);
  const full = err !== 0;
  const payload = NLMSGERR.SIZE + (full ? len - NLMSG_HDRLEN : 0);
  const skb = new NlSkb();
  const h = skb.msg(portid, v.getUint32(NLMSGHDR.nlmsg_seq, true), NLMSG_ERROR, payload, full ? 0 : NLM_F_CAPPED);
  const d = skb.data(h);
  d.setInt32(NLMSGERR.error, err, true);
  const copy = msg.subarray(0, full ? len : NLMSG_HDRLEN);
  new Uint8Array(d.buffer, d.byteOffset + NLMSGERR.msg, copy.length).set(copy);
  skb.end(h);
  return skb.bytes();
}

/**
 * rtnetlink_rcv → netlink_rcv_skb over one sent buffer: each whole message in turn (a
 * length below the header or past the buffer ends it), requests of a type from
 * NLMSG_MIN_TYPE on go to rtnetlink_rcv_msg, and an ack (or error) is queued for NLM_F_ACK
 * or a failure; the next message starts NLMSG_ALIGN(nlmsg_len) on.
 */
export function rtnetlinkInput(k: SyscallContext, s: UnixSock, data: Uint8Array): void {
  const portid = s.nl!.portid;
  let off = 0;
  while (data.length - off >= NLMSG_HDRLEN) {
    const v = new DataView(data.buffer, data.byteOffset + off, data.length - off);
    const len = v.getUint32(NLMSGHDR.nlmsg_len, true);
    if (len < NLMSG_HDRLEN || data.length - off < len) return;
    const msg = data.subarray(off, off + len);
    const flags = v.getUint16(NLMSGHDR.nlmsg_flags, true);
    const type = v.getUint16(NLMSGHDR.nlmsg_type, true);
    let err: number | typeof STARTED = 0;
    if (flags & NLM_F_REQUEST && type >= NLMSG_MIN_TYPE) err = rcvMsg(k, s, msg, portid);
    if (err !== STARTED && (flags & NLM_F_ACK || err)) queueSkb(s, ackMessage(msg, err, portid), 0);
    off += Math.min(nlmsgAlign(len), data.length - off);
  }
}
