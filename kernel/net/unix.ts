// AF_UNIX sockets, modelled on Linux 6.1 net/unix/af_unix.c: stream, datagram and seqpacket
// sockets, socketpair, bind (a path in the guest VFS or the abstract namespace), listen,
// connect, accept, shutdown, and their readiness (unix_poll / unix_dgram_poll).
//
// A socket (UnixSock, Linux's struct sock + unix_sock) has a receive queue of messages (skbs):
// a stream socket's reads glue consecutive messages together; datagram and seqpacket reads
// take one message each (the rest of a longer one is dropped: MSG_TRUNC). A listening socket's
// queue holds the server halves of connections not yet accepted, as unix_stream_connect
// queues them. Waiting goes through the VfsEnv blocker (kernel/vfs/wait.ts): each socket has
// one WaitQueue, notified whenever its own or its peer's state may have changed.
//
// AF_INET sockets (inet.ts) are the same class with family AF_INET: TCP is a stream socket
// whose differences (tcp_sendmsg / tcp_recvmsg errors, FIN and RST on close, tcp_poll) are
// branches on `inet` here; UDP is a datagram socket whose sends go through inet.ts udpSend.
//
// Differences from Linux: the send buffer counts payload bytes in flight (Linux counts each
// skb's truesize, about 0.6-1 KiB more per message), so how many bytes a non-blocking sender
// gets in before EAGAIN differs; a blocking stream write that fills the buffer returns the
// short count instead of waiting for room for the rest (as zerosys's pipes do).

import { fail, SyscallErrno } from '../errors.ts';
import { E } from '../errno.ts';
import { udpSend } from './inet.ts';
import { netlinkRecv, netlinkRelease, type NetlinkSock } from './netlink.ts';
import { ZerosysStop } from '../api.ts';
import type { VfsEnv } from '../vfs/env.ts';
import { OpenFile } from '../vfs/file.ts';
import type { Vnode } from '../vfs/node.ts';
import { makedev, type StatInfo } from '../vfs/stat.ts';
import { WaitQueue } from '../vfs/wait.ts';
import {
  AF_INET, AF_INET6, AF_NETLINK, AF_UNIX, MSG_DONTWAIT, MSG_NOSIGNAL, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, O_NONBLOCK, O_RDWR, POLLERR, POLLHUP, POLLIN,
  POLLOUT, POLLRDHUP, POLLRDNORM, POLLWRBAND, POLLWRNORM, S_IFSOCK, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
} from '../abi.ts';

/** sk_shutdown bits (include/net/sock.h). */
export const RCV_SHUTDOWN = 1;
export const SEND_SHUTDOWN = 2;
export const SHUTDOWN_MASK = 3;

/** sysctl net.core.wmem_default / rmem_default and wmem_max / rmem_max (212992 each). */
export const SK_WMEM_DEFAULT = 212992;
export const SK_WMEM_MAX = 212992;
/** SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF (include/net/sock.h: 2 * (2048 + SKB_DATA_ALIGN(sizeof(sk_buff)))). */
export const SOCK_MIN_SNDBUF = 4608;
export const SOCK_MIN_RCVBUF = 2304;
/** net.unix.max_dgram_qlen, the default listen/datagram queue bound. */
export const MAX_DGRAM_QLEN = 10;

/** sockfs: anonymous device 0:8 as on a typical boot (also what stdio-file.ts shows for a socket). */
const SOCKFS_DEV = makedev(0, 8);

export type SockState = 'close' | 'listen' | 'established';

export interface Ucred {
  pid: number;
  uid: number;
  gid: number;
  /** The real uid/gid (current_uid_gid(), what SCM_CREDENTIALS attaches); uid/gid are the effective ones. */
  ruid?: number;
  rgid?: number;
}

/**
 * The credentials an skb carries (UNIXCB(skb).pid, uid, gid): pid 0 and uid/gid -1
 * (INVALID_UID / INVALID_GID) when none were attached.
 */
export interface SkbCreds {
  pid: number;
  uid: number;
  gid: number;
}
export const NO_CREDS: SkbCreds = { pid: 0, uid: -1, gid: -1 };

/** unix_skb_scm_eq(): the same writer (pid) and ids. */
export function credsEq(a: SkbCreds, b: SkbCreds): boolean {
  return a.pid === b.pid && a.uid === b.uid && a.gid === b.gid;
}

/** SCM_MAX_FD (include/net/scm.h): fds one sendmsg may pass. */
export const SCM_MAX_FD = 253;

/** What a sendmsg's control messages carry (struct scm_cookie after __scm_send). */
export interface SendScm {
  /** SCM_CREDENTIALS as sent (checked by scm_check_creds). */
  creds?: SkbCreds;
  /** SCM_RIGHTS: the open file descriptions (not yet held). */
  fds?: OpenFile[];
  /** unix_attach_fds' too_many_unix_fds() check (ETOOMANYREFS), made when the fds are attached. */
  attach?: () => void;
}

/** What a receive hands to scm_recv: the credentials of the data and the passed files (one reference each, the caller's). */
export interface RecvScm {
  creds: SkbCreds;
  fds?: OpenFile[];
}

/** Drop passed files nobody installs (scm_destroy / __scm_destroy: fput each). */
export function disposeFds(fds: OpenFile[] | undefined): void {
  for (const f of fds ?? []) f.unhold();
}

/** One skb: payload, its sender (for the source address), and the sender's credentials. */
interface Msg {
  data: Uint8Array;
  off: number;
  from: UnixSock;
  cred: Ucred;
  /** UNIXCB(skb).pid/uid/gid (SCM_CREDENTIALS, explicit or unix_maybe_add_creds). */
  scm?: SkbCreds;
  /** UNIXCB(skb).fp: files passed with SCM_RIGHTS, one reference each held by the message. */
  fds?: OpenFile[];
  /** A listener's queue: the server half of a pending connection. */
  conn?: UnixSock;
  /** A UDP datagram's source address (sockaddr_in), as it was when sent. */
  src?: Uint8Array;
  /** A UDP datagram's IP header as the receiver's control messages show it (cmsg.ts). */
  ip?: IpMeta;
}

/**
 * What a UDP datagram's IP header and receive path carry to ip_cmsg_recv_offset /
 * ip6_datagram_recv_ctl: the destination address, the TTL (hop limit) and TOS (traffic class)
 * it was sent with, and PKTINFO_SKB_CB as ipv4_pktinfo_prepare left it at delivery (ifindex
 * and spec_dst are 0 unless the receiver asked for packet info then).
 */
export interface IpMeta {
  v6: boolean;
  daddr: number;
  ttl: number;
  tos: number;
  ifindex: number;
  specDst: number;
}

/**
 * The IP-level options of an AF_INET / AF_INET6 socket (struct inet_sock, struct ipv6_pinfo):
 * inet->cmsg_flags (IP_PKTINFO, IP_RECVTTL, IP_RECVTOS), inet->uc_ttl (-1: the default),
 * inet->tos, np->rxopt (IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS), np->hop_limit
 * (-1: the default), np->tclass.
 */
export interface IpOptions {
  pktinfo: boolean;
  recvttl: boolean;
  recvtos: boolean;
  ucTtl: number;
  tos: number;
  rxinfo: boolean;
  rxhlim: boolean;
  rxtclass: boolean;
  hopLimit: number;
  tclass: number;
}

/** Module-wide state of the net module for one kernel: the abstract namespace, bound inodes, numbers. */
export class NetState {
  /** Abstract names, keyed by type and name (unix_abstract_hash mixes the type in). */
  readonly abstract = new Map<string, UnixSock>();
  /** Bound filesystem sockets by their inode (unix_find_socket_byinode). */
  readonly byInode = new Map<Vnode, UnixSock>();
  private nextIno = 20000;
  /** unix_autobind: Linux starts at a random 20-bit number; here a counter. */
  autobindNext = 0;
  /** AF_INET sockets holding a local port (TCP and UDP; the bind hash tables of inet_hashinfo / udp_table). */
  readonly inetBound: UnixSock[] = [];
  /** The next ephemeral port offset (inet.ts ephemeralPort: Linux starts at a random offset; here a counter). */
  ephemeralNext = 0;
  /** user->unix_inflight: files sitting in unix socket queues (SCM_RIGHTS), for too_many_unix_fds(). */
  inflightFds = 0;
  allocIno(): number {
    return this.nextIno++;
  }
}

export class UnixSock {
  state: SockState = 'close';
  peer?: UnixSock;
  /** The bound address: the sockaddr_un bytes (family included), addr->len long. */
  addr?: Uint8Array;
  /** Where a filesystem-bound address lives (to forget it at release). */
  boundNode?: Vnode;
  abstractKey?: string;
  readonly recvq: Msg[] = [];
  shutdown = 0;
  /** sk_err (positive errno), cleared when reported. */
  err = 0;
  /** sk_max_ack_backlog: net.unix.max_dgram_qlen until listen() sets it. */
  backlog = MAX_DGRAM_QLEN;
  sndbuf = SK_WMEM_DEFAULT;
  rcvbuf = SK_WMEM_DEFAULT;
  reuseaddr = false;
  reuseport = false;
  keepalive = false;
  /** SO_BROADCAST (SOCK_BROADCAST). */
  broadcast = false;
  passcred = false;
  /** sk->sk_socket is set: the socket has a file (a server half is an embryo until accepted). */
  grafted = false;
  /** Bytes this socket has sent that nobody has read yet (sk_wmem_alloc, in payload bytes). */
  inflight = 0;
  peercred?: Ucred;
  dead = false;
  readonly queue = new WaitQueue();

  // ---- AF_INET (inet.ts): the same machinery carries TCP (stream) and UDP (datagram) on the loopback.
  family = AF_UNIX;
  /** IPPROTO_TCP / IPPROTO_UDP for AF_INET; 0 for AF_UNIX. */
  protocol = 0;
  /** inet_rcv_saddr and inet_num (host byte order); 0 when unbound. */
  laddr = 0;
  lport = 0;
  /** inet_daddr and inet_dport (host byte order); 0 when not connected. */
  raddr = 0;
  rport = 0;
  /** sk_userlocks: SOCK_BINDADDR_LOCK / SOCK_BINDPORT_LOCK (bound by the user to an address / a port). */
  addrLock = false;
  portLock = false;
  /** TCP_NODELAY. */
  nodelay = false;
  /** TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT: the net.ipv4.tcp_keepalive_{time,intvl,probes} defaults (7200 s, 75 s, 9). */
  keepIdle = 7200;
  keepIntvl = 75;
  keepCnt = 9;
  /** socket->state SS_CONNECTING: a non-blocking connect answered EINPROGRESS. */
  connecting = false;
  /** SOCK_DONE: the peer's FIN arrived (reads return end of file before any error). */
  finRcvd = false;
  /** AF_NETLINK (netlink.ts): the portid, groups, destination and running dump. */
  nl?: NetlinkSock;
  /** UDP: a datagram held by MSG_MORE sends (up->pending): the payload so far, where it goes (inet->cork.fl), its TTL and TOS. */
  cork?: { data: Uint8Array; daddr: number; saddr: number; dport: number; ttl: number; tos: number };
  /** AF_INET / AF_INET6: the IP-level socket options (cmsg.ts). */
  readonly ipOpt: IpOptions = { pktinfo: false, recvttl: false, recvtos: false, ucTtl: -1, tos: 0, rxinfo: false, rxhlim: false, rxtclass: false, hopLimit: -1, tclass: 0 };

  constructor(
    readonly net: NetState,
    readonly env: VfsEnv,
    public type: number,
    readonly ino: number,
  ) {}

  get connectionBased(): boolean {
    return this.type === SOCK_STREAM || this.type === SOCK_SEQPACKET;
  }
  get inet(): boolean {
    return this.family === AF_INET || this.family === AF_INET6;
  }
  get netlink(): boolean {
    return this.family === AF_NETLINK;
  }
  /**
   * How many bytes a stream sender may have in flight: its send buffer (AF_UNIX), or for TCP
   * its send buffer and the peer's receive buffer (the loopback delivers at once).
   */
  get streamLimit(): number {
    return this.inet ? this.sndbuf + (this.peer?.rcvbuf ?? 0) : this.sndbuf;
  }

  /** Wake whoever waits on this socket or its peer. */
  changed(): void {
    this.queue.notify();
    this.peer?.queue.notify();
  }

  /** sock_error(): the pending error, cleared. */
  takeError(): number {
    const e = this.err;
    this.err = 0;
    return e;
  }

  /** unix_writable(): not listening and (wmem_alloc << 2) <= sndbuf; wmem_alloc starts at 1. */
  get writable(): boolean {
    return this.state !== 'listen' && (1 + this.inflight) * 4 <= this.sndbuf;
  }

  /** unix_recvq_full(): more queued than the backlog. */
  recvqFull(): boolean {
    return this.recvq.length > this.backlog;
  }

  /** The blocking wait of a handler (before any side effect): EAGAIN when non-blocking. */
  wait(nonblock: boolean, what: string, also: UnixSock[] = []): never {
    if (nonblock) fail('EAGAIN');
    this.env.blocker.block([this.queue, ...also.map((s) => s.queue)], undefined, what);
    // A finite wait is never asked for: block() only returns on a timeout.
    fail('EAGAIN');
  }

  // ---- sending

  /**
   * Queue `data` on `to` as one message from this socket (unix_scm_to_skb, then
   * unix_maybe_add_creds: without explicit SCM_CREDENTIALS the sender's tgid and real ids are
   * attached when the sender or the receiver has SO_PASSCRED, or the receiver has no socket
   * yet); `withFds` false for the later skbs of a stream send (only the first carries fds).
   */
  enqueue(to: UnixSock, data: Uint8Array, cred: Ucred, scm?: SendScm, withFds = true): void {
    let fds: OpenFile[] | undefined;
    if (withFds && scm?.fds?.length) {
      scm.attach?.();
      fds = scm.fds.slice();
      for (const f of fds) f.hold();
      this.net.inflightFds += fds.length;
    }
    let creds = scm?.creds;
    if (!creds && !this.inet && (this.passcred || !to.grafted || to.passcred)) {
      creds = { pid: cred.pid, uid: cred.ruid ?? cred.uid, gid: cred.rgid ?? cred.gid };
    }
    to.recvq.push({ data, off: 0, from: this, cred, scm: creds, fds });
    this.inflight += data.length;
    to.changed();
    this.changed();
  }

  /**
   * unix_stream_sendmsg: ENOTCONN without a peer, EPIPE (+ SIGPIPE unless MSG_NOSIGNAL) after
   * SHUT_WR or when the peer is gone or shut for reading; waits while the send buffer is full.
   * Returns the bytes taken (a full buffer after some bytes: the short count).
   */
  streamSend(data: Uint8Array, flags: number, nonblock: boolean, cred: Ucred, scm?: SendScm): number {
    const other = this.peer;
    const pipe = (): never => {
      if (!(flags & MSG_NOSIGNAL)) this.env.sigpipe();
      fail('EPIPE');
    };
    if (this.inet) {
      // tcp_sendmsg_locked: not established → sk_stream_wait_connect (a pending error, else
      // EPIPE); sk_err or SEND_SHUTDOWN → sk_stream_error (the pending error, else EPIPE).
      if (!other || this.state !== 'established' || this.err || this.shutdown & SEND_SHUTDOWN) {
        const e = this.takeError();
        if (e && e !== EPIPE_NO) throw new SyscallErrno(e);
        return pipe();
      }
      // A peer that is closed, or that sent its FIN and shut reading (FIN_WAIT1/2 with
      // RCV_SHUTDOWN: tcp_rcv_state_process, "RFC 1122 says we MUST send a reset", resets
      // itself with tcp_reset: ECONNRESET), answers data with an RST.
      const peerGone = other.dead || (other.shutdown & SEND_SHUTDOWN && other.shutdown & RCV_SHUTDOWN);
      if (peerGone && data.length) {
        // The segment goes out and the RST comes back (tcp_reset in CLOSE_WAIT: EPIPE, then
        // tcp_done): this send succeeds, the next one fails. An empty send sends nothing
        // (tcp_sendmsg_locked's `while (msg_data_left(msg))` never runs).
        if (!other.dead) {
          other.err = ECONNRESET_NO;
          other.shutdown = SHUTDOWN_MASK;
          other.state = 'close';
          other.queue.notify();
        }
        this.err = EPIPE_NO;
        this.shutdown = SHUTDOWN_MASK;
        this.state = 'close';
        this.queue.notify();
        return data.length;
      }
    } else {
      if (!other || this.state !== 'established') fail('ENOTCONN');
      if (this.shutdown & SEND_SHUTDOWN) pipe();
      if (other.dead || other.shutdown & RCV_SHUTDOWN) pipe();
    }
    if (!other) fail('ENOTCONN');
    if (data.length === 0) return 0;
    const room = this.streamLimit - this.inflight;
    if (room <= 0) this.wait(nonblock || (flags & MSG_DONTWAIT) !== 0, 'send on a full unix stream socket', [other]);
    const n = Math.min(room, data.length);
    this.enqueue(other, data.slice(0, n), cred, scm);
    return n;
  }

  /**
   * unix_detach_fds (the message's files move to the reader, one reference each) or with
   * MSG_PEEK unix_peek_fds (new references; the message keeps its own).
   */
  private takeFds(m: Msg, peek: boolean): OpenFile[] | undefined {
    if (!m.fds) return undefined;
    if (peek) {
      for (const f of m.fds) f.hold();
      return m.fds.slice();
    }
    const fds = m.fds;
    m.fds = undefined;
    this.net.inflightFds -= fds.length;
    return fds;
  }

  /**
   * How far a stream read of len bytes can go in the queue (unix_stream_read_generic's loop):
   * the bytes up to the end of a message carrying fds, or up to a message with other
   * credentials under SO_PASSCRED; `stop` when such a boundary cut it short.
   */
  private streamReach(len: number): { n: number; stop: boolean } {
    let n = 0;
    let creds: SkbCreds | undefined;
    for (const m of this.recvq) {
      if (n >= len) break;
      const scm = m.scm ?? NO_CREDS;
      if (creds) {
        if (!credsEq(scm, creds)) return { n, stop: true };
      } else if (this.passcred) creds = scm;
      n += m.data.length - m.off;
      if (m.fds) return { n: Math.min(n, len), stop: true };
    }
    return { n: Math.min(n, len), stop: false };
  }

  /** Consumed `n` bytes of a message sent by `from`. */
  private consumed(from: UnixSock, n: number): void {
    from.inflight = Math.max(0, from.inflight - n);
    from.queue.notify();
  }

  /**
   * unix_stream_read_generic: EINVAL unless connected; copies from consecutive messages up to
   * len (MSG_WAITALL: waits for all of it unless shut down or an error comes); with nothing
   * queued, a pending error, then 0 after RCV_SHUTDOWN, else EAGAIN or wait.
   * Returns the bytes and the sender of the first message (for its address). A read stops
   * after a message carrying fds (they come with it) and, under SO_PASSCRED, before a message
   * with other credentials (`Never glue messages from different writers`); `scm` is what it
   * hands to scm_recv (the first message's credentials when SO_PASSCRED is on).
   */
  streamRecv(len: number, flags: number, nonblock: boolean): { data: Uint8Array; from?: UnixSock; scm?: RecvScm } {
    const dontwait = nonblock || (flags & MSG_DONTWAIT) !== 0;
    const available = this.recvq.reduce((n, m) => n + m.data.length - m.off, 0);
    const others = this.peer ? [this.peer] : [];
    if (this.inet) {
      // tcp_recvmsg_locked: a listener is ENOTCONN; with nothing queued: SOCK_DONE (the FIN
      // came) end of file, a pending error, RCV_SHUTDOWN end of file, a closed socket ENOTCONN.
      if (this.state === 'listen') fail('ENOTCONN');
      if (available === 0) {
        if (this.finRcvd) return { data: new Uint8Array(0) };
        const e = this.takeError();
        if (e) throw new SyscallErrno(e);
        if (this.shutdown & RCV_SHUTDOWN) return { data: new Uint8Array(0) };
        if (this.state !== 'established') fail('ENOTCONN');
        this.wait(dontwait, 'read from an empty TCP socket', others);
      }
    } else if (this.state !== 'established') fail('EINVAL');
    if (available === 0) {
      const e = this.takeError();
      if (e) throw new SyscallErrno(e);
      if (this.shutdown & RCV_SHUTDOWN) return { data: new Uint8Array(0), scm: { creds: { pid: 0, uid: 0, gid: 0 } } }; // scm_recv with the zeroed cookie
      this.wait(dontwait, 'read from an empty unix stream socket', others);
    }
    // MSG_WAITALL: wait for len bytes while more can come (Linux copies as it waits; waiting
    // first is the same unless len exceeds what the sender can have in flight at once).
    const more = !(this.shutdown & RCV_SHUTDOWN) && this.peer !== undefined && !this.peer.dead;
    if (flags & MSG_WAITALL && !dontwait && more) {
      const reach = this.streamReach(len);
      if (!reach.stop && reach.n < Math.min(len, this.peer!.streamLimit)) this.wait(false, 'MSG_WAITALL read from a unix stream socket', others);
    }
    const out = new Uint8Array(Math.min(len, available));
    let got = 0;
    const from = this.recvq[0]?.from;
    const peek = (flags & MSG_PEEK) !== 0;
    let creds: SkbCreds | undefined;
    let fds: OpenFile[] | undefined;
    for (let i = 0; got < out.length && i < this.recvq.length; ) {
      const m = this.recvq[i];
      const scm = m.scm ?? NO_CREDS;
      if (creds) {
        if (!credsEq(scm, creds)) break;
      } else if (this.passcred && !this.inet) creds = scm;
      const n = Math.min(m.data.length - m.off, out.length - got);
      out.set(m.data.subarray(m.off, m.off + n), got);
      got += n;
      if (peek) {
        if (m.fds) {
          fds = this.takeFds(m, true);
          break;
        }
        i++;
        continue;
      }
      m.off += n;
      this.consumed(m.from, n);
      if (m.fds) fds = this.takeFds(m, false);
      if (m.off < m.data.length) break;
      this.recvq.splice(i, 1);
      if (fds) break;
    }
    if (!peek && got) this.changed();
    // The scm_cookie starts zeroed: a read that took no message reports pid 0, uid 0, gid 0.
    const scm = this.inet ? undefined : { creds: creds ?? { pid: 0, uid: 0, gid: 0 }, fds };
    return { data: got < out.length ? out.slice(0, got) : out, from, scm };
  }

  /**
   * __unix_dgram_recvmsg: one message; a longer one is cut to len (MSG_TRUNC in msg_flags, and
   * with the MSG_TRUNC flag the result is its full length). Nothing queued: a pending error,
   * then 0 after RCV_SHUTDOWN when blocking (and for a non-blocking seqpacket socket), else
   * EAGAIN or wait.
   */
  dgramRecv(len: number, flags: number, nonblock: boolean): { data: Uint8Array; full: number; from?: UnixSock; src?: Uint8Array; scm?: RecvScm; ip?: IpMeta } {
    if (this.type === SOCK_SEQPACKET && this.state !== 'established') fail('ENOTCONN');
    const m = this.recvq[0];
    if (!m) {
      const e = this.takeError();
      if (e) throw new SyscallErrno(e);
      const dontwait = nonblock || (flags & MSG_DONTWAIT) !== 0;
      if (this.shutdown & RCV_SHUTDOWN && (!dontwait || this.type === SOCK_SEQPACKET)) return { data: new Uint8Array(0), full: 0 };
      this.wait(dontwait, this.inet ? 'receive from an empty UDP socket' : 'receive from an empty unix datagram socket', this.peer ? [this.peer] : []);
    }
    const full = m.data.length;
    const data = m.data.slice(0, Math.min(len, full));
    const fds = this.takeFds(m, (flags & MSG_PEEK) !== 0);
    if (!(flags & MSG_PEEK)) {
      this.recvq.shift();
      this.consumed(m.from, full);
      this.changed();
    }
    const scm = this.inet ? undefined : { creds: m.scm ?? NO_CREDS, fds };
    return { data, full, from: m.from, src: m.src, scm, ip: m.ip };
  }

  // ---- readiness

  /** The relay of unix_dgram_peer_wake_me, while one is set: which peer it listens on. */
  private peerWake?: { on: UnixSock; stop: () => void };

  /**
   * unix_dgram_peer_wake_me: a poller of a datagram socket whose peer's queue is full must be
   * woken when the peer reads, whoever sent what it reads (unix_dgram_recvmsg wakes the peer's
   * peer_wait, and unix_dgram_peer_wake_relay passes that on to our wait queue, once).
   */
  private peerWakeMe(other: UnixSock): void {
    if (this.peerWake?.on === other) return;
    this.peerWake?.stop();
    const stop = other.queue.listen(() => {
      stop();
      if (this.peerWake?.stop === stop) this.peerWake = undefined;
      this.queue.notify();
    });
    this.peerWake = { on: other, stop };
  }

  /** unix_poll (stream) / unix_dgram_poll (datagram, seqpacket). */
  poll(): number {
    if (this.inet && this.type === SOCK_STREAM) return this.tcpPoll();
    let mask = 0;
    if (this.err) mask |= POLLERR;
    if (this.shutdown === SHUTDOWN_MASK) mask |= POLLHUP;
    if (this.shutdown & RCV_SHUTDOWN) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
    if (this.recvq.length) mask |= POLLIN | POLLRDNORM;
    if (this.connectionBased && this.state === 'close') mask |= POLLHUP;
    let writable = this.writable;
    if (writable && this.type !== SOCK_STREAM && !this.inet) {
      const other = this.peer;
      if (other && other.peer !== this && other.recvqFull()) {
        writable = false;
        this.peerWakeMe(other);
      }
    }
    if (writable) mask |= POLLOUT | POLLWRNORM | POLLWRBAND;
    return mask;
  }

  /** tcp_poll (POLLWRBAND is never set; a listener is readable with a connection queued). */
  private tcpPoll(): number {
    if (this.state === 'listen') return this.recvq.length ? POLLIN | POLLRDNORM : 0;
    let mask = 0;
    if (this.shutdown === SHUTDOWN_MASK || this.state === 'close') mask |= POLLHUP;
    if (this.shutdown & RCV_SHUTDOWN) mask |= POLLIN | POLLRDNORM | POLLRDHUP;
    if (this.recvq.some((m) => m.off < m.data.length)) mask |= POLLIN | POLLRDNORM;
    if (!(this.shutdown & SEND_SHUTDOWN)) {
      if (this.inflight < this.streamLimit) mask |= POLLOUT | POLLWRNORM;
    } else mask |= POLLOUT | POLLWRNORM;
    if (this.err) mask |= POLLERR;
    return mask;
  }

  // ---- release

  /**
   * unix_release_sock: the peer of a stream/seqpacket socket is shut down both ways, with
   * ECONNRESET if we left data unread or if we are an embryo (`embrion`: the server half of a
   * connection never accepted, released with its listener).
   */
  release(embrion = false): void {
    if (this.dead) return;
    this.dead = true;
    this.state = 'close';
    netlinkRelease(this);
    if (this.abstractKey !== undefined) this.net.abstract.delete(this.abstractKey);
    if (this.boundNode && this.net.byInode.get(this.boundNode) === this) this.net.byInode.delete(this.boundNode);
    if (this.inet) {
      const i = this.net.inetBound.indexOf(this);
      if (i >= 0) this.net.inetBound.splice(i, 1);
    }
    const skpair = this.peer;
    if (skpair && this.inet) {
      if (this.type === SOCK_STREAM && skpair.peer === this) {
        if (this.recvq.length || embrion) {
          // tcp_close with unread data (or a child never accepted): an RST; tcp_reset on the
          // other side: ECONNRESET (EPIPE in CLOSE_WAIT), then tcp_done.
          skpair.err = skpair.shutdown & RCV_SHUTDOWN ? EPIPE_NO : ECONNRESET_NO;
          skpair.shutdown = SHUTDOWN_MASK;
          skpair.state = 'close';
        } else {
          // A FIN: the other side reads end of file (tcp_fin).
          skpair.shutdown |= RCV_SHUTDOWN;
          skpair.finRcvd = true;
        }
      }
      skpair.queue.notify();
    } else if (skpair) {
      if (this.connectionBased) {
        skpair.shutdown = SHUTDOWN_MASK;
        // unix_release_sock: ECONNRESET when something is left unread, a leading empty skb
        // passed over (`if (skb && !unix_skb_len(skb)) skb = skb_peek_next(skb, ...); ...
        // if (skb || embrion) WRITE_ONCE(skpair->sk_err, ECONNRESET);`, 2a5a4841846b "af_unix:
        // Don't set -ECONNRESET for consumed OOB skb.", in 6.1.y): a lone empty seqpacket
        // message does not reset the peer.
        const first = this.recvq[0];
        const unread = first && first.off >= first.data.length ? this.recvq[1] : first;
        if (unread || embrion) skpair.err = ECONNRESET_NO;
      }
      skpair.queue.notify();
    }
    // Pending connections of a listener are reset (unix_release_sock(skb->sk, 1)): their
    // clients see ECONNRESET once, then end of file.
    const dropped = this.recvq.splice(0);
    for (const m of dropped) {
      this.consumed(m.from, m.data.length);
      if (m.conn) m.conn.release(true);
    }
    // Files in flight in the dropped messages are put (skb destructor unix_destruct_scm).
    for (const m of dropped) disposeFds(this.takeFds(m, false));
    this.peer = undefined;
    // unix_dgram_peer_wake_disconnect
    this.peerWake?.stop();
    this.peerWake = undefined;
    this.queue.notify();
  }
}

const ECONNRESET_NO = E.ECONNRESET;
export const ECONNREFUSED_NO = E.ECONNREFUSED;
const EPIPE_NO = E.EPIPE;

/** An open socket (struct socket + struct file on sockfs). */
export class SocketFile extends OpenFile {
  readonly label: string;
  private readonly createdNs: bigint;

  constructor(
    readonly sock: UnixSock,
    flags: number,
  ) {
    super(O_RDWR | (flags & O_NONBLOCK));
    this.label = `socket:[${sock.ino}]`;
    sock.grafted = true;
    this.createdNs = sock.env.now();
  }

  get family(): number {
    return this.sock.family;
  }
  get nonblock(): boolean {
    return (this.statusFlags & O_NONBLOCK) !== 0;
  }

  /** sock_alloc: S_IFSOCK | 0777 on sockfs, owned by the creator. */
  stat(): StatInfo {
    const t = this.createdNs;
    return {
      dev: SOCKFS_DEV, ino: this.sock.ino, mode: S_IFSOCK | 0o777, nlink: 1, uid: this.sock.env.uid, gid: this.sock.env.gid,
      rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t,
    };
  }

  /** sock_read_iter: sock_recvmsg with MSG_DONTWAIT under O_NONBLOCK; a count of 0 reads nothing. */
  override read(len: number): Uint8Array {
    if (len === 0) return new Uint8Array(0);
    const s = this.sock;
    if (s.netlink) return netlinkRecv(this, len, 0).data;
    // No control buffer: passed files are put (scm_recv without msg_control: scm_destroy).
    const r = s.type === SOCK_STREAM ? s.streamRecv(len, 0, this.nonblock) : s.dgramRecv(len, 0, this.nonblock);
    disposeFds(r.scm?.fds);
    return r.data;
  }
  /** sock_write_iter: sock_sendmsg without an address (SIGPIPE on EPIPE for streams). */
  override write(data: Uint8Array): number {
    if (this.sock.netlink) throw new ZerosysStop('unsupported write(2) on an AF_NETLINK socket (sendto and sendmsg are provided)');
    if (this.sock.inet && this.sock.type === SOCK_DGRAM) return udpSend(this, data, 0, undefined, this.cred());
    return sendTo(this, data, 0, undefined, this.cred());
  }
  override writeBound(len: number): number {
    return Math.min(len, this.sock.sndbuf);
  }
  override get pollable(): boolean {
    return true;
  }
  override poll(): number {
    return this.sock.poll();
  }
  override get queue(): WaitQueue {
    return this.sock.queue;
  }
  override available(): number {
    return this.sock.recvq.reduce((n, m) => n + m.data.length - m.off, 0);
  }
  protected override released(): void {
    this.sock.release();
  }

  /** Credentials of the caller, set by the syscall layer before a send (SCM_CREDENTIALS, SO_PEERCRED). */
  credOf?: () => Ucred;
  cred(): Ucred {
    return this.credOf?.() ?? { pid: 0, uid: this.sock.env.uid, gid: this.sock.env.gid };
  }
}

/**
 * The send side shared by write, sendto and sendmsg (sock_sendmsg): `to` is the destination
 * sock of a datagram send to an address (already looked up), undefined otherwise.
 */
export function sendTo(file: SocketFile, data: Uint8Array, flags: number, to: UnixSock | undefined, cred: Ucred, scm?: SendScm): number {
  const s = file.sock;
  const dontwait = file.nonblock || (flags & MSG_DONTWAIT) !== 0;
  if (s.type === SOCK_STREAM) return s.streamSend(data, flags, dontwait, cred, scm);
  if (s.type === SOCK_SEQPACKET) {
    // unix_seqpacket_sendmsg: sock_error, then ENOTCONN unless connected.
    const e = s.takeError();
    if (e) throw new SyscallErrno(e);
    if (s.state !== 'established') fail('ENOTCONN');
  }
  // unix_dgram_sendmsg
  const other = to ?? s.peer;
  if (!other) fail('ENOTCONN');
  if (data.length > s.sndbuf - 32) fail('EMSGSIZE');
  // sock_alloc_send_pskb (net/core/sock.c), which unix_dgram_sendmsg calls next: sock_error,
  // then -EPIPE once this socket is shut for writing (no SIGPIPE for datagrams).
  if (s.shutdown & SEND_SHUTDOWN) fail('EPIPE');
  // unix_may_send: a socket connected to someone else accepts only from its peer.
  if (other.peer !== undefined && other.peer !== s) fail('EPERM');
  if (other.dead) {
    if (s.type === SOCK_SEQPACKET) fail('EPIPE');
    if (s.peer === other) {
      s.peer = undefined;
      s.state = 'close';
    }
    fail('ECONNREFUSED');
  }
  if (other.shutdown & RCV_SHUTDOWN) fail('EPIPE');
  if (other !== s && other.peer !== s && other.recvqFull()) s.wait(dontwait, 'send to a full unix datagram socket', [other]);
  if (s.inflight + data.length > s.sndbuf) s.wait(dontwait, 'send on a full unix datagram socket', [other]);
  s.enqueue(other, data.slice(), cred, scm);
  return data.length;
}

export { MSG_TRUNC, SOCK_DGRAM };
