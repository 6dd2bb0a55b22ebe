// ioctl(2) on a socket, after do_vfs_ioctl (kernel/vfs/ioctl.ts) hands the request on: Linux 6.1
// net/socket.c sock_ioctl and sock_do_ioctl, the families' ioctls (af_unix.c unix_ioctl,
// af_inet.c inet_ioctl, af_inet6.c inet6_ioctl, then the protocol's: tcp.c tcp_ioctl, udp.c
// udp_ioctl; af_netlink.c netlink_ioctl has none), and for the interface requests
// net/core/dev_ioctl.c dev_ioctl / dev_ifconf and net/ipv4/devinet.c devinet_ioctl /
// inet_gifconf, in a namespace whose only interface is lo (rtnetlink.ts LO: ifindex 1, flags
// UP|LOOPBACK|RUNNING|LOWER_UP, mtu 65536, txqueuelen 1000, an all-zero ETH_ALEN address of type
// ARPHRD_LOOPBACK, and 127.0.0.1/8 without a broadcast address, as inetdev_event's NETDEV_UP made it).
//
// sock_ioctl: SIOCDEVPRIVATE..+15 go to dev_ioctl; SIOCGIFCONF is dev_ifconf on any socket; the
// rest (FIONREAD = SIOCINQ and TIOCOUTQ = SIOCOUTQ included) go to sock_do_ioctl: the family's
// ioctl first; what it does not know (-ENOIOCTLCMD) is ENOTTY unless its type is SOCK_IOC_TYPE
// (0x89), then the struct ifreq is copied in (EFAULT) and dev_ioctl answers (ENOTTY for what it
// does not know either), the whole ifreq copied back on success.
//
// Provided: SIOCGIFCONF (lo's one AF_INET entry; a NULL ifc_buf gives the length needed; an entry
// only where a whole struct ifreq fits), SIOCGIFNAME, SIOCGIFINDEX, SIOCGIFFLAGS (a short: the
// flags' low 16 bits), SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFMAP, SIOCGIFTXQLEN, SIOCGIFHWADDR,
// SIOCGIFSLAVE (EINVAL), and on AF_INET sockets SIOCGIFADDR, SIOCGIFBRDADDR (0.0.0.0: lo has
// no broadcast address), SIOCGIFDSTADDR, SIOCGIFNETMASK (ENODEV for another name, EADDRNOTAVAIL
// for a label such as "lo:0" that no address has; AF_INET6, AF_UNIX and AF_NETLINK sockets:
// ENOTTY, as their ioctls leave them to dev_ioctl). The queue sizes: SIOCINQ (TCP: the unread
// bytes, EINVAL on a listener; UDP and AF_UNIX datagram sockets: the first datagram's length;
// AF_UNIX stream and seqpacket: all unread bytes, EINVAL on a listener), SIOCOUTQ (TCP, UDP:
// 0, the loopback takes and acknowledges everything at once; TCP listener EINVAL; AF_UNIX: 0
// with nothing unread by the peer), SIOCOUTQNSD (TCP: 0), SIOCATMARK (TCP and AF_UNIX: 0, no
// urgent byte is ever queued since sending one stops). The setters need CAP_NET_ADMIN: EPERM
// without it, in the order Linux checks; with it (changing lo) they stop. The private and
// driver requests lo has no handler for are EOPNOTSUPP (ENODEV for another name).
// Stop (unsupported): SIOCOUTQ on an AF_UNIX socket whose sent data is unread (Linux counts the
// skbs' truesize, which zerosys does not model), FIOSETOWN/SIOCSPGRP/FIOGETOWN/SIOCGPGRP,
// SIOCGSTAMP*, bridge, VLAN, wireless, ethtool, routing table and ARP requests, SIOCGSKNS and
// SIOCUNIXFILE with their capability, the interface setters with CAP_NET_ADMIN.

import { userAddr, type SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import {
  AF_INET, AF_INET6, AF_UNIX, CAP_NET_ADMIN, FIOGETOWN, FIOSETOWN, INADDR_LOOPBACK, IPPROTO_TCP, SIOCADDMULTI, SIOCADDRT, SIOCATMARK,
  SIOCBONDCHANGEACTIVE, SIOCBONDENSLAVE, SIOCBONDINFOQUERY, SIOCBONDRELEASE, SIOCBONDSETHWADDR, SIOCBONDSLAVEINFOQUERY, SIOCBRADDBR,
  SIOCBRADDIF, SIOCBRDELBR, SIOCBRDELIF, SIOCDARP, SIOCDELMULTI, SIOCDELRT, SIOCDEVPRIVATE, SIOCDIFADDR, SIOCETHTOOL, SIOCGARP,
  SIOCGHWTSTAMP, SIOCGIFADDR, SIOCGIFBR, SIOCGIFBRDADDR, SIOCGIFCONF, SIOCGIFDSTADDR, SIOCGIFFLAGS, SIOCGIFHWADDR, SIOCGIFINDEX,
  SIOCGIFMAP, SIOCGIFMEM, SIOCGIFMETRIC, SIOCGIFMTU, SIOCGIFNAME, SIOCGIFNETMASK, SIOCGIFPFLAGS, SIOCGIFSLAVE, SIOCGIFTXQLEN,
  SIOCGIFVLAN, SIOCGMIIPHY, SIOCGMIIREG, SIOCGPGRP, SIOCGSKNS, SIOCGSTAMP_NEW, SIOCGSTAMP_OLD, SIOCGSTAMPNS_NEW, SIOCGSTAMPNS_OLD,
  SIOCINQ, SIOCIWFIRST, SIOCIWLAST, SIOCOUTQ, SIOCOUTQNSD, SIOCRTMSG, SIOCSARP, SIOCSHWTSTAMP, SIOCSIFADDR, SIOCSIFBR,
  SIOCSIFBRDADDR, SIOCSIFDSTADDR, SIOCSIFFLAGS, SIOCSIFHWADDR, SIOCSIFHWBROADCAST, SIOCSIFLINK, SIOCSIFMAP, SIOCSIFMEM, SIOCSIFMETRIC,
  SIOCSIFMTU, SIOCSIFNAME, SIOCSIFNETMASK, SIOCSIFPFLAGS, SIOCSIFSLAVE, SIOCSIFTXQLEN, SIOCSIFVLAN, SIOCSMIIREG, SIOCSPGRP,
  SIOCUNIXFILE, SIOCWANDEV, SOCK_DGRAM, SOCK_IOC_TYPE,
} from '../abi.ts';
import { IFCONF, IFMAP, IFREQ, SOCKADDR_IN } from '../abi-structs.ts';
import { ARPHRD_LOOPBACK, IFNAMSIZ } from './netlink-abi.ts';
import { LO } from './rtnetlink.ts';
import { ioctlArgumentSize, noteIoctlArgument } from '../strace.ts';
import type { SocketFile, UnixSock } from './unix.ts';

/** -ENOIOCTLCMD (include/linux/errno.h, kernel-internal): "this family does not know the request". */
const ENOIOCTLCMD = Symbol('ENOIOCTLCMD');
type Answer = number | typeof ENOIOCTLCMD;

/** lo's IPv4 address as inetdev_event(NETDEV_UP) adds it: local = address 127.0.0.1, mask /8, no broadcast. */
const LO_IFA = { label: LO.name, local: INADDR_LOOPBACK, address: INADDR_LOOPBACK, mask: 0xff000000, broadcast: 0 } as const;

/** _IOC_TYPE (include/uapi/asm-generic/ioctl.h): bits 8..15. */
const iocType = (cmd: number) => (cmd >>> 8) & 0xff;

export function sockIoctl(k: SyscallContext, file: SocketFile, cmd: number, argp: number): number {
  const s = file.sock;
  // For --strace, which prints what the argument held before the call (as qemu does).
  const traced = ioctlArgumentSize(cmd);
  if (traced) {
    let before: Uint8Array | undefined;
    try {
      before = k.mem.read(argp, traced).slice();
    } catch {
      before = undefined;
    }
    noteIoctlArgument(argp, before);
  }
  const hex = `0x${cmd.toString(16)}`;
  // sock_ioctl: the private device range goes straight to dev_ioctl.
  if (cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE + 15) return devIoctlUser(k, cmd, argp);
  // CONFIG_WEXT_CORE (Debian): wext_handle_ioctl.
  if (cmd >= SIOCIWFIRST && cmd <= SIOCIWLAST) k.unsupported(`wireless extensions request ${hex} on a socket`);
  switch (cmd) {
    case FIOSETOWN:
    case SIOCSPGRP:
    case FIOGETOWN:
    case SIOCGPGRP:
      k.unsupported(`request ${hex} (the socket's owner for SIGIO/SIGURG) on a socket`);
    // falls through (unreachable)
    case SIOCGIFBR:
    case SIOCSIFBR:
    case SIOCBRADDBR:
    case SIOCBRDELBR:
      k.unsupported(`bridge request ${hex} on a socket`);
    // falls through (unreachable)
    case SIOCGIFVLAN:
    case SIOCSIFVLAN:
      k.unsupported(`VLAN request ${hex} on a socket`);
    // falls through (unreachable)
    case SIOCGSKNS:
      // `err = -EPERM; if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) break;`
      if (!k.state.proc.creds.capable(CAP_NET_ADMIN)) return -E.EPERM;
      k.unsupported('SIOCGSKNS (a file descriptor for the socket\'s network namespace)');
    // falls through (unreachable)
    case SIOCGSTAMP_OLD:
    case SIOCGSTAMPNS_OLD:
    case SIOCGSTAMP_NEW:
    case SIOCGSTAMPNS_NEW:
      k.unsupported(`request ${hex} (the last packet's timestamp) on a socket`);
    // falls through (unreachable)
    case SIOCGIFCONF:
      return devIfconf(k, argp);
  }
  // sock_do_ioctl
  const r = familyIoctl(k, s, cmd, argp);
  if (r !== ENOIOCTLCMD) return r;
  if (iocType(cmd) !== SOCK_IOC_TYPE) return -E.ENOTTY;
  return devIoctlUser(k, cmd, argp);
}

/** put_user of an int answer. */
function putInt(k: SyscallContext, argp: number, v: number): number {
  copyOut(k.mem, argp, new StructBuilder(4).u32(0, v >>> 0));
  return 0;
}

/** Bytes queued and not yet read, over every message. */
const unread = (s: UnixSock) => s.recvq.reduce((n, m) => n + m.data.length - m.off, 0);

/** sock->ops->ioctl: unix_ioctl, inet_ioctl / inet6_ioctl (then tcp_ioctl / udp_ioctl), netlink_ioctl. */
function familyIoctl(k: SyscallContext, s: UnixSock, cmd: number, argp: number): Answer {
  if (s.netlink) return ENOIOCTLCMD;
  if (s.family === AF_UNIX) return unixIoctl(k, s, cmd, argp);
  const hex = `0x${cmd.toString(16)}`;
  if (s.family === AF_INET) {
    switch (cmd) {
      case SIOCADDRT:
      case SIOCDELRT:
        k.unsupported(`routing table request ${hex} on an AF_INET socket`);
      // falls through (unreachable)
      case SIOCRTMSG:
        return -E.EINVAL;
      case SIOCDARP:
      case SIOCGARP:
      case SIOCSARP:
        k.unsupported(`ARP table request ${hex} on an AF_INET socket`);
      // falls through (unreachable)
      case SIOCGIFADDR:
      case SIOCGIFBRDADDR:
      case SIOCGIFNETMASK:
      case SIOCGIFDSTADDR:
      case SIOCGIFPFLAGS:
      case SIOCSIFADDR:
      case SIOCSIFBRDADDR:
      case SIOCSIFNETMASK:
      case SIOCSIFDSTADDR:
      case SIOCSIFPFLAGS:
      case SIOCSIFFLAGS: {
        // get_user_ifreq, devinet_ioctl, and for the getters put_user_ifreq.
        const ifr = k.mem.read(argp, IFREQ.SIZE).slice();
        const r = devinetIoctl(k, cmd, ifr);
        if (r === 0 && isDevinetGetter(cmd)) copyOut(k.mem, argp, ifr);
        return r;
      }
    }
  } else if (s.family === AF_INET6) {
    switch (cmd) {
      case SIOCADDRT:
      case SIOCDELRT:
        k.unsupported(`routing table request ${hex} on an AF_INET6 socket`);
      // falls through (unreachable)
      case SIOCSIFADDR:
      case SIOCDIFADDR:
      case SIOCSIFDSTADDR:
        // addrconf_add_ifaddr / addrconf_del_ifaddr / addrconf_set_dstaddr: the capability first.
        if (!k.state.proc.creds.capable(CAP_NET_ADMIN)) return -E.EPERM;
        k.unsupported(`request ${hex} (an IPv6 address of lo) with CAP_NET_ADMIN`);
    }
  }
  return s.protocol === IPPROTO_TCP ? tcpIoctl(k, s, cmd, argp) : udpIoctl(k, s, cmd, argp);
}

/** unix_ioctl: SIOCOUTQ (unix_outq_len), SIOCINQ (unix_inq_len), SIOCUNIXFILE, SIOCATMARK (CONFIG_AF_UNIX_OOB). */
function unixIoctl(k: SyscallContext, s: UnixSock, cmd: number, argp: number): Answer {
  switch (cmd) {
    case SIOCOUTQ:
      // sk_wmem_alloc_get(): the truesize of this socket's skbs the peer has not read.
      if (s.inflight) k.unsupported('SIOCOUTQ on a unix socket with unread data sent (Linux counts the skbs\' truesize)');
      return putInt(k, argp, 0);
    case SIOCINQ: {
      if (s.state === 'listen') return -E.EINVAL;
      if (s.type === SOCK_DGRAM) return putInt(k, argp, s.recvq[0]?.data.length ?? 0);
      return putInt(k, argp, unread(s));
    }
    case SIOCUNIXFILE:
      // unix_open_file: `if (!ns_capable(sock_net(sk)->user_ns, CAP_NET_ADMIN)) return -EPERM;`, then ENOENT without a path.
      if (!k.state.proc.creds.capable(CAP_NET_ADMIN)) return -E.EPERM;
      if (!s.boundNode) return -E.ENOENT;
      k.unsupported('SIOCUNIXFILE (an O_PATH descriptor of the bound socket file)');
    // falls through (unreachable)
    case SIOCATMARK:
      return putInt(k, argp, 0);
  }
  return ENOIOCTLCMD;
}

/** tcp_ioctl (the loopback delivers and acknowledges at once: nothing is unsent or unacknowledged). */
function tcpIoctl(k: SyscallContext, s: UnixSock, cmd: number, argp: number): Answer {
  switch (cmd) {
    case SIOCINQ:
      if (s.state === 'listen') return -E.EINVAL;
      // tcp_inq: rcv_nxt - copied_seq, less the FIN's sequence number.
      return putInt(k, argp, unread(s));
    case SIOCATMARK:
      return putInt(k, argp, 0);
    case SIOCOUTQ:
    case SIOCOUTQNSD:
      if (s.state === 'listen') return -E.EINVAL;
      return putInt(k, argp, 0);
  }
  return ENOIOCTLCMD;
}

/**
 * udp_ioctl: SIOCOUTQ is sk_wmem_alloc_get (0: loopback_xmit orphans each skb before the send
 * returns), SIOCINQ first_packet_length (the first datagram's payload, 0 when none).
 */
function udpIoctl(k: SyscallContext, s: UnixSock, cmd: number, argp: number): Answer {
  switch (cmd) {
    case SIOCOUTQ:
      return putInt(k, argp, 0);
    case SIOCINQ:
      return putInt(k, argp, s.recvq[0]?.data.length ?? 0);
  }
  return ENOIOCTLCMD;
}

/** The name in an ifreq as dev_ioctl and devinet_ioctl see it: ifr_name[IFNAMSIZ - 1] = 0, up to the first NUL. */
function ifrName(ifr: Uint8Array): string {
  ifr[IFREQ.ifr_name + IFNAMSIZ - 1] = 0;
  const name = ifr.subarray(IFREQ.ifr_name, IFREQ.ifr_name + IFNAMSIZ);
  const end = name.indexOf(0);
  return Buffer.from(name.subarray(0, end)).toString('latin1');
}

/** The device a name names (dev_get_by_name, after dev_ioctl cut it at a colon): lo or none. */
const isLo = (name: string) => name === LO.name;
const cutColon = (name: string) => (name.includes(':') ? name.slice(0, name.indexOf(':')) : name);

const isDevinetGetter = (cmd: number) =>
  cmd === SIOCGIFADDR || cmd === SIOCGIFBRDADDR || cmd === SIOCGIFDSTADDR || cmd === SIOCGIFNETMASK || cmd === SIOCGIFPFLAGS;

/**
 * devinet_ioctl on the copied ifreq, in its order: the getters zero ifr_addr and set AF_INET;
 * SIOCSIFFLAGS needs CAP_NET_ADMIN (EPERM), the address setters too, then sin_family AF_INET
 * (EINVAL); any other request EINVAL (SIOCGIFPFLAGS, SIOCSIFPFLAGS); a device other than lo
 * ENODEV; no address labelled with the name (lo's is labelled "lo", so "lo:0" has none)
 * EADDRNOTAVAIL, except for SIOCSIFADDR and SIOCSIFFLAGS.
 */
function devinetIoctl(k: SyscallContext, cmd: number, ifr: Uint8Array): number {
  const v = new DataView(ifr.buffer, ifr.byteOffset, ifr.length);
  const full = ifrName(ifr);
  const sin = IFREQ.ifr_addr;
  const getter = isDevinetGetter(cmd) && cmd !== SIOCGIFPFLAGS;
  const cap = k.state.proc.creds.capable(CAP_NET_ADMIN);
  if (getter) {
    ifr.fill(0, sin, sin + SOCKADDR_IN.SIZE);
    v.setUint16(sin + SOCKADDR_IN.sin_family, AF_INET, true);
  } else if (cmd === SIOCSIFFLAGS) {
    if (!cap) return -E.EPERM;
  } else if (cmd === SIOCSIFADDR || cmd === SIOCSIFBRDADDR || cmd === SIOCSIFDSTADDR || cmd === SIOCSIFNETMASK) {
    if (!cap) return -E.EPERM;
    if (v.getUint16(sin + SOCKADDR_IN.sin_family, true) !== AF_INET) return -E.EINVAL;
  } else return -E.EINVAL;
  if (!isLo(cutColon(full))) return -E.ENODEV;
  const ifa = full === LO_IFA.label ? LO_IFA : undefined;
  if (!ifa && cmd !== SIOCSIFADDR && cmd !== SIOCSIFFLAGS) return -E.EADDRNOTAVAIL;
  if (!getter || !ifa) k.unsupported(`request 0x${cmd.toString(16)} (changing lo's IPv4 configuration) with CAP_NET_ADMIN`);
  const addr = cmd === SIOCGIFADDR ? ifa.local : cmd === SIOCGIFBRDADDR ? ifa.broadcast : cmd === SIOCGIFDSTADDR ? ifa.address : ifa.mask;
  v.setUint32(sin + SOCKADDR_IN.sin_addr, addr >>> 0, false);
  return 0;
}

/** sock_do_ioctl's tail: get_user_ifreq (EFAULT), dev_ioctl, and put_user_ifreq when it asks. */
function devIoctlUser(k: SyscallContext, cmd: number, argp: number): number {
  const ifr = k.mem.read(argp, IFREQ.SIZE).slice();
  const r = devIoctl(k, cmd, ifr);
  if (r.ret === 0 && r.copyOut) copyOut(k.mem, argp, ifr);
  return r.ret;
}

/** Requests dev_ioctl serves with CAP_NET_ADMIN (`ns_capable(net->user_ns, ...)`, or `capable()` for SIOCSIFMAP/SIOCSIFTXQLEN). */
const DEV_SETTERS = new Set([
  SIOCSIFMAP, SIOCSIFTXQLEN, SIOCSIFFLAGS, SIOCSIFMETRIC, SIOCSIFMTU, SIOCSIFHWADDR, SIOCSIFSLAVE, SIOCADDMULTI, SIOCDELMULTI,
  SIOCSIFHWBROADCAST, SIOCSMIIREG, SIOCBONDENSLAVE, SIOCBONDRELEASE, SIOCBONDSETHWADDR, SIOCBONDCHANGEACTIVE, SIOCBRADDIF,
  SIOCBRDELIF, SIOCSHWTSTAMP,
]);

/**
 * dev_ioctl on the copied ifreq. SIOCGIFNAME looks the index up; the others cut the name at
 * a colon (put back in what is copied out) and look it up: ENODEV for any name but lo's.
 */
function devIoctl(k: SyscallContext, cmd: number, ifr: Uint8Array): { ret: number; copyOut: boolean } {
  const v = new DataView(ifr.buffer, ifr.byteOffset, ifr.length);
  const at = IFREQ.ifr_ifindex;
  const ok = { ret: 0, copyOut: true };
  const err = (e: number) => ({ ret: -e, copyOut: false });
  if (cmd === SIOCGIFNAME) {
    // dev_ifname: ifr_name[IFNAMSIZ-1] = 0, netdev_get_name: strcpy of the name (the rest of the buffer kept).
    ifr[IFREQ.ifr_name + IFNAMSIZ - 1] = 0;
    if (v.getInt32(IFREQ.ifr_ifindex, true) !== LO.ifindex) return err(E.ENODEV);
    ifr.set(Buffer.from(`${LO.name}\0`, 'latin1'), IFREQ.ifr_name);
    return ok;
  }
  const lo = isLo(cutColon(ifrName(ifr)));
  const cap = k.state.proc.creds.capable(CAP_NET_ADMIN);
  const hex = `0x${cmd.toString(16)}`;
  switch (cmd) {
    case SIOCGIFHWADDR:
      // dev_get_mac_address: sa_data gets min(sizeof(sa_data_min), addr_len) bytes of the (zero) address, sa_family the type.
      if (!lo) return err(E.ENODEV);
      ifr.fill(0, IFREQ.ifr_hwaddr + SOCKADDR_IN.sin_port, IFREQ.ifr_hwaddr + SOCKADDR_IN.sin_port + LO.addrLen);
      v.setUint16(IFREQ.ifr_hwaddr, ARPHRD_LOOPBACK, true);
      return ok;
    case SIOCGIFFLAGS:
    case SIOCGIFMETRIC:
    case SIOCGIFMTU:
    case SIOCGIFSLAVE:
    case SIOCGIFMAP:
    case SIOCGIFINDEX:
    case SIOCGIFTXQLEN:
      // dev_ifsioc_locked
      if (!lo) return err(E.ENODEV);
      switch (cmd) {
        case SIOCGIFFLAGS:
          v.setUint16(IFREQ.ifr_flags, LO.flags & 0xffff, true);
          return ok;
        case SIOCGIFMETRIC:
          v.setInt32(IFREQ.ifr_metric, 0, true);
          return ok;
        case SIOCGIFMTU:
          v.setInt32(IFREQ.ifr_mtu, LO.mtu, true);
          return ok;
        case SIOCGIFSLAVE:
          return err(E.EINVAL);
        case SIOCGIFMAP: {
          // dev_getifmap: every field 0 for lo; the three bytes of padding after `port` are kept.
          const m = IFREQ.ifr_map;
          ifr.fill(0, m + IFMAP.mem_start, m + IFMAP.port + 1);
          return ok;
        }
        case SIOCGIFINDEX:
          v.setInt32(at, LO.ifindex, true);
          return ok;
        default:
          v.setInt32(IFREQ.ifr_qlen, LO.txqlen, true);
          return ok;
      }
    case SIOCETHTOOL:
      k.unsupported('SIOCETHTOOL on a socket');
    // falls through (unreachable)
    case SIOCGMIIPHY:
    case SIOCGMIIREG:
    case SIOCSIFNAME:
      // dev_load, then `if (!ns_capable(net->user_ns, CAP_NET_ADMIN)) return -EPERM;`, then dev_ifsioc.
      if (!cap) return err(E.EPERM);
      if (!lo) return err(E.ENODEV);
      if (cmd === SIOCSIFNAME) k.unsupported('SIOCSIFNAME (renaming lo) with CAP_NET_ADMIN');
      // dev_eth_ioctl: lo has no ndo_eth_ioctl.
      return err(E.EOPNOTSUPP);
    case SIOCGIFMEM:
    case SIOCSIFMEM:
    case SIOCSIFLINK:
      return err(E.ENOTTY);
    case SIOCBONDSLAVEINFOQUERY:
    case SIOCBONDINFOQUERY:
      // dev_ifsioc → dev_siocbond: lo has no ndo_siocbond.
      return err(lo ? E.EOPNOTSUPP : E.ENODEV);
  }
  if (DEV_SETTERS.has(cmd)) {
    if (!cap) return err(E.EPERM);
    if (!lo) return err(E.ENODEV);
    k.unsupported(`request ${hex} (changing lo's configuration) with CAP_NET_ADMIN`);
  }
  // The unknown or private requests dev_ifsioc passes to the driver: lo has none of
  // ndo_siocwandev, ndo_eth_ioctl (SIOCGHWTSTAMP), ndo_siocdevprivate.
  if (cmd === SIOCWANDEV || cmd === SIOCGHWTSTAMP || (cmd >= SIOCDEVPRIVATE && cmd <= SIOCDEVPRIVATE + 15)) {
    return err(lo ? E.EOPNOTSUPP : E.ENODEV);
  }
  return err(E.ENOTTY);
}

/**
 * dev_ifconf: the struct ifconf copied in (EFAULT); for each device inet_gifconf writes one
 * zeroed struct ifreq per IPv4 address (label, AF_INET, the local address) while a whole one
 * fits in what is left of ifc_len, or with a NULL ifc_buf only counts them; then ifc_len is
 * set to the bytes written (EFAULT). lo, the only device, has one address.
 */
function devIfconf(k: SyscallContext, argp: number): number {
  const v = copyIn(k.mem, argp, IFCONF.SIZE);
  const len = v.getInt32(IFCONF.ifc_len, true);
  const buf = userAddr(v.getBigUint64(IFCONF.ifc_buf, true)); // past 2^53: an address no mapping has (EFAULT)
  let total = 0;
  if (!buf) total += IFREQ.SIZE;
  else if (len - total >= IFREQ.SIZE) {
    const ifr = new StructBuilder(IFREQ.SIZE).chars(IFREQ.ifr_name, IFNAMSIZ, LO_IFA.label).u16(IFREQ.ifr_addr + SOCKADDR_IN.sin_family, AF_INET);
    new DataView(ifr.bytes.buffer).setUint32(IFREQ.ifr_addr + SOCKADDR_IN.sin_addr, LO_IFA.local >>> 0, false);
    copyOut(k.mem, buf + total, ifr);
    total += IFREQ.SIZE;
  }
  return putInt(k, argp + IFCONF.ifc_len, total);
}

