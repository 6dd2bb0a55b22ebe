// AF_NETLINK / NETLINK_ROUTE (netlink.ts, rtnetlink.ts): the socket calls' checks
// (net/netlink/af_netlink.c netlink_create, netlink_bind, netlink_sendmsg, netlink_recvmsg),
// and the dumps a namespace with only lo answers, read back the way glibc's getifaddrs and
// Go's syscall.NetlinkRIB read them. The messages are parsed here with the layouts written
// out (struct nlmsghdr 16 bytes, struct nlattr 4, struct ifinfomsg 16, struct ifaddrmsg 8),
// and the expected values are Linux 6.1's, cited next to each: under qemu-riscv64 the dump
// is the host's own interfaces, so it cannot be the reference here (the specs compare the
// error paths and acks, which do not depend on the host).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { PID } from '../process/identity.ts';
import { AF_INET, AF_INET6, AF_NETLINK, AF_UNSPEC, MSG_DONTWAIT, MSG_OOB, MSG_PEEK, MSG_TRUNC, POLLIN, POLLOUT, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, SOL_SOCKET, SO_DOMAIN, SO_PROTOCOL, SO_TYPE } from '../abi.ts';
import { D, RBUF, SA, SALEN, SBUF, netFixture, type NetFixture } from './net-test-util.ts';

// Message types and flags as <linux/netlink.h> and <linux/rtnetlink.h> number them.
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const RTM_NEWADDR = 20;
const RTM_GETADDR = 22;
const NLM_F_REQUEST = 1;
const NLM_F_MULTI = 2;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;
const NLM_F_CAPPED = 0x100;
const NETLINK_ROUTE = 0;

interface Msg {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
  payload: Buffer;
}

function parse(b: Buffer): Msg[] {
  const out: Msg[] = [];
  for (let off = 0; off + 16 <= b.length; ) {
    const len = b.readUInt32LE(off);
    out.push({ len, type: b.readUInt16LE(off + 4), flags: b.readUInt16LE(off + 6), seq: b.readUInt32LE(off + 8), pid: b.readUInt32LE(off + 12), payload: b.subarray(off + 16, off + len) });
    off += (len + 3) & ~3;
  }
  return out;
}

/** Attributes after a fixed header of `skip` bytes: [type, data] (nested ones left whole). */
function attrs(p: Buffer, skip: number): Array<[number, Buffer]> {
  const out: Array<[number, Buffer]> = [];
  for (let off = skip; off + 4 <= p.length; ) {
    const len = p.readUInt16LE(off);
    out.push([p.readUInt16LE(off + 2), p.subarray(off + 4, off + len)]);
    off += (len + 3) & ~3;
  }
  return out;
}

/** A request: struct nlmsghdr and a payload (one rtgenmsg family byte by default, as Go sends: 17 bytes). */
function request(type: number, flags: number, seq: number, payload: Buffer = Buffer.from([AF_UNSPEC])): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + payload.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt32LE(seq, 8);
  return Buffer.concat([h, payload]);
}

/** sockaddr_nl in SA slot `slot`: family, pad, pid, groups. */
function snl(f: NetFixture, pid: number, groups = 0, slot = 0, family = AF_NETLINK): [number, number] {
  const b = Buffer.alloc(12);
  b.writeUInt16LE(family, 0);
  b.writeUInt32LE(pid >>> 0, 4);
  b.writeUInt32LE(groups >>> 0, 8);
  f.mem.write(SA[slot], b);
  return [SA[slot], 12];
}

function send(f: NetFixture, fd: number, b: Buffer, flags = 0): number {
  f.mem.write(SBUF, b);
  return f.c('sendto', fd, SBUF, b.length, flags, ...snl(f, 0, 0, 1));
}

/** recvfrom into RBUF with the source address in slot 2: the bytes (or -errno) and the source. */
function recv(f: NetFixture, fd: number, n = 8192, flags = 0): { ret: number; data: Buffer; from: Buffer } {
  f.mem.write(SA[2], new Uint8Array(16).fill(0xee));
  f.mem.st32(SALEN[2], 16);
  const ret = f.c('recvfrom', fd, RBUF, n, flags, SA[2], SALEN[2]);
  return { ret, data: ret > 0 ? Buffer.from(f.mem.read(RBUF, Math.min(ret, n))) : Buffer.alloc(0), from: Buffer.from(f.mem.read(SA[2], f.i32(SALEN[2]))) };
}

/** getsockname/getpeername: [ret, len, family, pid, groups]. */
function nlName(f: NetFixture, which: 'getsockname' | 'getpeername', fd: number): number[] {
  f.mem.write(SA[2], new Uint8Array(16).fill(0xee));
  f.mem.st32(SALEN[2], 16);
  const r = f.c(which, fd, SA[2], SALEN[2]);
  return [r, f.i32(SALEN[2]), f.mem.readU32(SA[2]) & 0xffff, f.u32(SA[2] + 4), f.u32(SA[2] + 8)];
}

function route(f: NetFixture): number {
  const fd = f.c('socket', AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  expect(fd).toBeGreaterThanOrEqual(3);
  return fd;
}

describe('netlink sockets', () => {
  it('socket: a type other than SOCK_RAW/SOCK_DGRAM first, then the protocol range (netlink_create)', () => {
    const f = netFixture();
    expect(f.c('socket', AF_NETLINK, SOCK_STREAM, 99)).toBe(-E.ESOCKTNOSUPPORT);
    expect(f.c('socket', AF_NETLINK, SOCK_RAW, 32)).toBe(-E.EPROTONOSUPPORT); // MAX_LINKS
    expect(f.c('socket', AF_NETLINK, SOCK_RAW, -1)).toBe(-E.EPROTONOSUPPORT);
    const fd = f.c('socket', AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE);
    const opt = (o: number) => {
      f.mem.st32(D + 0x300, 0x5555);
      f.mem.st32(D + 0x320, 4);
      expect(f.c('getsockopt', fd, SOL_SOCKET, o, D + 0x300, D + 0x320)).toBe(0);
      return f.i32(D + 0x300);
    };
    expect([opt(SO_TYPE), opt(SO_DOMAIN), opt(SO_PROTOCOL)]).toEqual([SOCK_DGRAM, AF_NETLINK, NETLINK_ROUTE]);
    // sock_no_socketpair, sock_no_listen, sock_no_accept, sock_no_shutdown; netlink_setsockopt's other levels.
    expect(f.c('socketpair', AF_NETLINK, SOCK_RAW, 0, D + 0x20)).toBe(-E.EOPNOTSUPP);
    expect(f.c('listen', fd, 1)).toBe(-E.EOPNOTSUPP);
    expect(f.c('accept4', fd, 0, 0, 0)).toBe(-E.EOPNOTSUPP);
    expect(f.c('shutdown', fd, 99)).toBe(-E.EOPNOTSUPP);
    expect(f.c('setsockopt', fd, 6 /* SOL_TCP */, 1, D + 0x300, 4)).toBe(-E.ENOPROTOOPT);
  });

  it('bind: a given nl_pid, the autobind (the tgid first), EADDRINUSE, EINVAL (netlink_bind)', () => {
    const f = netFixture();
    const a = route(f);
    expect(nlName(f, 'getsockname', a)).toEqual([0, 12, AF_NETLINK, 0, 0]); // unbound: portid 0
    expect(f.c('bind', a, ...snl(f, 0))).toBe(0);
    expect(nlName(f, 'getsockname', a)).toEqual([0, 12, AF_NETLINK, PID, 0]); // netlink_autobind: task_tgid_vnr(current)
    const b = route(f);
    expect(f.c('bind', b, SA[0], 11)).toBe(-E.EINVAL);
    expect(f.c('bind', b, ...snl(f, 5, 0, 0, AF_INET))).toBe(-E.EINVAL);
    expect(f.c('bind', b, ...snl(f, PID))).toBe(-E.EADDRINUSE); // netlink_insert
    expect(f.c('bind', b, ...snl(f, 4242, 1))).toBe(0);
    expect(nlName(f, 'getsockname', b)).toEqual([0, 12, AF_NETLINK, 4242, 1]);
    expect(f.c('bind', b, ...snl(f, 4243))).toBe(-E.EINVAL); // bound: only its own nl_pid
    expect(f.c('bind', b, ...snl(f, 4242, 0))).toBe(0);
    expect(nlName(f, 'getsockname', b)).toEqual([0, 12, AF_NETLINK, 4242, 0]);
    // getpeername: dst_portid and dst_group, never ENOTCONN.
    expect(nlName(f, 'getpeername', b)).toEqual([0, 12, AF_NETLINK, 0, 0]);
    // A send autobinds (the tgid being taken, a negative portid).
    const c = route(f);
    expect(send(f, c, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1))).toBe(17);
    expect(nlName(f, 'getsockname', c)[3]).toBe(-4097 >>> 0);
  });

  it('a link dump reads as RTM_NEWLINK lo, then NLMSG_DONE (rtnl_dump_ifinfo, rtnl_fill_ifinfo)', () => {
    const f = netFixture();
    const fd = route(f);
    expect(f.c('bind', fd, ...snl(f, 0))).toBe(0);
    expect(send(f, fd, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 7))).toBe(17);
    expect(f.poll([fd, POLLIN | POLLOUT])).toEqual([1, POLLIN | POLLOUT]);
    const first = recv(f, fd);
    expect([...first.from]).toEqual([16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // from the kernel: nl_pid 0
    const msgs = parse(first.data);
    expect(msgs.length).toBe(1);
    const [m] = msgs;
    expect([m.type, m.flags, m.seq, m.pid, m.len]).toEqual([RTM_NEWLINK, NLM_F_MULTI, 7, PID, first.ret]);
    // struct ifinfomsg: AF_UNSPEC, ARPHRD_LOOPBACK (772), ifindex 1, IFF_UP|IFF_LOOPBACK|IFF_RUNNING|IFF_LOWER_UP, change 0.
    expect([m.payload.readUInt8(0), m.payload.readUInt16LE(2), m.payload.readInt32LE(4), m.payload.readUInt32LE(8), m.payload.readUInt32LE(12)]).toEqual([0, 772, 1, 0x10049, 0]);
    const a = attrs(m.payload, 16);
    // rtnl_fill_ifinfo's order (6.1): IFNAME 3, TXQLEN 13, OPERSTATE 16, LINKMODE 17, MTU 4, MIN_MTU 50,
    // MAX_MTU 51, GROUP 27, PROMISCUITY 30, ALLMULTI 61, NUM_TX_QUEUES 31, GSO_MAX_SEGS 40,
    // GSO_MAX_SIZE 41, GRO_MAX_SIZE 58, TSO_MAX_SIZE 59, TSO_MAX_SEGS 60, NUM_RX_QUEUES 32,
    // CARRIER 33, QDISC 6, CARRIER_CHANGES 35, CARRIER_UP_COUNT 47, CARRIER_DOWN_COUNT 48,
    // PROTO_DOWN 39, MAP 14, ADDRESS 1, BROADCAST 2, STATS64 23, STATS 7, XDP 43, with IFLA_PAD
    // (42) before a 64-bit attribute that would start 8-byte aligned on riscv64.
    const types = a.map(([t]) => t).filter((t) => t !== 42);
    expect(types).toEqual([3, 13, 16, 17, 4, 50, 51, 27, 30, 61, 31, 40, 41, 58, 59, 60, 32, 33, 6, 35, 47, 48, 39, 14, 1, 2, 23, 7, 43]);
    for (let i = 0; i < a.length; i++) {
      if (a[i][0] !== 14 && a[i][0] !== 23) continue;
      // nla_put_64bit: the data of IFLA_MAP / IFLA_STATS64 is 8-byte aligned in the skb.
      const dataOff = first.data.indexOf(a[i][1]) >= 0 ? a[i][1].byteOffset - first.data.byteOffset : -1;
      expect(dataOff % 8).toBe(0);
    }
    const get = (t: number) => a.find(([x]) => x === t)![1];
    expect(get(3).toString('latin1')).toBe('lo\0');
    expect(get(4).readUInt32LE(0)).toBe(65536); // loopback_setup: gen_lo_setup(dev, (64 * 1024), ...)
    expect(get(13).readUInt32LE(0)).toBe(1000); // DEFAULT_TX_QUEUE_LEN
    expect(get(6).toString('latin1')).toBe('noqueue\0'); // IFF_NO_QUEUE
    expect(get(16)[0]).toBe(0); // IF_OPER_UNKNOWN
    expect(get(59).readUInt32LE(0)).toBe(524280); // netif_set_tso_max_size(dev, GSO_MAX_SIZE), 8 * 65535
    expect(get(33)[0]).toBe(1); // carrier on
    expect([...get(1)]).toEqual([0, 0, 0, 0, 0, 0]); // addr_len ETH_ALEN, all zero
    expect([get(23).length, get(7).length, get(14).length]).toEqual([200, 96, 32]); // rtnl_link_stats64, rtnl_link_stats, rtnl_link_ifmap
    expect([...get(43)]).toEqual([5, 0, 2, 0, 0, 0, 0, 0]); // nested IFLA_XDP_ATTACHED (2) = XDP_ATTACHED_NONE
    // The next read runs the dump again: nothing left, NLMSG_DONE with the int 0 (netlink_dump_done).
    const done = recv(f, fd);
    expect(parse(done.data).map((x) => [x.type, x.flags, x.seq, x.pid, x.len, x.payload.readInt32LE(0)])).toEqual([[NLMSG_DONE, NLM_F_MULTI, 7, PID, 20, 0]]);
    expect(recv(f, fd, 8192, MSG_DONTWAIT).ret).toBe(-E.EAGAIN);
  });

  it('an AF_UNSPEC address dump reads as 127.0.0.1, ::1, NLMSG_DONE (rtnl_dump_all stops after each family)', () => {
    const f = netFixture();
    const fd = route(f);
    // glibc's __netlink_request: rtgenmsg AF_PACKET and 3 bytes of padding (RTM_GETADDR has no AF_PACKET handler: PF_UNSPEC's).
    expect(send(f, fd, request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 9, Buffer.from([17, 0, 0, 0])))).toBe(20);
    const [v4] = parse(recv(f, fd).data);
    expect([v4.type, v4.flags, v4.seq, v4.len]).toEqual([RTM_NEWADDR, NLM_F_MULTI, 9, v4.payload.length + 16]);
    // inet_fill_ifaddr: AF_INET, /8, IFA_F_PERMANENT, RT_SCOPE_HOST (254), lo; IFA_ADDRESS 1, IFA_LOCAL 2,
    // IFA_LABEL 3, IFA_FLAGS 8, IFA_CACHEINFO 6 {INFINITY_LIFE_TIME x2, cstamp, tstamp}.
    expect([...v4.payload.subarray(0, 8)]).toEqual([AF_INET, 8, 0x80, 254, 1, 0, 0, 0]);
    expect(attrs(v4.payload, 8).map(([t, d]) => [t, d.toString('hex')])).toEqual([
      [1, '7f000001'],
      [2, '7f000001'],
      [3, Buffer.from('lo\0').toString('hex')],
      [8, '80000000'],
      [6, 'ffffffffffffffff0000000000000000'],
    ]);
    const [v6] = parse(recv(f, fd).data);
    // inet6_fill_ifaddr: AF_INET6, /128, IFA_F_PERMANENT, host scope, lo; IFA_ADDRESS ::1, IFA_CACHEINFO,
    // IFA_FLAGS, IFA_PROTO 11 = IFAPROT_KERNEL_LO (init_loopback).
    expect([...v6.payload.subarray(0, 8)]).toEqual([AF_INET6, 128, 0x80, 254, 1, 0, 0, 0]);
    expect(attrs(v6.payload, 8).map(([t, d]) => [t, d.toString('hex')])).toEqual([
      [1, '00000000000000000000000000000001'],
      [6, 'ffffffffffffffff0000000000000000'],
      [8, '80000000'],
      [11, '01'],
    ]);
    expect(parse(recv(f, fd).data).map((x) => x.type)).toEqual([NLMSG_DONE]);
  });

  it('an AF_INET address dump has 127.0.0.1 only; a recv too short cuts the skb (MSG_TRUNC)', () => {
    const f = netFixture();
    const fd = route(f);
    expect(send(f, fd, request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, 3, Buffer.from([AF_INET])))).toBe(17);
    expect(recv(f, fd, 8, MSG_PEEK | MSG_TRUNC).ret).toBe(76); // the whole skb's length
    const [r, , flags] = f.recvmsg(fd, 16);
    expect([r, flags]).toEqual([16, MSG_TRUNC]);
    expect(parse(recv(f, fd).data).map((x) => x.type)).toEqual([NLMSG_DONE]);
  });

  it('acks and errors (netlink_rcv_skb, netlink_ack)', () => {
    const f = netFixture();
    const fd = route(f);
    expect(f.c('bind', fd, ...snl(f, 777))).toBe(0);
    // No NLM_F_REQUEST: not handled, but acked: NLMSG_ERROR 0 with the header only (NLM_F_CAPPED).
    const noop = request(RTM_GETLINK, NLM_F_ACK, 5);
    expect(send(f, fd, noop)).toBe(17);
    const ack = parse(recv(f, fd).data)[0];
    expect([ack.type, ack.flags, ack.seq, ack.pid, ack.len, ack.payload.readInt32LE(0)]).toEqual([NLMSG_ERROR, NLM_F_CAPPED, 5, 777, 36, 0]);
    expect(ack.payload.subarray(4, 20).equals(noop.subarray(0, 16))).toBe(true);
    // A type past RTM_MAX: EOPNOTSUPP, the whole request copied back.
    const bad = request(0x3ff, NLM_F_REQUEST, 6);
    expect(send(f, fd, bad)).toBe(17);
    const err = parse(recv(f, fd).data)[0];
    expect([err.type, err.flags, err.seq, err.len, err.payload.readInt32LE(0)]).toEqual([NLMSG_ERROR, 0, 6, 40, -E.EOPNOTSUPP]);
    expect(err.payload.subarray(4, 21).equals(bad)).toBe(true);
    // An empty request (no rtgenmsg) is ignored: only NLM_F_ACK's ack.
    expect(send(f, fd, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 8, Buffer.alloc(0)))).toBe(16);
    expect(parse(recv(f, fd).data).map((x) => [x.type, x.payload.readInt32LE(0)])).toEqual([[NLMSG_ERROR, 0]]);
    // A second dump while one runs: EBUSY; a dump with NLM_F_ACK gets no ack.
    expect(send(f, fd, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP | NLM_F_ACK, 10))).toBe(17);
    expect(send(f, fd, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 11))).toBe(17);
    expect(parse(recv(f, fd).data).map((x) => [x.type, x.seq])).toEqual([[RTM_NEWLINK, 10]]);
    expect(parse(recv(f, fd).data).map((x) => [x.type, x.seq, x.payload.readInt32LE(0)])).toEqual([[NLMSG_ERROR, 11, -E.EBUSY]]);
    expect(parse(recv(f, fd).data).map((x) => [x.type, x.seq])).toEqual([[NLMSG_DONE, 10]]);
    // A length past the buffer: the rest is ignored (nothing queued).
    const long = request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 12);
    long.writeUInt32LE(64, 0);
    expect(send(f, fd, long)).toBe(17);
    expect(recv(f, fd, 8192, MSG_DONTWAIT).ret).toBe(-E.EAGAIN);
  });

  it('sendmsg and recvmsg errors (netlink_sendmsg, netlink_recvmsg)', () => {
    const f = netFixture();
    const fd = route(f);
    f.mem.write(SBUF, request(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1));
    expect(f.c('sendto', fd, SBUF, 0, 0, 0, 0)).toBe(-E.ENODATA);
    expect(f.c('sendto', fd, SBUF, 17, MSG_OOB, 0, 0)).toBe(-E.EOPNOTSUPP);
    expect(f.c('sendto', fd, SBUF, 17, 0, SA[0], 11)).toBe(-E.EINVAL);
    expect(f.c('sendto', fd, SBUF, 17, 0, ...snl(f, 0, 0, 0, AF_INET))).toBe(-E.EINVAL);
    expect(f.c('sendto', fd, SBUF, 17, 0, ...snl(f, 31337))).toBe(-E.ECONNREFUSED); // nobody has that portid
    expect(f.c('recvfrom', fd, RBUF, 16, MSG_OOB, 0, 0)).toBe(-E.EOPNOTSUPP);
    expect(f.c('recvfrom', fd, RBUF, 16, MSG_DONTWAIT, 0, 0)).toBe(-E.EAGAIN);
    // connect: AF_UNSPEC disconnects; short and foreign addresses EINVAL.
    expect(f.c('connect', fd, SA[0], 1)).toBe(-E.EINVAL);
    expect(f.c('connect', fd, ...snl(f, 0, 0, 0, AF_INET))).toBe(-E.EINVAL);
    expect(f.c('connect', fd, ...snl(f, 0, 0, 0, AF_UNSPEC))).toBe(0);
    expect(f.c('connect', fd, ...snl(f, 0, 4))).toBe(0);
    expect(nlName(f, 'getpeername', fd)).toEqual([0, 12, AF_NETLINK, 0, 4]);
  });
});
