// AF_NETLINK sockets, NETLINK_ROUTE only, as Linux 6.1 net/netlink/af_netlink.c makes them:
// socket (netlink_create), bind (netlink_bind: a chosen nl_pid or the autobind), connect
// (netlink_connect), getsockname/getpeername (netlink_getname), sendmsg (netlink_sendmsg:
// a message to the kernel, portid 0, goes to rtnetlink.ts, which answers into this socket's
// queue), recvmsg (netlink_recvmsg: one skb per call, datagram style, and the next part of a
// running dump made after each read). Readiness is the datagram one (datagram_poll), through
// the socket's queue as for the other families.
//
// Differences from Linux: the autobind takes the process's tgid first, then -4097, -4098, ...
// (Linux picks a random negative number after a collision); multicast groups are stored
// (bind, getsockname) but nothing is ever sent to them (the namespace never changes); a
// message to another user socket's nl_pid is delivered to it, one to a multicast group stops;
// the other netlink protocols (NETLINK_GENERIC, NETLINK_KOBJECT_UEVENT, NETLINK_SOCK_DIAG,
// ...) and the SOL_NETLINK options stop; no SCM_CREDENTIALS control message on receive.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail, SyscallErrno } from '../errors.ts';
import { AF_NETLINK, AF_UNSPEC, CAP_NET_ADMIN, MSG_DONTWAIT, MSG_OOB, MSG_PEEK, MSG_TRUNC, SOCK_DGRAM, SOCK_RAW } from '../abi.ts';
import { MAX_LINKS, NETLINK_ROUTE, SOCKADDR_NL } from './netlink-abi.ts';
import { rtnetlinkInput, continueDump } from './rtnetlink.ts';
import type { NetState, SocketFile, UnixSock } from './unix.ts';

/** The netlink side of a socket (struct netlink_sock). */
export interface NetlinkSock {
  /** nlk->portid, 0 until bound. */
  portid: number;
  bound: boolean;
  /** nlk->groups[0]: the multicast groups subscribed to (bit n-1 for group n). */
  groups: number;
  /** nlk->dst_portid / dst_group after connect. */
  dstPortid: number;
  dstGroup: number;
  /** A dump in progress (nlk->cb_running): what its later reads produce. */
  dump?: { next: () => Uint8Array | undefined };
}

/** Bound netlink sockets of a kernel, by protocol and portid (nl_table[protocol].hash). */
const tables = new WeakMap<NetState, Map<number, UnixSock>>();
const tableOf = (net: NetState) => {
  let t = tables.get(net);
  if (!t) tables.set(net, (t = new Map()));
  return t;
};

/**
 * netlink_create's checks, in order: a type other than SOCK_RAW or SOCK_DGRAM is
 * ESOCKTNOSUPPORT; a protocol outside 0..MAX_LINKS-1 EPROTONOSUPPORT; NETLINK_ROUTE is
 * provided; any other protocol stops (a stock kernel has most of them registered or loads
 * them on demand, request_module("net-pf-16-proto-%d")). Returns the protocol or -errno.
 */
export function netlinkProtocol(k: SyscallContext, type: number, protocol: number): number {
  if (type !== SOCK_RAW && type !== SOCK_DGRAM) return -E.ESOCKTNOSUPPORT;
  if (protocol < 0 || protocol >= MAX_LINKS) return -E.EPROTONOSUPPORT;
  if (protocol !== NETLINK_ROUTE) k.unsupported(`netlink protocol ${protocol} (only NETLINK_ROUTE is provided)`);
  return protocol;
}

/** The netlink state of a new socket (__netlink_create): unbound, no groups. */
export function initNetlink(s: UnixSock, protocol: number): void {
  s.family = AF_NETLINK;
  s.protocol = protocol;
  s.nl = { portid: 0, bound: false, groups: 0, dstPortid: 0, dstGroup: 0 };
}

const nlOf = (s: UnixSock): NetlinkSock => s.nl!;

/** A struct sockaddr_nl. */
export function sockaddrNl(pid: number, groups: number): Uint8Array {
  const b = new Uint8Array(SOCKADDR_NL.SIZE);
  const v = new DataView(b.buffer);
  v.setUint16(SOCKADDR_NL.nl_family, AF_NETLINK, true);
  v.setUint32(SOCKADDR_NL.nl_pid, pid >>> 0, true);
  v.setUint32(SOCKADDR_NL.nl_groups, groups >>> 0, true);
  return b;
}

function parseNl(raw: Uint8Array): { family: number; pid: number; groups: number } {
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  return { family: v.getUint16(SOCKADDR_NL.nl_family, true), pid: v.getUint32(SOCKADDR_NL.nl_pid, true), groups: v.getUint32(SOCKADDR_NL.nl_groups, true) };
}

/** netlink_insert: take portid (EADDRINUSE when another socket of the protocol has it). */
function insert(s: UnixSock, portid: number): void {
  const t = tableOf(s.net);
  const key = portid >>> 0;
  if (t.has(key)) fail('EADDRINUSE');
  t.set(key, s);
  nlOf(s).portid = key;
  nlOf(s).bound = true;
}

/** netlink_autobind: the caller's tgid if free, else -4097, -4098, ... (Linux: a random negative start). */
function autobind(s: UnixSock, tgid: number): void {
  const t = tableOf(s.net);
  let portid = tgid;
  for (let rover = -4097; t.has(portid >>> 0); rover--) portid = rover;
  insert(s, portid);
}

/**
 * netlink_bind: shorter than sockaddr_nl or another family EINVAL; groups need
 * NL_CFG_F_NONROOT_RECV, which NETLINK_ROUTE has (rtnetlink_net_init); a bound socket
 * only accepts its own nl_pid (EINVAL); an unbound one takes nl_pid (netlink_insert:
 * EADDRINUSE) or autobinds with 0; then the groups are subscribed.
 */
export function netlinkBind(s: UnixSock, raw: Uint8Array, tgid: number): void {
  if (raw.length < SOCKADDR_NL.SIZE) fail('EINVAL');
  const a = parseNl(raw);
  if (a.family !== AF_NETLINK) fail('EINVAL');
  const nl = nlOf(s);
  if (nl.bound && a.pid !== nl.portid) fail('EINVAL');
  if (!nl.bound) {
    if (a.pid) insert(s, a.pid);
    else autobind(s, tgid);
  }
  // nlk->ngroups is RTNLGRP_MAX (more than 32): the whole 32-bit nl_groups is kept.
  nl.groups = a.groups;
}

/** netlink_getname: our portid and groups, or with `peer` the connected destination. */
export function netlinkName(s: UnixSock, peer: boolean): Uint8Array {
  const nl = nlOf(s);
  if (peer) return sockaddrNl(nl.dstPortid, nl.dstGroup ? 1 << (nl.dstGroup - 1) : 0);
  return sockaddrNl(nl.portid, nl.groups);
}

/** ffs(): the 1-based index of the lowest set bit, 0 for none. */
const ffs = (x: number) => (x === 0 ? 0 : 32 - Math.clz32((x & -x) >>> 0));

/**
 * netlink_connect: shorter than sa_family EINVAL; AF_UNSPEC disconnects; another family
 * than AF_NETLINK EINVAL; shorter than sockaddr_nl EINVAL; a destination other than the
 * kernel needs NL_CFG_F_NONROOT_SEND or CAP_NET_ADMIN (EPERM; the harness runs as root);
 * an unbound socket autobinds.
 */
export function netlinkConnect(k: SyscallContext, s: UnixSock, raw: Uint8Array): number {
  if (raw.length < 2) fail('EINVAL');
  const nl = nlOf(s);
  const family = new DataView(raw.buffer, raw.byteOffset).getUint16(0, true);
  if (family === AF_UNSPEC) {
    s.state = 'close';
    nl.dstPortid = 0;
    nl.dstGroup = 0;
    return 0;
  }
  if (family !== AF_NETLINK) fail('EINVAL');
  if (raw.length < SOCKADDR_NL.SIZE) fail('EINVAL');
  const a = parseNl(raw);
  if ((a.groups || a.pid) && !netAdmin(k)) fail('EPERM');
  if (!nl.bound) autobind(s, k.state.pid);
  s.state = 'established';
  nl.dstPortid = a.pid;
  nl.dstGroup = ffs(a.groups);
  return 0;
}

const netAdmin = (k: SyscallContext) => k.state.proc.creds.capable(CAP_NET_ADMIN);

/**
 * netlink_sendmsg: MSG_OOB EOPNOTSUPP; an empty message ENODATA; an address shorter than
 * sockaddr_nl or of another family EINVAL, a destination other than the kernel needing
 * CAP_NET_ADMIN (EPERM); the connected destination otherwise; autobind; more than
 * sk_sndbuf - 32 EMSGSIZE; then netlink_unicast: the kernel (portid 0) runs the request
 * (rtnetlink_rcv) before the call returns, another portid gets the message queued
 * (ECONNREFUSED when nobody has it). Returns the length.
 */
export function netlinkSend(k: SyscallContext, file: SocketFile, data: Uint8Array, flags: number, name: Uint8Array | undefined): number {
  const s = file.sock;
  const nl = nlOf(s);
  if (flags & MSG_OOB) fail('EOPNOTSUPP');
  if (data.length === 0) fail('ENODATA');
  let dstPortid = nl.dstPortid;
  let dstGroup = nl.dstGroup;
  if (name && name.length) {
    if (name.length < SOCKADDR_NL.SIZE) fail('EINVAL');
    const a = parseNl(name);
    if (a.family !== AF_NETLINK) fail('EINVAL');
    dstPortid = a.pid;
    dstGroup = ffs(a.groups);
    if ((dstGroup || dstPortid) && !netAdmin(k)) fail('EPERM');
  }
  if (!nl.bound) autobind(s, k.state.pid);
  if (data.length > s.sndbuf - 32) fail('EMSGSIZE');
  if (dstGroup) k.unsupported('a netlink message to a multicast group');
  if (dstPortid === 0) {
    rtnetlinkInput(k, s, data);
    return data.length;
  }
  const to = tableOf(s.net).get(dstPortid >>> 0);
  if (!to || to.dead) fail('ECONNREFUSED');
  queueSkb(to, data, nl.portid, s);
  return data.length;
}

/** __netlink_sendskb: an skb on the socket's receive queue, from `portid` (0: the kernel). */
export function queueSkb(to: UnixSock, data: Uint8Array, portid: number, from: UnixSock = to): void {
  to.recvq.push({ data, off: 0, from, cred: { pid: 0, uid: 0, gid: 0 }, src: sockaddrNl(portid, 0) });
  to.changed();
}

/**
 * netlink_recvmsg: MSG_OOB EOPNOTSUPP; one skb (skb_recv_datagram: EAGAIN or wait when
 * there is none), cut to len with MSG_TRUNC in msg_flags (and with the MSG_TRUNC flag the
 * result is its whole length), the sender as a sockaddr_nl; then, while a dump runs and the
 * queue holds at most half of sk_rcvbuf, its next part is made (netlink_dump).
 */
export function netlinkRecv(file: SocketFile, len: number, flags: number): { data: Uint8Array; ret: number; msgFlags: number; addr: Uint8Array } {
  const s = file.sock;
  if (flags & MSG_OOB) fail('EOPNOTSUPP');
  const m = s.recvq[0];
  if (!m) {
    const e = s.takeError();
    if (e) throw new SyscallErrno(e);
    s.wait(file.nonblock || (flags & MSG_DONTWAIT) !== 0, 'receive from an empty netlink socket');
  }
  if (!(flags & MSG_PEEK)) {
    s.recvq.shift();
    s.changed();
  }
  const full = m.data.length;
  const data = m.data.slice(0, Math.min(len, full));
  const queued = s.recvq.reduce((n, q) => n + q.data.length, 0);
  if (s.nl?.dump && queued <= s.rcvbuf / 2) continueDump(s);
  return { data, ret: flags & MSG_TRUNC ? full : data.length, msgFlags: full > len ? MSG_TRUNC : 0, addr: m.src ?? sockaddrNl(0, 0) };
}

/** netlink_release: the portid is free again, a running dump ends. */
export function netlinkRelease(s: UnixSock): void {
  const nl = s.nl;
  if (!nl) return;
  const t = tableOf(s.net);
  if (nl.bound && t.get(nl.portid) === s) t.delete(nl.portid);
  nl.dump = undefined;
}
